// The tax-alpha backtest (docs/backtest.md): a direct index funded with cash on the first day,
// replayed day by day on real prices through the real engine (the full account rebalance and
// the tax-lot ledger with its wash sales), beside the tax-blind index portfolio and the plain
// monthly harvesting rule (strategies.h), all three through one Ledger as three taxpayers.
//
//   BacktestMarket market = LoadBacktestMarket(...).value();   // adapters/backtest
//   Result<BacktestResult> result = RunBacktest(market, {.frequency = ReviewFrequency::kDaily},
//       [](const BacktestProgress& p) { ... p.day, p.days ... });
//   result->strategies[1].metrics.tax_alpha_pre_reference;   // the optimizer's, at 35%/15%
//
// Each day: splits and dividends by ex-date; the index's reconstitution when one takes effect;
// names whose prices ended are paid out at their last close; then the reviews (every day,
// week's first or month's first trading day, and the days a new index takes effect) and the
// monthly rule's month ends and buy-backs.
// The risk model is estimated on day 0 and then every `risk_model_months` months, never daily.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/backtest/backtest_input.h"
#include "core/backtest/metrics.h"
#include "core/backtest/strategies.h"

namespace arbor::backtest {

struct StrategyResult {
  std::string name;  // "index", "optimizer", "monthly rule"
  StrategyPath path;
  StrategyMetrics metrics;
};

struct BacktestResult {
  Date from, to;
  int days = 0;
  int reviews = 0;
  int names = 0;  // members of the index on day 0 with a price
  int risk_models = 0;
  OptimizerStats optimizer;
  int monthly_harvests = 0;                // (name, month end) pairs the rule sold at a loss
  std::vector<StrategyResult> strategies;  // index, optimizer, monthly rule
};

struct BacktestProgress {
  int day = 0;  // days done
  int days = 0;
  int rebalances = 0;
};

Result<BacktestResult> RunBacktest(
    const BacktestMarket& market, const BacktestOptions& options,
    const std::function<void(const BacktestProgress&)>& progress = {});

// Whether `day` is a review day at this frequency: day 0, and the first trading day of each
// week (Monday-based) or month.
bool IsReviewDay(const std::vector<Date>& days, int day, ReviewFrequency frequency);

}  // namespace arbor::backtest
