// The inputs of the cap-weighted S&P 500 on a date (core/models/index_construction.h), gathered
// from the data set: members from the membership intervals, closes from the AlphaVantage
// prices, float-adjusted share counts from IVV's holdings of 2024-04-04, shares outstanding from
// the nearest constituents-financials snapshot, and splits from the prices plus those after
// the prices end.
//
//   std::vector<PriceHistory> prices = LoadAlphaVantageUniverse(data_dir, symbols).value();
//   Result<models::CapWeightInputs> in =
//       LoadSp500CapWeightInputs(data_dir, *Date::Parse("2021-04-21"), prices);
//   Result<models::CapWeightedIndex> sp500 = models::BuildCapWeightedIndex(*in, "SP500");
//
// docs/index-models.md has the method and its approximations.
#pragma once

#include <string>
#include <vector>

#include "adapters/io/market_data.h"
#include "core/base/date.h"
#include "core/base/status.h"
#include "core/models/index_construction.h"

namespace arbor {

// `histories` must hold the members' prices (any superset, any order); a member's price is its
// last close on or before `date`, if that is at most a week earlier.
Result<models::CapWeightInputs> LoadSp500CapWeightInputs(
    const std::string& data_dir, Date date, const std::vector<PriceHistory>& histories);

// Splits of `histories` (forward and reverse splits of a simple ratio; the odd coefficients by
// which AlphaVantage records spin-offs change no share count and are left out) and the splits
// of S&P 500 members between the end of the prices (2021-04-21) and IVV's holdings date, which
// the data set does not record.
std::vector<models::SplitEvent> Sp500Splits(const std::vector<PriceHistory>& histories);

}  // namespace arbor
