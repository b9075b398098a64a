// Batch actions and the audit log (workbench_store.h).
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "adapters/storage/workbench_internal.h"
#include "adapters/storage/workbench_store.h"

namespace arbor {
namespace {

using workbench::BatchAction;
using workbench::ReviewStatus;

struct Candidate {
  std::string account;
  workbench::Outcome outcome;
  ReviewStatus status;
  std::string household;  // set for a member of a household reviewed as one unit
};

Result<Candidate> ReadCandidate(Statement& select) {
  // The schema's CHECK constraints keep both names known.
  Result<workbench::Outcome> outcome = workbench::OutcomeFromString(select.ColumnView(1));
  Result<ReviewStatus> status = workbench::ReviewStatusFromString(select.ColumnView(2));
  if (!outcome.ok()) return outcome.status();
  if (!status.ok()) return status.status();
  return Candidate{select.ColumnText(0), *outcome, *status,
                   select.ColumnInt(4) != 0 ? select.ColumnText(3) : std::string()};
}

Result<std::vector<Candidate>> SelectCandidates(
    Database* db, int64_t run, const workbench_internal::ResolvedSelection& selection) {
  Result<Statement> select = workbench_internal::SelectResults(
      db, run, selection, "account, outcome, status, household, household_joint", "account");
  if (!select.ok()) return select.status();
  std::vector<Candidate> candidates;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Result<Candidate> candidate = ReadCandidate(*select);
    if (!candidate.ok()) return candidate.status();
    candidates.push_back(*std::move(candidate));
  }
  return candidates;
}

// A household reviewed as one unit moves as one: the members the selection left out join it.
Status AddJointMembers(Database* db, int64_t run, std::vector<Candidate>& candidates) {
  std::set<std::string> households, accounts;
  for (const Candidate& c : candidates) {
    accounts.insert(c.account);
    if (!c.household.empty()) households.insert(c.household);
  }
  Result<Statement> select = db->Prepare(
      "SELECT account, outcome, status, household, household_joint FROM review_results "
      "WHERE run = ?1 AND household = ?2 AND household_joint = 1 ORDER BY account");
  if (!select.ok()) return select.status();
  for (const std::string& household : households) {
    select->Reset();
    select->Bind(1, run).Bind(2, household);
    while (true) {
      Result<bool> row = select->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      Result<Candidate> member = ReadCandidate(*select);
      if (!member.ok()) return member.status();
      if (accounts.insert(member->account).second) candidates.push_back(*std::move(member));
    }
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.account < b.account; });
  return Status::Ok();
}

std::string Detail(const std::string& note, size_t skipped) {
  std::string detail = note;
  if (skipped > 0) {
    detail += (detail.empty() ? "" : "; ") + std::to_string(skipped) + " skipped";
  }
  return detail;
}

}  // namespace

