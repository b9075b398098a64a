#include "adapters/io/risk_returns.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>

namespace arbor {
namespace {

// SnapSplitCoefficient snaps to p/q with q <= 20; anything else is a spin-off factor.
constexpr int64_t kMaxSimpleSplitDenominator = 20;
// Quarterly dividends of S&P 500 names stay far below this; the data's spin-offs recorded as
// cash are 12-70% of the price.
constexpr double kMaxDividendFraction = 0.05;

std::string Percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * fraction);
  return buf;
}

std::vector<Date> TradingCalendar(const std::vector<PriceHistory>& histories, Date from, Date to) {
  std::map<Date, int> securities_on;
  int active = 0;
  for (const PriceHistory& history : histories) {
    bool any = false;
    for (const DailyBar& bar : history.bars) {
      if (bar.date < from || bar.date > to) continue;
      ++securities_on[bar.date];
      any = true;
    }
    active += any;
  }
  std::vector<Date> calendar;
  for (const auto& [date, count] : securities_on) {
    if (2 * count >= active) calendar.push_back(date);
  }
  return calendar;
}

// The value at today's close of one share held at the previous calendar close, and why it
// cannot be trusted, if it cannot.
struct Holding {
  double shares = 1;
  double cash = 0;
  bool split = false;
  bool dividend = false;
  std::string unreliable;
};

void ApplyActions(const DailyBar& bar, Holding* holding) {
  if (bar.split_numerator != bar.split_denominator) {
    holding->split = true;
    const bool simple_forward = bar.split_numerator > bar.split_denominator &&
                                bar.split_denominator <= kMaxSimpleSplitDenominator;
    if (!simple_forward && holding->unreliable.empty()) {
      const std::string ratio =
          std::to_string(bar.split_numerator) + "/" + std::to_string(bar.split_denominator);
      holding->unreliable =
          bar.split_numerator < bar.split_denominator
              ? "reverse split " + ratio + " (in this data they come with spin-offs)"
              : "split " + ratio + " is no simple ratio (a spin-off)";
    }
    holding->shares *= static_cast<double>(bar.split_numerator) / bar.split_denominator;
  }
  if (bar.dividend_per_share.is_positive()) {
    holding->dividend = true;
    holding->cash += holding->shares * bar.dividend_per_share.ToDouble();
  }
}

}  // namespace

Result<TotalReturns> BuildTotalReturns(const std::vector<PriceHistory>& histories, Date from,
                                       Date to) {
  const std::vector<Date> calendar = TradingCalendar(histories, from, to);
  if (calendar.size() < 2) {
    return Status::NotFound("no two trading days with prices between " + from.ToString() + " and " +
                            to.ToString());
  }
  TotalReturns out;
  out.daily.dates.assign(calendar.begin() + 1, calendar.end());
  out.daily.returns = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(calendar.size() - 1),
                                                static_cast<Eigen::Index>(histories.size()),
                                                std::numeric_limits<double>::quiet_NaN());
  for (size_t column = 0; column < histories.size(); ++column) {
    const PriceHistory& history = histories[column];
    std::optional<size_t> previous_day;
    double previous_close = 0;
    Holding holding;
    for (const DailyBar& bar : history.bars) {
      if (bar.date < from || bar.date > to) continue;
      if (!bar.close.is_positive()) {
        return Status::InvalidArgument(history.symbol + " " + bar.date.ToString() +
                                       ": close must be positive, got " + bar.close.ToString());
      }
      // An action on a date off the calendar carries over to the next calendar close.
      ApplyActions(bar, &holding);
      auto it = std::lower_bound(calendar.begin(), calendar.end(), bar.date);
      if (it == calendar.end() || *it != bar.date) continue;
      const size_t day = static_cast<size_t>(it - calendar.begin());
      const double close = bar.close.ToDouble();
      if (previous_day && *previous_day + 1 == day) {
        if (holding.unreliable.empty() && holding.cash >= kMaxDividendFraction * previous_close) {
          holding.unreliable = "cash of " + Percent(holding.cash / previous_close) +
                               " of the previous close is a distribution (a spin-off or a "
                               "special dividend), not a dividend";
        }
        if (holding.unreliable.empty()) {
          out.daily.returns(static_cast<Eigen::Index>(day - 1), static_cast<Eigen::Index>(column)) =
              (holding.shares * close + holding.cash) / previous_close - 1;
          out.split_days += holding.split;
          out.dividend_days += holding.dividend;
        } else {
          out.dropped_returns.push_back({history.symbol, bar.date, holding.unreliable});
        }
      }
      previous_day = day;
      previous_close = close;
      holding = {};
    }
  }
  return out;
}

}  // namespace arbor
