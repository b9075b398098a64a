// Asset location: the firm's preferences for which kind of account should hold what, turned into
// the location coefficients loc(a, i) of the household problem (section 4 of
// docs/rebalance-problem.md), where a negative loc prefers holding security i in account a.
//
//   LocationPolicy policy = DefaultLocationPolicy();   // what a firm gets until it sets its own
//   std::vector<SecurityFacts> securities = {
//       {.symbol = "AGG", .asset_class = "Core Bonds", .type = SecurityType::kEtf},
//       {.symbol = "AAPL", .asset_class = "US Large Cap", .sector = "Information Technology",
//        .product = models::ProductKind::kDirectIndex}};
//   Eigen::MatrixXd loc = LocationCoefficients(
//       policy, securities, {AccountType::kTaxable, AccountType::kTraditionalIra});
//   // loc(1, 0) == -0.002: bonds in the IRA; loc(0, 1) == -0.002: the direct index in taxable
//
// A rule matches one attribute of a security and gives, for each tax treatment of an account, the
// yearly benefit of holding it there as a fraction of its value (0.002 = 20 bps a year). The
// first rule that matches a security applies; a security no rule matches has no preference.
// loc(a, i) is minus that benefit, so the location term V_H * sum loc(a, i) w(a, i) is in dollars
// a year, like the optimizer's other terms: one year of benefit is weighed against one-time
// taxes and costs, which keeps the optimizer from realizing gains to relocate assets.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"
#include "core/ledger/account.h"
#include "core/market/security.h"
#include "core/models/asset_class_template.h"

namespace arbor::household {

// How an account's income and gains are taxed: every year (taxable), on withdrawal (traditional
// IRA, SEP, SIMPLE, 401k, 403b), or never (Roth IRA, Roth 401k, and an HSA spent on care).
enum class TaxTreatment { kTaxable, kTaxDeferred, kTaxExempt };
std::string_view ToString(TaxTreatment treatment);
Result<TaxTreatment> TaxTreatmentFromString(std::string_view text);  // taxable, tax_deferred, ...
TaxTreatment TaxTreatmentOf(AccountType type);

// The attribute a rule matches, compared exactly (type and product by their names).
enum class LocationMatch {
  kSymbol,      // "VNQ"
  kAssetClass,  // the template's class, "Core Bonds"
  kSector,      // GICS sector, "Real Estate"
  kType,        // security type: stock, etf, mutual_fund, adr, cash_equivalent
  kProduct,     // how the target holds it: etf, mutual_fund, direct_index, active_model, cash
};
std::string_view ToString(LocationMatch match);
Result<LocationMatch> LocationMatchFromString(std::string_view text);

struct LocationRule {
  LocationMatch match = LocationMatch::kAssetClass;
  std::string value;
  // The yearly benefit of holding the security in each kind of account, a fraction of its value;
  // higher is preferred, negative means "avoid".
  double taxable = 0;
  double tax_deferred = 0;
  double tax_exempt = 0;

  double BenefitIn(TaxTreatment treatment) const;
  friend bool operator==(const LocationRule&, const LocationRule&) = default;
};

struct LocationPolicy {
  std::vector<LocationRule> rules;  // the first match applies
};

// The default benefit of every default rule: 20 bps a year, of the order of published estimates
// of the yearly value of asset location (between roughly 0.1% and 0.5% of the portfolio).
inline constexpr double kDefaultLocationBenefit = 0.002;
// The largest benefit a rule may give, in either direction: 5% a year is beyond any tax saving.
inline constexpr double kMaxLocationBenefit = 0.05;

// The firm's policy until it sets its own (docs/households.md explains each rule):
// REITs (sector or class Real Estate) and taxable bonds (Core Bonds, Treasuries) in tax-deferred
// accounts; municipal bonds and direct-index equity in taxable ones; the highest expected-growth
// equity (US Small Cap, Emerging Markets) in tax-exempt ones.
LocationPolicy DefaultLocationPolicy();

// Values present and known (for type and product), each (match, value) once, benefits finite
// and within kMaxLocationBenefit. The message names the rule by position and text.
Status ValidateLocationPolicy(const LocationPolicy& policy);

// What the policy needs to know of a security.
struct SecurityFacts {
  std::string symbol;
  std::string asset_class;
  std::string sector;  // GICS
  SecurityType type = SecurityType::kStock;
  std::optional<models::ProductKind> product;  // absent for a holding outside the target
};

// The rule that applies to the security, or null.
const LocationRule* MatchingRule(const LocationPolicy& policy, const SecurityFacts& security);

// loc, one row per account and one column per security.
Eigen::MatrixXd LocationCoefficients(const LocationPolicy& policy,
                                     const std::vector<SecurityFacts>& securities,
                                     const std::vector<AccountType>& accounts);

// A rule as text, for the command line and listings:
//   "asset_class=Core Bonds: tax_deferred 0.002"
//   "product=direct_index: taxable 0.002, tax_exempt -0.001"
// Treatments not named have no benefit; at least one must be named.
std::string ToString(const LocationRule& rule);
Result<LocationRule> ParseLocationRule(std::string_view text);

}  // namespace arbor::household
