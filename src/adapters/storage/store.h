// Arbor's embedded database: securities, prices, corporate actions, accounts and
// transactions in one SQLite file, with all-or-nothing CSV imports (docs/import-formats.md).
//
//   Result<std::unique_ptr<Store>> store = Store::Open("arbor.db");   // creates and migrates
//   if (!store.ok()) return store.status();
//   Result<ImportSummary> s = (*store)->ImportSecurities({"constituents_2021-04-24.csv"});
//   // a bad row aborts the whole call: "broker.csv:17: shares: must be positive",
//   // and the database is exactly as it was before
//   Result<LedgerInput> input = (*store)->LoadLedgerInput("A", std::nullopt);
//   Result<Ledger> ledger = BuildLedger(*input);
//
// Every import and every Put/Append is one SQLite transaction. Transactions and lots are
// checked by replaying the affected taxpayers' whole history on a fresh core Ledger before
// anything is committed, so a stored history always replays (opening lots into accounts
// without history can break nothing but label uniqueness, which is checked directly). New
// splits are checked the same way. Re-importing a file is a no-op; a transaction id that
// comes back with different content is an error naming the id.
//
// A Store owns one connection: use it from one thread at a time (open one per thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/io/market_data.h"
#include "adapters/storage/ledger_loader.h"
#include "adapters/storage/sqlite.h"
#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/status.h"
#include "core/ledger/account.h"
#include "core/ledger/event.h"
#include "core/market/security.h"

namespace arbor {

// What one import call did. rows_read = inserted + unchanged + updated.
struct ImportSummary {
  size_t rows_read = 0;  // data rows in all files of the call
  size_t inserted = 0;   // new rows
  size_t unchanged = 0;  // rows identical to what was stored (a re-import)
  // Upserts that changed a stored row: securities, prices and accounts only, since a
  // transaction or lot that comes back different is an error instead.
  size_t updated = 0;
  // Prices only: split and dividend actions newly stored from AlphaVantage columns.
  size_t corporate_actions_inserted = 0;
};

enum class CorporateActionKind { kSplit, kDividend };
std::string_view ToString(CorporateActionKind kind);

struct CorporateAction {
  std::string symbol;
  Date ex_date;
  CorporateActionKind kind = CorporateActionKind::kSplit;
  int64_t numerator = 1;    // split: shares after
  int64_t denominator = 1;  // split: shares before
  Price cash_per_share;     // dividend: cash per share held on the ex-date
};

struct StoreCounts {
  int64_t securities = 0;
  int64_t prices = 0;
  int64_t corporate_actions = 0;
  int64_t accounts = 0;
  int64_t transactions = 0;
  friend bool operator==(const StoreCounts&, const StoreCounts&) = default;
};

class Store {
 public:
  // Opens or creates the database file and applies pending schema migrations.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, DatabaseOptions options = {});

  // CSV imports (formats in docs/import-formats.md). All files of one call succeed together
  // or not at all; the first bad row is reported as `file:line: field: what is wrong`.
  // Securities, prices and accounts are upserted (the file's columns replace stored ones).
  Result<ImportSummary> ImportSecurities(const std::vector<std::string>& files);
  // `symbol,date,close`, or AlphaVantage daily files (symbol from the file name), whose
  // split and dividend columns become corporate actions.
  Result<ImportSummary> ImportPrices(const std::vector<std::string>& files);
  Result<ImportSummary> ImportAccounts(const std::vector<std::string>& files);
  // Opening lots, stored as transfer_in transactions with id "lot:<account>:<lot_id>".
  Result<ImportSummary> ImportLots(const std::vector<std::string>& files);
  Result<ImportSummary> ImportTransactions(const std::vector<std::string>& files);

  // Programmatic writes (the demo generator), validated like the imports, one SQLite
  // transaction each; errors name the element ("securities[3]", "events[17]").
  Status PutSecurities(const SecurityMaster& master);
  Status PutPrices(const std::string& symbol, const std::vector<std::pair<Date, Price>>& closes);
  // Closes, splits and dividends of loaded price files, all in one transaction.
  Status PutPriceHistories(const std::vector<PriceHistory>& histories);
  Status PutCorporateActions(const std::vector<CorporateAction>& actions);
  Status PutAccounts(const std::vector<Account>& accounts);
  // Appends events with ids "<source>:<n>", n continuing after the source's earlier appends
  // (1, 2, ... for a new source). Each event is checked against the stored history.
  Status AppendTransactions(const std::vector<Event>& events, const std::string& source);

  Result<SecurityMaster> LoadSecurities();
  Result<std::vector<Account>> LoadAccounts();
  // The last close on or before the date, if any.
  Result<std::optional<std::pair<Date, Price>>> LatestPrice(const std::string& symbol,
                                                            Date on_or_before);
  // Closes in [from, to], ascending.
  Result<std::vector<std::pair<Date, Price>>> LoadPrices(const std::string& symbol, Date from,
                                                         Date to);
  // All actions of the symbol by ex-date (a split before a dividend on the same day).
  Result<std::vector<CorporateAction>> LoadCorporateActions(const std::string& symbol);

  // Everything needed to replay `account_id`'s wash-sale scope: the accounts sharing a
  // taxpayer with it, transitively (spouses, joint accounts); their transactions up to
  // `as_of` inclusive in (date, insertion) order; and the splits of every symbol they trade,
  // each placed before the transactions of its ex-date. Build the ledger with BuildLedger.
  Result<LedgerInput> LoadLedgerInput(const std::string& account_id, std::optional<Date> as_of);
  // The same for a scope the caller already knows (e.g. RebalanceContext::ScopeOf), which
  // spares reading every account: the daily review loads one per account. An account's
  // dividends of one day come as one event ("dividends:<account>:<date>"): the replayed ledger
  // is the same, from far fewer rows (most of a direct index's rows are dividends).
  Result<LedgerInput> LoadScopeLedgerInput(std::vector<Account> scope, std::optional<Date> as_of);

  Result<StoreCounts> Counts();
  // The connection, for tests and for callers that need a query of their own.
  Database* database() { return &db_; }

 private:
  explicit Store(Database db) : db_(std::move(db)) {}
  Database db_;
};

}  // namespace arbor
