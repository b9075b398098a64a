// Accounts' fund menus in the database (schema: migration 11, "account fund menus";
// docs/households.md): for a 401k, the funds its plan offers, the only securities the rebalance
// may buy in the account (core/review/fund_menu.h). An account without a menu may buy anything
// its restrictions allow; a menu is never empty (a plan offers at least one fund; "buy nothing"
// is a restriction). Every change is a row of the append-only account_menu_audit.
//
//   const AccountMenuChange by{.user = "ann", .at = "2026-11-28T09:00:00Z"};
//   SaveAccountMenu(store->database(), "SMITH-401K", {"VFIAX", "VBTLX"}, by);
//   std::optional<AccountMenu> menu = LoadAccountMenu(store->database(), "SMITH-401K").value();
//   ClearAccountMenu(store->database(), "SMITH-401K", by);   // unrestricted again
//
// Who and when are passed in (the store has no clock). Each call is one transaction, or part of
// the caller's open one; a failed call writes nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/model_store.h"
#include "adapters/storage/sqlite.h"
#include "adapters/storage/store.h"
#include "core/base/status.h"

namespace arbor {

// Who changes a menu and when (ISO 8601 UTC), for the audit; `note` says how ("import FILE").
struct AccountMenuChange {
  std::string user;
  std::string at;
  std::string note;
};

struct AccountMenu {
  std::string account;
  std::vector<std::string> symbols;  // in symbol order
  std::string set_by;                // from the audit row of the last change
  std::string set_at;
};

// Replaces the account's menu. Errors (nothing changed): an unknown account, an empty list, an
// unknown or repeated symbol, each naming the field. kUnchanged (no audit row) when the stored
// menu is the same.
Result<SaveOutcome> SaveAccountMenu(Database* db, const std::string& account,
                                    const std::vector<std::string>& symbols,
                                    const AccountMenuChange& change);

// nullopt when the account has no menu. NotFound for an unknown account.
Result<std::optional<AccountMenu>> LoadAccountMenu(Database* db, const std::string& account);

// Lifts the menu; false (nothing written) when the account had none.
Result<bool> ClearAccountMenu(Database* db, const std::string& account,
                              const AccountMenuChange& change);

struct AccountMenuAuditEntry {
  int64_t id = 0;
  std::string at;
  std::string user;
  std::vector<std::string> menu;  // after the change; empty when it was cleared
  std::string note;
};
// The account's menu changes, oldest first.
Result<std::vector<AccountMenuAuditEntry>> LoadAccountMenuAudit(Database* db,
                                                                const std::string& account);

// `arbor import menus`: CSV account,symbol, one row per fund; each account named gets exactly its
// rows as its menu (saved as SaveAccountMenu does; `inserted`, `updated` and `unchanged` count
// menus). All files in one transaction, or nothing; errors name file:line and the field.
Result<ImportSummary> ImportAccountMenus(Database* db, const std::vector<std::string>& files,
                                         const AccountMenuChange& change);

}  // namespace arbor
