// The inputs of the risk model read from the store: every classified stock still trading at the
// end of the window, with its closes, splits and dividends over the window, and every fund
// (ETF or mutual fund) with prices, as a proxy row regressed on the factor returns.
//
//   Date from = RiskWindowStart(as_of, options);
//   RiskUniverse universe = LoadRiskUniverse(store, options, from, as_of).value();
//   TotalReturns returns = BuildTotalReturns(universe.histories, from, as_of).value();
//   RiskModel model = EstimateRiskModel(as_of, universe.securities, returns.daily, options).value();
//
// or, in one call, EstimateRiskModelFromStore(store, as_of, options).
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "adapters/io/market_data.h"
#include "adapters/storage/store.h"
#include "core/base/date.h"
#include "core/base/status.h"
#include "core/market/risk_model.h"

namespace arbor {

struct RiskUniverse {
  std::vector<RiskModelSecurity> securities;
  std::vector<PriceHistory> histories;  // one per security, same order
};

// The first calendar day that surely precedes window_days + 1 trading days before as_of.
Date RiskWindowStart(Date as_of, const RiskModelOptions& options);

// on_loaded(count) is called every 100 securities, for progress on a terminal.
Result<RiskUniverse> LoadRiskUniverse(Store& store, const RiskModelOptions& options, Date from, Date to,
                                      const std::function<void(size_t)>& on_loaded = {});

// Load, returns, estimate. NotFound when no classified stock has prices up to as_of.
Result<RiskModel> EstimateRiskModelFromStore(Store& store, Date as_of, const RiskModelOptions& options = {});

}  // namespace arbor
