// The sweep's circulating content buffers (sweep/src/buffer_pool.hpp): what is given back comes
// back empty with its capacity, within the bounds on count and bytes, from any thread.
#include "buffer_pool.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace clipsim::sweep::detail {
namespace {

TEST(BufferPool, GivesBackWhatWasGivenEmptyWithItsCapacity) {
  BufferPool pool(4, 1 << 20);
  EXPECT_TRUE(pool.Take().empty());  // nothing kept yet: a new string
  std::string a(1000, 'x');
  const std::size_t capacity = a.capacity();
  const char* storage = a.data();
  pool.Give(std::move(a));
  EXPECT_EQ(pool.kept(), 1u);
  std::string b = pool.Take();
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.capacity(), capacity);
  EXPECT_EQ(b.data(), storage);  // the same memory, not a copy
  EXPECT_EQ(pool.kept(), 0u);
}

TEST(BufferPool, KeepsAtMostItsCountAndBytes) {
  BufferPool by_count(2, 1 << 20);
  for (int i = 0; i < 5; ++i) by_count.Give(std::string(100, 'x'));
  EXPECT_EQ(by_count.kept(), 2u);
  BufferPool by_bytes(10, 1000);
  for (int i = 0; i < 5; ++i) by_bytes.Give(std::string(400, 'x'));
  EXPECT_EQ(by_bytes.kept(), 2u);  // a third would pass 1000 bytes of capacity
  // Taking one makes room again.
  by_bytes.Take();
  by_bytes.Give(std::string(400, 'x'));
  EXPECT_EQ(by_bytes.kept(), 2u);
}

TEST(BufferPool, CirculatesBetweenThreads) {
  // Workers take, fill and give, as the sweep's workers and committer do; under TSan/ASan this
  // also checks the locking. Every buffer taken is empty.
  BufferPool pool(8, 1 << 24);
  std::vector<std::thread> threads;
  std::vector<int> dirty(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&pool, &dirty, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string s = pool.Take();
        if (!s.empty()) ++dirty[static_cast<std::size_t>(t)];
        s.assign(static_cast<std::size_t>(100 + i % 50), 'a');
        pool.Give(std::move(s));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int d : dirty) EXPECT_EQ(d, 0);
  EXPECT_LE(pool.kept(), 8u);
  EXPECT_GE(pool.kept(), 1u);
}

}  // namespace
}  // namespace clipsim::sweep::detail
