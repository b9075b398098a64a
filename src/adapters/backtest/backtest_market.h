// The backtest's market (core/backtest/backtest_input.h) from ../shared/data: the S&P 500
// names of the AlphaVantage daily files with their raw closes, splits and dividends, laid on
// SPY's trading calendar by the demo's MarketTape; the cap-weighted index rebuilt on the first
// trading day of each quarter (core/models/index_construction.h, inputs from
// adapters/io/cap_weight_inputs.h); daily total returns for the risk model
// (adapters/io/risk_returns.h) from two years before `from`.
//
//   BacktestMarket market = LoadBacktestMarket(data_dir, {.from = ..., .to = ..., .top = 50},
//                                              [](std::string_view step) { ... }).value();
//
// Survivorship: the price files are the April-2021 index's, so members that left before then
// are not in the backtest (the index is renormalized over the members with prices); docs/
// backtest.md has the consequences.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/backtest/backtest_input.h"
#include "core/base/date.h"
#include "core/base/status.h"

namespace arbor {

struct BacktestMarketOptions {
  Date from;
  Date to;
  int top = 0;            // > 0: only the largest `top` names of the first index, renormalized
  RiskModelOptions risk;  // for the length of the returns history
};

Result<backtest::BacktestMarket> LoadBacktestMarket(
    const std::string& data_dir, const BacktestMarketOptions& options,
    const std::function<void(std::string_view step)>& progress = {});

}  // namespace arbor
