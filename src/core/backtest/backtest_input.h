// What a backtest replays, with no I/O: a trading calendar, the closes of every security on it,
// their splits and dividends, the index's reconstitutions, and the daily total returns the risk
// model is estimated from. adapters/backtest/backtest_market.h fills it from ../shared/data;
// tests build small ones by hand.
//
//   BacktestMarket market;
//   market.days = {d0, d1, ...};
//   market.symbols = {"AAA", "BBB"};
//   market.closes = {...};                 // by day then symbol, micros; 0 = no price that day
//   market.reconstitutions = {{.effective = d0, .weights = {{0, 0.6}, {1, 0.4}}}};
//   BacktestResult result = RunBacktest(market, {.frequency = ReviewFrequency::kMonthly}).value();
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/status.h"
#include "core/market/risk_model.h"
#include "core/market/security.h"

namespace arbor::backtest {

// A split (numerator != denominator) or a cash dividend, effective at the open of `ex_date`.
// The data records a spin-off as a split of no simple ratio (RTX 2020: 1589/1000): the shares
// are scaled so the position keeps its value and its basis (the spun-off company stays inside
// the parent's lots).
struct MarketAction {
  int symbol = 0;
  Date ex_date;
  int64_t split_numerator = 1;
  int64_t split_denominator = 1;
  Price dividend_per_share;
  bool is_split() const { return split_numerator != split_denominator; }
};

// The index from `effective` until the next reconstitution: each member's weight on that day.
// Between reconstitutions the index holds its shares (weight x close drifts with prices).
struct Reconstitution {
  Date effective;
  std::vector<std::pair<int, double>> weights;  // (symbol, weight), weights summing to 1
};

struct BacktestMarket {
  std::vector<Date> days;            // the trading calendar, ascending
  std::vector<std::string> symbols;  // numbered from 0
  std::vector<int64_t> closes;       // micros, days.size() x symbols.size(), by day then symbol
  // Per symbol: its last close and the date of it, paid in cash to holders once its prices
  // stop (an acquisition or a delisting).
  std::vector<Price> last_close;
  std::vector<Date> last_close_date;
  std::vector<MarketAction> actions;            // by ex_date, splits before dividends of a day
  std::vector<Reconstitution> reconstitutions;  // by effective date; the first on or before days[0]
  SecurityMaster master;                        // sectors of the risk model, wash-sale groups

  // For the risk model: daily total returns over the symbols (one column each, same order),
  // starting at least a window before days[0]; and each symbol's sector.
  DailyReturns returns;
  std::vector<RiskModelSecurity> risk_securities;

  int day_count() const { return static_cast<int>(days.size()); }
  int symbol_count() const { return static_cast<int>(symbols.size()); }
  Price Close(int symbol, int day) const {
    return Price::FromMicros(closes[static_cast<size_t>(day) * symbols.size() + symbol]);
  }
};

// Checks sizes and orders; messages name the field.
Status ValidateBacktestMarket(const BacktestMarket& market);

enum class ReviewFrequency { kDaily, kWeekly, kMonthly };
std::string_view ToString(ReviewFrequency frequency);
Result<ReviewFrequency> ReviewFrequencyFromString(std::string_view text);

// Federal (plus state and NIIT, as one figure) marginal rates on realized gains.
struct GainRates {
  double short_term = 0.35;
  double long_term = 0.15;
};

struct BacktestOptions {
  ReviewFrequency frequency = ReviewFrequency::kDaily;
  Money initial_cash = Money::Units(1'000'000);
  // The client's rates: the optimizer's, and the second set the report is priced with.
  GainRates client_rates{.short_term = 0.408, .long_term = 0.238};
  // Chaudhuri, Burnham & Lo (FAJ 2020)'s rates, the first set of the report.
  GainRates reference_rates{.short_term = 0.35, .long_term = 0.15};
  double cost_rate = 0.0005;  // trading cost, fraction of traded dollars, each side
  double risk_aversion = 50;  // the optimizer's, as in the rebalance settings' default
  int risk_model_months = 3;  // the risk model is re-estimated this often (and on day 0)
  RiskModelOptions risk_model;
  // The monthly rule parks harvest proceeds this many calendar days before buying back.
  int park_days = 31;
  Money min_trade = Money::Units(25);
};

}  // namespace arbor::backtest
