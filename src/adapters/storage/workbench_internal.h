// Internal to the workbench store (workbench_store.h): a Selection resolved to its filter, the
// SELECT over a run's review results that the filter becomes, and audit entries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/storage/sqlite.h"
#include "adapters/storage/workbench_store.h"
#include "core/workbench/filter.h"

namespace arbor::workbench_internal {

struct ResolvedSelection {
  std::optional<workbench::Filter> filter;  // none: every row of the run
  std::string text;                         // the filter's canonical text
  std::string name;                         // the saved filter's name
  std::vector<std::string> accounts;        // account ids given one by one
};

Result<ResolvedSelection> ResolveSelection(Database* db, const Selection& selection);

// SELECT `columns` FROM review_results WHERE run = ?1 AND (the filter) ORDER BY `order_by`
// (none when empty), every parameter bound.
Result<Statement> SelectResults(Database* db, int64_t run, const ResolvedSelection& selection,
                                std::string_view columns, std::string_view order_by = "");

// The accounts of `selection.accounts` that are not in `found` (sorted).
std::vector<std::string> MissingAccounts(const ResolvedSelection& selection,
                                         std::vector<std::string> found);

// A write needs a finished run, a user and a time.
Status CheckWrite(const ReviewRun& run, const std::string& user, const std::string& at,
                  std::string_view what);

// Appends one audit entry and its accounts (in the caller's transaction); returns its id.
Result<int64_t> AppendAudit(Database* db, const AuditEntry& entry,
                            const std::vector<AuditAccount>& accounts);

}  // namespace arbor::workbench_internal
