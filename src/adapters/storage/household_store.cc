// Households, their membership with its audit, and the firm's location policy; the imports are
// in household_store_import.cc.
#include "adapters/storage/household_store.h"

#include <optional>
#include <utility>

#include "adapters/storage/household_store_internal.h"
#include "adapters/storage/model_store_internal.h"
#include "adapters/storage/store_writer.h"

namespace arbor {

using storage_internal::AddMember;
using storage_internal::ForEachRow;
using storage_internal::kHouseholdTargets;
using storage_internal::WriteScope;

namespace {

const char kAccountColumns[] = "SELECT id, type, taxpayers, household, name, advisor FROM accounts";

Result<Account> AccountOfRow(const Statement& row) {
  Account account{.id = row.ColumnText(0)};
  Result<AccountType> type = AccountTypeFromString(row.ColumnView(1));
  if (!type.ok()) return type.status().WithContext("stored account '" + account.id + "'");
  account.type = *type;
  account.taxpayers = storage_internal::SplitTaxpayers(row.ColumnView(2));
  account.household = row.ColumnText(3);
  account.name = row.ColumnText(4);
  account.advisor = row.ColumnText(5);
  return account;
}

Result<std::vector<Account>> ReadAccountsWhere(Database* db, const std::string& where,
                                               const std::string& key) {
  Result<Statement> select =
      db->Prepare(std::string(kAccountColumns) + " WHERE " + where + " = ?1 ORDER BY id");
  if (!select.ok()) return select.status();
  select->Bind(1, key);
  std::vector<Account> accounts;
  ARBOR_RETURN_IF_ERROR(ForEachRow(*select, [&](const Statement& row) {
    Result<Account> account = AccountOfRow(row);
    if (!account.ok()) return account.status();
    accounts.push_back(std::move(account).value());
    return Status::Ok();
  }));
  return accounts;
}

Result<Account> ReadAccount(Database* db, const std::string& id) {
  Result<std::vector<Account>> found = ReadAccountsWhere(db, "id", id);
  if (!found.ok()) return found.status();
  if (found->empty()) {
    return Status::NotFound("unknown account '" + id +
                            "'; import it with `arbor import accounts` first");
  }
  return std::move(found->front());
}

struct HouseholdRow {
  std::string name;
  double drift_penalty = 0;
};

Result<std::optional<HouseholdRow>> ReadHouseholdRow(Database* db, const std::string& id) {
  Result<Statement> select =
      db->Prepare("SELECT name, drift_penalty FROM households WHERE id = ?1");
  if (!select.ok()) return select.status();
  select->Bind(1, id);
  std::optional<HouseholdRow> found;
  ARBOR_RETURN_IF_ERROR(ForEachRow(*select, [&](const Statement& row) {
    found = HouseholdRow{row.ColumnText(0), row.ColumnDouble(1)};
    return Status::Ok();
  }));
  return found;
}

Status UnknownHousehold(const std::string& id) {
  return Status::NotFound("unknown household '" + id +
                          "'; create it with `arbor household create " + id + "`");
}

Status CheckKnownHousehold(Database* db, const std::string& id) {
  Result<std::optional<HouseholdRow>> row = ReadHouseholdRow(db, id);
  if (!row.ok()) return row.status();
  return *row ? Status::Ok() : UnknownHousehold(id);
}

Status CheckChange(const HouseholdChange& change) {
  if (change.user.empty())
    return Status::InvalidArgument("who is acting? the audit log needs a user");
  if (change.at.empty()) return Status::InvalidArgument("when? the audit log needs a time");
  return Status::Ok();
}

// The audit row first, then the move: the accounts trigger sees the move announced and does not
// record it again (migration 9).
Status MoveAccount(Database* db, const std::string& account, const std::string& from,
                   const std::string& to, const HouseholdChange& change) {
  ARBOR_RETURN_IF_ERROR(CheckChange(change));
  Result<Statement> audit = db->Prepare(
      "INSERT INTO household_audit (at, user, account, from_household, to_household) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!audit.ok()) return audit.status();
  audit->Bind(1, change.at).Bind(2, change.user).Bind(3, account).Bind(4, from).Bind(5, to);
  ARBOR_RETURN_IF_ERROR(audit->Run());
  Result<Statement> move = db->Prepare("UPDATE accounts SET household = ?2 WHERE id = ?1");
  if (!move.ok()) return move.status();
  move->Bind(1, account).Bind(2, to);
  return move->Run();
}

Result<models::Customization> CurrentTarget(Database* db, const std::string& id) {
  Result<int> latest = storage_internal::LatestRevision(db, id, kHouseholdTargets);
  if (!latest.ok()) return latest.status();
  if (*latest == 0) return models::Customization{.account = id};
  return storage_internal::ReadCustomization(db, id, *latest, kHouseholdTargets);
}

}  // namespace

namespace storage_internal {

Result<bool> AddMember(Database* db, const std::string& id, const std::string& account_id,
                       const HouseholdChange& change) {
  ARBOR_RETURN_IF_ERROR(CheckKnownHousehold(db, id));
  Result<Account> account = ReadAccount(db, account_id);
  if (!account.ok()) return account.status();
  if (account->household == id) return false;
  Result<std::vector<Account>> members = ReadAccountsWhere(db, "household", id);
  if (!members.ok()) return members.status();
  ARBOR_RETURN_IF_ERROR(
      household::CheckCanJoin({.id = id, .members = std::move(members).value()}, *account));
  ARBOR_RETURN_IF_ERROR(MoveAccount(db, account_id, "", id, change));
  return true;
}

Result<bool> HouseholdExists(Database* db, const std::string& id) {
  Result<std::optional<HouseholdRow>> row = ReadHouseholdRow(db, id);
  if (!row.ok()) return row.status();
  return row->has_value();
}

Status TargetCatalogue::Load() {
  if (book_) return Status::Ok();
  Result<models::ModelBook> book = LoadModelBook(store_);
  if (!book.ok()) return book.status();
  Result<SecurityMaster> master = store_.LoadSecurities();
  if (!master.ok()) return master.status();
  book_ = std::move(book).value();
  master_ = std::move(master).value();
  return Status::Ok();
}

Result<SaveOutcome> SaveHouseholdWith(Store& store, const household::Household& household,
                                      const HouseholdChange& change, TargetCatalogue& catalogue) {
  household::Household fields = household;
  fields.members.clear();  // joined one by one below, each checked against the stored accounts
  if (fields.target.account.empty()) fields.target.account = household.id;
  ARBOR_RETURN_IF_ERROR(household::ValidateHousehold(fields));

  Database* db = store.database();
  Result<WriteScope> scope = WriteScope::Begin(db);
  if (!scope.ok()) return scope.status();
  bool changed = false;
  Result<std::optional<HouseholdRow>> stored = ReadHouseholdRow(db, household.id);
  if (!stored.ok()) return stored.status();
  if (!*stored || (*stored)->name != household.name ||
      (*stored)->drift_penalty != household.drift_penalty) {
    Result<Statement> upsert = db->Prepare(
        "INSERT INTO households (id, name, drift_penalty) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
        "drift_penalty = excluded.drift_penalty");
    if (!upsert.ok()) return upsert.status();
    upsert->Bind(1, household.id).Bind(2, household.name).Bind(3, household.drift_penalty);
    ARBOR_RETURN_IF_ERROR(upsert->Run());
    changed = true;
  }
  if (!fields.target.template_name.empty()) {
    ARBOR_RETURN_IF_ERROR(catalogue.Load());
    Result<SaveOutcome> target = SaveCustomizationWith(store, fields.target, catalogue.book(),
                                                       catalogue.master(), kHouseholdTargets);
    if (!target.ok()) return target.status();
    changed |= *target == SaveOutcome::kStored;
  }
  for (const Account& member : household.members) {
    Result<bool> joined = AddMember(db, household.id, member.id, change);
    if (!joined.ok()) return joined.status();
    changed |= *joined;
  }
  ARBOR_RETURN_IF_ERROR(scope->Commit());
  return changed ? SaveOutcome::kStored : SaveOutcome::kUnchanged;
}

}  // namespace storage_internal

Result<SaveOutcome> SaveHousehold(Store& store, const household::Household& household,
                                  const HouseholdChange& change) {
  storage_internal::TargetCatalogue catalogue(store);
  return storage_internal::SaveHouseholdWith(store, household, change, catalogue);
}

Result<household::Household> LoadHousehold(Store& store, const std::string& id) {
  Database* db = store.database();
  Result<std::optional<HouseholdRow>> row = ReadHouseholdRow(db, id);
  if (!row.ok()) return row.status();
  if (!*row) return UnknownHousehold(id);
  household::Household household{
      .id = id, .name = (*row)->name, .drift_penalty = (*row)->drift_penalty};
  Result<std::vector<Account>> members = ReadAccountsWhere(db, "household", id);
  if (!members.ok()) return members.status();
  household.members = std::move(members).value();
  Result<models::Customization> target = CurrentTarget(db, id);
  if (!target.ok()) return target.status();
  household.target = std::move(target).value();
  return household;
}

Result<std::vector<HouseholdSummary>> ListHouseholds(Store& store) {
  Result<Statement> select = store.database()->Prepare(
      "SELECT h.id, h.name, h.drift_penalty, h.created, coalesce(m.accounts, 0), "
      "coalesce((SELECT template FROM household_customizations c WHERE c.household = h.id "
      "ORDER BY revision DESC LIMIT 1), '') "
      "FROM households h LEFT JOIN (SELECT household, count(*) AS accounts FROM accounts "
      "WHERE household <> '' GROUP BY household) m ON m.household = h.id ORDER BY h.id");
  if (!select.ok()) return select.status();
  std::vector<HouseholdSummary> households;
  ARBOR_RETURN_IF_ERROR(ForEachRow(*select, [&](const Statement& row) {
    households.push_back({.id = row.ColumnText(0),
                          .name = row.ColumnText(1),
                          .accounts = static_cast<int>(row.ColumnInt(4)),
                          .template_name = row.ColumnText(5),
                          .drift_penalty = row.ColumnDouble(2),
                          .created = row.ColumnText(3)});
    return Status::Ok();
  }));
  return households;
}

Result<bool> AddAccountToHousehold(Store& store, const std::string& household,
                                   const std::string& account, const HouseholdChange& change) {
  Database* db = store.database();
  Result<WriteScope> scope = WriteScope::Begin(db);
  if (!scope.ok()) return scope.status();
  Result<bool> joined = AddMember(db, household, account, change);
  if (!joined.ok()) return joined.status();
  ARBOR_RETURN_IF_ERROR(scope->Commit());
  return *joined;
}

Status RemoveAccountFromHousehold(Store& store, const std::string& household,
                                  const std::string& account, const HouseholdChange& change) {
  Database* db = store.database();
  Result<WriteScope> scope = WriteScope::Begin(db);
  if (!scope.ok()) return scope.status();
  ARBOR_RETURN_IF_ERROR(CheckKnownHousehold(db, household));
  Result<Account> stored = ReadAccount(db, account);
  if (!stored.ok()) return stored.status();
  if (stored->household != household) {
    return Status::FailedPrecondition(
        "account " + account + " is not in household " + household +
        (stored->household.empty() ? " (it is in none)" : " (it is in " + stored->household + ")"));
  }
  ARBOR_RETURN_IF_ERROR(MoveAccount(db, account, household, "", change));
  return scope->Commit();
}

Result<std::vector<HouseholdAuditEntry>> LoadHouseholdAudit(Store& store,
                                                            const std::string& household) {
  Result<Statement> select = store.database()->Prepare(
      "SELECT id, at, user, account, from_household, to_household, note FROM household_audit "
      "WHERE from_household = ?1 OR to_household = ?1 ORDER BY id");
  if (!select.ok()) return select.status();
  select->Bind(1, household);
  std::vector<HouseholdAuditEntry> entries;
  ARBOR_RETURN_IF_ERROR(ForEachRow(*select, [&](const Statement& row) {
    entries.push_back({.id = row.ColumnInt(0),
                       .at = row.ColumnText(1),
                       .user = row.ColumnText(2),
                       .account = row.ColumnText(3),
                       .from_household = row.ColumnText(4),
                       .to_household = row.ColumnText(5),
                       .note = row.ColumnText(6)});
    return Status::Ok();
  }));
  return entries;
}

Result<StoredLocationPolicy> LoadLocationPolicy(Store& store) {
  Database* db = store.database();
  StoredLocationPolicy stored{.policy = household::DefaultLocationPolicy()};
  Result<Statement> head = db->Prepare("SELECT saved_by, saved_at FROM location_policy");
  if (!head.ok()) return head.status();
  ARBOR_RETURN_IF_ERROR(ForEachRow(*head, [&](const Statement& row) {
    stored = {.defaults = false, .saved_by = row.ColumnText(0), .saved_at = row.ColumnText(1)};
    return Status::Ok();
  }));
  if (stored.defaults) return stored;
  Result<Statement> rules = db->Prepare(
      "SELECT attribute, value, taxable, tax_deferred, tax_exempt FROM location_rules "
      "ORDER BY position");
  if (!rules.ok()) return rules.status();
  ARBOR_RETURN_IF_ERROR(ForEachRow(*rules, [&](const Statement& row) {
    Result<household::LocationMatch> match = household::LocationMatchFromString(row.ColumnView(0));
    if (!match.ok()) return match.status().WithContext("stored location rule");
    stored.policy.rules.push_back({.match = *match,
                                   .value = row.ColumnText(1),
                                   .taxable = row.ColumnDouble(2),
                                   .tax_deferred = row.ColumnDouble(3),
                                   .tax_exempt = row.ColumnDouble(4)});
    return Status::Ok();
  }));
  return stored;
}

Status SaveLocationPolicy(Store& store, const household::LocationPolicy& policy,
                          const HouseholdChange& change) {
  ARBOR_RETURN_IF_ERROR(household::ValidateLocationPolicy(policy));
  ARBOR_RETURN_IF_ERROR(CheckChange(change));
  Database* db = store.database();
  Result<WriteScope> scope = WriteScope::Begin(db);
  if (!scope.ok()) return scope.status();
  ARBOR_RETURN_IF_ERROR(ResetLocationPolicy(store));
  Result<Statement> head =
      db->Prepare("INSERT INTO location_policy (id, saved_by, saved_at) VALUES (1, ?1, ?2)");
  if (!head.ok()) return head.status();
  head->Bind(1, change.user).Bind(2, change.at);
  ARBOR_RETURN_IF_ERROR(head->Run());
  Result<Statement> insert = db->Prepare(
      "INSERT INTO location_rules (position, attribute, value, taxable, tax_deferred, tax_exempt) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!insert.ok()) return insert.status();
  for (size_t k = 0; k < policy.rules.size(); ++k) {
    const household::LocationRule& rule = policy.rules[k];
    insert->Bind(1, static_cast<int64_t>(k)).Bind(2, household::ToString(rule.match));
    insert->Bind(3, rule.value).Bind(4, rule.taxable).Bind(5, rule.tax_deferred);
    insert->Bind(6, rule.tax_exempt);
    ARBOR_RETURN_IF_ERROR(insert->Run());
  }
  return scope->Commit();
}

Status ResetLocationPolicy(Store& store) {
  Database* db = store.database();
  Result<WriteScope> scope = WriteScope::Begin(db);
  if (!scope.ok()) return scope.status();
  ARBOR_RETURN_IF_ERROR(db->Exec("DELETE FROM location_rules; DELETE FROM location_policy"));
  return scope->Commit();
}

}  // namespace arbor
