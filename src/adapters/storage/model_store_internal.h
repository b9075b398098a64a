// What the model store's files share: a write scope that joins an import's transaction, the row
// readers (model_rows.cc) behind loading and the save checks, and saving customizations against a
// catalogue loaded once per import rather than once per account.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/model_store.h"
#include "adapters/storage/sqlite.h"
#include "core/market/security.h"

namespace arbor::storage_internal {

// A write transaction of its own, or none when the caller already has one open (an import
// saving many items commits them together).
class WriteScope {
 public:
  static Result<WriteScope> Begin(Database* db) {
    if (db->InTransaction()) return WriteScope(std::nullopt);
    Result<Transaction> txn = Transaction::Begin(db);
    if (!txn.ok()) return txn.status();
    return WriteScope(std::move(txn).value());
  }
  Status Commit() { return txn_ ? txn_->Commit() : Status::Ok(); }

 private:
  explicit WriteScope(std::optional<Transaction> txn) : txn_(std::move(txn)) {}
  std::optional<Transaction> txn_;
};

// Steps `select` to the end, handing each row to `use`.
Status ForEachRow(Statement& select, const std::function<Status(const Statement&)>& use);
// The date in `column` of a row; `what` names the row in an error.
Result<Date> StoredDate(const Statement& row, int column, const std::string& what);

// Every version of every template and security model, by (name, version).
Result<std::map<std::pair<std::string, int>, models::Template>> ReadTemplates(Database* db);
Result<std::map<std::pair<std::string, int>, models::SecurityModel>> ReadSecurityModels(
    Database* db);
// The latest version of every screen, by name.
Result<std::vector<models::Screen>> ReadScreens(Database* db);
// Where customizations are stored. An account's: account_customizations and the
// customization_* parts, keyed by account. A household's target (household_store.h): the same
// columns in household_customizations and household_customization_*, keyed by household, since
// the account tables' key references the accounts. Customization::account holds the owner's id.
struct CustomizationTables {
  const char* owner;         // the owner's noun and key column: "account" or "household"
  const char* owner_table;   // where the owner must exist
  const char* missing_hint;  // how to create a missing owner
  const char* head;          // owner, revision, template
  const char* parts_prefix;  // + removals, weights, products, screens
};
inline constexpr CustomizationTables kAccountCustomizations{
    "account", "accounts", "import it with `arbor import accounts` first", "account_customizations",
    "customization_"};
inline constexpr CustomizationTables kHouseholdTargets{
    "household", "households", "create it with `arbor household create` first",
    "household_customizations", "household_customization_"};

// The owner's latest customization revision, 0 when it has none, and a revision's content.
Result<int> LatestRevision(Database* db, const std::string& owner,
                           const CustomizationTables& tables = kAccountCustomizations);
Result<models::Customization> ReadCustomization(
    Database* db, const std::string& owner, int revision,
    const CustomizationTables& tables = kAccountCustomizations);

// The date customizations are checked as of: the latest effective date of any stored template
// or security model version, so the newest version of each applies. Absent with no versions.
Result<std::optional<Date>> NewestCatalogueDate(Database* db);

// SaveCustomization with the catalogue and securities already loaded.
Result<SaveOutcome> SaveCustomizationWith(
    Store& store, const models::Customization& customization, const models::ModelBook& book,
    const SecurityMaster& master, const CustomizationTables& tables = kAccountCustomizations);

}  // namespace arbor::storage_internal
