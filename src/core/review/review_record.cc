#include "core/review/review_record.h"

namespace arbor::review {

std::string_view ToString(ReviewOutcome outcome) {
  switch (outcome) {
    case ReviewOutcome::kProposed: return "proposed";
    case ReviewOutcome::kNoTrade: return "no_trade";
    case ReviewOutcome::kSuspended: return "suspended";
    case ReviewOutcome::kFailed: return "failed";
  }
  return "failed";
}

}  // namespace arbor::review
