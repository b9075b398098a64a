// The three portfolios a backtest runs side by side, each on its own PortfolioBook:
//  - the tax-blind index portfolio: holds the index, sells what leaves it (first in, first out),
//    and invests its cash toward the index weights;
//  - the optimizer: the full account rebalance (core/review/rebalance.h) at every review, with
//    the client's rates, the wash-sale rule and the risk model;
//  - the plain monthly rule: at each month's last trading day it sells every lot at a loss
//    (except in names bought in the 30 days before, whose loss the wash-sale rule would
//    disallow), parks the proceeds in the other names it holds, pro rata to their value, and
//    after `park_days` sells the parking lots and buys the harvested names back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/backtest/backtest_input.h"
#include "core/backtest/portfolio_book.h"
#include "core/market/risk_model.h"
#include "core/review/rebalance.h"

namespace arbor::backtest {

// The index on one day: weight by symbol (0 outside it), and its members with a price.
struct DayTargets {
  std::vector<double> weight;
  std::vector<int> members;
};

// Sells names outside the targets; with `retarget` (the index's reconstitution days) also sells
// the excess of names more than `band` above their weight, first in first out, so the index's
// new names are funded; invests cash (all of it when it is at least `min_cash_share` of the
// value, or when retargeting) toward the targets, underweights first, skipping `blocked` names
// and buys below `min_buy` dollars. `entrants_only`: buys only names not held (the monthly rule
// between month ends, which leaves its cash for the month end).
struct FollowOptions {
  double min_cash_share = 0.0025;
  double min_buy = 1;
  bool entrants_only = false;
  bool retarget = false;
  double band = 0.02;  // of the name's target
  // How the retargeting sales relieve lots: the index is tax-blind (first in, first out); the
  // monthly rule sells highest cost first, so that its parking lots go before its oldest gains.
  LotMethod lot_method = LotMethod::kFifo;
};
Status FollowIndex(PortfolioBook& book, int day, const DayTargets& targets,
                   const std::vector<bool>& blocked, const FollowOptions& options);

// The full rebalance of the optimizer's book on `day`. Counts and times what it solved.
struct OptimizerStats {
  int rebalances = 0;
  int failures = 0;
  std::string first_failure;
  int trades = 0;
};
Status RebalanceWithOptimizer(PortfolioBook& book, int day, const DayTargets& targets,
                              const RiskModel& risk, const BacktestMarket& market,
                              const BacktestOptions& options, OptimizerStats* stats);

// The monthly rule's state: what is parked and what to buy back when.
class MonthlyHarvestRule {
 public:
  MonthlyHarvestRule(const BacktestMarket& market, const BacktestOptions& options)
      : market_(market), options_(options), awaiting_(market.symbol_count(), false) {}

  // The month's last trading day: harvest and park.
  Status HarvestAndPark(PortfolioBook& book, int day);
  // Any parking due on or before the day: sell the parking lots, buy back.
  Status BuyBack(PortfolioBook& book, int day);
  // Names sold at a loss and not bought back yet: not to be bought by anything else.
  const std::vector<bool>& awaiting() const { return awaiting_; }
  int harvests() const { return harvests_; }

 private:
  struct Parking {
    Date due;
    std::vector<std::pair<int, double>> buy_back;   // (symbol, dollars harvested)
    std::vector<std::pair<int, std::string>> lots;  // (symbol, lot label)
  };

  const BacktestMarket& market_;
  const BacktestOptions& options_;
  std::vector<bool> awaiting_;
  std::vector<Parking> parked_;
  int next_label_ = 1;
  int harvests_ = 0;
};

}  // namespace arbor::backtest
