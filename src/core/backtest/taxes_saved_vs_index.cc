#include "core/backtest/taxes_saved_vs_index.h"

#include <map>

namespace arbor::backtest {
namespace {

// One PathYear per calendar year of the run, ending on its last trading day.
std::vector<taxsaved::PathYear> PathYears(const std::vector<Date>& days, const StrategyPath& path) {
  std::map<int, size_t> last_day;  // year -> index of its last trading day
  for (size_t d = 0; d < days.size(); ++d) last_day[days[d].year()] = d;
  std::vector<taxsaved::PathYear> years;
  for (const auto& [year, day] : last_day) {
    taxsaved::PathYear y{.year = year, .end = days[day]};
    if (auto tally = path.years.find(year); tally != path.years.end()) {
      // PathYear keeps losses as positive amounts; the tally as negative ones.
      y.short_term_gains = tally->second.short_term_gains.ToDouble();
      y.short_term_losses = -tally->second.short_term_losses.ToDouble();
      y.long_term_gains = tally->second.long_term_gains.ToDouble();
      y.long_term_losses = -tally->second.long_term_losses.ToDouble();
    }
    if (auto open = path.unrealized.find(year); open != path.unrealized.end()) {
      y.unrealized = {.short_term = open->second.short_term, .long_term = open->second.long_term};
    }
    if (day < path.values.size()) y.end_value = path.values[day];
    years.push_back(y);
  }
  return years;
}

}  // namespace

Result<taxsaved::TaxesSavedReport> TaxesSavedAgainstIndex(const std::vector<Date>& days,
                                                         const StrategyPath& strategy,
                                                         const StrategyPath& index,
                                                         const GainRates& rates) {
  if (days.empty()) return Status::InvalidArgument("a backtest without days has no taxes saved");
  review::TaxRates flat;
  flat.federal_short_term = rates.short_term;
  flat.federal_long_term = rates.long_term;
  flat.net_investment_income = 0;  // GainRates are all-in
  std::vector<taxsaved::PathYear> account = PathYears(days, strategy);
  taxsaved::TaxesSavedInput input{.profile = {.rates = flat},
                                  .from = days.front(),
                                  .account = account,
                                  .fifo = account,
                                  .shadow = PathYears(days, index)};
  return taxsaved::ComputeTaxesSaved(input);
}

}  // namespace arbor::backtest
