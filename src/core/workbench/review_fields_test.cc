#include "core/workbench/review_fields.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace arbor::workbench {
namespace {

TEST(ReviewFieldsTest, EveryFieldParsesAloneOrInAComparison) {
  const FieldSchema schema = ReviewFieldSchema();
  std::set<std::string_view> names;
  for (const ReviewField& f : ReviewFields()) {
    EXPECT_TRUE(names.insert(f.name).second) << "twice: " << f.name;
    EXPECT_FALSE(f.sql.empty() || f.description.empty()) << f.name;
    const std::string text = f.type == FieldType::kBoolean  ? std::string(f.name)
                             : f.type == FieldType::kNumber ? std::string(f.name) + " >= 0"
                                                            : std::string(f.name) + " = ''";
    EXPECT_TRUE(Filter::Parse(text, schema).ok()) << text;
  }
  EXPECT_EQ(schema.fields.size(), ReviewFields().size());
  EXPECT_EQ(ReviewFieldSql().size(), ReviewFields().size());
}

TEST(ReviewFieldsTest, EveryFlagIsABooleanField) {
  for (std::string_view flag : ReviewFlags()) {
    const ReviewField* field = FindReviewField(flag);
    ASSERT_NE(field, nullptr) << flag;
    EXPECT_EQ(field->type, FieldType::kBoolean) << flag;
  }
  EXPECT_EQ(FindReviewField("harvest")->sql,
            "CASE WHEN instr(flags, 'harvest') = 0 THEN 0 "
            "ELSE instr(',' || flags || ',', ',harvest,') > 0 END");
  EXPECT_EQ(FindReviewField("must_trade")->sql, "must_trade");  // the column, not the flag
  EXPECT_EQ(FindReviewField("suspended")->sql, "status = 'suspended'");
  EXPECT_EQ(FindReviewField("scor_bps"), nullptr);
}

}  // namespace
}  // namespace arbor::workbench
