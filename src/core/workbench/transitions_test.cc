#include "core/workbench/transitions.h"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

namespace arbor::workbench {
namespace {

using A = BatchAction;
using S = ReviewStatus;

constexpr Outcome kOutcomes[] = {Outcome::kProposed, Outcome::kNoTrade, Outcome::kSuspended,
                                 Outcome::kFailed};
constexpr ReviewStatus kStatuses[] = {S::kPending, S::kSuspended, S::kApproved, S::kReview,
                                      S::kReleased};

// The table of docs/workbench.md, written out independently of the code's.
bool Allowed(BatchAction action, Outcome outcome, ReviewStatus status) {
  switch (action) {
    case A::kSuspend:
      return status == S::kPending || status == S::kApproved || status == S::kReview;
    case A::kReview:
      return status == S::kPending || status == S::kApproved || status == S::kSuspended;
    case A::kApprove:
      return (status == S::kPending || status == S::kReview) && outcome == Outcome::kProposed;
    case A::kRelease:
      return status == S::kApproved;
  }
  return false;
}

TEST(TransitionsTest, TheDocumentedTable) {
  for (BatchAction action : {A::kSuspend, A::kApprove, A::kReview, A::kRelease}) {
    for (Outcome outcome : kOutcomes) {
      for (ReviewStatus status : kStatuses) {
        const std::string why = WhyNot(action, outcome, status);
        EXPECT_EQ(why.empty(), Allowed(action, outcome, status))
            << ToString(action) << " " << ToString(outcome) << " " << ToString(status) << ": "
            << why;
      }
    }
  }
}

TEST(TransitionsTest, ReasonsNameTheRule) {
  EXPECT_EQ(WhyNot(A::kApprove, Outcome::kNoTrade, S::kPending),
            "outcome no_trade: only a proposal can be approved");
  EXPECT_EQ(WhyNot(A::kApprove, Outcome::kProposed, S::kSuspended),
            "status suspended: approve takes pending or review");
  EXPECT_EQ(WhyNot(A::kRelease, Outcome::kProposed, S::kPending),
            "status pending: release takes approved");
  EXPECT_EQ(WhyNot(A::kSuspend, Outcome::kProposed, S::kReleased),
            "status released: released is final, its trades may be at the trading desk");
  EXPECT_EQ(WhyNot(A::kReview, Outcome::kProposed, S::kReview), "already in review");
  EXPECT_EQ(WhyNot(A::kSuspend, Outcome::kProposed, S::kSuspended), "already suspended");
  EXPECT_EQ(WhyNot(A::kSuspend, Outcome::kFailed, S::kReview), "");
}

TEST(TransitionsTest, NamesRoundTrip) {
  for (BatchAction action : {A::kSuspend, A::kApprove, A::kReview, A::kRelease}) {
    EXPECT_EQ(*BatchActionFromString(ToString(action)), action);
  }
  for (ReviewStatus status : kStatuses)
    EXPECT_EQ(*ReviewStatusFromString(ToString(status)), status);
  for (Outcome outcome : kOutcomes) EXPECT_EQ(*OutcomeFromString(ToString(outcome)), outcome);
  EXPECT_EQ(ReviewStatusFromString("done").status().message(),
            "unknown status 'done' (one of pending, suspended, approved, review, released)");
}

}  // namespace
}  // namespace arbor::workbench
