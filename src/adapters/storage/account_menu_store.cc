#include "adapters/storage/account_menu_store.h"

#include <map>
#include <set>

#include "adapters/io/csv.h"
#include "adapters/storage/csv_format.h"

namespace arbor {
namespace {

constexpr char kAccountHint[] = "import it with `arbor import accounts` first";
constexpr char kSymbolHint[] = "import it with `arbor import securities` first";

// The caller's transaction when one is open, else a new one.
Result<std::optional<Transaction>> BeginUnlessOpen(Database* db) {
  if (db->InTransaction()) return std::optional<Transaction>();
  Result<Transaction> begun = Transaction::Begin(db);
  if (!begun.ok()) return begun.status();
  return std::optional<Transaction>(std::move(begun).value());
}

Result<bool> Exists(Database* db, const char* sql, const std::string& key) {
  Result<Statement> select = db->Prepare(sql);
  if (!select.ok()) return select.status();
  select->Bind(1, key);
  return select->Step();
}

Status CheckAccount(Database* db, const std::string& account) {
  Result<bool> known = Exists(db, "SELECT 1 FROM accounts WHERE id = ?1", account);
  if (!known.ok()) return known.status();
  if (!*known) {
    return Status::NotFound("account: unknown account '" + account + "'; " + kAccountHint);
  }
  return Status::Ok();
}

std::string Joined(const std::set<std::string>& symbols) {
  std::string text;
  for (const std::string& s : symbols) text += (text.empty() ? "" : ",") + s;
  return text;
}

Result<std::set<std::string>> StoredMenu(Database* db, const std::string& account) {
  Result<Statement> select =
      db->Prepare("SELECT symbol FROM account_menus WHERE account = ?1 ORDER BY symbol");
  if (!select.ok()) return select.status();
  select->Bind(1, account);
  std::set<std::string> menu;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) return menu;
    menu.insert(select->ColumnText(0));
  }
}

