// An account's cash policy beyond the minimum and maximum of its rebalance settings: the reserve
// held back from dividends and interest, regularly scheduled withdrawals, the advisor's one-off
// withdrawal requests, and "accumulate cash". core/review/cash_plan.h turns it into the cash a
// review must raise or keep (docs/cash.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/status.h"

namespace arbor::review {

// "$5,000 on the 1st of each month": paid on `day_of_month` every `every_months` months from
// `first_date` (inclusive) to `last_date` (inclusive, when given).
struct ScheduledWithdrawal {
  std::string id;
  Money amount;
  int day_of_month = 1;  // 1..28, so every month has the day
  int every_months = 1;  // 1, 3, 6 or 12
  Date first_date;
  std::optional<Date> last_date;
};

// The first payment date of `withdrawal` strictly after `after`, if any. The payments fall on
// `day_of_month` of the first month on or after `first_date` that has that day on or after it,
// then every `every_months` months, up to `last_date`.
std::optional<Date> NextOccurrence(const ScheduledWithdrawal& withdrawal, Date after);

enum class WithdrawalRequestStatus { kPending, kPaid, kCancelled };
std::string_view ToString(WithdrawalRequestStatus status);
Result<WithdrawalRequestStatus> WithdrawalRequestStatusFromString(std::string_view text);

// A one-off withdrawal the advisor entered: to be paid on `due`.
struct WithdrawalRequest {
  std::string id;
  Money amount;
  Date due;
  std::string entered_by;
  Date entered_at;
  WithdrawalRequestStatus status = WithdrawalRequestStatus::kPending;
};

struct CashPolicy {
  // Dividends and interest are held back as cash, up to this much (0: all are reinvested).
  Money reserve_cap;
  // A withdrawal due within this many calendar days is raised by today's review.
  int withdrawal_lead_days = 5;
  // Accumulate cash: raise `accumulate_target` over `accumulate_reviews` reviews from
  // `accumulate_from`, an equal part at each (0 reviews: not accumulating).
  Money accumulate_target;
  int accumulate_reviews = 0;
  std::optional<Date> accumulate_from;
  std::vector<ScheduledWithdrawal> scheduled;
  std::vector<WithdrawalRequest> requests;
};

// Each checks every field and names the one that is wrong: "day_of_month: must be 1..28, got
// 31"; the policy's message says which entry ("scheduled[W1]: day_of_month: ...").
Status ValidateScheduledWithdrawal(const ScheduledWithdrawal& withdrawal);
Status ValidateWithdrawalRequest(const WithdrawalRequest& request);
Status ValidateCashPolicy(const CashPolicy& policy);

}  // namespace arbor::review
