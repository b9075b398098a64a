#include "adapters/storage/store.h"

#include <limits>

#include "adapters/storage/migrations.h"
#include "adapters/storage/store_writer.h"

namespace arbor {

using storage_internal::EventSources;
using storage_internal::PendingEvent;
using storage_internal::StoreWriter;

std::string_view ToString(CorporateActionKind kind) {
  return kind == CorporateActionKind::kSplit ? "split" : "dividend";
}

namespace {

// Runs `write` in one write transaction with a fresh writer: all of it is committed, or
// none of it.
template <typename Write>
Result<ImportSummary> WriteAll(Database* db, Write write) {
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  StoreWriter writer(db);
  ARBOR_RETURN_IF_ERROR(writer.Init());
  ImportSummary summary;
  ARBOR_RETURN_IF_ERROR(write(writer, &summary));
  ARBOR_RETURN_IF_ERROR(writer.Flush(&summary));
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return summary;
}

Status StatusOf(const Result<ImportSummary>& result) { return result.status(); }

std::string Indexed(std::string_view what, size_t index) {
  return std::string(what) + "[" + std::to_string(index) + "]";
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, DatabaseOptions options) {
  Result<Database> db = Database::Open(path, options);
  if (!db.ok()) return db.status();
  Result<int> migrated = Migrate(&*db);
  if (!migrated.ok()) return migrated.status().WithContext("database '" + path + "'");
  return std::unique_ptr<Store>(new Store(std::move(db).value()));
}

Status Store::PutSecurities(const SecurityMaster& master) {
  return StatusOf(WriteAll(&db_, [&](StoreWriter& writer, ImportSummary* summary) {
    const std::vector<Security>& securities = master.securities();
    for (size_t i = 0; i < securities.size(); ++i) {
      Status status =
          writer.UpsertSecurity(securities[i], storage_internal::kAllSecurityFields, summary);
      if (!status.ok()) return status.WithContext(Indexed("securities", i));
    }
    return Status::Ok();
  }));
}

Status Store::PutPrices(const std::string& symbol,
                        const std::vector<std::pair<Date, Price>>& closes) {
  return StatusOf(WriteAll(&db_, [&](StoreWriter& writer, ImportSummary* summary) {
    for (size_t i = 0; i < closes.size(); ++i) {
      Status status = writer.UpsertPrice(symbol, closes[i].first, closes[i].second, summary);
      if (!status.ok()) {
        return status.WithContext(Indexed("prices of " + symbol, i) + " (" +
                                  closes[i].first.ToString() + ")");
      }
    }
    return Status::Ok();
  }));
}

Status Store::PutPriceHistories(const std::vector<PriceHistory>& histories) {
  return StatusOf(WriteAll(&db_, [&](StoreWriter& writer, ImportSummary* summary) {
    for (const PriceHistory& history : histories) {
      for (size_t i = 0; i < history.bars.size(); ++i) {
        Status status = writer.UpsertBar(history.symbol, history.bars[i], summary);
        if (!status.ok()) {
          return status.WithContext(Indexed("prices of " + history.symbol, i) + " (" +
                                    history.bars[i].date.ToString() + ")");
        }
      }
    }
    return writer.CheckChangedSplits();
  }));
}

Status Store::PutCorporateActions(const std::vector<CorporateAction>& actions) {
  return StatusOf(WriteAll(&db_, [&](StoreWriter& writer, ImportSummary* summary) {
    for (size_t i = 0; i < actions.size(); ++i) {
      Status status = writer.UpsertCorporateAction(actions[i], /*as_row=*/true, summary);
      if (!status.ok()) return status.WithContext(Indexed("corporate_actions", i));
    }
    return writer.CheckChangedSplits();
  }));
}

Status Store::PutAccounts(const std::vector<Account>& accounts) {
  return StatusOf(WriteAll(&db_, [&](StoreWriter& writer, ImportSummary* summary) {
    for (size_t i = 0; i < accounts.size(); ++i) {
      Status status = writer.UpsertAccount(accounts[i], summary);
      if (!status.ok()) return status.WithContext(Indexed("accounts", i));
    }
    return Status::Ok();
  }));
}

Status Store::AppendTransactions(const std::vector<Event>& events, const std::string& source) {
  if (source.empty()) return Status::InvalidArgument("source: must not be empty");
  return StatusOf(WriteAll(&db_, [&](StoreWriter& writer, ImportSummary* summary) {
    // Ids "<source>:<n>" sort between "<source>:" and "<source>;" (';' follows ':').
    Result<Statement> count =
        db_.Prepare("SELECT count(*) FROM transactions WHERE id > ?1 AND id < ?2");
    if (!count.ok()) return count.status();
    count->Bind(1, source + ":").Bind(2, source + ";");
    Result<bool> row = count->Step();
    if (!row.ok()) return row.status();
    const int64_t earlier = count->ColumnInt(0);
    // A stepped statement keeps its table busy; a bulk write may drop that table's indexes.
    count->Reset();
    EventSources sources{.names = {source}, .positions_are_lines = false};
    std::vector<PendingEvent> pending;
    pending.reserve(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
      Status status =
          storage_internal::ValidateEvent(events[i], writer.symbols(), writer.accounts());
      if (!status.ok()) return status.WithContext(Indexed("events", i));
      pending.push_back({.id = source + ":" + std::to_string(earlier + 1 + i),
                         .event = events[i],
                         .source = 0,
                         .position = static_cast<int64_t>(i)});
    }
    return writer.WriteEvents(std::move(pending), sources, summary);
  }));
}

Result<SecurityMaster> Store::LoadSecurities() {
  Result<Statement> select = db_.Prepare(
      "SELECT symbol, name, type, sector, industry_group, industry, sub_industry, asset_class, "
      "fractional, wash_sale_group FROM securities ORDER BY symbol");
  if (!select.ok()) return select.status();
  SecurityMaster master;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Security security;
    security.symbol = select->ColumnText(0);
    security.name = select->ColumnText(1);
    Result<SecurityType> type = SecurityTypeFromString(select->ColumnView(2));
    if (!type.ok()) return type.status().WithContext("stored security " + security.symbol);
    security.type = *type;
    security.gics = {select->ColumnText(3), select->ColumnText(4), select->ColumnText(5),
                     select->ColumnText(6)};
    security.asset_class = select->ColumnText(7);
    security.fractional = select->ColumnInt(8) != 0;
    security.wash_sale_group = select->ColumnText(9);
    ARBOR_RETURN_IF_ERROR(master.Add(std::move(security)));
  }
  return master;
}

Result<std::vector<Account>> Store::LoadAccounts() { return storage_internal::ReadAccounts(&db_); }

Result<std::optional<std::pair<Date, Price>>> Store::LatestPrice(const std::string& symbol,
                                                                 Date on_or_before) {
  Result<Statement> select = db_.Prepare(
      "SELECT date, close_micros FROM prices WHERE symbol = ?1 AND date <= ?2 "
      "ORDER BY date DESC LIMIT 1");
  if (!select.ok()) return select.status();
  select->Bind(1, symbol).Bind(2, on_or_before.ToString());
  Result<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::pair<Date, Price>>();
  Result<Date> date = Date::Parse(select->ColumnView(0));
  if (!date.ok()) return date.status().WithContext("stored price of " + symbol);
  return std::optional<std::pair<Date, Price>>(
      std::make_pair(*date, Price::FromMicros(select->ColumnInt(1))));
}

Result<std::vector<std::pair<Date, Price>>> Store::LoadPrices(const std::string& symbol, Date from,
                                                              Date to) {
  Result<Statement> select = db_.Prepare(
      "SELECT date, close_micros FROM prices WHERE symbol = ?1 AND date >= ?2 AND date <= ?3 "
      "ORDER BY date");
  if (!select.ok()) return select.status();
  select->Bind(1, symbol).Bind(2, from.ToString()).Bind(3, to.ToString());
  std::vector<std::pair<Date, Price>> closes;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Result<Date> date = Date::Parse(select->ColumnView(0));
    if (!date.ok()) return date.status().WithContext("stored price of " + symbol);
    closes.emplace_back(*date, Price::FromMicros(select->ColumnInt(1)));
  }
  return closes;
}

