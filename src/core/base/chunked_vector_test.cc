#include "core/base/chunked_vector.h"

#include <gtest/gtest.h>

#include <string>

namespace arbor {
namespace {

TEST(ChunkedVectorTest, AppendsAcrossChunksWithoutMovingElements) {
  ChunkedVector<std::string> v;
  EXPECT_TRUE(v.empty());
  v.push_back("first");
  const std::string* first = &v[0];
  const int n = 1984 + 1024 + 7;  // past the doubling chunks, into the second 1024-chunk
  for (int i = 1; i < n; ++i) v.push_back(std::to_string(i));
  EXPECT_EQ(first, &v[0]) << "growing must not move elements";
  EXPECT_EQ(v.size(), static_cast<size_t>(n));
  for (int i = 1; i < n; ++i) ASSERT_EQ(v[i], std::to_string(i));
  EXPECT_EQ(v.back(), std::to_string(n - 1));
  size_t count = 0;
  for (const std::string& s : v) count += !s.empty();
  EXPECT_EQ(count, static_cast<size_t>(n));
}

}  // namespace
}  // namespace arbor
