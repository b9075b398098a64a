// The workbench's batch actions and which accounts each may move: the rules the central
// rebalancing group works under, kept apart from the store so they read as one table
// (docs/workbench.md, "Transitions").
//
//   std::string why = WhyNot(BatchAction::kApprove, Outcome::kNoTrade, ReviewStatus::kPending);
//   // "outcome no_trade: only a proposal can be approved"
//   if (why.empty()) status = TargetStatus(BatchAction::kApprove);   // kApproved
//
//   action    moves to   from                        and
//   suspend   suspended  pending, approved, review   any outcome
//   review    review     pending, approved, suspended any outcome
//   approve   approved   pending, review             outcome proposed
//   release   released   approved                    (approved implies proposed)
//
// Released is final: its trades may already be at the trading desk. An account the action
// cannot move is skipped with the reason, never changed silently.
#pragma once

#include <string>
#include <string_view>

#include "core/base/status.h"

namespace arbor::workbench {

// What the daily review produced for an account.
enum class Outcome { kProposed, kNoTrade, kSuspended, kFailed };
// Where the workbench has the account. The review writes pending, or suspended when a data
// check failed or the account's review failed; the batch actions do the rest.
enum class ReviewStatus { kPending, kSuspended, kApproved, kReview, kReleased };
enum class BatchAction { kSuspend, kApprove, kReview, kRelease };

std::string_view ToString(Outcome outcome);
std::string_view ToString(ReviewStatus status);
std::string_view ToString(BatchAction action);
Result<Outcome> OutcomeFromString(std::string_view text);
Result<ReviewStatus> ReviewStatusFromString(std::string_view text);
Result<BatchAction> BatchActionFromString(std::string_view text);

ReviewStatus TargetStatus(BatchAction action);

// Empty when `action` may move an account with this outcome and status; otherwise why not,
// naming the rule, e.g. "status released: suspend takes pending, approved or review".
std::string WhyNot(BatchAction action, Outcome outcome, ReviewStatus status);

}  // namespace arbor::workbench
