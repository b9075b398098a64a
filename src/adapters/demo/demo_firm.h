// A small demo firm on real prices: a few households whose accounts are funded between 2013
// and 2018 and then managed month by month until April 2021 the way a careful human adviser
// would without Arbor: dividends swept to cash, contributions and withdrawals, quarterly
// trims of overweights, and loss harvests into a same-sector replacement. The trades are
// generated against a live Ledger, so every sale is valid and every wash sale (for example an
// IRA buying what the taxable account just harvested) is real.
//
//   Result<DemoFirm> firm = BuildDemoFirm(master, prices, {.seed = 7});
//   firm->events;   // account events in date order, ready for the store or a Ledger
//
// Deterministic for a given seed and data.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "adapters/io/market_data.h"
#include "core/base/status.h"
#include "core/ledger/account.h"
#include "core/ledger/event.h"
#include "core/market/security.h"

namespace arbor {

struct DemoOptions {
  uint64_t seed = 7;
  Date end = *Date::Parse("2021-04-21");  // the last day of the price data
  std::function<void(const std::string& stage)> progress;
};

struct SplitAction {
  std::string symbol;
  Date ex_date;
  int64_t numerator;
  int64_t denominator;
};

struct DemoFirm {
  std::vector<Account> accounts;
  std::vector<Event> events;         // account events only, in date order
  std::vector<SplitAction> splits;   // of the symbols the firm ever held
  std::vector<std::string> symbols;  // every symbol traded
};

// `prices` must cover the stocks; ETFs SPY, AGG and VNQ are used when present.
Result<DemoFirm> BuildDemoFirm(const SecurityMaster& master,
                               const std::vector<PriceHistory>& prices,
                               const DemoOptions& options);

}  // namespace arbor
