#include "core/models/model_diff.h"

#include <gtest/gtest.h>

namespace arbor::models {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

TEST(ModelDiffTest, SecurityModelsByLargestChangeWithTurnover) {
  const SecurityModel v1{.name = "M", .version = 1, .effective = D("2021-01-04"),
                         .weights = {{"AAA", 0.5}, {"BBB", 0.3}, {"CCC", 0.2}}};
  const SecurityModel v2{.name = "M", .version = 2, .effective = D("2021-04-01"),
                         .weights = {{"AAA", 0.5}, {"BBB", 0.2}, {"DDD", 0.3}}};
  const SecurityModelDiff d = DiffSecurityModels(v1, v2);
  ASSERT_EQ(d.changes.size(), 3u);  // AAA is unchanged
  EXPECT_EQ(d.changes[0].name, "DDD");
  EXPECT_EQ(d.changes[1].name, "CCC");
  EXPECT_EQ(d.changes[2].name, "BBB");
  EXPECT_EQ(d.added, 1);
  EXPECT_EQ(d.removed, 1);
  EXPECT_NEAR(d.turnover, 0.3, 1e-15);  // (0.1 + 0.2 + 0.3) / 2
}

Template Mix(int version, double equity) {
  Template t{.name = "B", .version = version, .effective = D("2021-01-04")};
  t.classes = {{.name = "Equity", .weight = equity},
               {.name = "Bonds", .weight = 1 - equity, .products = {{"AGG", ProductKind::kEtf, "AGG"}},
                .default_product = "AGG"},
               {.name = "US", .parent = "Equity", .weight = 1,
                .products = {{"SPY", ProductKind::kEtf, "SPY"}, {"DI", ProductKind::kDirectIndex, "SP500"}},
                .default_product = "SPY"}};
  return t;
}

TEST(ModelDiffTest, ATacticalShiftMovesLeafWeights) {
  Template after = Mix(2, 0.7);
  after.classes[2].default_product = "DI";
  const TemplateDiff d = DiffTemplates(Mix(1, 0.6), after);
  ASSERT_EQ(d.changes.size(), 2u);
  EXPECT_EQ(d.changes[0].asset_class, "Bonds");  // ties keep name order
  EXPECT_NEAR(d.changes[0].before, 0.4, 1e-15);
  EXPECT_NEAR(d.changes[0].after, 0.3, 1e-15);
  EXPECT_EQ(d.changes[1].asset_class, "US");
  EXPECT_EQ(d.changes[1].product_before, "SPY");
  EXPECT_EQ(d.changes[1].product_after, "DI");
  EXPECT_NEAR(d.turnover, 0.1, 1e-15);
}

TEST(ModelDiffTest, TargetTurnoverCountsCash) {
  Resolution a, b;
  a.targets = {{"SPY", 0.6}, {"AGG", 0.38}};
  a.cash_weight = 0.02;
  b.targets = {{"SPY", 0.66}, {"AGG", 0.34}};
  b.cash_weight = 0;
  EXPECT_NEAR(TargetTurnover(a, b), 0.06, 1e-15);  // (0.06 + 0.04 + 0.02) / 2
}

}  // namespace
}  // namespace arbor::models