Result<std::vector<CorporateAction>> Store::LoadCorporateActions(const std::string& symbol) {
  Result<Statement> select = db_.Prepare(
      "SELECT ex_date, kind, numerator, denominator, cash_micros FROM corporate_actions "
      "WHERE symbol = ?1 ORDER BY ex_date, kind DESC");
  if (!select.ok()) return select.status();
  select->Bind(1, symbol);
  std::vector<CorporateAction> actions;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Result<Date> date = Date::Parse(select->ColumnView(0));
    if (!date.ok()) return date.status().WithContext("stored corporate action of " + symbol);
    actions.push_back({.symbol = symbol,
                       .ex_date = *date,
                       .kind = select->ColumnView(1) == "split" ? CorporateActionKind::kSplit
                                                                : CorporateActionKind::kDividend,
                       .numerator = select->ColumnInt(2),
                       .denominator = select->ColumnInt(3),
                       .cash_per_share = Price::FromMicros(select->ColumnInt(4))});
  }
  return actions;
}

Result<LedgerInput> Store::LoadLedgerInput(const std::string& account_id,
                                           std::optional<Date> as_of) {
  // One snapshot for all the queries, so a concurrent import is seen whole or not at all.
  Result<Transaction> snapshot = Transaction::Begin(&db_, TransactionMode::kDeferred);
  if (!snapshot.ok()) return snapshot.status();
  Result<std::vector<Account>> accounts = storage_internal::ReadAccounts(&db_);
  if (!accounts.ok()) return accounts.status();
  std::vector<Account> scope = storage_internal::AccountsInScope(*accounts, {account_id});
  if (scope.empty()) {
    return Status::NotFound("unknown account '" + account_id + "'");
  }
  LedgerInput input;
  ARBOR_RETURN_IF_ERROR(storage_internal::AssembleLedgerInput(&db_, std::move(scope), std::nullopt,
                                                              as_of, {}, &input, nullptr));
  ARBOR_RETURN_IF_ERROR(snapshot->Commit());
  return input;
}

