// The cash one review of an account must raise and keep, from its cash policy
// (core/review/cash_policy.h) and its rebalance settings (docs/cash.md):
//
//   CashPlanInput in{.as_of = *Date::Parse("2021-04-28"), .balance = Money::Units(1'200),
//                    .min = Money::Units(1'000), .movements = dividends_and_withdrawals,
//                    .reviews_before = 2};
//   CashPlan plan = PlanCash(policy, in);
//   input.cash.withdrawal = plan.withdrawal;   // paid out within the lead days: not invested
//   input.cash.min = plan.minimum;             // kept after trading and the withdrawals
//   plan.reasons;   // "scheduled withdrawal W1 of 5,000.00 due 2021-05-01", ...
//
// The rules, for a review as of D:
//  - Withdrawals: every scheduled payment and pending request due in (D, D + lead days] is
//    raised now, as `withdrawal`: the custodian pays it on its due date, so it must be cash by
//    then, and the review's V excludes it. A payment due on or before D is the custodian's (the
//    ledger has it as a withdrawal), so it is not raised again; a request still pending after
//    its due date is reported, not raised. Paid and cancelled requests are ignored.
//  - Reserve: the dividends (interest included) received after the last withdrawal paid out,
//    capped at reserve_cap, are held back as cash. Income on the withdrawal's own date counts as
//    paid out with it, so the reserve restarts after every payment to the client.
//  - Accumulate cash: review k of N since accumulate_from (k = reviews before D + 1) keeps
//    target x k / N: each review needs only its step, the steps sum to the target exactly, and
//    after the N-th review the target stays held until the policy is changed.
//  - minimum = settings' min + reserve + accumulation; maximum = the settings' max, raised to
//    the minimum when below it.
//  - Must trade: the cash now is short of withdrawal + minimum, the cash the proposal leaves
//    before the payouts. Trade rounding then keeps cash_after >= minimum >= 0 after costs
//    (core/review/trade_rounding.h), so a proposal never overdraws the account.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/review/cash_policy.h"

namespace arbor::review {

enum class CashMovementKind { kIncome, kWithdrawal };

// A dividend or interest received, or a withdrawal paid out, from the account's ledger.
struct CashMovement {
  Date date;
  CashMovementKind kind = CashMovementKind::kIncome;
  Money amount;
};

struct CashPlanInput {
  Date as_of;
  Money balance;                        // cash in the account now
  Money min;                            // the rebalance settings' minimum cash
  std::optional<Money> max;             // and maximum
  Money withdrawal;                     // a withdrawal the rebalance settings ask for now
  std::vector<CashMovement> movements;  // on or before as_of, any order
  int reviews_before = 0;  // reviews of the account on dates in [accumulate_from, as_of)
};

struct CashPlan {
  Money withdrawal;  // paid out within the lead days (and the settings' own): raised now
  Money reserve;
  Money accumulation;  // what the accumulation asks this review to hold
  Money minimum;       // kept after trading, costs and the withdrawal
  std::optional<Money> maximum;
  Money shortfall;                   // withdrawal + minimum - balance, when positive
  std::vector<std::string> reasons;  // one line per part, for the proposal's notes
  std::string must_trade_reason;     // empty unless shortfall > 0

  bool must_trade() const { return shortfall.is_positive(); }
};

CashPlan PlanCash(const CashPolicy& policy, const CashPlanInput& input);

}  // namespace arbor::review
