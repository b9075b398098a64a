#include "core/backtest/backtest_input.h"

#include <algorithm>

namespace arbor::backtest {

Status ValidateBacktestMarket(const BacktestMarket& market) {
  const size_t n = market.symbols.size();
  if (market.days.empty()) return Status::InvalidArgument("days: the calendar is empty");
  if (!std::is_sorted(market.days.begin(), market.days.end())) {
    return Status::InvalidArgument("days: not in ascending order");
  }
  if (market.closes.size() != market.days.size() * n) {
    return Status::InvalidArgument("closes: " + std::to_string(market.closes.size()) +
                                   " values for " + std::to_string(market.days.size()) +
                                   " days x " + std::to_string(n) + " symbols");
  }
  if (market.last_close.size() != n || market.last_close_date.size() != n) {
    return Status::InvalidArgument("last_close: one per symbol");
  }
  for (size_t a = 0; a < market.actions.size(); ++a) {
    const MarketAction& action = market.actions[a];
    if (action.symbol < 0 || static_cast<size_t>(action.symbol) >= n) {
      return Status::InvalidArgument("actions[" + std::to_string(a) + "].symbol: out of range");
    }
    if (a > 0 && action.ex_date < market.actions[a - 1].ex_date) {
      return Status::InvalidArgument("actions: not in ex-date order at " +
                                     action.ex_date.ToString());
    }
  }
  if (market.reconstitutions.empty() || market.reconstitutions.front().effective > market.days[0]) {
    return Status::InvalidArgument("reconstitutions: none in effect on " +
                                   market.days[0].ToString());
  }
  for (const Reconstitution& r : market.reconstitutions) {
    for (const auto& [s, weight] : r.weights) {
      if (s < 0 || static_cast<size_t>(s) >= n || weight < 0) {
        return Status::InvalidArgument("reconstitutions[" + r.effective.ToString() +
                                       "]: a symbol out of range or a negative weight");
      }
    }
  }
  if (market.risk_securities.size() != n ||
      static_cast<size_t>(market.returns.returns.cols()) != n) {
    return Status::InvalidArgument("returns: one column and one risk security per symbol");
  }
  return Status::Ok();
}

std::string_view ToString(ReviewFrequency frequency) {
  switch (frequency) {
    case ReviewFrequency::kDaily:
      return "daily";
    case ReviewFrequency::kWeekly:
      return "weekly";
    case ReviewFrequency::kMonthly:
      return "monthly";
  }
  return "?";
}

Result<ReviewFrequency> ReviewFrequencyFromString(std::string_view text) {
  for (ReviewFrequency f :
       {ReviewFrequency::kDaily, ReviewFrequency::kWeekly, ReviewFrequency::kMonthly}) {
    if (text == ToString(f)) return f;
  }
  return Status::InvalidArgument("'" + std::string(text) +
                                 "' is not a review frequency (daily, weekly or monthly)");
}

}  // namespace arbor::backtest
