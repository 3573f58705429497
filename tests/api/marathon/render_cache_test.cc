#include "api/marathon/render_cache.h"

#include <gtest/gtest.h>

namespace regatta::marathon {
namespace {

TEST(RenderCacheTest, AnswersABodyWhileTheViewStaysAtItsRevision) {
  RenderCache cache(8);
  EXPECT_EQ(cache.Find(5, "/web"), nullptr);
  cache.Store(5, "/web", "{\"app\":1}");
  const std::string* body = cache.Find(5, "/web");
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(*body, "{\"app\":1}");
  EXPECT_EQ(cache.Find(5, "/db"), nullptr);
}

TEST(RenderCacheTest, ForgetsEveryBodyWhenTheViewMoves) {
  RenderCache cache(8);
  cache.Store(5, "/web", "old");
  EXPECT_EQ(cache.Find(6, "/web"), nullptr);
  // Moving back is a move too: nothing rendered at 6 or before survives.
  cache.Store(6, "/web", "new");
  EXPECT_EQ(cache.Find(5, "/web"), nullptr);
  EXPECT_EQ(cache.Find(6, "/web"), nullptr);
}

TEST(RenderCacheTest, StartsOverWhenFull) {
  RenderCache cache(2);
  cache.Store(1, "a", "A");
  cache.Store(1, "b", "B");
  const std::string& c = cache.Store(1, "c", "C");
  EXPECT_EQ(c, "C");
  EXPECT_EQ(cache.Find(1, "a"), nullptr);
  EXPECT_EQ(cache.Find(1, "b"), nullptr);
  ASSERT_NE(cache.Find(1, "c"), nullptr);
}

}  // namespace
}  // namespace regatta::marathon
