// An account's fund menu: for a 401k, the funds its plan offers, the only ones the rebalance may
// buy there (docs/households.md, "A 401k's fund menu").
//   arbor account menu set SMITH-401K VFIAX,VBTLX,VTIAX | --file plan-funds.txt [--user U]
//   arbor account menu show SMITH-401K [--json]
//   arbor account menu clear SMITH-401K [--user U]
//   arbor import menus FILE.csv... [--user U]            (account,symbol)
// Every change is recorded with --user (or $USER) and the UTC time in an append-only log.
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "adapters/storage/account_menu_store.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/output.h"
#include "core/base/join_some.h"

namespace arbor::cli {
namespace {

constexpr size_t kAll = static_cast<size_t>(-1);

AccountMenuChange ChangeBy(const std::string& user, std::string note) {
  return {.user = User(user), .at = Now(), .note = std::move(note)};
}

// Symbols separated by commas, spaces or line breaks.
std::vector<std::string> SymbolsIn(const std::string& text) {
  std::string spaced = text;
  for (char& c : spaced) {
    if (c == ',') c = ' ';
  }
  std::istringstream in(spaced);
  std::vector<std::string> symbols;
  for (std::string symbol; in >> symbol;) symbols.push_back(symbol);
  return symbols;
}

struct SetOptions {
  std::string account;
  std::string symbols;
  std::string file;
  std::string user;
};

void RunSet(const GlobalOptions& global, const SetOptions& options) {
  std::string text = options.symbols;
  if (!options.file.empty()) {
    std::ifstream in(options.file);
    if (!in) Fail(Status::NotFound("--file: cannot read '" + options.file + "'"));
    std::ostringstream contents;
    contents << in.rdbuf();
    text = contents.str();
  }
  const std::vector<std::string> symbols = SymbolsIn(text);
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  const SaveOutcome outcome = OrFail(
      SaveAccountMenu(store->database(), options.account, symbols,
                      ChangeBy(options.user, options.file.empty() ? "" : "from " + options.file)));
  const std::set<std::string> menu(symbols.begin(), symbols.end());
  std::cout << "account " << options.account << ": fund menu of " << menu.size() << " ("
            << JoinSome({menu.begin(), menu.end()}, kAll) << ")"
            << (outcome == SaveOutcome::kUnchanged ? ", unchanged" : "")
            << "; the rebalance buys nothing else in it\n";
}

// What one audit row changed against the one before it.
std::string Change(const std::vector<std::string>& before, const std::vector<std::string>& after) {
  if (after.empty()) return "cleared: may buy anything its restrictions allow";
  if (before.empty()) return "set: " + JoinSome(after, kAll);
  const std::set<std::string> old(before.begin(), before.end()), now(after.begin(), after.end());
  std::vector<std::string> added, removed;
  for (const std::string& s : now) {
    if (!old.contains(s)) added.push_back(s);
  }
  for (const std::string& s : old) {
    if (!now.contains(s)) removed.push_back(s);
  }
  std::string text;
  if (!added.empty()) text = "added " + JoinSome(added, kAll);
  if (!removed.empty()) text += (text.empty() ? "" : "; ") + ("removed " + JoinSome(removed, kAll));
  return text;
}

void RunShow(const GlobalOptions& global, const std::string& account, bool json) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  const std::optional<AccountMenu> menu = OrFail(LoadAccountMenu(store->database(), account));
  const std::vector<AccountMenuAuditEntry> audit =
      OrFail(LoadAccountMenuAudit(store->database(), account));
  const SecurityMaster master = OrFail(store->LoadSecurities());
  if (json) {
    nlohmann::ordered_json changes = nlohmann::ordered_json::array();
    for (const AccountMenuAuditEntry& e : audit) {
      changes.push_back({{"at", e.at}, {"user", e.user}, {"menu", e.menu}, {"note", e.note}});
    }
    nlohmann::ordered_json out = {
        {"account", account},
        {"menu", menu ? nlohmann::ordered_json(menu->symbols) : nlohmann::ordered_json()},
        {"audit", changes}};
    std::cout << out.dump(2) << "\n";
    return;
  }
  if (!menu) {
    std::cout << "account " << account
              << ": no fund menu (it may buy anything its restrictions allow)\n";
  } else {
    std::cout << "account " << account << ": fund menu of " << menu->symbols.size() << ", set by "
              << (menu->set_by.empty() ? "?" : menu->set_by) << " at " << menu->set_at
              << "; the rebalance buys nothing else in it\n\n";
    TextTable table({"symbol", "class", "name"}, {Align::kLeft, Align::kLeft, Align::kLeft});
    for (const std::string& symbol : menu->symbols) {
      const Security* security = master.Find(symbol);
      table.AddRow({symbol, security ? security->asset_class : "", security ? security->name : ""});
    }
    table.Print(std::cout);
  }
  std::cout << "\nmenu changes:" << (audit.empty() ? " none\n" : "\n");
  if (audit.empty()) return;
  TextTable changes({"at", "by", "change"}, {Align::kLeft, Align::kLeft, Align::kLeft});
  std::vector<std::string> before;
  for (const AccountMenuAuditEntry& e : audit) {
    changes.AddRow(
        {e.at, e.user + (e.note.empty() ? "" : " (" + e.note + ")"), Change(before, e.menu)});
    before = e.menu;
  }
  changes.Print(std::cout);
}

void RunClear(const GlobalOptions& global, const std::string& account, const std::string& user) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  const bool cleared = OrFail(ClearAccountMenu(store->database(), account, ChangeBy(user, "")));
  std::cout << "account " << account << ": " << (cleared ? "fund menu cleared" : "had no fund menu")
            << "; it may buy anything its restrictions allow\n";
}

}  // namespace

