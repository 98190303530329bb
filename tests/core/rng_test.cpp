#include "clipsim/core/rng.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/random/seed_seq.hpp>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "clipsim/core/input_error.hpp"

namespace clipsim {
namespace {

TEST(Rng, SameKeySameStream) {
  Rng a = MakeRng({7, 1, 2});
  Rng b = MakeRng({7, 1, 2});
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a(), b());
}

TEST(Rng, KeyOrderAndValueMatter) {
  std::set<std::uint64_t> first;
  for (auto key : {std::vector<std::uint64_t>{1, 2}, {2, 1}, {1, 3}, {1}, {1, 2, 0}}) {
    Rng r = MakeRng(std::span<const std::uint64_t>(key));
    first.insert(r());
  }
  EXPECT_EQ(first.size(), 5u);
}

// Golden values, taken once from the code as it was at issue 18 and written out as literals. A
// cell is identified on disk by StableHash of its resolved text (its 16-hex-digit id), and every
// random stream of a run is MakeRng of (master seed, a StableHash of what the stream is keyed by,
// seed, stream id). A change of any
// value below therefore changes every existing sweep's cell ids, streams and results: a resumed or
// grown sweep would no longer match its folder. Such a change must be deliberate: bump the
// results format (results_folder::kSchemaVersion in core/results_folder.hpp, and the folder's
// schema in sweep/src/folder.cpp) and update these literals in the same commit.
// StableHash is FNV-1a 64 then SplitMix64's finalizer: the three values were checked against a
// separate Python implementation of those two published algorithms.
TEST(Rng, StableHashIsFixed) {
  static_assert(StableHash("") == 0xc3817c016ba4ff30ULL);
  static_assert(StableHash("") == Mix64(0xcbf29ce484222325ULL));  // FNV-1a's offset basis
  static_assert(StableHash("clipsim") == 0x2f56431548022f07ULL);
  static_assert(StableHash("a") == 0x5f29c2aadd9b8527ULL);
  // The run-time path too (the cell id is computed at run time from a std::string).
  const std::string cell = "problem: {kind: quadratic, dim: 3}";
  EXPECT_EQ(StableHash(cell), 0x0da1f06be3ff8965ULL);
  EXPECT_NE(StableHash("a"), StableHash("b"));
}

// The first draws of the generator behind every random stream (Boost's mt19937_64 seeded through
// boost::random::seed_seq from eight words of the key's hash). libstdc++'s std::mt19937_64 and
// std::seed_seq, fed the same eight words, gave the same four draws when these values were taken:
// they are the standard algorithms' output, not an accident of one Boost version.
TEST(Rng, MakeRngFirstDrawsAreFixed) {
  static_assert(HashKey(std::array<std::uint64_t, 3>{7, 1, 2}) == 0x0ea5e92e244b1512ULL);
  Rng a = MakeRng({7, 1, 2});
  EXPECT_EQ(a(), 0x5e292268f8c6bff4ULL);
  EXPECT_EQ(a(), 0x78f1f5dba0744979ULL);
  EXPECT_EQ(a(), 0x12a5bcbc5a343d0cULL);
  EXPECT_EQ(a(), 0x039587c669d26e82ULL);
  Rng empty = MakeRng(std::span<const std::uint64_t>());
  EXPECT_EQ(empty(), 0xde0aa0dfb3e0a7b0ULL);
  EXPECT_EQ(empty(), 0x4ac05eca993431ecULL);
  // A key of the shape every run's noise stream uses: (master seed, identity hash, seed, stream).
  Rng noise = MakeRng({1, StableHash("clipsim"), 0, static_cast<std::uint64_t>(Stream::kNoise)});
  EXPECT_EQ(noise(), 0x178242f0ca32c43aULL);
  EXPECT_EQ(noise(), 0x9f6e985fec52fb78ULL);
}

// MakeRng computes seed_seq's output with its own fixed-size loop (core/src/rng.cpp, for speed):
// the generator must equal Boost's mt19937_64 seeded through boost::random::seed_seq from the same
// eight words, for keys of every length used (state compared whole, then 700 draws, past the
// first regeneration of the 312-word state).
TEST(Rng, MakeRngEqualsBoostSeedSeq) {
  for (std::uint64_t i = 0; i < 300; ++i) {
    std::vector<std::uint64_t> key;
    for (std::uint64_t j = 0; j < i % 6; ++j) key.push_back(Mix64(i * 7919 + j));
    std::uint64_t h = HashKey(key);
    std::array<std::uint32_t, 8> words{};
    for (std::size_t w = 0; w < words.size(); w += 2) {
      h = Mix64(h);
      words[w] = static_cast<std::uint32_t>(h);
      words[w + 1] = static_cast<std::uint32_t>(h >> 32);
    }
    boost::random::seed_seq seq(words.begin(), words.end());
    Rng reference(seq);
    Rng fast = MakeRng(key);
    ASSERT_TRUE(fast == reference) << "key " << i;
    for (int d = 0; d < 700; ++d) ASSERT_EQ(fast(), reference()) << "key " << i << ", draw " << d;
  }
}

// SeedRngs runs one key per vector lane (4, 8 or 16 lanes, by build): every generator of a batch
// must equal MakeRng of its key, state whole and 1000 draws, for batch sizes 1..40 (whole and
// partial passes at every lane count), keys of every length, and generators that were drawn from
// before (seeding resets them whole). Every output is compared, so one wrong lane fails.
TEST(Rng, SeedRngsEqualsMakeRng) {
  for (std::size_t count = 0; count <= 40; ++count) {
    std::vector<std::vector<std::uint64_t>> keys(count);
    std::vector<std::uint64_t> hashes;
    std::vector<Rng> out(count);
    std::vector<Rng*> rngs;
    for (std::size_t i = 0; i < count; ++i) {
      for (std::uint64_t j = 0; j < (count + i) % 6; ++j) {
        keys[i].push_back(Mix64(count * 97 + i + j));
      }
      hashes.push_back(HashKey(keys[i]));
      out[i].discard(i);
      rngs.push_back(&out[i]);
    }
    SeedRngs(hashes, rngs);
    for (std::size_t i = 0; i < count; ++i) {
      Rng expected = MakeRng(keys[i]);
      ASSERT_TRUE(out[i] == expected) << "batch of " << count << ", key " << i;
      for (int d = 0; d < 1000; ++d) {
        ASSERT_EQ(out[i](), expected()) << "batch of " << count << ", key " << i << ", draw " << d;
      }
    }
  }
}

// A key's generator does not depend on its lane or its neighbours: one key at every position of
// a batch of otherwise different keys gives one generator.
TEST(Rng, SeedRngsLaneDoesNotMatter) {
  constexpr std::size_t kCount = 33;
  const Rng expected = MakeRng({5, 6, 7});
  for (std::size_t at = 0; at < kCount; ++at) {
    std::vector<std::uint64_t> hashes;
    for (std::uint64_t i = 0; i < kCount; ++i) hashes.push_back(Mix64(i + 1000 * at));
    hashes[at] = HashKey(std::array<std::uint64_t, 3>{5, 6, 7});
    std::vector<Rng> out(kCount);
    std::vector<Rng*> rngs;
    for (Rng& r : out) rngs.push_back(&r);
    SeedRngs(hashes, rngs);
    ASSERT_TRUE(out[at] == expected) << "position " << at;
  }
}

TEST(Rng, UniformOpen01NeverHitsTheEnds) {
  EXPECT_GT(UniformOpen01(0), 0.0);
  EXPECT_LT(UniformOpen01(~std::uint64_t{0}), 1.0);
}

TEST(InputError, MessageNamesFileKeyValueAndRange) {
  InputError e("alpha", "3", "must be in (0, 2]", {"cfg.yaml", 4, 9});
  EXPECT_STREQ(e.what(), "cfg.yaml:4:9: 'alpha' = 3: must be in (0, 2]");
  EXPECT_EQ(e.key(), "alpha");
  InputError moved = InputError("bad", "x", "why").At({"f.yaml", 2, 0});
  EXPECT_STREQ(moved.what(), "f.yaml:2: 'bad' = x: why");
}

}  // namespace
}  // namespace clipsim
