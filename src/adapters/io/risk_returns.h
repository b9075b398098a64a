// Daily total returns for the risk model, from raw closes with their splits and dividends, on
// one trading calendar, such that a corporate action never shows up as a return.
//
//   Result<TotalReturns> built = BuildTotalReturns(histories, from, to);
//   built->daily;                // dates x histories, NaN where there is no clean return
//   built->dropped_returns[0];   // {"RTX", 2020-04-03, "split 1589/1000 is no simple ratio ..."}
//
// A day's return is (shares x close + cash) / previous close - 1 for one share held at the
// previous close: an exact split multiplies the shares (2:1 -> 2 shares), a dividend adds its
// cash per share held on the ex-date. Some actions in the data are not what they say (see
// ../shared/data/README.md): spin-offs appear as odd split coefficients (RTX 2020: 1.589), as
// cash "dividends" worth the spun-off shares (FMC 2019, HPQ 2015), or beside a reverse split
// (MSI 2011, DD 2019). Their true return needs the spun-off company's price, which the data
// does not have, so those security-days get no return (NaN) rather than a fake one:
//  - a split that is not a forward split of a simple ratio (denominator <= 20, the snapping
//    bound of SnapSplitCoefficient): a spin-off factor or a reverse split;
//  - cash of 5% or more of the previous close in one day: a distribution, not a dividend.
// The risk model winsorizes what remains.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/io/market_data.h"
#include "core/base/date.h"
#include "core/base/status.h"
#include "core/market/risk_model.h"

namespace arbor {

struct DroppedReturn {
  std::string symbol;
  Date date;
  std::string reason;
};

struct TotalReturns {
  DailyReturns daily;         // one column per history, in the given order
  int64_t split_days = 0;     // returns computed through an exact split
  int64_t dividend_days = 0;  // returns with a dividend added back
  std::vector<DroppedReturn> dropped_returns;
};

// The calendar is the dates in [from, to] on which at least half of the securities with a
// price in that range have one (so one stray date in one file cannot split the calendar);
// returns run from each calendar day's close to the next, so the first calendar day only
// provides the starting close. A security without a close on two consecutive calendar days has
// no return on the second. Errors name the symbol and date of a non-positive close.
Result<TotalReturns> BuildTotalReturns(const std::vector<PriceHistory>& histories, Date from,
                                       Date to);

}  // namespace arbor