Result<LedgerInput> Store::LoadScopeLedgerInput(std::vector<Account> scope,
                                                std::optional<Date> as_of) {
  // One snapshot for all the queries, so a concurrent import is seen whole or not at all.
  Result<Transaction> snapshot = Transaction::Begin(&db_, TransactionMode::kDeferred);
  if (!snapshot.ok()) return snapshot.status();
  LedgerInput input;
  ARBOR_RETURN_IF_ERROR(storage_internal::AssembleLedgerInput(
      &db_, std::move(scope), std::nullopt, as_of, {}, &input, nullptr,
      storage_internal::DividendRows::kMergedPerDay));
  ARBOR_RETURN_IF_ERROR(snapshot->Commit());
  return input;
}

Result<StoreCounts> Store::Counts() {
  Result<Statement> select = db_.Prepare(
      "SELECT (SELECT count(*) FROM securities), (SELECT count(*) FROM prices), "
      "(SELECT count(*) FROM corporate_actions), (SELECT count(*) FROM accounts), "
      "(SELECT count(*) FROM transactions)");
  if (!select.ok()) return select.status();
  Result<bool> row = select->Step();
  if (!row.ok()) return row.status();
  return StoreCounts{.securities = select->ColumnInt(0),
                     .prices = select->ColumnInt(1),
                     .corporate_actions = select->ColumnInt(2),
                     .accounts = select->ColumnInt(3),
                     .transactions = select->ColumnInt(4)};
}

}  // namespace arbor
