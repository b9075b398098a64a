// A prospect's legacy lots from a CSV file in the `lots` import format (docs/import-formats.md):
// `[account,]symbol,[lot_id,]shares,basis,acquired[,acquired_for_holding_period][,as_of]`,
// read into the rebalance's lots without touching the database. The account column, when
// present, must name one account (the prospect); lot ids default to "L<line>". Shares and basis
// are as on the plan date (a broker's statement), so `as_of`, when given, must be that date.
//
//   LegacyLots legacy = ReadLegacyLots("legacy.csv", context.master(), as_of).value();
//   legacy.lots;      // review::RebalanceLot, in file order
#pragma once

#include <string>
#include <vector>

#include "core/base/date.h"
#include "core/base/status.h"
#include "core/market/security.h"
#include "core/review/rebalance_input.h"

namespace arbor {

struct LegacyLots {
  std::string account;  // from the account column; empty without one
  std::vector<review::RebalanceLot> lots;
};

// Errors name the file, line and field: "legacy.csv:4: symbol: unknown symbol 'ZZZ'; ...".
Result<LegacyLots> ReadLegacyLots(const std::string& path, const SecurityMaster& master,
                                  Date as_of);

}  // namespace arbor