// Replaces the stored rows with `menu` (empty: cleared) and records the change.
Status Write(Database* db, const std::string& account, const std::set<std::string>& menu,
             const AccountMenuChange& change) {
  Result<Statement> remove = db->Prepare("DELETE FROM account_menus WHERE account = ?1");
  if (!remove.ok()) return remove.status();
  remove->Bind(1, account);
  ARBOR_RETURN_IF_ERROR(remove->Run());
  Result<Statement> insert =
      db->Prepare("INSERT INTO account_menus (account, symbol) VALUES (?1, ?2)");
  if (!insert.ok()) return insert.status();
  for (const std::string& symbol : menu) {
    insert->Bind(1, account).Bind(2, symbol);
    ARBOR_RETURN_IF_ERROR(insert->Run());
  }
  Result<Statement> audit = db->Prepare(
      "INSERT INTO account_menu_audit (at, user, account, menu, note) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!audit.ok()) return audit.status();
  audit->Bind(1, change.at)
      .Bind(2, change.user)
      .Bind(3, account)
      .Bind(4, Joined(menu))
      .Bind(5, change.note);
  return audit->Run();
}

// Stores `menu` unless it is the stored one; the account and symbols are already checked.
Result<SaveOutcome> Replace(Database* db, const std::string& account,
                            const std::set<std::string>& menu, const AccountMenuChange& change) {
  Result<std::set<std::string>> stored = StoredMenu(db, account);
  if (!stored.ok()) return stored.status();
  if (*stored == menu) return SaveOutcome::kUnchanged;
  ARBOR_RETURN_IF_ERROR(Write(db, account, menu, change));
  return SaveOutcome::kStored;
}

std::vector<std::string> Split(const std::string& joined) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < joined.size()) {
    size_t comma = joined.find(',', start);
    if (comma == std::string::npos) comma = joined.size();
    parts.push_back(joined.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

}  // namespace

Result<SaveOutcome> SaveAccountMenu(Database* db, const std::string& account,
                                    const std::vector<std::string>& symbols,
                                    const AccountMenuChange& change) {
  Result<std::optional<Transaction>> txn = BeginUnlessOpen(db);
  if (!txn.ok()) return txn.status();
  ARBOR_RETURN_IF_ERROR(CheckAccount(db, account));
  if (symbols.empty()) {
    return Status::InvalidArgument(
        "symbols: the menu of account " + account +
        " is empty; a menu names at least one fund (to lift it: `arbor account menu clear " +
        account + "`; to buy nothing: a no_buy restriction)");
  }
  std::set<std::string> menu;
  for (const std::string& symbol : symbols) {
    Result<bool> known = Exists(db, "SELECT 1 FROM securities WHERE symbol = ?1", symbol);
    if (!known.ok()) return known.status();
    if (!*known) {
      return Status::NotFound("symbol: unknown symbol '" + symbol + "' on the menu of account " +
                              account + "; " + kSymbolHint);
    }
    if (!menu.insert(symbol).second) {
      return Status::InvalidArgument("symbol: " + symbol +
                                     " is listed twice on the menu of account " + account);
    }
  }
  Result<SaveOutcome> outcome = Replace(db, account, menu, change);
  if (!outcome.ok()) return outcome.status();
  if (*txn) ARBOR_RETURN_IF_ERROR((*txn)->Commit());
  return outcome;
}

Result<std::optional<AccountMenu>> LoadAccountMenu(Database* db, const std::string& account) {
  ARBOR_RETURN_IF_ERROR(CheckAccount(db, account));
  Result<std::set<std::string>> stored = StoredMenu(db, account);
  if (!stored.ok()) return stored.status();
  if (stored->empty()) return std::optional<AccountMenu>();
  AccountMenu menu{.account = account, .symbols = {stored->begin(), stored->end()}};
  Result<Statement> last = db->Prepare(
      "SELECT user, at FROM account_menu_audit WHERE account = ?1 ORDER BY id DESC LIMIT 1");
  if (!last.ok()) return last.status();
  last->Bind(1, account);
  Result<bool> row = last->Step();
  if (!row.ok()) return row.status();
  if (*row) {
    menu.set_by = last->ColumnText(0);
    menu.set_at = last->ColumnText(1);
  }
  return std::optional<AccountMenu>(std::move(menu));
}

Result<bool> ClearAccountMenu(Database* db, const std::string& account,
                              const AccountMenuChange& change) {
  Result<std::optional<Transaction>> txn = BeginUnlessOpen(db);
  if (!txn.ok()) return txn.status();
  ARBOR_RETURN_IF_ERROR(CheckAccount(db, account));
  Result<SaveOutcome> outcome = Replace(db, account, {}, change);
  if (!outcome.ok()) return outcome.status();
  if (*txn) ARBOR_RETURN_IF_ERROR((*txn)->Commit());
  return *outcome == SaveOutcome::kStored;
}

Result<std::vector<AccountMenuAuditEntry>> LoadAccountMenuAudit(Database* db,
                                                                const std::string& account) {
  Result<Statement> select = db->Prepare(
      "SELECT id, at, user, menu, note FROM account_menu_audit WHERE account = ?1 ORDER BY id");
  if (!select.ok()) return select.status();
  select->Bind(1, account);
  std::vector<AccountMenuAuditEntry> entries;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) return entries;
    entries.push_back({.id = select->ColumnInt(0),
                       .at = select->ColumnText(1),
                       .user = select->ColumnText(2),
                       .menu = Split(select->ColumnText(3)),
                       .note = select->ColumnText(4)});
  }
}

Result<ImportSummary> ImportAccountMenus(Database* db, const std::vector<std::string>& files,
                                         const AccountMenuChange& change) {
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  KnownNames accounts(db, "accounts", "id", kAccountHint);
  KnownNames symbols(db, "securities", "symbol", kSymbolHint);
  std::map<std::string, std::set<std::string>> menus;
  ImportSummary summary;
  for (const std::string& path : files) {
    Result<FormatFile> file = FormatFile::Open(path, {{"account", true}, {"symbol", true}});
    if (!file.ok()) return file.status();
    CsvRow row;
    while (file->Next(&row)) {
      ++summary.rows_read;
      const std::string account(file->Get(row, "account"));
      const std::string symbol(file->Get(row, "symbol"));
      ARBOR_RETURN_IF_ERROR(accounts.Check(row, "account", account));
      ARBOR_RETURN_IF_ERROR(symbols.Check(row, "symbol", symbol));
      if (!menus[account].insert(symbol).second) {
        return FieldError(row, "symbol", symbol + " is listed twice for account " + account);
      }
    }
    ARBOR_RETURN_IF_ERROR(file->status());
  }
  for (const auto& [account, menu] : menus) {
    Result<std::set<std::string>> stored = StoredMenu(db, account);
    if (!stored.ok()) return stored.status();
    Result<SaveOutcome> outcome = Replace(db, account, menu, change);
    if (!outcome.ok()) return outcome.status();
    ++(*outcome == SaveOutcome::kUnchanged ? summary.unchanged
       : stored->empty()                   ? summary.inserted
                                           : summary.updated);
  }
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return summary;
}

}  // namespace arbor
