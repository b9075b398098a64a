// The write path shared by the CSV imports and the programmatic Put/Append calls: per-row
// validation, upserts through prepared statements (many rows per statement where it pays),
// and the ledger check of new transactions. Internal to the storage adapter; the caller owns
// the SQLite transaction.
//
//   Result<Transaction> txn = Transaction::Begin(db);
//   StoreWriter writer(db);
//   ARBOR_RETURN_IF_ERROR(writer.Init());
//   ARBOR_RETURN_IF_ERROR(writer.UpsertPrice("AAPL", date, close, &summary));
//   ARBOR_RETURN_IF_ERROR(writer.WriteEvents(std::move(pending), sources, &summary));
//   ARBOR_RETURN_IF_ERROR(writer.CheckChangedSplits());
//   ARBOR_RETURN_IF_ERROR(writer.Flush(&summary));   // queued prices
//   ARBOR_RETURN_IF_ERROR(txn->Commit());
//
// Validation messages read `field: what is wrong`; the caller prefixes where the row came
// from (`file:line` or `events[3]`).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "adapters/storage/ledger_loader.h"
#include "adapters/storage/sqlite.h"
#include "adapters/storage/store.h"
#include "adapters/storage/transaction_rows.h"
#include "core/base/status.h"
#include "core/ledger/account.h"
#include "core/ledger/event.h"
#include "core/market/security.h"

namespace arbor::storage_internal {

// Largest plausible share count, price, amount or trade value, in units. Far below where
// int64 millionths overflow (9.2e12), so that sums over a history stay exact.
inline constexpr int64_t kMaxUnits = 1'000'000'000'000;

// Which Security fields a securities file provides (the others keep their stored values).
enum SecurityField : uint32_t {
  kName = 1u << 0,
  kType = 1u << 1,
  kSector = 1u << 2,
  kIndustryGroup = 1u << 3,
  kIndustry = 1u << 4,
  kSubIndustry = 1u << 5,
  kAssetClass = 1u << 6,
  kFractional = 1u << 7,
  kWashSaleGroup = 1u << 8,
  kAllSecurityFields = (1u << 9) - 1,
};

// A transaction on its way in.
struct PendingEvent {
  std::string id;
  Event event;
  uint32_t source = 0;   // index into EventSources::names
  int64_t position = 0;  // line in that file, or index in the Append call
};

// Where pending events come from; kept apart so a million rows share a few strings.
struct EventSources {
  std::vector<std::string> names;  // stored in transactions.source: the file, or Append's source
  bool positions_are_lines = true;
  // "file.csv:17", or "events[3]" for an Append.
  std::string Origin(const PendingEvent& row) const;
};

// `amount: ...` when a quantity is negative or implausibly large.
Status CheckMagnitude(std::string_view field, int64_t micros);
// Field-level checks of one transaction against the known symbols and accounts; the ledger
// replay checks the rest (holdings, lots).
Status ValidateEvent(const Event& event, const std::unordered_set<std::string>& symbols,
                     const std::unordered_map<std::string, Account>& accounts);
Status ValidateAccount(const Account& account);

// Per account of `all`, the index of one account of its wash-sale scope (the accounts sharing a
// taxpayer with it, transitively): two accounts are in one scope when their roots are equal.
std::vector<size_t> WashSaleScopeRoots(const std::vector<Account>& all);

// The accounts that share a taxpayer with any of `seeds`, transitively, in `all`'s order.
// An account without taxpayers is a scope of its own.
std::vector<Account> AccountsInScope(const std::vector<Account>& all,
                                     const std::vector<std::string>& seeds);

Result<std::vector<Account>> ReadAccounts(Database* db);
// The taxpayers column: names separated by ';'.
std::vector<std::string> SplitTaxpayers(std::string_view text);
Result<std::vector<std::pair<std::string, std::string>>> ReadWashSaleGroups(Database* db);

// The replay input of `accounts`: their stored transactions (only those with seq <= max_seq
// when given, up to as_of when given), `extra` new ones, and the splits of their symbols,
// ordered by date, splits first on a date, then by seq. `tags` (parallel to the events)
// says where each came from: kTagSplit, kTagStored, or the index into `extra`.
// With DividendRows::kMergedPerDay, an account's dividends of one day come as one event
// (id "dividends:<account>:<date>", at the day's first dividend): dividends only add cash, so
// the replayed ledger is the same, and most of a direct index's rows are dividends.
inline constexpr int64_t kTagSplit = -2;
inline constexpr int64_t kTagStored = -1;
enum class DividendRows { kEach, kMergedPerDay };
// With a HistoryTail, only what follows a checkpoint: rows dated after `after`, and the splits
// after it of the `held` symbols (the checkpoint's positions) besides the rows' own.
struct HistoryTail {
  Date after;
  std::vector<std::string> held;
};
Status AssembleLedgerInput(Database* db, std::vector<Account> accounts,
                           std::optional<int64_t> max_seq, std::optional<Date> as_of,
                           std::vector<StoredTransaction> extra, LedgerInput* input,
                           std::vector<int64_t>* tags, DividendRows dividends = DividendRows::kEach,
                           const HistoryTail* tail = nullptr);

class StoreWriter {
 public:
  explicit StoreWriter(Database* db) : db_(db) {}

