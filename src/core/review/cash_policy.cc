#include "core/review/cash_policy.h"

#include <set>

#include "core/base/enum_names.h"

namespace arbor::review {
namespace {

constexpr EnumNames<WithdrawalRequestStatus, 3> kStatusNames = {
    {{WithdrawalRequestStatus::kPending, "pending"},
     {WithdrawalRequestStatus::kPaid, "paid"},
     {WithdrawalRequestStatus::kCancelled, "cancelled"}}};

// The schema allows 0..60 (migration 7): more than two months ahead is a plan, not a lead.
constexpr int kMaxLeadDays = 60;

Status FieldError(const std::string& field, const std::string& what) {
  return Status::InvalidArgument(field + ": " + what);
}

// Months since year 0, so that "every N months" is integer arithmetic.
int MonthIndex(Date date) { return date.year() * 12 + date.month() - 1; }

Date OnDay(int month_index, int day) {
  return *Date::FromYmd(month_index / 12, month_index % 12 + 1, day);
}

}  // namespace

std::string_view ToString(WithdrawalRequestStatus status) { return NameOf(kStatusNames, status); }

Result<WithdrawalRequestStatus> WithdrawalRequestStatusFromString(std::string_view text) {
  std::optional<WithdrawalRequestStatus> status = ParseName(kStatusNames, text);
  if (!status) {
    return Status::InvalidArgument("unknown withdrawal request status '" + std::string(text) +
                                   "' (expected pending, paid or cancelled)");
  }
  return *status;
}

Status ValidateScheduledWithdrawal(const ScheduledWithdrawal& w) {
  if (w.id.empty()) return FieldError("id", "must not be empty");
  if (!w.amount.is_positive()) return FieldError("amount", "must be positive");
  if (w.day_of_month < 1 || w.day_of_month > 28) {
    return FieldError("day_of_month", "must be 1..28 (every month has the day), got " +
                                          std::to_string(w.day_of_month));
  }
  if (w.every_months != 1 && w.every_months != 3 && w.every_months != 6 && w.every_months != 12) {
    return FieldError("every_months",
                      "must be 1, 3, 6 or 12, got " + std::to_string(w.every_months));
  }
  if (w.last_date && *w.last_date < w.first_date) {
    return FieldError("last_date",
                      w.last_date->ToString() + " is before first_date " + w.first_date.ToString());
  }
  return Status::Ok();
}

Status ValidateWithdrawalRequest(const WithdrawalRequest& r) {
  if (r.id.empty()) return FieldError("id", "must not be empty");
  if (!r.amount.is_positive()) return FieldError("amount", "must be positive");
  if (r.due <= r.entered_at) {
    return FieldError("due", r.due.ToString() + " must be after the entry date " +
                                 r.entered_at.ToString() +
                                 " (the reviews before it raise the cash)");
  }
  return Status::Ok();
}

std::optional<Date> NextOccurrence(const ScheduledWithdrawal& withdrawal, Date after) {
  const int every = withdrawal.every_months;
  const int first = MonthIndex(withdrawal.first_date) +
                    (withdrawal.first_date.day() > withdrawal.day_of_month ? 1 : 0);
  // The first payment month at or after the month of `after`, then one more if that payment
  // is not strictly after it.
  const int behind = MonthIndex(after) - first;
  int month = first + (behind > 0 ? (behind + every - 1) / every * every : 0);
  Date date = OnDay(month, withdrawal.day_of_month);
  if (date <= after) date = OnDay(month + every, withdrawal.day_of_month);
  if (withdrawal.last_date && date > *withdrawal.last_date) return std::nullopt;
  return date;
}

Status ValidateCashPolicy(const CashPolicy& policy) {
  if (policy.reserve_cap.is_negative()) return FieldError("reserve_cap", "must not be negative");
  if (policy.withdrawal_lead_days < 0 || policy.withdrawal_lead_days > kMaxLeadDays) {
    return FieldError("withdrawal_lead_days", "must be 0.." + std::to_string(kMaxLeadDays) +
                                                  ", got " +
                                                  std::to_string(policy.withdrawal_lead_days));
  }
  if (policy.accumulate_target.is_negative()) {
    return FieldError("accumulate_target", "must not be negative");
  }
  if (policy.accumulate_reviews < 0) {
    return FieldError("accumulate_reviews", "must not be negative");
  }
  // Both set (accumulating) or both zero (not): one without the other is a typo.
  if (policy.accumulate_target.is_positive() != (policy.accumulate_reviews > 0)) {
    return FieldError(
        policy.accumulate_target.is_positive() ? "accumulate_reviews" : "accumulate_target",
        "accumulate_target and accumulate_reviews go together (both 0: not "
        "accumulating)");
  }
  if (policy.accumulate_reviews > 0 && !policy.accumulate_from) {
    return FieldError("accumulate_from", "required when accumulating cash");
  }
  std::set<std::string> ids;
  for (const ScheduledWithdrawal& w : policy.scheduled) {
    const std::string entry = "scheduled[" + w.id + "]";
    ARBOR_RETURN_IF_ERROR(ValidateScheduledWithdrawal(w).WithContext(entry));
    if (!ids.insert(w.id).second) return FieldError(entry, "listed twice");
  }
  ids.clear();
  for (const WithdrawalRequest& r : policy.requests) {
    const std::string entry = "requests[" + r.id + "]";
    ARBOR_RETURN_IF_ERROR(ValidateWithdrawalRequest(r).WithContext(entry));
    if (!ids.insert(r.id).second) return FieldError(entry, "listed twice");
  }
  return Status::Ok();
}

}  // namespace arbor::review