void AddAccountMenuCommands(CLI::App& app, const GlobalOptions& global) {
  // AddAccountCommands, called before this in main(), created `account`.
  auto* menu = app.get_subcommand("account")->add_subcommand(
      "menu", "The funds an account (a 401k) may buy: set, show, clear");
  menu->require_subcommand(1);

  auto set_options = std::make_shared<SetOptions>();
  auto* set = menu->add_subcommand("set", "Set (replace) the account's fund menu");
  set->add_option("account", set_options->account, "account id")->required();
  auto* symbols = set->add_option("symbols", set_options->symbols, "SYM1,SYM2,...");
  auto* file = set->add_option("--file", set_options->file,
                               "a file of symbols (separated by commas, spaces or lines)")
                   ->check(CLI::ExistingFile);
  symbols->excludes(file);
  set->add_option("--user", set_options->user, "who sets it (default $USER)");
  set->callback([&global, set_options, symbols, file] {
    if (symbols->count() == 0 && file->count() == 0) {
      Fail(Status::InvalidArgument("give the menu's symbols (SYM1,SYM2,...) or --file F"));
    }
    RunSet(global, *set_options);
  });

  auto account = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* show = menu->add_subcommand("show", "The account's fund menu and its changes");
  show->add_option("account", *account, "account id")->required();
  show->add_flag("--json", *json, "as JSON");
  show->callback([&global, account, json] { RunShow(global, *account, *json); });

  auto user = std::make_shared<std::string>();
  auto* clear = menu->add_subcommand("clear", "Lift the menu: the account may buy anything again");
  clear->add_option("account", *account, "account id")->required();
  clear->add_option("--user", *user, "who clears it (default $USER)");
  clear->callback([&global, account, user] { RunClear(global, *account, *user); });

  // AddStoreCommands created `import`.
  auto files = std::make_shared<std::vector<std::string>>();
  auto* import = app.get_subcommand("import")->add_subcommand(
      "menus", "account,symbol: each account named gets exactly its rows as its fund menu");
  import->add_option("files", *files, "CSV files (all are imported together, or none)")
      ->required()
      ->check(CLI::ExistingFile);
  import->add_option("--user", *user, "who imports, for the audit log (default $USER)");
  import->callback([&global, files, user] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  std::string note = "import";
  for (const std::string& f : *files) note += " " + f;
  const ImportSummary summary =
      OrFail(ImportAccountMenus(store->database(), *files, ChangeBy(*user, note)));
  std::cout << "imported menus into " << global.db_path << ": " << summary.rows_read
            << " rows read; menus: " << summary.inserted << " new, " << summary.updated
            << " replaced, " << summary.unchanged << " unchanged\n";
});
}  // namespace arbor::cli

}  // namespace arbor::cli
