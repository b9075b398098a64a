#include "adapters/storage/cash_plan_loader.h"

#include "adapters/storage/cash_policy_store.h"
#include "adapters/storage/model_store_internal.h"

namespace arbor {
namespace {

using storage_internal::ForEachRow;
using storage_internal::StoredDate;

// Dividends and withdrawals on or before `as_of`, from the last withdrawal's date on: all the
// reserve rule reads (earlier income was paid out with that withdrawal).
Result<std::vector<review::CashMovement>> RecentMovements(Database* db, const std::string& account,
                                                          Date as_of) {
  Result<Statement> select = db->Prepare(
      "SELECT date, action, amount_micros FROM transactions "
      "WHERE account = ?1 AND action IN ('dividend', 'withdrawal') AND date <= ?2 "
      "AND date >= coalesce((SELECT max(date) FROM transactions WHERE account = ?1 "
      "AND action = 'withdrawal' AND date <= ?2), '')");
  if (!select.ok()) return select.status();
  select->Bind(1, account).Bind(2, as_of.ToString());
  std::vector<review::CashMovement> movements;
  ARBOR_RETURN_IF_ERROR(ForEachRow(*select, [&](const Statement& row) {
    Result<Date> date = StoredDate(row, 0, "transaction date of " + account);
    if (!date.ok()) return date.status();
    movements.push_back({.date = *date,
                         .kind = row.ColumnView(1) == "dividend"
                                     ? review::CashMovementKind::kIncome
                                     : review::CashMovementKind::kWithdrawal,
                         .amount = Money::FromMicros(row.ColumnInt(2))});
    return Status::Ok();
  }));
  return movements;
}

// Review dates in [from, before) with a result for the account. Runs are few (one a day), so
// each is probed by the results' primary key (run, account).
Result<int> ReviewsBetween(Database* db, const std::string& account, Date from, Date before) {
  Result<Statement> select = db->Prepare(
      "SELECT count(DISTINCT as_of) FROM review_runs r WHERE as_of >= ?2 AND as_of < ?3 "
      "AND EXISTS (SELECT 1 FROM review_results WHERE run = r.id AND account = ?1)");
  if (!select.ok()) return select.status();
  select->Bind(1, account).Bind(2, from.ToString()).Bind(3, before.ToString());
  Result<bool> row = select->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(select->ColumnInt(0));
}

}  // namespace

Result<review::CashPlan> LoadCashPlan(Database* db, const std::string& account, Date as_of,
                                      const review::CashSettings& settings) {
  Result<review::CashPolicy> policy = LoadCashPolicy(db, account);
  if (!policy.ok()) return policy.status();
  review::CashPlanInput in{.as_of = as_of,
                           .balance = settings.balance,
                           .min = settings.min,
                           .max = settings.max,
                           .withdrawal = settings.withdrawal};
  // Both queries only when their rule applies: most accounts have neither.
  if (policy->reserve_cap.is_positive()) {
    Result<std::vector<review::CashMovement>> movements = RecentMovements(db, account, as_of);
    if (!movements.ok()) return movements.status();
    in.movements = *std::move(movements);
  }
  if (policy->accumulate_reviews > 0 && policy->accumulate_from &&
      *policy->accumulate_from <= as_of) {
    Result<int> reviews = ReviewsBetween(db, account, *policy->accumulate_from, as_of);
    if (!reviews.ok()) return reviews.status();
    in.reviews_before = *reviews;
  }
  return review::PlanCash(*policy, in);
}

Status ApplyCashPlan(Database* db, review::RebalanceInput& input) {
  Result<review::CashPlan> plan = LoadCashPlan(db, input.account, input.as_of, input.cash);
  if (!plan.ok()) return plan.status();
  input.cash.withdrawal = plan->withdrawal;
  input.cash.min = plan->minimum;
  input.cash.max = plan->maximum;
  input.notes.insert(input.notes.end(), plan->reasons.begin(), plan->reasons.end());
  return Status::Ok();
}

}  // namespace arbor
