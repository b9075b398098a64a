// The daily review's results in the database (schema: migration 8): a run per review date, one
// row per account with its outcome, metrics and flags, and the proposal's trades
// (docs/review.md). The workbench (workbench_store.h) reads and acts on them.
//
//   int64_t run = StartReviewRun(db, as_of, "2021-04-21T18:00:00Z", accounts.size()).value();
//   ARBOR_RETURN_IF_ERROR(SaveReviewRecords(db, run, records));   // one transaction
//   ARBOR_RETURN_IF_ERROR(FinishReviewRun(db, run, "2021-04-21T18:04:10Z"));
//
// A run that stopped part way (killed, a write failed) is resumed by reviewing the accounts it
// has no row for: rows are written only in whole transactions, and (run, account) is the key,
// so nothing is lost or written twice.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "adapters/storage/sqlite.h"
#include "core/base/date.h"
#include "core/base/status.h"
#include "core/review/review_record.h"

namespace arbor {

Result<int64_t> StartReviewRun(Database* db, Date as_of, const std::string& started_at,
                               int64_t accounts);
// The latest run of the date that has not finished, if any.
Result<std::optional<int64_t>> UnfinishedReviewRun(Database* db, Date as_of);
Result<std::set<std::string>> ReviewedAccounts(Database* db, int64_t run);
// Every record and its trades in one transaction. New accounts' rows start in the workbench
// status "pending", or "suspended" when the data checks suspended them or the review failed.
Status SaveReviewRecords(Database* db, int64_t run,
                         const std::vector<review::ReviewRecord>& records);
Status FinishReviewRun(Database* db, int64_t run, const std::string& finished_at);

// What a run found, for its closing summary.
struct ReviewTotals {
  Date as_of;
  int64_t accounts = 0;  // in the run's scope
  std::map<std::string, int64_t> outcomes;  // proposed, no_trade, suspended, failed
  std::map<std::string, int64_t> flags;     // accounts with each flag
  int64_t must_trade = 0;
  int64_t trades = 0;
  double market_value = 0;
  double buy_usd = 0;
  double sell_usd = 0;
  double harvest_usd = 0;
  double gains_usd = 0;
  double tax_usd = 0;
  double score_usd = 0;
  // Seconds per account reviewed (suspended ones included), at the median and 99th percentile.
  double seconds_p50 = 0;
  double seconds_p99 = 0;
  std::vector<std::pair<std::string, std::string>> suspended;  // account, first reason
  std::vector<std::pair<std::string, std::string>> failed;     // account, message
};

Result<ReviewTotals> LoadReviewTotals(Database* db, int64_t run);

// One account's stored result. The trades' lot sales carry the lot id and shares only.
struct StoredReview {
  int64_t run = 0;
  Date as_of;
  std::string status;  // the workbench status
  review::ReviewRecord record;
};

// `run` absent: the latest run with a result for the account.
Result<StoredReview> LoadStoredReview(Database* db, const std::string& account,
                                      std::optional<int64_t> run);

}  // namespace arbor
