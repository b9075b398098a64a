#include "core/backtest/metrics.h"

#include <cmath>

namespace arbor::backtest {
namespace {

constexpr double kTradingDays = 252;
constexpr double kDaysPerYear = 365.25;

double Tax(const YearTally& tally, const GainRates& rates) {
  return tally.ShortTermNet().ToDouble() * rates.short_term +
         tally.LongTermNet().ToDouble() * rates.long_term;
}

// The last trading day of each calendar year in the run (the run's last day for its last year).
std::map<int, int> YearEnds(const std::vector<Date>& days) {
  std::map<int, int> ends;
  for (int d = 0; d < static_cast<int>(days.size()); ++d) ends[days[d].year()] = d;
  return ends;
}

double Annualized(double multiple, double years) {
  return years > 0 && multiple > 0 ? std::pow(multiple, 1 / years) - 1 : 0;
}

}  // namespace

double TrackingError(const std::vector<double>& a, const std::vector<double>& b, int from, int to) {
  double sum = 0, sum2 = 0;
  int n = 0;
  for (int d = from + 1; d <= to; ++d) {
    if (a[d - 1] <= 0 || b[d - 1] <= 0) continue;
    const double x = a[d] / a[d - 1] - b[d] / b[d - 1];
    sum += x;
    sum2 += x * x;
    ++n;
  }
  if (n < 2) return 0;
  const double variance = (sum2 - sum * sum / n) / (n - 1);
  return std::sqrt(std::max(0.0, variance) * kTradingDays);
}

double AfterTaxWealth(const std::vector<Date>& days, const StrategyPath& path,
                      const std::vector<double>& index_values, const GainRates& rates, int through,
                      bool liquidate) {
  double side = 0;  // the tax side account: refunds in, payments out, growing with the index
  for (const auto& [year, end] : YearEnds(days)) {
    if (end > through) break;
    auto tally = path.years.find(year);
    if (tally == path.years.end()) continue;
    side -= Tax(tally->second, rates) * index_values[through] / index_values[end];
  }
  double wealth = path.values[through] + side;
  if (liquidate) {
    auto open = path.unrealized.find(days[through].year());
    if (open != path.unrealized.end()) {
      wealth -=
          open->second.short_term * rates.short_term + open->second.long_term * rates.long_term;
    }
  }
  return wealth;
}

StrategyMetrics ComputeMetrics(const std::vector<Date>& days, const StrategyPath& strategy,
                               const StrategyPath& index, const GainRates& reference,
                               const GainRates& client) {
  StrategyMetrics m;
  const int last = static_cast<int>(days.size()) - 1;
  const double start = strategy.values[0];
  const double index_start = index.values[0];
  auto years_to = [&](int d) { return (days[d] - days[0]) / kDaysPerYear; };
  auto wealth = [&](const StrategyPath& p, const GainRates& r, int d, bool liquidate) {
    return AfterTaxWealth(days, p, index.values, r, d, liquidate);
  };
  double sold = 0, harvested = 0, value_years = 0;
  int previous_end = 0;
  for (const auto& [year, end] : YearEnds(days)) {
    YearMetrics y{.year = year};
    auto tally = strategy.years.find(year);
    if (tally != strategy.years.end()) y.tally = tally->second;
    const int from = previous_end;
    y.pre_tax_return = strategy.values[end] / strategy.values[from] - 1;
    y.tracking_error = TrackingError(strategy.values, index.values, from, end);
    double average = 0;
    for (int d = from; d <= end; ++d) average += strategy.values[d];
    average /= end - from + 1;
    y.turnover = y.tally.sold.ToDouble() / average;
    y.harvest_yield = y.tally.harvested.ToDouble() / average;
    auto pre = [&](const GainRates& r) {
      const double mine = wealth(strategy, r, end, false) / wealth(strategy, r, from, false);
      const double theirs = wealth(index, r, end, false) / wealth(index, r, from, false);
      return mine - theirs;
    };
    y.tax_alpha_pre_reference = pre(reference);
    y.tax_alpha_pre_client = pre(client);
    auto post = [&](const GainRates& r) {
      return Annualized(wealth(strategy, r, end, true) / start, years_to(end)) -
             Annualized(wealth(index, r, end, true) / index_start, years_to(end));
    };
    y.tax_alpha_post_reference = post(reference);
    y.tax_alpha_post_client = post(client);
    sold += y.tally.sold.ToDouble();
    harvested += y.tally.harvested.ToDouble();
    value_years += average * (days[end] - days[from]) / kDaysPerYear;
    m.wash_disallowed += y.tally.wash_disallowed;
    m.years.push_back(y);
    previous_end = end;
  }
  m.years_elapsed = years_to(last);
  m.final_value = strategy.values[last];
  m.pre_tax_return = Annualized(strategy.values[last] / start, m.years_elapsed);
  m.tracking_error = TrackingError(strategy.values, index.values, 0, last);
  m.turnover = value_years > 0 ? sold / value_years : 0;
  m.harvest_yield = value_years > 0 ? harvested / value_years : 0;
  auto alpha = [&](const GainRates& r, bool liquidate) {
    return Annualized(wealth(strategy, r, last, liquidate) / start, m.years_elapsed) -
           Annualized(wealth(index, r, last, liquidate) / index_start, m.years_elapsed);
  };
  m.tax_alpha_pre_reference = alpha(reference, false);
  m.tax_alpha_pre_client = alpha(client, false);
  m.tax_alpha_post_reference = alpha(reference, true);
  m.tax_alpha_post_client = alpha(client, true);
  return m;
}

}  // namespace arbor::backtest
