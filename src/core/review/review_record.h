// One account's result in a daily review run, as stored for the rebalancing group: what
// happened (proposed, nothing to trade, suspended by the data checks, failed), why, the
// proposal's metrics and flags (core/review/review_summary.h), and its trades.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/review/proposal.h"
#include "core/review/review_summary.h"

namespace arbor::review {

enum class ReviewOutcome { kProposed, kNoTrade, kSuspended, kFailed };
std::string_view ToString(ReviewOutcome outcome);

struct ReviewRecord {
  std::string account;
  std::string household;
  std::string advisor;
  std::string account_type;
  ReviewOutcome outcome = ReviewOutcome::kFailed;
  std::vector<std::string> reasons;  // suspension reasons or the failure, one line each
  int warnings = 0;                  // data problems that did not suspend (reasons lists them)
  ReviewSummary summary;             // zero for a suspended or failed account
  std::vector<std::string> notes;    // the loader's and the proposal's notes
  std::vector<Trade> trades;
  double seconds = 0;  // time to review this account
};

}  // namespace arbor::review
