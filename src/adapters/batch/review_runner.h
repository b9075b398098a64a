// The daily review of every account (docs/review.md): one shared RebalanceContext, worker
// threads that each review accounts through their own database connection, and one writer
// that stores the results in transactions of a few dozen accounts.
//
//   ReviewRunOptions options{.as_of = as_of, .started_at = "2021-04-21T18:00:00Z"};
//   Result<ReviewRunOutcome> done = RunDailyReview("firm.db", options, [](const ReviewProgress& p) {
//     std::cerr << p.done << " of " << p.total << "\r";
//   });
//
// A run killed at any point, or stopped by a failed write, is resumed by running again for the
// same date: the accounts already stored are skipped, the others reviewed, and no proposal is
// lost or stored twice. Memory stays bounded whatever the number of accounts: a worker holds
// one account, and at most a few batches of results wait for the writer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/base/date.h"
#include "core/base/status.h"
#include "core/review/review_record.h"
#include "core/review/review_summary.h"

namespace arbor {

struct ReviewRunOptions {
  std::optional<Date> as_of;          // absent: the last date with a price
  int threads = 0;                    // 0: one per core
  bool resume = true;                 // continue the date's unfinished run, if there is one
  std::vector<std::string> accounts;  // empty: every account
  review::ReviewThresholds thresholds;
  size_t batch_size = 32;  // accounts per write transaction
  std::string started_at;  // time stamps come from the caller: the runner has no clock
  std::function<std::string()> now;  // for finished_at; started_at when empty
};

struct ReviewProgress {
  size_t done = 0;   // stored, this session and earlier ones of the run
  size_t total = 0;  // in the run's scope
  size_t done_this_session = 0;
  double seconds = 0;  // since this session started
};

struct ReviewRunOutcome {
  int64_t run = 0;
  Date as_of;
  bool resumed = false;
  size_t total = 0;
  size_t already_done = 0;  // stored by an earlier session of the run
  size_t reviewed = 0;      // this session
  double seconds = 0;
};

// Where the records go; the default writes them to the database. Tests put a failing one here.
class ReviewSink {
 public:
  virtual ~ReviewSink() = default;
  virtual Status Write(int64_t run, const std::vector<review::ReviewRecord>& records) = 0;
};

Result<ReviewRunOutcome> RunDailyReview(const std::string& db_path,
                                        const ReviewRunOptions& options,
                                        const std::function<void(const ReviewProgress&)>& progress,
                                        ReviewSink* sink = nullptr);

}  // namespace arbor
