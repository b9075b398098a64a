#include "core/base/chunked_vector.h"

#include <gtest/gtest.h>

#include <string>

namespace arbor {
namespace {

TEST(ChunkedVectorTest, AppendsAcrossChunksWithoutMovingElements) {
  ChunkedVector<std::string, 4> v;
  EXPECT_TRUE(v.empty());
  v.push_back("first");
  const std::string* first = &v[0];
  for (int i = 1; i < 10; ++i) v.push_back(std::to_string(i));
  EXPECT_EQ(first, &v[0]) << "growing must not move elements";
  EXPECT_EQ(v.size(), 10u);
  EXPECT_EQ(v[9], "9");
  EXPECT_EQ(v.back(), "9");
  std::string joined;
  for (const std::string& s : v) joined += s + ",";
  EXPECT_EQ(joined, "first,1,2,3,4,5,6,7,8,9,");
}

}  // namespace
}  // namespace arbor
