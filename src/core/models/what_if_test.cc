#include "core/models/what_if.h"

#include <gtest/gtest.h>

namespace arbor::models {
namespace {

Customization Current() {
  return {.account = "A",
          .template_name = "Balanced 60/40",
          .removals = {{.asset_class = "Emerging Markets"}},
          .weights = {{.asset_class = "US Large Cap", .weight = 0.40}},
          .products = {{.asset_class = "US Large Cap", .product = "SP500-DI"}},
          .screens = {"tobacco"}};
}

TEST(WhatIfTest, AnEmptyChangeKeepsTheCustomization) {
  const Customization after = ApplyChange(Current(), {});
  EXPECT_TRUE(CustomizationChange{}.empty());
  EXPECT_EQ(after.template_name, "Balanced 60/40");
  EXPECT_EQ(after.removals.size(), 1u);
  EXPECT_EQ(after.weights.size(), 1u);
  EXPECT_EQ(after.products.size(), 1u);
  EXPECT_EQ(after.screens, std::vector<std::string>{"tobacco"});
}

TEST(WhatIfTest, ScreensAreAddedAndTakenAwayOnce) {
  const Customization after = ApplyChange(
      Current(), {.add_screens = {"fossil_fuels", "tobacco", "alcohol"}, .remove_screens = {}});
  EXPECT_EQ(after.screens, (std::vector<std::string>{"alcohol", "fossil_fuels", "tobacco"}));
  const Customization fewer = ApplyChange(after, {.remove_screens = {"tobacco"}});
  EXPECT_EQ(fewer.screens, (std::vector<std::string>{"alcohol", "fossil_fuels"}));
}

TEST(WhatIfTest, AClassEntryIsReplacedNotDuplicated) {
  const Customization after = ApplyChange(
      Current(), {.weights = {{.asset_class = "US Large Cap", .weight = 0.45}},
                  .products = {{.asset_class = "US Large Cap", .product = "SPY"}}});
  ASSERT_EQ(after.weights.size(), 1u);
  EXPECT_EQ(after.weights[0].weight, 0.45);
  ASSERT_EQ(after.products.size(), 1u);
  EXPECT_EQ(after.products[0].product, "SPY");
}

TEST(WhatIfTest, RemovingAClassDropsItsWeightAndProductAndRestoringBringsItBack) {
  const Customization removed =
      ApplyChange(Current(), {.removals = {{.asset_class = "US Large Cap",
                                            .rule = Redistribution::kToClass,
                                            .to_class = "US Mid Cap"}}});
  EXPECT_EQ(removed.removals.size(), 2u);
  EXPECT_TRUE(removed.weights.empty());
  EXPECT_TRUE(removed.products.empty());
  const Customization restored = ApplyChange(removed, {.restore_classes = {"Emerging Markets"}});
  ASSERT_EQ(restored.removals.size(), 1u);
  EXPECT_EQ(restored.removals[0].asset_class, "US Large Cap");
}

TEST(WhatIfTest, TheSummaryCountsSalesGainsByTermAndTheMetrics) {
  review::Proposal p;
  p.account_value = 100'000;
  review::Trade sell{.symbol = "MO", .side = review::TradeSide::kSell,
                     .amount = Money::Units(3'000)};
  sell.lots.push_back({.proceeds = Money::Units(1'000), .basis = Money::Units(600),
                       .term = Term::kShort});
  sell.lots.push_back({.proceeds = Money::Units(2'000), .basis = Money::Units(2'500),
                       .term = Term::kLong});
  review::Trade buy{.symbol = "KO", .side = review::TradeSide::kBuy,
                    .amount = Money::Units(2'500)};
  p.trades = {sell, buy};
  p.before.tracking_error = 0.021;
  p.after.tracking_error = 0.004;
  p.after.tax = Money::Units(148);
  p.score.total_dollars = 310;

  const WhatIfSummary s = SummarizeProposal(p);
  EXPECT_EQ(s.trades, 2);
  EXPECT_DOUBLE_EQ(s.sold_fraction, 0.03);
  EXPECT_DOUBLE_EQ(s.bought_fraction, 0.025);
  EXPECT_EQ(s.short_term_gains, Money::Units(400));
  EXPECT_EQ(s.long_term_gains, Money::Units(-500));
  EXPECT_EQ(s.tax, Money::Units(148));
  EXPECT_EQ(s.tracking_error_before, 0.021);
  EXPECT_EQ(s.tracking_error_after, 0.004);
  EXPECT_EQ(s.score_dollars, 310);
}

}  // namespace
}  // namespace arbor::models
