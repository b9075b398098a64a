// What the custodian says each account holds, as of a date (schema: the "daily review"
// migration). The daily review compares it with the ledger's open lots: an account whose lots
// disagree with its custodian positions is suspended, not traded (core/review/data_checks.h).
//
//   ImportSummary s = ImportCustodianPositions(db, {"positions.csv"}).value();
//   auto positions = LoadCustodianPositions(db, "SMITH-JOINT", as_of).value();  // latest <= as_of
//
// CSV: account,as_of,symbol,shares (docs/import-formats.md). A file replaces the positions of
// every (account, as_of) it names; a symbol need not be in the security master (an unknown
// security is one of the data problems the review reports).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/sqlite.h"
#include "adapters/storage/store.h"
#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/status.h"

namespace arbor {

struct CustodianPosition {
  std::string account;
  std::string symbol;
  Shares shares;
};

struct CustodianSnapshot {
  Date as_of;
  std::vector<CustodianPosition> positions;  // by symbol
};

// Replaces the positions of each account named in `positions` as of `as_of`, in one transaction
// (the caller's, when one is open). Unknown accounts are errors that change nothing.
Status PutCustodianPositions(Database* db, Date as_of,
                             const std::vector<CustodianPosition>& positions);

// The account's latest snapshot on or before `as_of`; nullopt when it has none.
Result<std::optional<CustodianSnapshot>> LoadCustodianPositions(Database* db,
                                                                const std::string& account,
                                                                Date as_of);

Result<ImportSummary> ImportCustodianPositions(Database* db, const std::vector<std::string>& files);

}  // namespace arbor
