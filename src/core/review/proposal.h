// A rebalance proposal for one account (docs/rebalance-problem.md section 3): the trades (buys
// by security, sells by lot "versus purchase"), the reason for each, the account before and
// after, the cost-benefit score, and every constraint relaxed with why.
//
//   Proposal p = Rebalance(input).value();
//   for (const Trade& t : p.trades) ...            // t.reason: harvest, drift, restriction, ...
//   p.score.total_dollars;                         // objective(no trade) - objective(proposal)
//   p.score.BasisPoints(p.score.dollars.tax);      // a component in bps of the account value
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/ledger/holding_period.h"
#include "core/optimize/problem.h"
#include "core/review/controls.h"
#include "core/review/lot_tax.h"
#include "core/review/rebalance_input.h"

namespace arbor::review {

enum class TradeSide { kBuy, kSell };
std::string_view ToString(TradeSide side);

enum class TradeReason {
  kHarvest,      // a sale that realizes a deductible loss, or a buy that replaces its exposure
  kDrift,        // back toward the targets
  kRestriction,  // a must-sell (screened) security
  kCash,         // raising the cash minimum or a withdrawal
  kModelChange,  // a security left the targets (sell) or joined them (first buy)
};
std::string_view ToString(TradeReason reason);

// One lot of a sell order: the "versus purchase" instruction and what it realizes.
struct LotSale {
  std::string lot_id;
  Date acquired;
  Date holding_period_date;
  Shares shares;
  Money proceeds;  // shares x price
  Money basis;     // the lot's basis prorated by shares, as the ledger relieves it
  Term term = Term::kShort;
  WashStatus wash = WashStatus::kClear;  // kDeferred: the loss would be washed (no benefit now)
  Money Gain() const { return proceeds - basis; }
};

struct Trade {
  std::string symbol;
  TradeSide side = TradeSide::kBuy;
  Shares shares;
  Price price;
  Money amount;  // shares x price
  Money cost;    // estimated trading cost
  TradeReason reason = TradeReason::kDrift;
  std::string why;            // one line for people
  std::vector<LotSale> lots;  // sells only
};

// The account at one moment. `realized` is the tax year so far (after: including the proposal);
// `tax` and `cost` are those of the proposal (0 before).
struct AccountMetrics {
  double tracking_error = 0;  // annualized, ex ante, against the targets
  Money cash;
  RealizedGains realized;
  Money tax;
  Money cost;
  optimize::ObjectiveTerms objective;  // dollars
};

struct GroupDrift {
  std::string name;
  double active_before = 0;  // sum of (weight - target) over the group
  double active_after = 0;
};

// objective(no trade) - objective(proposal), by component: positive is better.
struct CostBenefit {
  optimize::ObjectiveTerms dollars;
  double total_dollars = 0;
  double account_value = 0;  // V
  double BasisPoints(double amount) const {
    return account_value > 0 ? 1e4 * amount / account_value : 0;
  }
};

struct WashSaleNote {
  std::string group;
  Direction direction = Direction::kFree;
  std::string why;
};

struct Proposal {
  std::string account;
  Date as_of;
  double account_value = 0;   // V, after the withdrawal
  std::vector<Trade> trades;  // sells first, then buys; each by symbol
  AccountMetrics before, after;
  std::vector<GroupDrift> group_drift;
  CostBenefit score;
  std::vector<Relaxation> relaxations;
  std::vector<WashSaleNote> wash_sales;  // directions fixed, buys blocked, losses washed
  std::vector<std::string> notes;
  int solves = 0;
  double solve_seconds = 0;
};

}  // namespace arbor::review
