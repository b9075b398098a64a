// CSV imports of cash policies and scheduled withdrawals (docs/import-formats.md). Each call
// reads all its files inside one write transaction; the first bad row rolls it back. Rows are
// checked with the core's rules (core/review/cash_policy.h) and stored through SaveCashPolicy.
#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "adapters/io/csv.h"
#include "adapters/storage/cash_policy_store.h"
#include "adapters/storage/csv_format.h"

namespace arbor {
namespace {

const char kAccountHint[] = "import it with `arbor import accounts` first";

Status ParseInt(const CsvRow& row, std::string_view field, std::string_view text, int* out) {
  if (text.empty()) return Status::Ok();  // the default already in *out
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  if (error != std::errc() || end != text.data() + text.size()) {
    return FieldError(row, field, "'" + std::string(text) + "' is not a whole number");
  }
  return Status::Ok();
}

Status ParseMoney(const CsvRow& row, std::string_view field, std::string_view text, Money* out) {
  if (text.empty()) return Status::Ok();
  Result<Money> money = Money::Parse(text);
  if (!money.ok()) return FieldError(row, field, money.status().message());
  *out = *money;
  return Status::Ok();
}

Status ParseDate(const CsvRow& row, std::string_view field, std::string_view text,
                 std::optional<Date>* out) {
  if (text.empty()) return Status::Ok();
  Result<Date> date = Date::Parse(text);
  if (!date.ok()) return FieldError(row, field, date.status().message());
  *out = *date;
  return Status::Ok();
}

// The policy's own fields from a cash-policies row, the withdrawals kept from `stored`.
Result<review::CashPolicy> PolicyRow(const FormatFile& file, const CsvRow& row,
                                     review::CashPolicy stored) {
  review::CashPolicy policy;
  ARBOR_RETURN_IF_ERROR(
      ParseMoney(row, "reserve_cap", file.Get(row, "reserve_cap"), &policy.reserve_cap));
  ARBOR_RETURN_IF_ERROR(ParseInt(row, "withdrawal_lead_days", file.Get(row, "withdrawal_lead_days"),
                                 &policy.withdrawal_lead_days));
  ARBOR_RETURN_IF_ERROR(ParseMoney(row, "accumulate_target", file.Get(row, "accumulate_target"),
                                   &policy.accumulate_target));
  ARBOR_RETURN_IF_ERROR(ParseInt(row, "accumulate_reviews", file.Get(row, "accumulate_reviews"),
                                 &policy.accumulate_reviews));
  ARBOR_RETURN_IF_ERROR(
      ParseDate(row, "accumulate_from", file.Get(row, "accumulate_from"), &policy.accumulate_from));
  const Status valid = review::ValidateCashPolicy(policy);
  if (!valid.ok()) return RowError(row, valid.message());  // "accumulate_from: required ..."
  policy.scheduled = std::move(stored.scheduled);
  policy.requests = std::move(stored.requests);
  return policy;
}

bool SamePolicyFields(const review::CashPolicy& a, const review::CashPolicy& b) {
  return a.reserve_cap == b.reserve_cap && a.withdrawal_lead_days == b.withdrawal_lead_days &&
         a.accumulate_target == b.accumulate_target &&
         a.accumulate_reviews == b.accumulate_reviews && a.accumulate_from == b.accumulate_from;
}

Result<bool> HasPolicyRow(Database* db, const std::string& account) {
  Result<Statement> select = db->Prepare("SELECT count(*) FROM cash_policies WHERE account = ?1");
  if (!select.ok()) return select.status();
  select->Bind(1, account);
  Result<bool> row = select->Step();
  if (!row.ok()) return row.status();
  return select->ColumnInt(0) > 0;
}

Result<review::ScheduledWithdrawal> ScheduledRow(const FormatFile& file, const CsvRow& row) {
  review::ScheduledWithdrawal w{.id = std::string(file.Get(row, "id"))};
  if (w.id.empty()) return FieldError(row, "id", "missing");
  if (file.Get(row, "amount").empty()) return FieldError(row, "amount", "missing");
  ARBOR_RETURN_IF_ERROR(ParseMoney(row, "amount", file.Get(row, "amount"), &w.amount));
  if (file.Get(row, "day_of_month").empty()) return FieldError(row, "day_of_month", "missing");
  ARBOR_RETURN_IF_ERROR(
      ParseInt(row, "day_of_month", file.Get(row, "day_of_month"), &w.day_of_month));
  ARBOR_RETURN_IF_ERROR(
      ParseInt(row, "every_months", file.Get(row, "every_months"), &w.every_months));
  std::optional<Date> first;
  ARBOR_RETURN_IF_ERROR(ParseDate(row, "first_date", file.Get(row, "first_date"), &first));
  if (!first) return FieldError(row, "first_date", "missing");
  w.first_date = *first;
  ARBOR_RETURN_IF_ERROR(ParseDate(row, "last_date", file.Get(row, "last_date"), &w.last_date));
  const Status valid = review::ValidateScheduledWithdrawal(w);
  if (!valid.ok()) return RowError(row, valid.message());  // "day_of_month: must be 1..28 ..."
  return w;
}

bool SameSchedule(const review::ScheduledWithdrawal& a, const review::ScheduledWithdrawal& b) {
  return a.id == b.id && a.amount == b.amount && a.day_of_month == b.day_of_month &&
         a.every_months == b.every_months && a.first_date == b.first_date &&
         a.last_date == b.last_date;
}

// Counts the file's schedule of one account against the stored one.
void Count(const std::vector<review::ScheduledWithdrawal>& stored,
           const std::vector<review::ScheduledWithdrawal>& imported, ImportSummary& summary) {
  for (const review::ScheduledWithdrawal& w : imported) {
    auto same_id = std::find_if(stored.begin(), stored.end(),
                                [&](const review::ScheduledWithdrawal& s) { return s.id == w.id; });
    if (same_id == stored.end()) {
      ++summary.inserted;
    } else {
      ++(SameSchedule(*same_id, w) ? summary.unchanged : summary.updated);
    }
  }
}

}  // namespace

Result<ImportSummary> ImportCashPolicies(Database* db, const std::vector<std::string>& files) {
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  KnownNames accounts(db, "accounts", "id", kAccountHint);
  std::set<std::string> seen;
  ImportSummary summary;
  for (const std::string& path : files) {
    Result<FormatFile> file = FormatFile::Open(path, {{"account", true},
                                                      {"reserve_cap"},
                                                      {"withdrawal_lead_days"},
                                                      {"accumulate_target"},
                                                      {"accumulate_reviews"},
                                                      {"accumulate_from"}});
    if (!file.ok()) return file.status();
    CsvRow row;
    while (file->Next(&row)) {
      ++summary.rows_read;
      const std::string account(file->Get(row, "account"));
      ARBOR_RETURN_IF_ERROR(accounts.Check(row, "account", account));
      if (!seen.insert(account).second) {
        return FieldError(row, "account", account + " is listed twice");
      }
      Result<review::CashPolicy> stored = LoadCashPolicy(db, account);
      if (!stored.ok()) return stored.status();
      Result<review::CashPolicy> policy = PolicyRow(*file, row, *stored);
      if (!policy.ok()) return policy.status();
      Result<bool> existed = HasPolicyRow(db, account);
      if (!existed.ok()) return existed.status();
      if (*existed && SamePolicyFields(*stored, *policy)) {
        ++summary.unchanged;
        continue;
      }
      ++(*existed ? summary.updated : summary.inserted);
      ARBOR_RETURN_IF_ERROR(SaveCashPolicy(db, account, *policy));
    }
    ARBOR_RETURN_IF_ERROR(file->status());
  }
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return summary;
}

Result<ImportSummary> ImportScheduledWithdrawals(Database* db,
                                                 const std::vector<std::string>& files) {
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  KnownNames accounts(db, "accounts", "id", kAccountHint);
  std::map<std::string, std::vector<review::ScheduledWithdrawal>> schedules;
  ImportSummary summary;
  for (const std::string& path : files) {
    Result<FormatFile> file = FormatFile::Open(path, {{"account", true},
                                                      {"id", true},
                                                      {"amount", true},
                                                      {"day_of_month", true},
                                                      {"every_months"},
                                                      {"first_date", true},
                                                      {"last_date"}});
    if (!file.ok()) return file.status();
    CsvRow row;
    while (file->Next(&row)) {
      ++summary.rows_read;
      const std::string account(file->Get(row, "account"));
      ARBOR_RETURN_IF_ERROR(accounts.Check(row, "account", account));
      Result<review::ScheduledWithdrawal> w = ScheduledRow(*file, row);
      if (!w.ok()) return w.status();
      std::vector<review::ScheduledWithdrawal>& schedule = schedules[account];
      for (const review::ScheduledWithdrawal& other : schedule) {
        if (other.id == w->id) {
          return FieldError(row, "id", w->id + " is listed twice for account " + account);
        }
      }
      schedule.push_back(*std::move(w));
    }
    ARBOR_RETURN_IF_ERROR(file->status());
  }
  for (auto& [account, schedule] : schedules) {
    Result<review::CashPolicy> policy = LoadCashPolicy(db, account);
    if (!policy.ok()) return policy.status();
    Count(policy->scheduled, schedule, summary);
    policy->scheduled = std::move(schedule);
    ARBOR_RETURN_IF_ERROR(SaveCashPolicy(db, account, *policy));
  }
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return summary;
}

}  // namespace arbor
