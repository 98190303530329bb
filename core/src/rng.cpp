#include "clipsim/core/rng.hpp"

#include <algorithm>
#include <cstddef>

#include "clipsim/core/check.hpp"

namespace clipsim {
namespace {

// mt19937_64's state: 312 words of 64 bits, read as 624 words of 32 bits, low half first.
constexpr std::size_t kStateWords32 = 624;
constexpr std::size_t kKeyWords32 = 8;

// One key per 32-bit lane: the seeding loop below is a chain of dependent steps (each reads the
// word the step before wrote), so a key costs the chain's latency, ~7 cycles a step, and a vector
// of keys goes through the same chain in lockstep. On this project's Zen 4 machine a vector step
// takes ~1.8 times a scalar one (its operations' latencies are longer), so 16 lanes seed a key
// ~6.5x cheaper and 8 lanes ~4x; SSE2 has no 32-bit vector multiply and gains ~10% (bench_sweep's
// seeding benchmarks). Two vectors interleaved per step did not help: their 80 KB of state left
// L1. The widest vector of the build's instruction set (cmake/ClipsimSimd.cmake), so that no build
// runs code its target lacks.
#if defined(__AVX512F__)
typedef std::uint32_t Lanes __attribute__((vector_size(64)));
#elif defined(__AVX2__)
typedef std::uint32_t Lanes __attribute__((vector_size(32)));
#else
typedef std::uint32_t Lanes __attribute__((vector_size(16)));
#endif
constexpr std::size_t kLanes = sizeof(Lanes) / sizeof(std::uint32_t);
// One lane's word, read out of an array of Lanes (x[k][lane] with a run-time lane makes GCC copy
// the whole vector to the stack first).
typedef std::uint32_t Word __attribute__((may_alias));

// What boost::random::seed_seq(words).generate(out, out + 624) writes (the algorithm of C++'s
// std::seed_seq::generate, [rand.util.seedseq]), with the sizes fixed at compile time, into x, for
// T = std::uint32_t (one key) or Lanes (one key per lane; v[i] holds word i of every lane's key).
// Boost's generic loop takes three remainders by the run-time length per step; at 2 x 624 steps
// and three generators per run that was 12% of a d = 1 sweep of 200-step runs (perf). Here the
// index wraps are hoisted out of the loop (ForEachStep), and the word the step before wrote,
// x[k - 1 mod n], is kept in a register (`last`) rather than read back from memory: it is the
// chain every step waits on. tests/core/rng_test.cpp checks the result against Boost's seed_seq
// for many keys.
constexpr std::size_t n = kStateWords32;
constexpr std::size_t s = kKeyWords32;
constexpr std::size_t t = 11;  // n >= 623
constexpr std::size_t p = (n - t) / 2;
constexpr std::size_t q = p + t;
static_assert(n - 1 > s, "the key's words are added in steps 1..s, before any index wraps");

// The eight 32-bit words seed_seq is fed for a key whose HashKey is `hash`.
void KeyWords(std::uint64_t hash, std::uint32_t (&words)[s]) {
  for (std::size_t i = 0; i < s; i += 2) {
    hash = Mix64(hash);
    words[i] = static_cast<std::uint32_t>(hash);
    words[i + 1] = static_cast<std::uint32_t>(hash >> 32);
  }
}

// step(k, k + p mod n, k + q mod n) for k = 0 .. n - 1 (m = max(s + 1, n) = n steps).
template <class Step>
inline __attribute__((always_inline)) void ForEachStep(Step step) {
  std::size_t k = 0;
  for (; k < n - q; ++k) step(k, k + p, k + q);
  for (; k < n - p; ++k) step(k, k + p, k + q - n);
  for (; k < n; ++k) step(k, k + p - n, k + q - n);
}

template <class T>
void SeedSequence(const T (&v)[s], T (&x)[n]) {
  const T fill = T{} + std::uint32_t{0x8b8b8b8bu};
  for (T& word : x) word = fill;
  T last = fill;  // x[k - 1 mod n]
  ForEachStep([&](std::size_t k, std::size_t kp, std::size_t kq) {
    T r1 = x[k] ^ x[kp] ^ last;
    r1 = (r1 ^ (r1 >> 27)) * 1664525u;
    T r2 = r1 + static_cast<std::uint32_t>(k == 0 ? s : k);
    if (k - 1 < s) r2 += v[k - 1];  // k = 1 .. s (k = 0 wraps to a huge k - 1)
    x[kp] += r1;
    x[kq] += r2;
    x[k] = r2;
    last = r2;
  });
  ForEachStep([&](std::size_t j, std::size_t jp, std::size_t jq) {  // k = m + j; k mod n = j
    T r3 = x[j] + x[jp] + last;
    r3 = (r3 ^ (r3 >> 27)) * 1566083941u;
    const T r4 = r3 - static_cast<std::uint32_t>(j);
    x[jp] ^= r3;
    x[jq] ^= r4;
    x[j] = r4;
    last = r4;
  });
}

// Rng(seed_seq(words)) would generate these 624 words and read them as rng.seed(first, last)
// does; seeding the caller's generator reads them in place of building one and copying its 2.5 KB.
void SeedFromState(const std::uint32_t (&state)[n], Rng& rng) {
  const std::uint32_t* first = state;
  rng.seed(first, static_cast<const std::uint32_t*>(state + n));
}

}  // namespace

Rng MakeRng(std::span<const std::uint64_t> key) {
  std::uint32_t v[s];
  KeyWords(HashKey(key), v);
  std::uint32_t state[n];
  SeedSequence(v, state);
  const std::uint32_t* first = state;
  return Rng(first, static_cast<const std::uint32_t*>(state + n));
}

Rng MakeRng(std::initializer_list<std::uint64_t> key) {
  return MakeRng(std::span<const std::uint64_t>(key.begin(), key.size()));
}

void SeedRngs(std::span<const std::uint64_t> key_hashes, std::span<Rng* const> out) {
  Require(key_hashes.size() == out.size(), "SeedRngs: as many generators as key hashes");
  // 80 KB of stack at 16 lanes (a thread's stack is megabytes), so that a call never allocates.
  Lanes x[n];
  std::uint32_t states[kLanes][n];  // x, lane by lane
  for (std::size_t first = 0; first < out.size(); first += kLanes) {
    const std::size_t lanes = std::min(kLanes, out.size() - first);
    Lanes v[s] = {};  // lanes past the last key seed nothing anyone reads
    for (std::size_t lane = 0; lane < lanes; ++lane) {
      std::uint32_t words[s];
      KeyWords(key_hashes[first + lane], words);
      for (std::size_t i = 0; i < s; ++i) v[i][lane] = words[i];
    }
    SeedSequence(v, x);
    // Transposed in one pass over x in order: gathering one lane's words at a time would read a
    // cache line per word, 40 KB (L2) per lane at 16 lanes, and cost twice as much.
    const Word* flat = reinterpret_cast<const Word*>(x);
    for (std::size_t k = 0; k < n; ++k) {
      for (std::size_t lane = 0; lane < kLanes; ++lane) states[lane][k] = flat[k * kLanes + lane];
    }
    for (std::size_t lane = 0; lane < lanes; ++lane) {
      SeedFromState(states[lane], *out[first + lane]);
    }
  }
}

}  // namespace clipsim
