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

// For an account reviewed jointly with its household (core/review/household_rebalance.h): the
// household's figures, the same on every member's record, so that filters can select by them.
struct HouseholdFigures {
  bool joint = false;
  double value = 0;  // V_H
  double score_usd = 0;
  double score_bps = 0;
  double tracking_error_before = 0;
  double tracking_error_after = 0;
  double location_benefit_usd = 0;
};

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
  HouseholdFigures household_figures;
  double seconds = 0;  // time to review this account (its household's, for a joint review)
};

}  // namespace arbor::review