namespace workbench_internal {

Result<int64_t> AppendAudit(Database* db, const AuditEntry& entry,
                            const std::vector<AuditAccount>& accounts) {
  Result<Statement> insert = db->Prepare(
      "INSERT INTO workbench_audit (at, user, action, run, filter, filter_name, accounts, detail)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, entry.at)
      .Bind(2, entry.user)
      .Bind(3, entry.action)
      .Bind(5, entry.filter)
      .Bind(6, entry.filter_name)
      .Bind(7, entry.accounts)
      .Bind(8, entry.detail);
  if (entry.run) {
    insert->Bind(4, *entry.run);
  } else {
    insert->BindNull(4);
  }
  ARBOR_RETURN_IF_ERROR(insert->Run());
  Result<Statement> last = db->Prepare("SELECT last_insert_rowid()");
  if (!last.ok()) return last.status();
  ARBOR_RETURN_IF_ERROR(last->Step().status());
  const int64_t id = last->ColumnInt(0);
  Result<Statement> insert_account = db->Prepare(
      "INSERT INTO workbench_audit_accounts (audit, account, from_status, to_status) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!insert_account.ok()) return insert_account.status();
  for (const AuditAccount& a : accounts) {
    ARBOR_RETURN_IF_ERROR(insert_account->Bind(1, id)
                              .Bind(2, a.account)
                              .Bind(3, a.from_status)
                              .Bind(4, a.to_status)
                              .Run());
  }
  return id;
}

}  // namespace workbench_internal

Result<BatchReport> ApplyBatchAction(Database* db, const BatchRequest& request) {
  const std::string action(workbench::ToString(request.action));
  const Selection& s = request.selection;
  if (s.filter.empty() && s.saved.empty() && s.accounts.empty()) {
    return Status::InvalidArgument(action +
                                   " needs accounts: a filter, a saved filter or account ids");
  }
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  Result<ReviewRun> run = LoadReviewRun(db, request.run);
  if (!run.ok()) return run.status();
  ARBOR_RETURN_IF_ERROR(workbench_internal::CheckWrite(*run, request.user, request.at, action));
  Result<workbench_internal::ResolvedSelection> selection =
      workbench_internal::ResolveSelection(db, s);
  if (!selection.ok()) return selection.status();
  Result<std::vector<Candidate>> candidates = SelectCandidates(db, run->id, *selection);
  if (!candidates.ok()) return candidates.status();
  ARBOR_RETURN_IF_ERROR(AddJointMembers(db, run->id, *candidates));

  BatchReport report{.run = run->id, .filter = selection->text, .filter_name = selection->name};
  const ReviewStatus to = workbench::TargetStatus(request.action);
  std::vector<std::string> found;
  // A joint household with a member the action cannot move is skipped whole.
  std::map<std::string, std::string> blocked;  // household -> why
  for (const Candidate& c : *candidates) {
    if (c.household.empty() || blocked.contains(c.household)) continue;
    const std::string why = workbench::WhyNot(request.action, c.outcome, c.status);
    if (!why.empty()) blocked[c.household] = "household " + c.household + " moves as one, and " + c.account + ": " + why;
  }
  for (const Candidate& c : *candidates) {
    found.push_back(c.account);
    std::string why = workbench::WhyNot(request.action, c.outcome, c.status);
    if (why.empty() && blocked.contains(c.household)) why = blocked[c.household];
    if (why.empty()) {
      report.changed.push_back({c.account, c.status, to});
    } else {
      report.skipped.push_back({c.account, std::move(why)});
    }
  }
  for (std::string& account : workbench_internal::MissingAccounts(*selection, std::move(found))) {
    report.skipped.push_back({std::move(account), "not in run " + std::to_string(run->id)});
  }
  std::sort(report.skipped.begin(), report.skipped.end(),
            [](const SkippedAccount& a, const SkippedAccount& b) { return a.account < b.account; });

  Result<Statement> update =
      db->Prepare("UPDATE review_results SET status = ?3 WHERE run = ?1 AND account = ?2");
  if (!update.ok()) return update.status();
  std::vector<AuditAccount> audited;
  for (const StatusChange& change : report.changed) {
    ARBOR_RETURN_IF_ERROR(
        update->Bind(1, run->id).Bind(2, change.account).Bind(3, ToString(change.to)).Run());
    audited.push_back(
        {change.account, std::string(ToString(change.from)), std::string(ToString(change.to))});
  }
  Result<int64_t> audit_id =
      workbench_internal::AppendAudit(db,
                                      {.at = request.at,
                                       .user = request.user,
                                       .action = action,
                                       .run = run->id,
                                       .filter = report.filter,
                                       .filter_name = report.filter_name,
                                       .accounts = static_cast<int64_t>(report.changed.size()),
                                       .detail = Detail(request.note, report.skipped.size())},
                                      audited);
  if (!audit_id.ok()) return audit_id.status();
  report.audit_id = *audit_id;
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return report;
}

Result<std::vector<AuditEntry>> ListAudit(Database* db, std::optional<int64_t> run) {
  Result<Statement> select = db->Prepare(
      "SELECT id, at, user, action, run, filter, filter_name, accounts, detail "
      "FROM workbench_audit WHERE ?1 IS NULL OR run = ?1 ORDER BY id");
  if (!select.ok()) return select.status();
  if (run) {
    select->Bind(1, *run);
  } else {
    select->BindNull(1);
  }
  std::vector<AuditEntry> entries;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    AuditEntry& e = entries.emplace_back();
    e.id = select->ColumnInt(0);
    e.at = select->ColumnText(1);
    e.user = select->ColumnText(2);
    e.action = select->ColumnText(3);
    if (!select->ColumnIsNull(4)) e.run = select->ColumnInt(4);
    e.filter = select->ColumnText(5);
    e.filter_name = select->ColumnText(6);
    e.accounts = select->ColumnInt(7);
    e.detail = select->ColumnText(8);
  }
  return entries;
}

Result<std::vector<AuditAccount>> ListAuditAccounts(Database* db, int64_t audit_id) {
  Result<Statement> select = db->Prepare(
      "SELECT account, from_status, to_status FROM workbench_audit_accounts WHERE audit = ?1 "
      "ORDER BY account");
  if (!select.ok()) return select.status();
  select->Bind(1, audit_id);
  std::vector<AuditAccount> accounts;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    accounts.push_back({select->ColumnText(0), select->ColumnText(1), select->ColumnText(2)});
  }
  return accounts;
}

}  // namespace arbor
