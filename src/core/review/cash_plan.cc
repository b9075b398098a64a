#include "core/review/cash_plan.h"

#include <algorithm>

#include "core/review/dollars.h"

namespace arbor::review {
namespace {

void AddWithdrawals(const CashPolicy& policy, const CashPlanInput& input, CashPlan& plan) {
  if (input.withdrawal.is_positive()) {
    plan.withdrawal += input.withdrawal;
    plan.reasons.push_back("withdrawal of " + Dollars(input.withdrawal) +
                           " from the rebalance settings");
  }
  const Date last = input.as_of.AddDays(policy.withdrawal_lead_days);
  for (const ScheduledWithdrawal& w : policy.scheduled) {
    for (std::optional<Date> due = NextOccurrence(w, input.as_of); due && *due <= last;
         due = NextOccurrence(w, *due)) {
      plan.withdrawal += w.amount;
      plan.reasons.push_back("scheduled withdrawal " + w.id + " of " + Dollars(w.amount) + " due " +
                             due->ToString());
    }
  }
  for (const WithdrawalRequest& r : policy.requests) {
    if (r.status != WithdrawalRequestStatus::kPending || r.due > last) continue;
    if (r.due <= input.as_of) {
      plan.reasons.push_back("withdrawal request " + r.id + " of " + Dollars(r.amount) +
                             " was due " + r.due.ToString() +
                             " and is still pending: not raised again, since the custodian "
                             "pays on the due date; mark it paid or cancel it");
      continue;
    }
    plan.withdrawal += r.amount;
    plan.reasons.push_back("withdrawal request " + r.id + " of " + Dollars(r.amount) + " due " +
                           r.due.ToString() +
                           (r.entered_by.empty() ? "" : " (entered by " + r.entered_by + ")"));
  }
}

void AddReserve(const CashPolicy& policy, const CashPlanInput& input, CashPlan& plan) {
  if (!policy.reserve_cap.is_positive()) return;
  std::optional<Date> paid_out;
  for (const CashMovement& m : input.movements) {
    if (m.kind == CashMovementKind::kWithdrawal && m.date <= input.as_of &&
        (!paid_out || m.date > *paid_out)) {
      paid_out = m.date;
    }
  }
  Money income;
  for (const CashMovement& m : input.movements) {
    if (m.kind == CashMovementKind::kIncome && m.date <= input.as_of &&
        (!paid_out || m.date > *paid_out)) {
      income += m.amount;
    }
  }
  plan.reserve = std::min(income, policy.reserve_cap);
  if (plan.reserve.is_zero()) return;
  plan.reasons.push_back(
      "reserve: " + Dollars(plan.reserve) + " of " + Dollars(income) +
      " dividends and interest received " +
      (paid_out ? "since the withdrawal of " + paid_out->ToString() : std::string("so far")) +
      " held back as cash (cap " + Dollars(policy.reserve_cap) + ")");
}

void AddAccumulation(const CashPolicy& policy, const CashPlanInput& input, CashPlan& plan) {
  if (policy.accumulate_reviews <= 0 || !policy.accumulate_from ||
      input.as_of < *policy.accumulate_from) {
    return;
  }
  const int64_t of = policy.accumulate_reviews;
  const int64_t review = std::min<int64_t>(input.reviews_before + 1, of);
  plan.accumulation = Money::FromMicros(
      RoundedDivide(static_cast<__int128>(policy.accumulate_target.micros()) * review, of));
  plan.reasons.push_back("accumulate cash: " + std::to_string(review) + " of " +
                         std::to_string(of) + " reviews, " + Dollars(plan.accumulation) + " of " +
                         Dollars(policy.accumulate_target));
}

}  // namespace

CashPlan PlanCash(const CashPolicy& policy, const CashPlanInput& input) {
  CashPlan plan;
  AddWithdrawals(policy, input, plan);
  AddReserve(policy, input, plan);
  AddAccumulation(policy, input, plan);
  plan.minimum = input.min + plan.reserve + plan.accumulation;
  if (input.max) {
    plan.maximum = std::max(*input.max, plan.minimum);
    if (*input.max < plan.minimum) {
      plan.reasons.push_back("cash maximum " + Dollars(*input.max) +
                             " raised to the cash minimum " + Dollars(plan.minimum));
    }
  }
  const Money needed = plan.withdrawal + plan.minimum;
  plan.shortfall = std::max(Money(), needed - input.balance);
  if (plan.must_trade()) {
    plan.must_trade_reason = "cash " + Dollars(input.balance) + " is " + Dollars(plan.shortfall) +
                             " short of the " + Dollars(needed) + " this review must hold " +
                             "(withdrawals " + Dollars(plan.withdrawal) + ", minimum " +
                             Dollars(plan.minimum) + ")";
  }
  return plan;
}

}  // namespace arbor::review
