#include "core/workbench/transitions.h"

#include <span>

#include "core/base/enum_names.h"

namespace arbor::workbench {
namespace {

constexpr EnumNames<Outcome, 4> kOutcomeNames = {{{Outcome::kProposed, "proposed"},
                                                  {Outcome::kNoTrade, "no_trade"},
                                                  {Outcome::kSuspended, "suspended"},
                                                  {Outcome::kFailed, "failed"}}};
constexpr EnumNames<ReviewStatus, 5> kStatusNames = {{{ReviewStatus::kPending, "pending"},
                                                      {ReviewStatus::kSuspended, "suspended"},
                                                      {ReviewStatus::kApproved, "approved"},
                                                      {ReviewStatus::kReview, "review"},
                                                      {ReviewStatus::kReleased, "released"}}};
constexpr EnumNames<BatchAction, 4> kActionNames = {{{BatchAction::kSuspend, "suspend"},
                                                     {BatchAction::kApprove, "approve"},
                                                     {BatchAction::kReview, "review"},
                                                     {BatchAction::kRelease, "release"}}};

template <typename E, size_t N>
Result<E> Parse(const EnumNames<E, N>& names, std::string_view what, std::string_view text) {
  if (std::optional<E> value = ParseName(names, text)) return *value;
  std::string known;
  for (const auto& [value, name] : names) known += std::string(known.empty() ? "" : ", ") += name;
  return Status::InvalidArgument("unknown " + std::string(what) + " '" + std::string(text) +
                                 "' (one of " + known + ")");
}

constexpr ReviewStatus kSuspendFrom[] = {ReviewStatus::kPending, ReviewStatus::kApproved,
                                         ReviewStatus::kReview};
constexpr ReviewStatus kReviewFrom[] = {ReviewStatus::kPending, ReviewStatus::kApproved,
                                        ReviewStatus::kSuspended};
constexpr ReviewStatus kApproveFrom[] = {ReviewStatus::kPending, ReviewStatus::kReview};
constexpr ReviewStatus kReleaseFrom[] = {ReviewStatus::kApproved};

// The statuses an action moves accounts from.
std::span<const ReviewStatus> Sources(BatchAction action) {
  switch (action) {
    case BatchAction::kSuspend:
      return kSuspendFrom;
    case BatchAction::kReview:
      return kReviewFrom;
    case BatchAction::kApprove:
      return kApproveFrom;
    case BatchAction::kRelease:
      return kReleaseFrom;
  }
  return {};
}

}  // namespace

std::string_view ToString(Outcome outcome) { return NameOf(kOutcomeNames, outcome); }
std::string_view ToString(ReviewStatus status) { return NameOf(kStatusNames, status); }
std::string_view ToString(BatchAction action) { return NameOf(kActionNames, action); }

Result<Outcome> OutcomeFromString(std::string_view text) {
  return Parse(kOutcomeNames, "outcome", text);
}
Result<ReviewStatus> ReviewStatusFromString(std::string_view text) {
  return Parse(kStatusNames, "status", text);
}
Result<BatchAction> BatchActionFromString(std::string_view text) {
  return Parse(kActionNames, "action", text);
}

ReviewStatus TargetStatus(BatchAction action) {
  switch (action) {
    case BatchAction::kSuspend:
      return ReviewStatus::kSuspended;
    case BatchAction::kApprove:
      return ReviewStatus::kApproved;
    case BatchAction::kReview:
      return ReviewStatus::kReview;
    case BatchAction::kRelease:
      return ReviewStatus::kReleased;
  }
  return ReviewStatus::kPending;
}

std::string WhyNot(BatchAction action, Outcome outcome, ReviewStatus status) {
  const std::string status_text = "status " + std::string(ToString(status));
  if (status == TargetStatus(action)) {
    return status == ReviewStatus::kReview ? "already in review"
                                           : "already " + std::string(ToString(status));
  }
  if (status == ReviewStatus::kReleased) {
    return status_text + ": released is final, its trades may be at the trading desk";
  }
  bool allowed = false;
  std::string from;
  const std::span<const ReviewStatus> sources = Sources(action);
  for (size_t i = 0; i < sources.size(); ++i) {
    allowed = allowed || sources[i] == status;
    if (i > 0) from += i + 1 == sources.size() ? " or " : ", ";
    from += ToString(sources[i]);
  }
  if (!allowed) return status_text + ": " + std::string(ToString(action)) + " takes " + from;
  if (action == BatchAction::kApprove && outcome != Outcome::kProposed) {
    return "outcome " + std::string(ToString(outcome)) + ": only a proposal can be approved";
  }
  return "";
}

}  // namespace arbor::workbench
