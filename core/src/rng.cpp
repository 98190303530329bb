#include "clipsim/core/rng.hpp"

#include <array>
#include <cstddef>

namespace clipsim {
namespace {

// mt19937_64's state: 312 words of 64 bits, read as 624 words of 32 bits, low half first.
constexpr std::size_t kStateWords32 = 624;
constexpr std::size_t kKeyWords32 = 8;

// What boost::random::seed_seq(words).generate(out, out + 624) writes (the algorithm of C++'s
// std::seed_seq::generate, [rand.util.seedseq]), with the sizes fixed at compile time. Boost's
// generic loop takes three remainders by the run-time length per step; at 2 x 624 steps and three
// generators per run that was 12% of a d = 1 sweep of 200-step runs (perf). The indices here wrap
// by one comparison instead; tests/core/rng_test.cpp checks the result against Boost's seed_seq
// for many keys.
std::array<std::uint32_t, kStateWords32> SeedSequence(
    const std::array<std::uint32_t, kKeyWords32>& v) {
  constexpr std::size_t n = kStateWords32;
  constexpr std::size_t s = kKeyWords32;
  constexpr std::size_t t = 11;  // n >= 623
  constexpr std::size_t p = (n - t) / 2;
  constexpr std::size_t q = p + t;
  constexpr std::size_t m = n;  // max(s + 1, n)
  const auto wrap = [](std::size_t i) { return i >= n ? i - n : i; };
  std::array<std::uint32_t, n> x;
  x.fill(0x8b8b8b8bu);
  for (std::size_t k = 0; k < m; ++k) {
    std::uint32_t r1 = x[k] ^ x[wrap(k + p)] ^ x[wrap(k + n - 1)];
    r1 = (r1 ^ (r1 >> 27)) * 1664525u;
    const std::uint32_t r2 = r1 + static_cast<std::uint32_t>(k == 0   ? s
                                                             : k <= s ? k + v[k - 1]
                                                                      : k);
    x[wrap(k + p)] += r1;
    x[wrap(k + q)] += r2;
    x[k] = r2;
  }
  for (std::size_t j = 0; j < n; ++j) {  // k = m + j; k mod n = j
    std::uint32_t r3 = x[j] + x[wrap(j + p)] + x[wrap(j + n - 1)];
    r3 = (r3 ^ (r3 >> 27)) * 1566083941u;
    const std::uint32_t r4 = r3 - static_cast<std::uint32_t>(j);
    x[wrap(j + p)] ^= r3;
    x[wrap(j + q)] ^= r4;
    x[j] = r4;
  }
  return x;
}

}  // namespace

Rng MakeRng(std::span<const std::uint64_t> key) {
  std::uint64_t h = HashKey(key);
  std::array<std::uint32_t, kKeyWords32> words{};
  for (std::size_t i = 0; i < words.size(); i += 2) {
    h = Mix64(h);
    words[i] = static_cast<std::uint32_t>(h);
    words[i + 1] = static_cast<std::uint32_t>(h >> 32);
  }
  // Rng(seed_seq(words)) would generate these 624 words and read them as Rng(first, last) does.
  const std::array<std::uint32_t, kStateWords32> state = SeedSequence(words);
  const std::uint32_t* first = state.data();
  return Rng(first, state.data() + state.size());
}

Rng MakeRng(std::initializer_list<std::uint64_t> key) {
  return MakeRng(std::span<const std::uint64_t>(key.begin(), key.size()));
}

}  // namespace clipsim
