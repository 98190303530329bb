#include "clipsim/core/rng.hpp"

#include <array>
#include <boost/random/seed_seq.hpp>

namespace clipsim {

Rng MakeRng(std::span<const std::uint64_t> key) {
  std::uint64_t h = HashKey(key);
  std::array<std::uint32_t, 8> words{};
  for (std::size_t i = 0; i < words.size(); i += 2) {
    h = Mix64(h);
    words[i] = static_cast<std::uint32_t>(h);
    words[i + 1] = static_cast<std::uint32_t>(h >> 32);
  }
  boost::random::seed_seq seq(words.begin(), words.end());
  return Rng(seq);
}

Rng MakeRng(std::initializer_list<std::uint64_t> key) {
  return MakeRng(std::span<const std::uint64_t>(key.begin(), key.size()));
}

}  // namespace clipsim
