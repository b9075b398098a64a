// Filter::ToSql's text and parameters. That SQLite then selects exactly the rows Matches()
// does is checked on random rows and filters in adapters/storage/filter_sql_property_test.cc.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/workbench/filter.h"

namespace arbor::workbench {
namespace {

const FieldSchema kSchema{{{"score_bps", FieldType::kNumber},
                           {"advisor", FieldType::kText},
                           {"suspended", FieldType::kBoolean},
                           {"must_trade", FieldType::kBoolean}}};
const std::vector<std::string_view> kColumns = {"score_bps", "advisor", "status = 'suspended'",
                                                "must_trade"};

SqlWhere Sql(std::string_view text, int first_param = 1) {
  Result<Filter> filter = Filter::Parse(text, kSchema);
  EXPECT_TRUE(filter.ok()) << filter.status().message();
  return filter->ToSql(kColumns, first_param);
}

TEST(FilterSqlTest, LiteralsAreNumberedParametersNeverText) {
  const SqlWhere w = Sql("advisor = 'O''NEIL'' OR 1=1 --' and score_bps >= 25", 2);
  EXPECT_EQ(w.sql, "(advisor = ?2 AND score_bps >= ?3)");
  ASSERT_EQ(w.params.size(), 2u);
  EXPECT_EQ(std::get<std::string>(w.params[0]), "O'NEIL' OR 1=1 --");
  EXPECT_EQ(std::get<double>(w.params[1]), 25.0);
}

TEST(FilterSqlTest, StructureIsFullyParenthesized) {
  EXPECT_EQ(Sql("suspended or must_trade and score_bps > 1").sql,
            "((status = 'suspended') = 1 OR (must_trade = 1 AND score_bps > ?1))");
  EXPECT_EQ(Sql("not (suspended and must_trade)").sql,
            "NOT (((status = 'suspended') = 1 AND must_trade = 1))");
  EXPECT_EQ(Sql("score_bps != 3").sql, "score_bps <> ?1");
  EXPECT_EQ(Sql("suspended = false").sql, "(status = 'suspended') = ?1");
  EXPECT_EQ(std::get<bool>(Sql("suspended = false").params[0]), false);
}

TEST(FilterSqlTest, InListsBindEachItem) {
  const SqlWhere w = Sql("advisor not in ('a', 'b') or score_bps in (1, 2.5)");
  EXPECT_EQ(w.sql, "(advisor NOT IN (?1, ?2) OR score_bps IN (?3, ?4))");
  ASSERT_EQ(w.params.size(), 4u);
  EXPECT_EQ(std::get<std::string>(w.params[1]), "b");
  EXPECT_EQ(std::get<double>(w.params[3]), 2.5);
}

}  // namespace
}  // namespace arbor::workbench
