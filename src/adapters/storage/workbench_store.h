// The central rebalancing group's workbench on the database (schema: migration 8, "daily review
// and workbench"): saved filters, queries over a review run's results, batch actions with their
// append-only audit log, and the released trades for the trading desk (docs/workbench.md).
//
//   Database* db = store->database();
//   ARBOR_RETURN_IF_ERROR(SaveFilter(db, {.name = "must-trade", .text = "must_trade",
//                                         .created_by = "ann", .created_at = now}));
//   ReviewQueryResult r = QueryReview(db, {.selection = {.saved = "must-trade"},
//                                          .sort = "score_bps", .descending = true}).value();
//   BatchReport done = ApplyBatchAction(db, {.action = workbench::BatchAction::kApprove,
//                                            .selection = {.filter = "score_bps >= 25"},
//                                            .user = "ann", .at = now}).value();
//   done.skipped[0].why;   // "status suspended: approve takes pending or review"
//
// Who and when are always passed in: the store has no clock and no idea of the current user.
// Every write is one transaction; an action or export on a run the review has not finished is
// refused, since the review may still be writing its rows.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/sqlite.h"
#include "core/base/status.h"
#include "core/workbench/filter.h"
#include "core/workbench/review_fields.h"
#include "core/workbench/trade_blocks.h"
#include "core/workbench/transitions.h"

namespace arbor {

// ---- saved filters ----

struct SavedFilter {
  std::string name;  // letters, digits, '_', '-', '.'; at most 64
  std::string text;  // stored in canonical form (Filter::ToString)
  std::string description;
  std::string created_by;
  std::string created_at;
};

// Checks the text against the review fields (the error points at the bad token) and stores it
// canonically. A name already saved is AlreadyExists unless `replace`.
Status SaveFilter(Database* db, const SavedFilter& filter, bool replace = false);
Result<std::vector<SavedFilter>> ListFilters(Database* db);  // by name
Result<SavedFilter> LoadFilter(Database* db, const std::string& name);
Status DeleteFilter(Database* db, const std::string& name);

// ---- runs and queries ----

struct ReviewRun {
  int64_t id = 0;
  std::string as_of;
  bool finished = false;
  int64_t accounts = 0;  // accounts the run reviews
};

// The run asked for, or the latest one; NotFound when there is none.
Result<ReviewRun> LoadReviewRun(Database* db, std::optional<int64_t> run);

// Which accounts of a run: at most one of a filter's text, a saved filter's name, or account
// ids (which become the filter `account in (...)`); none of them is every account.
struct Selection {
  std::string filter;
  std::string saved;
  std::vector<std::string> accounts;
};

struct ReviewQuery {
  std::optional<int64_t> run;  // the latest when empty
  Selection selection;
  std::string sort = "account";  // any review field; ties go by account
  bool descending = false;
  std::optional<int64_t> limit;
  // The fields of each row, in this order; empty: every review field. Reading only what is
  // shown keeps a query over a large run fast.
  std::vector<std::string> fields;
};

struct ReviewQueryResult {
  ReviewRun run;
  std::string filter;       // canonical text of what selected the rows; empty for every row
  std::string filter_name;  // the saved filter's name, if one was used
  int64_t matched = 0;      // rows that match, before the limit
  std::vector<const workbench::ReviewField*> fields;     // what each row holds, in order
  std::vector<std::vector<workbench::FieldValue>> rows;  // one per account, sorted
  std::vector<std::string> missing;  // account ids asked for that the run does not have
};

Result<ReviewQueryResult> QueryReview(Database* db, const ReviewQuery& query);

// ---- batch actions and the audit log ----

struct BatchRequest {
  workbench::BatchAction action = workbench::BatchAction::kApprove;
  std::optional<int64_t> run;
  Selection selection;  // required: an action never applies to a whole run by default
  std::string user;     // required
  std::string at;       // required: when, from the caller's clock (ISO 8601)
  std::string note;
};

struct StatusChange {
  std::string account;
  workbench::ReviewStatus from = workbench::ReviewStatus::kPending;
  workbench::ReviewStatus to = workbench::ReviewStatus::kPending;
};

struct SkippedAccount {
  std::string account;
  std::string why;  // workbench::WhyNot, or "not in run N"
};

struct BatchReport {
  int64_t run = 0;
  int64_t audit_id = 0;
  std::string filter;
  std::string filter_name;
  std::vector<StatusChange> changed;  // by account
  std::vector<SkippedAccount> skipped;
};

// Moves every selected account the action may move (workbench/transitions.h) and records the
// action in the audit log, all in one transaction; the others are reported as skipped.
Result<BatchReport> ApplyBatchAction(Database* db, const BatchRequest& request);

struct AuditEntry {
  int64_t id = 0;
  std::string at;
  std::string user;
  std::string action;  // suspend, approve, review, release or export
  std::optional<int64_t> run;
  std::string filter;
  std::string filter_name;
  int64_t accounts = 0;  // accounts changed (exported, for an export)
  std::string detail;
};

struct AuditAccount {
  std::string account;
  std::string from_status;
  std::string to_status;
};

// Oldest first; every run's when `run` is empty.
Result<std::vector<AuditEntry>> ListAudit(Database* db, std::optional<int64_t> run);
Result<std::vector<AuditAccount>> ListAuditAccounts(Database* db, int64_t audit_id);

// ---- trade files ----

struct ExportRequest {
  std::optional<int64_t> run;
  // false: only released accounts no earlier export of the run included, so a file is never
  // sent to the desk twice; true: every released account again (a lost file).
  bool again = false;
  std::string user;    // required
  std::string at;      // required
  std::string detail;  // what was written, e.g. the file names
};

struct TradeExport {
  int64_t run = 0;
  int64_t audit_id = 0;  // the export's audit entry, e.g. to name its blocks
  std::vector<std::string> accounts;
  std::vector<workbench::ReleasedTrade> trades;  // by account, then position
  std::vector<workbench::Block> blocks;
};

// Reads the released trades, builds the blocks and calls `write` (which writes the files)
// inside the transaction that records the export: a failed write leaves no audit entry.
// FailedPrecondition when there is nothing to export.
Result<TradeExport> ExportReleasedTrades(Database* db, const ExportRequest& request,
                                         const std::function<Status(const TradeExport&)>& write);

}  // namespace arbor
