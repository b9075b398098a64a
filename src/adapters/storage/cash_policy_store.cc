// Reading and writing an account's cash policy; the CSV imports are in cash_policy_import.cc.
#include "adapters/storage/cash_policy_store.h"

#include "adapters/storage/model_store_internal.h"

namespace arbor {
namespace {

using storage_internal::ForEachRow;
using storage_internal::StoredDate;
using storage_internal::WriteScope;

Status ReadPolicyRow(Database* db, const std::string& account, review::CashPolicy& policy) {
  Result<Statement> select = db->Prepare(
      "SELECT reserve_cap_micros, withdrawal_lead_days, accumulate_target_micros, "
      "accumulate_reviews, accumulate_from FROM cash_policies WHERE account = ?1");
  if (!select.ok()) return select.status();
  select->Bind(1, account);
  return ForEachRow(*select, [&](const Statement& row) {
    policy.reserve_cap = Money::FromMicros(row.ColumnInt(0));
    policy.withdrawal_lead_days = static_cast<int>(row.ColumnInt(1));
    policy.accumulate_target = Money::FromMicros(row.ColumnInt(2));
    policy.accumulate_reviews = static_cast<int>(row.ColumnInt(3));
    if (!row.ColumnIsNull(4)) {
      Result<Date> from = StoredDate(row, 4, "accumulate_from of " + account);
      if (!from.ok()) return from.status();
      policy.accumulate_from = *from;
    }
    return Status::Ok();
  });
}

Status ReadScheduled(Database* db, const std::string& account, review::CashPolicy& policy) {
  Result<Statement> select = db->Prepare(
      "SELECT id, amount_micros, day_of_month, every_months, first_date, last_date "
      "FROM scheduled_withdrawals WHERE account = ?1 ORDER BY id");
  if (!select.ok()) return select.status();
  select->Bind(1, account);
  return ForEachRow(*select, [&](const Statement& row) {
    review::ScheduledWithdrawal w{.id = row.ColumnText(0),
                                  .amount = Money::FromMicros(row.ColumnInt(1)),
                                  .day_of_month = static_cast<int>(row.ColumnInt(2)),
                                  .every_months = static_cast<int>(row.ColumnInt(3))};
    const std::string what = "scheduled withdrawal " + w.id + " of " + account;
    Result<Date> first = StoredDate(row, 4, what);
    if (!first.ok()) return first.status();
    w.first_date = *first;
    if (!row.ColumnIsNull(5)) {
      Result<Date> last = StoredDate(row, 5, what);
      if (!last.ok()) return last.status();
      w.last_date = *last;
    }
    policy.scheduled.push_back(std::move(w));
    return Status::Ok();
  });
}

Status ReadRequests(Database* db, const std::string& account, review::CashPolicy& policy) {
  Result<Statement> select = db->Prepare(
      "SELECT id, amount_micros, due, entered_by, entered_at, status FROM withdrawal_requests "
      "WHERE account = ?1 ORDER BY due, id");
  if (!select.ok()) return select.status();
  select->Bind(1, account);
  return ForEachRow(*select, [&](const Statement& row) {
    review::WithdrawalRequest r{.id = row.ColumnText(0),
                                .amount = Money::FromMicros(row.ColumnInt(1)),
                                .entered_by = row.ColumnText(3)};
    const std::string what = "withdrawal request " + r.id + " of " + account;
    Result<Date> due = StoredDate(row, 2, what);
    if (!due.ok()) return due.status();
    Result<Date> entered = StoredDate(row, 4, what);
    if (!entered.ok()) return entered.status();
    Result<review::WithdrawalRequestStatus> status =
        review::WithdrawalRequestStatusFromString(row.ColumnView(5));
    if (!status.ok()) return status.status().WithContext("stored " + what);
    r.due = *due;
    r.entered_at = *entered;
    r.status = *status;
    policy.requests.push_back(std::move(r));
    return Status::Ok();
  });
}

Status CheckAccount(Database* db, const std::string& account) {
  Result<Statement> select = db->Prepare("SELECT count(*) FROM accounts WHERE id = ?1");
  if (!select.ok()) return select.status();
  select->Bind(1, account);
  Result<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (select->ColumnInt(0) == 0) {
    return Status::NotFound("unknown account '" + account +
                            "'; import it with `arbor import accounts`");
  }
  return Status::Ok();
}

Status WritePolicy(Database* db, const std::string& account, const review::CashPolicy& policy) {
  Result<Statement> upsert = db->Prepare(
      "INSERT INTO cash_policies (account, reserve_cap_micros, withdrawal_lead_days, "
      "accumulate_target_micros, accumulate_reviews, accumulate_from) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (account) DO UPDATE SET "
      "reserve_cap_micros = excluded.reserve_cap_micros, "
      "withdrawal_lead_days = excluded.withdrawal_lead_days, "
      "accumulate_target_micros = excluded.accumulate_target_micros, "
      "accumulate_reviews = excluded.accumulate_reviews, "
      "accumulate_from = excluded.accumulate_from");
  if (!upsert.ok()) return upsert.status();
  upsert->Bind(1, account)
      .Bind(2, policy.reserve_cap.micros())
      .Bind(3, policy.withdrawal_lead_days)
      .Bind(4, policy.accumulate_target.micros())
      .Bind(5, policy.accumulate_reviews)
      .BindTextOrNull(6, policy.accumulate_from ? policy.accumulate_from->ToString() : "");
  return upsert->Run();
}

Status WriteScheduled(Database* db, const std::string& account,
                      const std::vector<review::ScheduledWithdrawal>& scheduled) {
  Result<Statement> remove = db->Prepare("DELETE FROM scheduled_withdrawals WHERE account = ?1");
  if (!remove.ok()) return remove.status();
  ARBOR_RETURN_IF_ERROR(remove->Bind(1, account).Run());
  Result<Statement> insert = db->Prepare(
      "INSERT INTO scheduled_withdrawals (account, id, amount_micros, day_of_month, "
      "every_months, first_date, last_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!insert.ok()) return insert.status();
  for (const review::ScheduledWithdrawal& w : scheduled) {
    insert->Bind(1, account)
        .Bind(2, w.id)
        .Bind(3, w.amount.micros())
        .Bind(4, w.day_of_month)
        .Bind(5, w.every_months)
        .Bind(6, w.first_date.ToString())
        .BindTextOrNull(7, w.last_date ? w.last_date->ToString() : "");
    ARBOR_RETURN_IF_ERROR(insert->Run());
  }
  return Status::Ok();
}

Status WriteRequests(Database* db, const std::string& account,
                     const std::vector<review::WithdrawalRequest>& requests) {
  Result<Statement> remove = db->Prepare("DELETE FROM withdrawal_requests WHERE account = ?1");
  if (!remove.ok()) return remove.status();
  ARBOR_RETURN_IF_ERROR(remove->Bind(1, account).Run());
  Result<Statement> insert = db->Prepare(
      "INSERT INTO withdrawal_requests (account, id, amount_micros, due, entered_by, entered_at, "
      "status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!insert.ok()) return insert.status();
  for (const review::WithdrawalRequest& r : requests) {
    insert->Bind(1, account)
        .Bind(2, r.id)
        .Bind(3, r.amount.micros())
        .Bind(4, r.due.ToString())
        .Bind(5, r.entered_by)
        .Bind(6, r.entered_at.ToString())
        .Bind(7, std::string(ToString(r.status)));
    ARBOR_RETURN_IF_ERROR(insert->Run());
  }
  return Status::Ok();
}

}  // namespace

Result<review::CashPolicy> LoadCashPolicy(Database* db, const std::string& account) {
  review::CashPolicy policy;
  ARBOR_RETURN_IF_ERROR(ReadPolicyRow(db, account, policy));
  ARBOR_RETURN_IF_ERROR(ReadScheduled(db, account, policy));
  ARBOR_RETURN_IF_ERROR(ReadRequests(db, account, policy));
  return policy;
}

Status SaveCashPolicy(Database* db, const std::string& account, const review::CashPolicy& policy) {
  ARBOR_RETURN_IF_ERROR(
      review::ValidateCashPolicy(policy).WithContext("cash policy of " + account));
  Result<WriteScope> scope = WriteScope::Begin(db);
  if (!scope.ok()) return scope.status();
  ARBOR_RETURN_IF_ERROR(CheckAccount(db, account));
  ARBOR_RETURN_IF_ERROR(WritePolicy(db, account, policy));
  ARBOR_RETURN_IF_ERROR(WriteScheduled(db, account, policy.scheduled));
  ARBOR_RETURN_IF_ERROR(WriteRequests(db, account, policy.requests));
  return scope->Commit();
}

Result<std::vector<std::string>> AccountsWithWithdrawals(Database* db) {
  Result<Statement> select = db->Prepare(
      "SELECT account FROM scheduled_withdrawals UNION SELECT account FROM withdrawal_requests "
      "ORDER BY account");
  if (!select.ok()) return select.status();
  std::vector<std::string> accounts;
  ARBOR_RETURN_IF_ERROR(ForEachRow(*select, [&](const Statement& row) {
    accounts.push_back(row.ColumnText(0));
    return Status::Ok();
  }));
  return accounts;
}

}  // namespace arbor
