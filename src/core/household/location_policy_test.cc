#include "core/household/location_policy.h"

#include <gtest/gtest.h>

namespace arbor::household {
namespace {

using models::ProductKind;

const std::vector<AccountType> kAccounts = {AccountType::kTaxable, AccountType::kTraditionalIra,
                                            AccountType::kRothIra};
constexpr Eigen::Index kTaxable = 0, kIra = 1, kRoth = 2;

SecurityFacts Fund(std::string symbol, std::string asset_class) {
  return {.symbol = std::move(symbol),
          .asset_class = std::move(asset_class),
          .type = SecurityType::kEtf,
          .product = ProductKind::kEtf};
}

TEST(LocationPolicyTest, TaxTreatmentOfEveryAccountType) {
  EXPECT_EQ(TaxTreatmentOf(AccountType::kTaxable), TaxTreatment::kTaxable);
  for (AccountType type : {AccountType::kTraditionalIra, AccountType::kSepIra,
                           AccountType::kSimpleIra, AccountType::k401k, AccountType::k403b}) {
    EXPECT_EQ(TaxTreatmentOf(type), TaxTreatment::kTaxDeferred) << ToString(type);
  }
  for (AccountType type : {AccountType::kRothIra, AccountType::kRoth401k, AccountType::kHsa}) {
    EXPECT_EQ(TaxTreatmentOf(type), TaxTreatment::kTaxExempt) << ToString(type);
  }
}

// Interest on taxable bonds is ordinary income every year in a taxable account (IRS Publication
// 550, "Taxable Interest"), and REIT dividends are not qualified dividends (Publication 550,
// "Qualified Dividends": dividends from a real estate investment trust are excluded), so both
// prefer a tax-deferred account: loc is -20 bps a year in the IRA, 0 elsewhere.
TEST(LocationPolicyTest, BondsAndReitsPreferTaxDeferred) {
  const Eigen::MatrixXd loc = LocationCoefficients(DefaultLocationPolicy(),
                                                   {Fund("AGG", "Core Bonds"),
                                                    Fund("TLT", "Treasuries"),
                                                    Fund("VNQ", "Real Estate"),
                                                    {.symbol = "PLD",
                                                     .asset_class = "US Large Cap",
                                                     .sector = "Real Estate",
                                                     .product = ProductKind::kDirectIndex}},
                                                   kAccounts);
  ASSERT_EQ(loc.rows(), 3);
  ASSERT_EQ(loc.cols(), 4);
  for (Eigen::Index i = 0; i < 4; ++i) {
    EXPECT_EQ(loc(kIra, i), -kDefaultLocationBenefit) << i;
    EXPECT_EQ(loc(kTaxable, i), 0) << i;
    EXPECT_EQ(loc(kRoth, i), 0) << i;
  }
}

// Municipal bond interest is exempt from federal income tax (Publication 550, "Tax-Exempt
// Interest"): inside an IRA the lower muni yield buys nothing, so munis belong in taxable. A
// direct index earns its keep by harvesting losses, and a loss inside an IRA is never deductible
// (its sales report no gain or loss), so direct-index equity prefers taxable too.
TEST(LocationPolicyTest, MunisAndDirectIndexesPreferTaxable) {
  const Eigen::MatrixXd loc = LocationCoefficients(DefaultLocationPolicy(),
                                                   {Fund("MUB", "Municipal Bonds"),
                                                    {.symbol = "AAPL",
                                                     .asset_class = "US Large Cap",
                                                     .sector = "Information Technology",
                                                     .product = ProductKind::kDirectIndex}},
                                                   kAccounts);
  EXPECT_EQ(loc(kTaxable, 0), -kDefaultLocationBenefit);
  EXPECT_EQ(loc(kTaxable, 1), -kDefaultLocationBenefit);
  EXPECT_EQ(loc(kIra, 1), 0);
  EXPECT_EQ(loc(kRoth, 1), 0);
}

// Growth in a Roth is never taxed, so the assets expected to grow most gain most there.
TEST(LocationPolicyTest, HighGrowthEquityPrefersRothAndTheRestHasNoPreference) {
  const Eigen::MatrixXd loc = LocationCoefficients(
      DefaultLocationPolicy(),
      {Fund("IWM", "US Small Cap"), Fund("VWO", "Emerging Markets"), Fund("SPY", "US Large Cap")},
      {AccountType::kRoth401k, AccountType::kHsa, AccountType::k401k});
  EXPECT_EQ(loc(0, 0), -kDefaultLocationBenefit);
  EXPECT_EQ(loc(1, 1), -kDefaultLocationBenefit);
  EXPECT_EQ(loc(2, 0), 0);
  EXPECT_EQ(loc.col(2).norm(), 0);  // an S&P 500 ETF: no rule matches
}

TEST(LocationPolicyTest, TheFirstMatchingRuleApplies) {
  LocationPolicy policy{
      .rules = {*ParseLocationRule("symbol=VNQ: taxable 0.001"),
                *ParseLocationRule("asset_class=Real Estate: tax_deferred 0.003")}};
  ASSERT_TRUE(ValidateLocationPolicy(policy).ok());
  const Eigen::MatrixXd loc = LocationCoefficients(
      policy, {Fund("VNQ", "Real Estate"), Fund("IYR", "Real Estate")}, kAccounts);
  EXPECT_EQ(loc(kTaxable, 0), -0.001);
  EXPECT_EQ(loc(kIra, 0), 0);
  EXPECT_EQ(loc(kIra, 1), -0.003);
  EXPECT_EQ(MatchingRule(policy, Fund("AGG", "Core Bonds")), nullptr);
}

TEST(LocationPolicyTest, RulesReadAndPrintAsText) {
  Result<LocationRule> rule =
      ParseLocationRule(" product = direct_index : taxable 0.002, tax_exempt -0.001 ");
  ASSERT_TRUE(rule.ok()) << rule.status().message();
  EXPECT_EQ(rule->match, LocationMatch::kProduct);
  EXPECT_EQ(rule->value, "direct_index");
  EXPECT_EQ(rule->taxable, 0.002);
  EXPECT_EQ(rule->tax_exempt, -0.001);
  EXPECT_EQ(ToString(*rule), "product=direct_index: taxable 0.002, tax_exempt -0.001");
  EXPECT_EQ(*ParseLocationRule(ToString(*rule)), *rule);
  for (const LocationRule& r : DefaultLocationPolicy().rules) {
    EXPECT_EQ(*ParseLocationRule(ToString(r)), r) << ToString(r);
  }
  EXPECT_EQ(ToString(*ParseLocationRule("symbol=X: none")), "symbol=X: none");
}

TEST(LocationPolicyTest, BadRulesAreRejectedWithTheirText) {
  EXPECT_EQ(ParseLocationRule("Core Bonds").status().message(),
            "location rule 'Core Bonds': expected MATCH=VALUE: TREATMENT BENEFIT[, ...], e.g. "
            "'asset_class=Core Bonds: tax_deferred 0.002'");
  EXPECT_NE(ParseLocationRule("class=Bonds: taxable 0.1")
                .status()
                .message()
                .find("unknown location match 'class'"),
            std::string::npos);
  EXPECT_NE(ParseLocationRule("asset_class=Bonds: ira 0.1")
                .status()
                .message()
                .find("unknown tax treatment 'ira'"),
            std::string::npos);
  EXPECT_NE(ParseLocationRule("asset_class=Bonds: taxable 2bps")
                .status()
                .message()
                .find("'2bps' is not a number"),
            std::string::npos);
  EXPECT_FALSE(ParseLocationRule("asset_class=Bonds: taxable 1, taxable 2").ok());
  EXPECT_FALSE(ParseLocationRule("asset_class=Bonds:").ok());

  EXPECT_EQ(ValidateLocationPolicy({.rules = {*ParseLocationRule("type=bond: taxable 0.001")}})
                .message()
                .find("location rule 1 (type=bond: taxable 0.001): unknown"),
            0u);
  EXPECT_NE(ValidateLocationPolicy({.rules = {*ParseLocationRule("symbol=X: taxable 0.2")}})
                .message()
                .find("taxable: a yearly benefit must be within +-0.05 of the value, got 0.2"),
            std::string::npos);
  EXPECT_NE(ValidateLocationPolicy({.rules = {*ParseLocationRule("symbol=X: taxable 0.001"),
                                              *ParseLocationRule("symbol=X: tax_exempt 0.001")}})
                .message()
                .find("location rule 2 (symbol=X: tax_exempt 0.001): an earlier rule matches"),
            std::string::npos);
  EXPECT_TRUE(ValidateLocationPolicy(DefaultLocationPolicy()).ok());
}

}  // namespace
}  // namespace arbor::household
