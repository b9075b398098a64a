// Funds' published holdings in the database, for look-through (core/models/look_through.h):
// each snapshot is a fund, a date and the weights of its stock positions. Schema: the "fund
// holdings" migration. The latest snapshot on or before a review date applies (and, before the
// first snapshot, the first one, with a note: holdings drift slowly, and no look-through is a
// worse approximation).
//
//   OrFail(SaveFundHoldings(*store, {.fund = "IVV", .as_of = *Date::Parse("2024-04-04"),
//                                    .weights = {{"AAPL", 0.0561}, ...}}));
//   Result<std::vector<models::FundHoldings>> all = LoadFundHoldings(*store);
//   Result<ImportSummary> s = ImportFundHoldings(*store, {"ivv.csv"}, {});   // fund,as_of,symbol,weight
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/store.h"
#include "core/base/status.h"
#include "core/models/fund_holdings.h"

namespace arbor {

// Validated (weights positive, summing to at most 1, symbols unique); the fund and every holding
// must be stored securities. Replaces a snapshot of the same fund and date. One transaction.
Status SaveFundHoldings(Store& store, const models::FundHoldings& holdings);

// Every snapshot, by fund and date.
Result<std::vector<models::FundHoldings>> LoadFundHoldings(Store& store);

struct FundHoldingsImportOptions {
  // Drop holdings whose symbol is not a stored security (a foreign listing, a name that left the
  // index) instead of failing; the summary counts them.
  bool skip_unknown = false;
};

struct FundHoldingsImportSummary {
  size_t snapshots = 0;
  size_t holdings = 0;
  size_t skipped_unknown = 0;
  double skipped_weight = 0;  // summed over the snapshots
};

// CSV fund,as_of,symbol,weight (weight a fraction of the fund), any number of funds and dates;
// all files in one transaction. Errors name file:line and the field.
Result<FundHoldingsImportSummary> ImportFundHoldings(Store& store,
                                                     const std::vector<std::string>& files,
                                                     const FundHoldingsImportOptions& options);

}  // namespace arbor
