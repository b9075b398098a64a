// The Taxes Saved or Deferred figures (docs/taxes-saved.md) of a backtest strategy, with the
// tax-blind index portfolio as its shadow: both start the same day with the same cash and have
// no other flows, which is the shadow the report's method asks for. The strategy's own trades
// stand in for the FIFO path, so the split by source shows no "lot selection" part here.
//
//   Result<taxsaved::TaxesSavedReport> saved =
//       TaxesSavedAgainstIndex(result.days, optimizer.path, index.path, options.client_rates);
//   saved->total.saved_or_deferred;   // index tax - strategy tax over the run
#pragma once

#include <vector>

#include "core/backtest/backtest_input.h"
#include "core/backtest/metrics.h"
#include "core/base/date.h"
#include "core/base/status.h"
#include "core/taxsaved/taxes_saved.h"

namespace arbor::backtest {

// `days` are the run's trading days; `rates` flat marginal rates on net short- and long-term
// gains, with the $3,000 ordinary-income offset and carryforwards of IRC 1211(b) and 1212(b).
Result<taxsaved::TaxesSavedReport> TaxesSavedAgainstIndex(const std::vector<Date>& days,
                                                         const StrategyPath& strategy,
                                                         const StrategyPath& index,
                                                         const GainRates& rates);

}  // namespace arbor::backtest