  // Loads the symbols and accounts that rows are checked against.
  Status Init();
  bool HasSymbol(std::string_view symbol) const { return symbols_.count(std::string(symbol)) != 0; }
  const std::unordered_set<std::string>& symbols() const { return symbols_; }
  const std::unordered_map<std::string, Account>& accounts() const { return accounts_; }

  // Inserts the security or overwrites the `fields` it provides.
  Status UpsertSecurity(const Security& security, uint32_t fields, ImportSummary* summary);
  // Validates a close and queues it; queued prices are written in batches, the last by Flush.
  Status UpsertPrice(const std::string& symbol, Date date, Price close, ImportSummary* summary);
  // A price file's row: the close, and a split or dividend when the bar has one.
  Status UpsertBar(const std::string& symbol, const DailyBar& bar, ImportSummary* summary);
  // Counts into corporate_actions_inserted when `as_row` is false (actions that ride along
  // with a price row), else as rows of their own.
  Status UpsertCorporateAction(const CorporateAction& action, bool as_row, ImportSummary* summary);
  // Refuses to change the type or taxpayers of an account that has transactions: that
  // would silently rewrite the tax treatment of its history.
  Status UpsertAccount(const Account& account, ImportSummary* summary);

  // Inserts new transactions (same id and content: unchanged; same id, other content: an
  // error naming the id), then replays the affected scopes with the new ones on a fresh
  // Ledger. A failure names the row's origin.
  Status WriteEvents(std::vector<PendingEvent> rows, const EventSources& sources,
                     ImportSummary* summary);

  // Writes what is still queued. Call before committing.
  Status Flush(ImportSummary* summary) { return FlushPrices(summary); }

  // Replays the scopes of every account that traded a symbol whose splits were added or
  // changed by this writer, so that new corporate actions cannot break a stored history.
  // Call once after the last UpsertCorporateAction.
  Status CheckChangedSplits();

 private:
  static constexpr size_t kPriceBatch = 64;
  static constexpr size_t kTransactionBatch = 64;
  struct QueuedPrice {
    std::string symbol;
    std::string date;
    int64_t close_micros;
  };

  Status FlushPrices(ImportSummary* summary);
  std::vector<Account> AllAccounts() const;
  // Whether any account of `scope` has transactions with seq <= seq_before.
  Result<bool> ScopeHasHistory(const std::vector<Account>& scope, int64_t seq_before);
  // The new rows' (account, lot label) pairs are unique; names both rows otherwise.
  Status CheckUniqueLabels(const std::vector<PendingEvent>& rows, const std::vector<bool>& is_new,
                           const EventSources& sources);
  // Drops the indexes of `table` that a CREATE INDEX made (`type` "index"), or its triggers
  // ("trigger"), and returns their definitions.
  Result<std::vector<std::string>> DropSchemaObjects(std::string_view type,
                                                     const std::string& table);
  // Replays `input`; a failing new event is reported at its origin, a failing stored one as
  // broken by the change.
  Status ReplayChecked(const LedgerInput& input, const std::vector<int64_t>& tags,
                       const std::function<std::string(size_t)>& origin_of);
  Result<Statement*> Prepared(std::unique_ptr<Statement>* slot, std::string_view sql);

  Database* db_;
  std::unordered_set<std::string> symbols_;
  std::unordered_map<std::string, Account> accounts_;
  std::set<std::string> changed_split_symbols_;
  std::unique_ptr<Statement> select_security_, upsert_security_;
  std::vector<QueuedPrice> price_queue_;
  std::unique_ptr<Statement> insert_price_batch_, insert_price_, update_price_;
  std::unique_ptr<Statement> insert_action_, update_action_;
};

}  // namespace arbor::storage_internal
