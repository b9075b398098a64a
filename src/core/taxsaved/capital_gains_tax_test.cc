#include "core/taxsaved/capital_gains_tax.h"

#include <gtest/gtest.h>

#include "core/taxsaved/test_profile.h"

namespace arbor::taxsaved {
namespace {

TEST(CapitalGainsTaxTest, GainsTaxedByCharacter) {
  YearTax y = ComputeYearTax(TestProfile(), {.short_term = 10000, .long_term = 20000}, {});
  EXPECT_NEAR(y.tax, 10000 * 0.458 + 20000 * 0.288, 1e-6);
  EXPECT_EQ(y.ordinary_offset, 0);
}

// IRC 1411: the 3.8% NIIT applies to net gains (the client above the threshold).
TEST(CapitalGainsTaxTest, NiitAddsToTheRateOfNetGains) {
  CapitalGainsTaxProfile without = TestProfile();
  without.rates.net_investment_income = 0;
  double with_niit = ComputeYearTax(TestProfile(), {.long_term = 10000}, {}).tax;
  double without_niit = ComputeYearTax(without, {.long_term = 10000}, {}).tax;
  EXPECT_NEAR(with_niit - without_niit, 380, 1e-6);
}

// Pub. 550 "Figuring net gain or loss": a net short-term loss reduces a net long-term gain.
TEST(CapitalGainsTaxTest, ShortTermLossNetsAgainstLongTermGain) {
  YearTax y = ComputeYearTax(TestProfile(), {.short_term = -4000, .long_term = 10000}, {});
  EXPECT_NEAR(y.taxable_long_term, 6000, 1e-9);
  EXPECT_NEAR(y.tax, 6000 * 0.288, 1e-6);
}

// IRC 1211(b), Pub. 550 "Limit on deduction": at most $3,000 of net loss offsets ordinary
// income; IRC 1212(b): the rest carries forward, here short-term.
TEST(CapitalGainsTaxTest, ThreeThousandOffsetAndShortTermCarryforward) {
  YearTax y = ComputeYearTax(TestProfile(), {.short_term = -8000, .long_term = 2000}, {});
  EXPECT_NEAR(y.ordinary_offset, 3000, 1e-9);
  EXPECT_NEAR(y.tax, -3000 * 0.458, 1e-6);
  EXPECT_NEAR(y.carry_out.short_term, 3000, 1e-9);
  EXPECT_NEAR(y.carry_out.long_term, 0, 1e-9);
}

// IRC 1212(b)(2) (Pub. 550 "Capital Loss Carryover" worksheet): the $3,000 offset uses the
// short-term loss first; the long-term loss keeps its character.
TEST(CapitalGainsTaxTest, CarryforwardKeepsItsCharacter) {
  YearTax y = ComputeYearTax(TestProfile(), {.short_term = -1000, .long_term = -10000}, {});
  EXPECT_NEAR(y.carry_out.short_term, 0, 1e-9);
  EXPECT_NEAR(y.carry_out.long_term, 8000, 1e-9);
}

// IRC 1212(b)(1): a long-term carryover is a long-term loss of the next year: it absorbs that
// year's long-term gain, then nets against its short-term gain.
TEST(CapitalGainsTaxTest, CarryforwardUsedTheNextYear) {
  YearTax y = ComputeYearTax(TestProfile(), {.short_term = 4000, .long_term = 5000},
                             {.long_term = 8000});
  EXPECT_NEAR(y.taxable_short_term, 1000, 1e-9);
  EXPECT_NEAR(y.tax, 1000 * 0.458, 1e-6);
  EXPECT_NEAR(y.carry_out.long_term + y.carry_out.short_term, 0, 1e-9);
}

// IRC 1211(b)(1): $1,500 for a married individual filing a separate return.
TEST(CapitalGainsTaxTest, MarriedFilingSeparatelyOffsetIsHalf) {
  CapitalGainsTaxProfile separate = TestProfile();
  separate.loss_offset_limit = 1500;
  YearTax y = ComputeYearTax(separate, {.short_term = -5000}, {});
  EXPECT_NEAR(y.tax, -1500 * 0.458, 1e-6);
  EXPECT_NEAR(y.carry_out.short_term, 3500, 1e-9);
}

// The liability of liquidating: the year's tax with the unrealized gains minus without them,
// using the year's own losses first.
TEST(CapitalGainsTaxTest, LiquidationTaxIsIncremental) {
  double liability = LiquidationTax(TestProfile(), {.short_term = -5000}, {.long_term = 20000}, {});
  EXPECT_NEAR(liability, 15000 * 0.288 + 3000 * 0.458, 1e-6);
}

}  // namespace
}  // namespace arbor::taxsaved
