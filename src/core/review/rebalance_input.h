// Everything the full rebalance of one account needs, as of one date, with no I/O: the
// securities it may hold with their prices, targets and restrictions; its open lots; the wash-
// sale activity of the taxpayer's other accounts; the client's tax rates; cash settings; trade
// sizes; the risk model rows. The storage layer fills it from the database
// (adapters/storage/rebalance_input_loader.h); tests build it by hand.
//
//   RebalanceInput input;
//   input.as_of = *Date::Parse("2020-03-20");
//   input.securities.push_back({.symbol = "AAPL", .price = *Price::Parse("229.24"),
//                               .target_weight = 0.5, .wash_sale_group = "AAPL"});
//   input.lots.push_back({.id = "#1", .symbol = "AAPL", .shares = Shares::Units(10), ...});
//   Result<Proposal> proposal = Rebalance(input);   // core/review/rebalance.h
//
// Money, shares and prices are the ledger's exact types; the optimizer's doubles are made from
// them in one place (account_model.cc) and trades are made exact again by rounding to share
// increments (trade_rounding.cc).
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/status.h"

namespace arbor::review {

// What the client or the firm allows the rebalance to do with a security.
enum class Restriction {
  kNone,
  kNoBuy,     // "don't buy IBM"
  kNoSell,    // "never sell the legacy AAPL position"
  kHold,      // neither buy nor sell
  kMustSell,  // screened out: sell every lot, buy none
};
std::string_view ToString(Restriction restriction);
// Case-insensitive: none, no_buy, no_sell, hold, must_sell.
Result<Restriction> RestrictionFromString(std::string_view text);

struct RebalanceSecurity {
  std::string symbol;
  Price price;               // the close on or before as_of
  double target_weight = 0;  // fraction of the account value V
  Restriction restriction = Restriction::kNone;
  bool fractional = true;  // false: whole shares only
  // Substantially identical securities share a key (SPY, IVV, VOO); never empty: a security
  // without a firm-defined group is its own group (its symbol).
  std::string wash_sale_group;
  std::vector<std::string> groups;  // names of drift groups it belongs to (e.g. its sector)
  double cost_rate = 0;             // fraction of traded dollars, both sides
};

// An open tax lot of the account being rebalanced. A wash-sale match can split a lot into sub-
// lots that keep its label; they are listed in the ledger's relief order (acquisition date, then
// creation), since a sale "versus" that label relieves them in that order.
struct RebalanceLot {
  std::string id;  // the ledger's lot label
  std::string symbol;
  Shares shares;
  Money basis;               // total cost basis, wash-sale adjustments included
  Date acquired;             // trade date
  Date holding_period_date;  // `acquired`, or earlier when a washed holding period was tacked
};

// A lot of the taxpayer (any account, this one included) acquired by purchase within the last
// 30 days and still held, so a loss sale today in its group would be washed by it
// (IRC 1091(a); IRS Pub. 550, "Wash Sales").
struct RecentPurchase {
  std::string wash_sale_group;
  std::string account;
  std::string symbol;
  std::string lot_id;
  Date acquired;
  bool tax_deferred = false;  // an IRA replacement disallows the loss for good (Rev. Rul. 2008-5)
};

// A reportable sale at a loss by the taxpayer within the last 30 days: a purchase in its group
// today would wash it.
struct RecentLossSale {
  std::string wash_sale_group;
  std::string account;
  std::string symbol;
  Date sold;
};

// Marginal rates of the client, as fractions. A realized gain pays the short- or long-term sum.
struct TaxRates {
  double federal_short_term = 0.37;
  double federal_long_term = 0.20;
  double state_short_term = 0;
  double state_long_term = 0;
  double net_investment_income = 0.038;  // NIIT, IRC 1411

  double ShortTerm() const { return federal_short_term + state_short_term + net_investment_income; }
  double LongTerm() const { return federal_long_term + state_long_term + net_investment_income; }
};

struct CashSettings {
  Money balance;     // cash in the account now
  Money withdrawal;  // to be paid out by this rebalance
  Money min;         // cash to keep after trading and the withdrawal (0: no overdraft)
  std::optional<Money> max;
};

// A drift group (an asset class, a GICS sector, ...): V * penalty * |sum of active weights| is
// added to the objective, and |active| <= max_active is enforced when given.
struct DriftGroup {
  std::string name;
  double penalty = 0;
  std::optional<double> max_active;
};

// Sigma = X F X' + diag(d), annualized, with rows aligned to RebalanceInput::securities.
struct RiskRows {
  Eigen::MatrixXd loadings;           // n x K
  Eigen::MatrixXd factor_covariance;  // K x K
  Eigen::VectorXd specific_variance;  // n
};

// Gains and losses realized so far in the tax year, for the before/after report.
struct RealizedGains {
  Money short_term_gains;   // >= 0
  Money short_term_losses;  // <= 0
  Money long_term_gains;
  Money long_term_losses;
  Money Net() const {
    return short_term_gains + short_term_losses + long_term_gains + long_term_losses;
  }
};

struct RebalanceInput {
  std::string account;
  Date as_of;
  bool tax_deferred = false;  // an IRA's sales realize nothing reportable: every r_j = 0

  std::vector<RebalanceSecurity> securities;  // held or targeted; each symbol once
  std::vector<RebalanceLot> lots;             // every open lot of the account
  std::vector<RecentPurchase> recent_purchases;
  std::vector<RecentLossSale> recent_loss_sales;

  TaxRates tax_rates;
  CashSettings cash;
  Money min_trade;                                         // no order below this, in dollars
  Shares fractional_increment = Shares::FromMicros(1000);  // 0.001 shares for fractional names
  std::optional<Money> tax_budget;                         // net tax dollars this rebalance may owe

  double risk_aversion = 0;
  RiskRows risk;
  std::vector<DriftGroup> groups;

  RealizedGains realized_this_year;
  std::vector<std::string> notes;  // what the loader assumed (default targets, ...), passed on
};

// Checks the input: every lot's symbol is a security, symbols unique, prices positive, weights
// in [0, 1] summing to at most 1, rates in [0, 1), risk rows sized n, group names known,
// increments positive. Messages name the field ("lots[#3].symbol: unknown symbol 'XYZ'").
Status ValidateRebalanceInput(const RebalanceInput& input);

}  // namespace arbor::review
