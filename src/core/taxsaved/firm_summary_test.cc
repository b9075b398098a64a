#include "core/taxsaved/firm_summary.h"

#include <gtest/gtest.h>

namespace arbor::taxsaved {
namespace {

AccountSaving Saving(const char* id, int saved, double value, double years) {
  return {.account = id, .saved_or_deferred = Money::Units(saved),
          .saved_after_liquidation = Money::Units(saved / 2), .average_value = value,
          .years = years};
}

TEST(FirmSummaryTest, AssetAndAccountWeightedMedianAndQuartiles) {
  // Rates a year: 1%, 2%, 0.5%, -1% (a year that cost tax is kept, not dropped).
  std::vector<AccountSaving> accounts{Saving("A", 10000, 1e6, 1), Saving("B", 4000, 1e5, 2),
                                      Saving("C", 2500, 5e5, 1), Saving("D", -1000, 1e5, 1)};
  FirmSummary s = SummarizeFirm(accounts);
  EXPECT_EQ(s.accounts, 4u);
  EXPECT_EQ(s.saved_or_deferred, Money::Units(15500));
  EXPECT_DOUBLE_EQ(s.asset_years, 1.8e6);
  EXPECT_NEAR(s.saved_or_deferred_rate.asset_weighted, 15500 / 1.8e6, 1e-12);
  EXPECT_NEAR(s.saved_or_deferred_rate.account_weighted, (0.01 + 0.02 + 0.005 - 0.01) / 4, 1e-12);
  // Sorted -1%, 0.5%, 1%, 2%: median 0.75%, quartiles at positions 0.75 and 2.25.
  EXPECT_NEAR(s.saved_or_deferred_rate.median, 0.0075, 1e-12);
  EXPECT_NEAR(s.saved_or_deferred_rate.first_quartile, -0.01 + 0.75 * 0.015, 1e-12);
  EXPECT_NEAR(s.saved_or_deferred_rate.third_quartile, 0.01 + 0.25 * 0.01, 1e-12);
  EXPECT_EQ(s.saved_after_liquidation, Money::Units(7750));
}

TEST(FirmSummaryTest, EmptyBookIsAllZero) {
  FirmSummary s = SummarizeFirm({});
  EXPECT_EQ(s.accounts, 0u);
  EXPECT_EQ(s.saved_or_deferred_rate.median, 0);
}

}  // namespace
}  // namespace arbor::taxsaved
