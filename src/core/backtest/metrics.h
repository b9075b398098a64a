// The figures a backtest reports for one strategy against the tax-blind index portfolio, from
// their daily values, the gains each realized per year and what each holds unrealized at each
// year end. Pure arithmetic, checked by hand in metrics_test.cc.
//
// Taxes (docs/backtest.md): a year's tax is short-term net x ST rate + long-term net x LT rate,
// negative when losses dominate (a refund: losses are assumed to offset the client's other gains
// at those rates, as in Chaudhuri, Burnham & Lo 2020). It is paid on the year's last trading day
// from a side account that earns the index's return from then on, so after-tax wealth is the
// portfolio plus that side account. After liquidation, the unrealized gains of each term are
// taxed too (unrealized losses give their refund).
//
//   StrategyPath path{.values = ..., .years = ..., .unrealized = ...};
//   StrategyMetrics m = ComputeMetrics(days, path, index_path, rates);
//   m.tax_alpha_pre;   // annualized after-tax return minus the index portfolio's
#pragma once

#include <map>
#include <vector>

#include "core/backtest/backtest_input.h"
#include "core/backtest/portfolio_book.h"
#include "core/base/date.h"

namespace arbor::backtest {

// Unrealized gains by term of the open lots on a day.
struct Unrealized {
  double short_term = 0;
  double long_term = 0;
};

struct StrategyPath {
  std::vector<double> values;            // per day of the calendar
  std::vector<double> cash;              // per day, after the day's trades
  std::map<int, YearTally> years;        // realized and traded per calendar year
  std::map<int, Unrealized> unrealized;  // at each year's last trading day (the run's last)
};

struct YearMetrics {
  int year = 0;
  double pre_tax_return = 0;
  double tracking_error = 0;  // annualized standard deviation of daily return differences
  double turnover = 0;        // dollars sold / average value
  double harvest_yield = 0;   // losses realized / average value
  YearTally tally;
  // After-tax return of the year minus the index portfolio's, before liquidation, with the
  // reference and the client's rates; and, after liquidation, the annualized after-tax return
  // from the start through this year's end minus the index portfolio's.
  double tax_alpha_pre_reference = 0, tax_alpha_pre_client = 0;
  double tax_alpha_post_reference = 0, tax_alpha_post_client = 0;
};

struct StrategyMetrics {
  std::vector<YearMetrics> years;
  double years_elapsed = 0;
  double final_value = 0;
  double pre_tax_return = 0;  // annualized
  double tracking_error = 0;  // annualized, whole run
  double turnover = 0;        // a year
  double harvest_yield = 0;   // a year
  Money wash_disallowed;
  // Annualized tax alpha, before and after liquidation, at each rate set.
  double tax_alpha_pre_reference = 0, tax_alpha_pre_client = 0;
  double tax_alpha_post_reference = 0, tax_alpha_post_client = 0;
};

// `days` and every path's values have one entry per trading day; day 0 is the funding day.
StrategyMetrics ComputeMetrics(const std::vector<Date>& days, const StrategyPath& strategy,
                               const StrategyPath& index, const GainRates& reference,
                               const GainRates& client);

// sqrt(252) x the sample standard deviation of a[d]/a[d-1] - b[d]/b[d-1] over d in (from, to].
double TrackingError(const std::vector<double>& a, const std::vector<double>& b, int from, int to);

// Annualized after-tax wealth multiple over the run, for one path and rate set: the number the
// tax alphas compare. `liquidate` adds the tax on the last day's unrealized gains.
double AfterTaxWealth(const std::vector<Date>& days, const StrategyPath& path,
                      const std::vector<double>& index_values, const GainRates& rates, int through,
                      bool liquidate);

}  // namespace arbor::backtest
