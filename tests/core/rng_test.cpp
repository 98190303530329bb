#include "clipsim/core/rng.hpp"

#include <gtest/gtest.h>

#include <set>

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

TEST(Rng, StableHashIsFixed) {
  // Cells are identified on disk by this hash: changing it orphans every existing sweep.
  EXPECT_EQ(StableHash("clipsim"), StableHash("clipsim"));
  EXPECT_NE(StableHash("a"), StableHash("b"));
  constexpr std::uint64_t h = StableHash("");
  static_assert(h == Mix64(0xcbf29ce484222325ULL));
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
