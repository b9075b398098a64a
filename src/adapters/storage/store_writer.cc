#include "adapters/storage/store_writer.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>
#include <tuple>

#include "adapters/storage/ledger_checkpoint_store.h"

namespace arbor::storage_internal {
namespace {

std::string JoinTaxpayers(const std::vector<std::string>& taxpayers) {
  std::string joined;
  for (const std::string& t : taxpayers) {
    if (!joined.empty()) joined += ';';
    joined += t;
  }
  return joined;
}

bool SameSecurity(const Security& a, const Security& b) {
  return std::tie(a.name, a.type, a.gics.sector, a.gics.industry_group, a.gics.industry,
                  a.gics.sub_industry, a.asset_class, a.fractional, a.wash_sale_group) ==
         std::tie(b.name, b.type, b.gics.sector, b.gics.industry_group, b.gics.industry,
                  b.gics.sub_industry, b.asset_class, b.fractional, b.wash_sale_group);
}

bool IsTradeAction(EventAction action) {
  return action == EventAction::kBuy || action == EventAction::kSell ||
         action == EventAction::kTransferIn;
}

// The ledger's messages mostly start with the field they are about; the ones about a sale's
// holdings or lot selections do not, so name the column the user has to look at.
std::string WithField(const Event& event, const Status& status) {
  static constexpr std::string_view kFields[] = {
      "date:",   "account:",    "symbol:", "shares:", "price:",    "fees:", "amount:",
      "lot_id:", "lot_method:", "lots:",   "basis:",  "acquired:", "ratio:"};
  const std::string& message = status.message();
  for (std::string_view field : kFields) {
    if (message.starts_with(field)) return message;
  }
  bool about_lots = !event.lots.empty() || event.lot_method == LotMethod::kSpecific;
  if (status.code() == StatusCode::kFailedPrecondition) about_lots = false;  // too few shares
  return std::string(about_lots ? "lots: " : "shares: ") + message;
}

}  // namespace

std::vector<std::string> SplitTaxpayers(std::string_view text) {
  std::vector<std::string> taxpayers;
  while (!text.empty()) {
    size_t end = text.find(';');
    std::string_view item = text.substr(0, end);
    if (!item.empty()) taxpayers.emplace_back(item);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return taxpayers;
}

Status CheckMagnitude(std::string_view field, int64_t micros) {
  if (micros < 0) {
    return Status::InvalidArgument(std::string(field) + ": must not be negative, got " +
                                   TrimmedDecimal(micros));
  }
  if (micros / kMicrosPerUnit > kMaxUnits) {
    return Status::InvalidArgument(std::string(field) + ": " + TrimmedDecimal(micros) +
                                   " is implausibly large (the limit is 1000000000000)");
  }
  return Status::Ok();
}

Status ValidateEvent(const Event& event, const std::unordered_set<std::string>& symbols,
                     const std::unordered_map<std::string, Account>& accounts) {
  if (event.account.empty()) return Status::InvalidArgument("account: missing");
  if (accounts.count(event.account) == 0) {
    return Status::NotFound("account: unknown account '" + event.account +
                            "'; add it to the accounts first");
  }
  if (event.action == EventAction::kSplit) {
    return Status::InvalidArgument(
        "action: splits are corporate actions, stored with the prices, not transactions");
  }
  const bool trade = IsTradeAction(event.action);
  const bool needs_symbol = trade || event.action == EventAction::kDividend;
  if (event.symbol.empty()) {
    if (needs_symbol) {
      return Status::InvalidArgument("symbol: required for " + std::string(ToString(event.action)));
    }
  } else if (symbols.count(event.symbol) == 0) {
    return Status::NotFound("symbol: unknown symbol '" + event.symbol +
                            "'; add it to the securities first");
  }
  ARBOR_RETURN_IF_ERROR(CheckMagnitude("shares", event.shares.micros()));
  ARBOR_RETURN_IF_ERROR(CheckMagnitude("price", event.price.micros()));
  ARBOR_RETURN_IF_ERROR(CheckMagnitude("fees", event.fees.micros()));
  ARBOR_RETURN_IF_ERROR(CheckMagnitude("amount", event.amount.micros()));
  ARBOR_RETURN_IF_ERROR(CheckMagnitude("basis", event.basis.micros()));
  if (trade && !event.shares.is_positive()) {
    return Status::InvalidArgument("shares: must be positive for " +
                                   std::string(ToString(event.action)));
  }
  if (!trade && !event.shares.is_zero()) {
    return Status::InvalidArgument("shares: only buy, sell and transfer_in move shares");
  }
  if (Value(event.shares, event.price).micros() / kMicrosPerUnit > kMaxUnits) {
    return Status::InvalidArgument("price: shares x price is implausibly large");
  }
  if (event.action != EventAction::kSell) {
    if (event.lot_method.has_value()) {
      return Status::InvalidArgument("lot_method: only a sell chooses lots");
    }
    if (!event.lots.empty()) return Status::InvalidArgument("lots: only a sell chooses lots");
  } else {
    if (!event.lot_id.empty()) {
      return Status::InvalidArgument("lot_id: a sell names the lots it sells in 'lots'");
    }
    if (!event.lots.empty() && event.lot_method.has_value() &&
        *event.lot_method != LotMethod::kSpecific) {
      return Status::InvalidArgument("lot_method: '" + std::string(ToString(*event.lot_method)) +
                                     "' with 'lots' given; use specific or leave it empty");
    }
    for (const LotSelection& lot : event.lots) {
      if (lot.lot_id.empty() || !lot.shares.is_positive()) {
        return Status::InvalidArgument("lots: each selection needs a lot id and positive shares");
      }
    }
  }
  if (event.lot_id.starts_with('#')) {
    return Status::InvalidArgument("lot_id: '" + event.lot_id +
                                   "': labels starting with '#' are reserved for the ledger's "
                                   "automatic ones");
  }
  if (event.lot_id.find_first_of(";\n\r") != std::string::npos) {
    return Status::InvalidArgument("lot_id: '" + event.lot_id +
                                   "' may not contain ';' or a line break");
  }
  if (event.action == EventAction::kTransferIn) {
    if (event.acquired > event.date) {
      return Status::InvalidArgument("acquired: " + event.acquired.ToString() +
                                     " is after the transfer date " + event.date.ToString());
    }
    if (event.holding_period_date && *event.holding_period_date > event.acquired) {
      return Status::InvalidArgument(
          "acquired_for_holding_period: " + event.holding_period_date->ToString() +
          " is after the acquisition date " + event.acquired.ToString());
    }
  } else {
    if (!event.basis.is_zero()) {
      return Status::InvalidArgument("basis: only a transfer_in carries a basis");
    }
    if (event.holding_period_date.has_value()) {
      return Status::InvalidArgument("acquired_for_holding_period: only a transfer_in carries one");
    }
  }
  return Status::Ok();
}

Status ValidateAccount(const Account& account) {
  if (account.id.empty()) return Status::InvalidArgument("id: missing");
  if (account.id.find_first_of(";\n\r") != std::string::npos) {
    return Status::InvalidArgument("id: '" + account.id + "' may not contain ';' or a line break");
  }
  for (const std::string& taxpayer : account.taxpayers) {
    if (taxpayer.empty() || taxpayer.find(';') != std::string::npos) {
      return Status::InvalidArgument("taxpayers: each taxpayer needs a non-empty name without ';'");
    }
  }
  return Status::Ok();
}

std::vector<size_t> WashSaleScopeRoots(const std::vector<Account>& all) {
  // Union-find over accounts: two accounts are joined when they name a common taxpayer.
  std::vector<size_t> parent(all.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::unordered_map<std::string, size_t> first_with_taxpayer;
  for (size_t i = 0; i < all.size(); ++i) {
    for (const std::string& taxpayer : all[i].taxpayers) {
      auto [it, inserted] = first_with_taxpayer.emplace(taxpayer, i);
      if (!inserted) parent[find(i)] = find(it->second);
    }
  }
  std::vector<size_t> roots(all.size());
  for (size_t i = 0; i < all.size(); ++i) roots[i] = find(i);
  return roots;
}

std::vector<Account> AccountsInScope(const std::vector<Account>& all,
                                     const std::vector<std::string>& seeds) {
  const std::vector<size_t> root_of = WashSaleScopeRoots(all);
  const std::unordered_set<std::string> seed_ids(seeds.begin(), seeds.end());
  std::unordered_set<size_t> roots;
  for (size_t i = 0; i < all.size(); ++i) {
    if (seed_ids.count(all[i].id) != 0) roots.insert(root_of[i]);
  }
  std::vector<Account> scope;
  for (size_t i = 0; i < all.size(); ++i) {
    if (roots.count(root_of[i]) != 0) scope.push_back(all[i]);
  }
  return scope;
}

Result<std::vector<Account>> ReadAccounts(Database* db) {
  Result<Statement> select =
      db->Prepare("SELECT id, type, taxpayers, household, name, advisor FROM accounts ORDER BY id");
  if (!select.ok()) return select.status();
  std::vector<Account> accounts;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Account account;
    account.id = select->ColumnText(0);
    Result<AccountType> type = AccountTypeFromString(select->ColumnView(1));
    if (!type.ok()) return type.status().WithContext("stored account '" + account.id + "'");
    account.type = *type;
    account.taxpayers = SplitTaxpayers(select->ColumnView(2));
    account.household = select->ColumnText(3);
    account.name = select->ColumnText(4);
    account.advisor = select->ColumnText(5);
    accounts.push_back(std::move(account));
  }
  return accounts;
}

Result<std::vector<std::pair<std::string, std::string>>> ReadWashSaleGroups(Database* db) {
  Result<Statement> select = db->Prepare(
      "SELECT symbol, wash_sale_group FROM securities WHERE wash_sale_group != '' "
      "ORDER BY symbol");
  if (!select.ok()) return select.status();
  std::vector<std::pair<std::string, std::string>> groups;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    groups.emplace_back(select->ColumnText(0), select->ColumnText(1));
  }
  return groups;
}

Status AssembleLedgerInput(Database* db, std::vector<Account> accounts,
                           std::optional<int64_t> max_seq, std::optional<Date> as_of,
                           std::vector<StoredTransaction> extra, LedgerInput* input,
                           std::vector<int64_t>* tags, DividendRows dividends,
                           const HistoryTail* tail) {
  const std::string last_date = as_of ? as_of->ToString() : "9999-12-31";
  const std::string after = tail != nullptr ? tail->after.ToString() : "";
  const int64_t last_seq = max_seq.value_or(std::numeric_limits<int64_t>::max());
  const bool merge = dividends == DividendRows::kMergedPerDay;
  Result<Statement> select = db->Prepare(
      "SELECT " + std::string(kTransactionColumns) +
      " FROM transactions WHERE account = ?1 AND seq <= ?2 AND date <= ?3 AND date > ?4 "
      "ORDER BY date, seq");
  if (!select.ok()) return select.status();
  std::vector<StoredTransaction> stored;
  for (const Account& account : accounts) {
    select->Reset();
    select->Bind(1, account.id).Bind(2, last_seq).Bind(3, last_date).Bind(4, after);
    // With `merge`, the day's dividends so far: their event in `stored`, and its date as stored.
    size_t day_dividends = 0;
    std::string day;
    while (true) {
      Result<bool> row = select->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      if (merge && select->ColumnView(4) == "dividend") {
        const Money amount = Money::FromMicros(select->ColumnInt(9));
        if (!day.empty() && select->ColumnView(2) == day) {
          stored[day_dividends].event.amount += amount;
          continue;
        }
        Result<Date> date = Date::Parse(select->ColumnView(2));
        if (!date.ok()) return date.status().WithContext("stored dividend date of " + account.id);
        day = select->ColumnText(2);
        day_dividends = stored.size();
        StoredTransaction merged;
        merged.id = "dividends:" + account.id + ":" + day;
        merged.seq = select->ColumnInt(1);
        merged.event = Event{.date = *date,
                             .account = account.id,
                             .action = EventAction::kDividend,
                             .amount = amount};
        stored.push_back(std::move(merged));
        continue;
      }
      Result<StoredTransaction> read = ReadTransaction(*select);
      if (!read.ok()) return read.status();
      stored.push_back(std::move(read).value());
    }
  }

  std::unordered_set<std::string_view> symbols;  // views of the rows' symbols, which stay put
  std::optional<Date> first;
  if (tail != nullptr) {
    first = tail->after.AddDays(1);
    symbols.insert(tail->held.begin(), tail->held.end());
  }
  for (const auto* rows : {&stored, &extra}) {
    for (const StoredTransaction& row : *rows) {
      if (!row.event.symbol.empty()) symbols.insert(row.event.symbol);
      if (!first || row.event.date < *first) first = row.event.date;
    }
  }
  // The splits of the rows' symbols, by symbol and date. Splits are rare (a few hundred in
  // thirty years of a market), so reading all of them through their index costs less than a
  // query per symbol, which visits that symbol's dividends too.
  std::vector<StoredTransaction> splits;
  if (first) {
    Result<Statement> select_splits = db->Prepare(
        "SELECT symbol, ex_date, numerator, denominator FROM corporate_actions WHERE "
        "kind = 'split' AND ex_date >= ?1 AND ex_date <= ?2 ORDER BY symbol, ex_date");
    if (!select_splits.ok()) return select_splits.status();
    select_splits->Bind(1, first->ToString()).Bind(2, last_date);
    while (true) {
      Result<bool> row = select_splits->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      if (!symbols.contains(select_splits->ColumnView(0))) continue;
      const std::string symbol = select_splits->ColumnText(0);
      Result<Date> ex_date = Date::Parse(select_splits->ColumnView(1));
      if (!ex_date.ok()) return ex_date.status().WithContext("stored split of " + symbol);
      StoredTransaction split;
      split.id = "split:" + symbol + ":" + ex_date->ToString();
      split.event = Event{.date = *ex_date,
                          .action = EventAction::kSplit,
                          .symbol = symbol,
                          .split_numerator = select_splits->ColumnInt(2),
                          .split_denominator = select_splits->ColumnInt(3)};
      splits.push_back(std::move(split));
    }
  }

  // Order: date, then a split before the day's trades, then insertion order. Sorting
  // (key, position) pairs keeps the events themselves in place until the final move.
  struct Key {
    int32_t date;
    int kind;  // 0 split, 1 transaction
    int64_t seq;
    int source;  // 0 split, 1 stored, 2 extra
    size_t index;
  };
  std::vector<Key> keys;
  keys.reserve(stored.size() + extra.size() + splits.size());
  for (size_t i = 0; i < splits.size(); ++i) {
    keys.push_back({splits[i].event.date.days(), 0, 0, 0, i});
  }
  for (size_t i = 0; i < stored.size(); ++i) {
    keys.push_back({stored[i].event.date.days(), 1, stored[i].seq, 1, i});
  }
  for (size_t i = 0; i < extra.size(); ++i) {
    keys.push_back({extra[i].event.date.days(), 1, extra[i].seq, 2, i});
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return std::tie(a.date, a.kind, a.seq, a.index) < std::tie(b.date, b.kind, b.seq, b.index);
  });
  input->accounts = std::move(accounts);
  Result<std::vector<std::pair<std::string, std::string>>> groups = ReadWashSaleGroups(db);
  if (!groups.ok()) return groups.status();
  input->wash_sale_groups = std::move(groups).value();
  input->events.clear();
  input->event_ids.clear();
  input->events.reserve(keys.size());
  input->event_ids.reserve(keys.size());
  if (tags != nullptr) tags->clear();
  for (const Key& key : keys) {
    std::vector<StoredTransaction>& from =
        key.source == 0 ? splits : (key.source == 1 ? stored : extra);
    input->events.push_back(std::move(from[key.index].event));
    input->event_ids.push_back(std::move(from[key.index].id));
    if (tags != nullptr) {
      tags->push_back(key.source == 0   ? kTagSplit
                      : key.source == 1 ? kTagStored
                                        : static_cast<int64_t>(key.index));
    }
  }
  return Status::Ok();
}

Status StoreWriter::Init() {
  Result<Statement> select = db_->Prepare("SELECT symbol FROM securities");
  if (!select.ok()) return select.status();
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    symbols_.insert(select->ColumnText(0));
  }
  Result<std::vector<Account>> accounts = ReadAccounts(db_);
  if (!accounts.ok()) return accounts.status();
  for (Account& account : *accounts) {
    std::string id = account.id;
    accounts_.emplace(std::move(id), std::move(account));
  }
  return Status::Ok();
}

Result<Statement*> StoreWriter::Prepared(std::unique_ptr<Statement>* slot, std::string_view sql) {
  if (*slot == nullptr) {
    Result<Statement> statement = db_->Prepare(sql);
    if (!statement.ok()) return statement.status();
    *slot = std::make_unique<Statement>(std::move(statement).value());
  }
  (*slot)->Reset();
  return slot->get();
}

Status StoreWriter::UpsertSecurity(const Security& security, uint32_t fields,
                                   ImportSummary* summary) {
  ARBOR_RETURN_IF_ERROR(ValidateSymbol(security.symbol).WithContext("symbol"));
  Result<Statement*> select =
      Prepared(&select_security_,
               "SELECT name, type, sector, industry_group, industry, sub_industry, asset_class, "
               "fractional, wash_sale_group FROM securities WHERE symbol = ?1");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, security.symbol);
  Result<bool> found = (*select)->Step();
  if (!found.ok()) return found.status();

  Security merged{.symbol = security.symbol};
  if (*found) {
    Statement& s = **select;
    merged.name = s.ColumnText(0);
    Result<SecurityType> type = SecurityTypeFromString(s.ColumnView(1));
    if (type.ok()) merged.type = *type;
    merged.gics = {s.ColumnText(2), s.ColumnText(3), s.ColumnText(4), s.ColumnText(5)};
    merged.asset_class = s.ColumnText(6);
    merged.fractional = s.ColumnInt(7) != 0;
    merged.wash_sale_group = s.ColumnText(8);
  }
  (*select)->Reset();
  const Security stored = merged;
  if (fields & kName) merged.name = security.name;
  if (fields & kType) merged.type = security.type;
  if (fields & kSector) merged.gics.sector = security.gics.sector;
  if (fields & kIndustryGroup) merged.gics.industry_group = security.gics.industry_group;
  if (fields & kIndustry) merged.gics.industry = security.gics.industry;
  if (fields & kSubIndustry) merged.gics.sub_industry = security.gics.sub_industry;
  if (fields & kAssetClass) merged.asset_class = security.asset_class;
  if (fields & kFractional) merged.fractional = security.fractional;
  if (fields & kWashSaleGroup) merged.wash_sale_group = security.wash_sale_group;
  ++summary->rows_read;
  if (*found && SameSecurity(stored, merged)) {
    ++summary->unchanged;
    return Status::Ok();
  }
  Result<Statement*> upsert = Prepared(
      &upsert_security_,
      "INSERT INTO securities (symbol, name, type, sector, industry_group, industry, "
      "sub_industry, asset_class, fractional, wash_sale_group) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
      "?7, ?8, ?9, ?10) ON CONFLICT (symbol) DO UPDATE SET name = excluded.name, type = "
      "excluded.type, sector = excluded.sector, industry_group = excluded.industry_group, "
      "industry = excluded.industry, sub_industry = excluded.sub_industry, asset_class = "
      "excluded.asset_class, fractional = excluded.fractional, wash_sale_group = "
      "excluded.wash_sale_group");
  if (!upsert.ok()) return upsert.status();
  (*upsert)
      ->Bind(1, merged.symbol)
      .Bind(2, merged.name)
      .Bind(3, ToString(merged.type))
      .Bind(4, merged.gics.sector)
      .Bind(5, merged.gics.industry_group)
      .Bind(6, merged.gics.industry)
      .Bind(7, merged.gics.sub_industry)
      .Bind(8, merged.asset_class)
      .Bind(9, merged.fractional ? 1 : 0)
      .Bind(10, merged.wash_sale_group);
  ARBOR_RETURN_IF_ERROR((*upsert)->Run());
  ++(*found ? summary->updated : summary->inserted);
  symbols_.insert(merged.symbol);
  return Status::Ok();
}

Status StoreWriter::UpsertPrice(const std::string& symbol, Date date, Price close,
                                ImportSummary* summary) {
  if (!HasSymbol(symbol)) {
    return Status::NotFound("symbol: unknown symbol '" + symbol +
                            "'; add it to the securities first");
  }
  if (!close.is_positive()) {
    return Status::InvalidArgument("close: must be positive, got " +
                                   TrimmedDecimal(close.micros()));
  }
  ARBOR_RETURN_IF_ERROR(CheckMagnitude("close", close.micros()));
  ++summary->rows_read;
  price_queue_.push_back({symbol, date.ToString(), close.micros()});
  if (price_queue_.size() == kPriceBatch) return FlushPrices(summary);
  return Status::Ok();
}

Status StoreWriter::FlushPrices(ImportSummary* summary) {
  if (price_queue_.size() == kPriceBatch) {
    // Fast path: one statement for the whole batch. A conflict with a stored price aborts
    // just this statement (SQLite undoes its partial work), and the rows go one by one.
    Result<Statement*> batch =
        Prepared(&insert_price_batch_,
                 MultiRowInsertSql("prices", "symbol, date, close_micros", 3, kPriceBatch));
    if (!batch.ok()) return batch.status();
    for (size_t i = 0; i < price_queue_.size(); ++i) {
      const QueuedPrice& p = price_queue_[i];
      const int o = static_cast<int>(3 * i);
      (*batch)->Bind(o + 1, p.symbol).Bind(o + 2, p.date).Bind(o + 3, p.close_micros);
    }
    Status status = (*batch)->Run();
    if (status.ok()) {
      summary->inserted += price_queue_.size();
      price_queue_.clear();
      return Status::Ok();
    }
    if (!db_->InTransaction()) return status;  // not a conflict: the transaction is gone
  }
  Result<Statement*> insert =
      Prepared(&insert_price_,
               "INSERT INTO prices (symbol, date, close_micros) VALUES (?1, ?2, ?3) "
               "ON CONFLICT (symbol, date) DO NOTHING");
  if (!insert.ok()) return insert.status();
  Result<Statement*> update =
      Prepared(&update_price_,
               "UPDATE prices SET close_micros = ?3 WHERE symbol = ?1 AND date = ?2 AND "
               "close_micros != ?3");
  if (!update.ok()) return update.status();
  for (const QueuedPrice& p : price_queue_) {
    (*insert)->Bind(1, p.symbol).Bind(2, p.date).Bind(3, p.close_micros);
    ARBOR_RETURN_IF_ERROR((*insert)->Run());
    if (db_->Changes() == 1) {
      ++summary->inserted;
      continue;
    }
    (*update)->Bind(1, p.symbol).Bind(2, p.date).Bind(3, p.close_micros);
    ARBOR_RETURN_IF_ERROR((*update)->Run());
    ++(db_->Changes() == 1 ? summary->updated : summary->unchanged);
  }
  price_queue_.clear();
  return Status::Ok();
}

Status StoreWriter::UpsertBar(const std::string& symbol, const DailyBar& bar,
                              ImportSummary* summary) {
  ARBOR_RETURN_IF_ERROR(UpsertPrice(symbol, bar.date, bar.close, summary));
  if (bar.split_numerator != bar.split_denominator) {
    ARBOR_RETURN_IF_ERROR(UpsertCorporateAction({.symbol = symbol,
                                                 .ex_date = bar.date,
                                                 .kind = CorporateActionKind::kSplit,
                                                 .numerator = bar.split_numerator,
                                                 .denominator = bar.split_denominator},
                                                /*as_row=*/false, summary));
  }
  if (bar.dividend_per_share.is_positive()) {
    ARBOR_RETURN_IF_ERROR(UpsertCorporateAction({.symbol = symbol,
                                                 .ex_date = bar.date,
                                                 .kind = CorporateActionKind::kDividend,
                                                 .cash_per_share = bar.dividend_per_share},
                                                /*as_row=*/false, summary));
  }
  return Status::Ok();
}

Status StoreWriter::UpsertCorporateAction(const CorporateAction& action, bool as_row,
                                          ImportSummary* summary) {
  if (!HasSymbol(action.symbol)) {
    return Status::NotFound("symbol: unknown symbol '" + action.symbol +
                            "'; add it to the securities first");
  }
  CorporateAction normalized = action;
  if (action.kind == CorporateActionKind::kSplit) {
    if (action.numerator <= 0 || action.denominator <= 0 || action.numerator > 1'000'000 ||
        action.denominator > 1'000'000) {
      return Status::InvalidArgument("ratio: split " + std::to_string(action.numerator) + "/" +
                                     std::to_string(action.denominator) +
                                     " must be two positive integers up to 1000000");
    }
    int64_t divisor = std::gcd(action.numerator, action.denominator);
    normalized.numerator /= divisor;
    normalized.denominator /= divisor;
    normalized.cash_per_share = Price();
    if (normalized.numerator == normalized.denominator) {
      return Status::InvalidArgument("ratio: a 1-for-1 split changes nothing");
    }
  } else {
    if (!action.cash_per_share.is_positive()) {
      return Status::InvalidArgument("cash: a dividend must be positive");
    }
    ARBOR_RETURN_IF_ERROR(CheckMagnitude("cash", action.cash_per_share.micros()));
    normalized.numerator = normalized.denominator = 1;
  }
  const std::string day = action.ex_date.ToString();
  Result<Statement*> insert =
      Prepared(&insert_action_,
               "INSERT INTO corporate_actions (symbol, ex_date, kind, numerator, denominator, "
               "cash_micros) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (symbol, ex_date, kind) "
               "DO NOTHING");
  if (!insert.ok()) return insert.status();
  (*insert)
      ->Bind(1, normalized.symbol)
      .Bind(2, day)
      .Bind(3, ToString(normalized.kind))
      .Bind(4, normalized.numerator)
      .Bind(5, normalized.denominator)
      .Bind(6, normalized.cash_per_share.micros());
  ARBOR_RETURN_IF_ERROR((*insert)->Run());
  bool inserted = db_->Changes() == 1;
  bool updated = false;
  if (!inserted) {
    Result<Statement*> update =
        Prepared(&update_action_,
                 "UPDATE corporate_actions SET numerator = ?4, denominator = ?5, cash_micros = ?6 "
                 "WHERE symbol = ?1 AND ex_date = ?2 AND kind = ?3 AND (numerator != ?4 OR "
                 "denominator != ?5 OR cash_micros != ?6)");
    if (!update.ok()) return update.status();
    (*update)
        ->Bind(1, normalized.symbol)
        .Bind(2, day)
        .Bind(3, ToString(normalized.kind))
        .Bind(4, normalized.numerator)
        .Bind(5, normalized.denominator)
        .Bind(6, normalized.cash_per_share.micros());
    ARBOR_RETURN_IF_ERROR((*update)->Run());
    updated = db_->Changes() == 1;
  }
  if ((inserted || updated) && normalized.kind == CorporateActionKind::kSplit) {
    changed_split_symbols_.insert(normalized.symbol);
  }
  if (as_row) {
    ++summary->rows_read;
    ++(inserted ? summary->inserted : (updated ? summary->updated : summary->unchanged));
  } else if (inserted) {
    ++summary->corporate_actions_inserted;
  }
  return Status::Ok();
}

Status StoreWriter::UpsertAccount(const Account& account, ImportSummary* summary) {
  ARBOR_RETURN_IF_ERROR(ValidateAccount(account));
  ++summary->rows_read;
  auto it = accounts_.find(account.id);
  if (it != accounts_.end()) {
    const Account& stored = it->second;
    if (stored.type == account.type && stored.taxpayers == account.taxpayers &&
        stored.household == account.household && stored.name == account.name &&
        stored.advisor == account.advisor) {
      ++summary->unchanged;
      return Status::Ok();
    }
    if (stored.type != account.type || stored.taxpayers != account.taxpayers) {
      Result<Statement> count =
          db_->Prepare("SELECT count(*) FROM transactions WHERE account = ?1");
      if (!count.ok()) return count.status();
      count->Bind(1, account.id);
      Result<bool> row = count->Step();
      if (!row.ok()) return row.status();
      if (count->ColumnInt(0) > 0) {
        std::string field = stored.type != account.type ? "type" : "taxpayers";
        std::string from = stored.type != account.type
                               ? std::string(ToString(stored.type))
                               : "'" + JoinTaxpayers(stored.taxpayers) + "'";
        std::string to = stored.type != account.type ? std::string(ToString(account.type))
                                                     : "'" + JoinTaxpayers(account.taxpayers) + "'";
        return Status::FailedPrecondition(
            field + ": account '" + account.id + "' has " + std::to_string(count->ColumnInt(0)) +
            " transactions; changing its " + field + " from " + from + " to " + to +
            " would rewrite their tax treatment (open a new account instead)");
      }
    }
  }
  Result<Statement> upsert = db_->Prepare(
      "INSERT INTO accounts (id, type, taxpayers, household, name, advisor) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
      "ON CONFLICT (id) DO UPDATE SET type = excluded.type, taxpayers = excluded.taxpayers, "
      "household = excluded.household, name = excluded.name, advisor = excluded.advisor");
  if (!upsert.ok()) return upsert.status();
  upsert->Bind(1, account.id)
      .Bind(2, ToString(account.type))
      .Bind(3, JoinTaxpayers(account.taxpayers))
      .Bind(4, account.household)
      .Bind(5, account.name)
      .Bind(6, account.advisor);
  ARBOR_RETURN_IF_ERROR(upsert->Run());
  ++(it != accounts_.end() ? summary->updated : summary->inserted);
  accounts_[account.id] = account;
  return Status::Ok();
}

std::vector<Account> StoreWriter::AllAccounts() const {
  std::vector<Account> all;
  all.reserve(accounts_.size());
  for (const auto& [id, account] : accounts_) all.push_back(account);
  std::sort(all.begin(), all.end(), [](const Account& a, const Account& b) { return a.id < b.id; });
  return all;
}

std::string EventSources::Origin(const PendingEvent& row) const {
  const std::string& name = row.source < names.size() ? names[row.source] : names.at(0);
  if (positions_are_lines) return name + ":" + std::to_string(row.position);
  return "events[" + std::to_string(row.position) + "]";
}

Result<std::vector<std::string>> StoreWriter::DropSchemaObjects(std::string_view type,
                                                              const std::string& table) {
  Result<Statement> select = db_->Prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = ?1 AND tbl_name = ?2 AND "
      "sql IS NOT NULL");
  if (!select.ok()) return select.status();
  select->Bind(1, type).Bind(2, table);
  std::vector<std::string> names, definitions;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    names.push_back(select->ColumnText(0));
    definitions.push_back(select->ColumnText(1));
  }
  for (const std::string& name : names) {
    ARBOR_RETURN_IF_ERROR(db_->Exec("DROP " + std::string(type) + " \"" + name + "\""));
  }
  return definitions;
}

Status StoreWriter::WriteEvents(std::vector<PendingEvent> rows, const EventSources& sources,
                                ImportSummary* summary) {
  Result<Statement> max_seq = db_->Prepare("SELECT coalesce(max(seq), 0) FROM transactions");
  if (!max_seq.ok()) return max_seq.status();
  Result<bool> got = max_seq->Step();
  if (!got.ok()) return got.status();
  const int64_t seq_before = max_seq->ColumnInt(0);
  max_seq->Reset();  // an open read cursor would block the index drop below
  // Row i gets seq seq_before + 1 + i whatever order the rows are written in; rows that turn
  // out to be stored already leave a gap, which the ordering does not mind.
  auto seq_of = [&](size_t i) { return seq_before + 1 + static_cast<int64_t>(i); };

  // A bulk load keeps the secondary indexes up to date row by row at several times the cost
  // of rebuilding them by sorting once at the end, and writes the rows in the table's key
  // order (account, date, seq) so that each account's rows are appended together instead of
  // at random places (ids, unique through the table's own index, stay checked row by
  // row: a re-import recognises its rows by them). Both happen inside the
  // transaction, so a failed import rolls the drop back with everything else. (seq_before
  // approximates the row count: transactions are never deleted.) The table's triggers go
  // too, for the same reason: what the ledger checkpoint triggers do row by row is done once
  // per account at the end.
  const int64_t count = static_cast<int64_t>(rows.size());
  const bool bulk = count >= 10'000 && 4 * count >= seq_before + count;
  std::vector<std::string> rebuild, triggers;
  std::vector<uint32_t> order(rows.size());
  std::iota(order.begin(), order.end(), 0);
  if (bulk) {
    Result<std::vector<std::string>> dropped = DropSchemaObjects("index", "transactions");
    if (!dropped.ok()) return dropped.status();
    rebuild = std::move(dropped).value();
    Result<std::vector<std::string>> dropped_triggers =
        DropSchemaObjects("trigger", "transactions");
    if (!dropped_triggers.ok()) return dropped_triggers.status();
    triggers = std::move(dropped_triggers).value();
    // Views keep the comparisons off the large row objects; a row's seq grows with its index.
    std::vector<std::tuple<std::string_view, int32_t, uint32_t>> keys(rows.size());
    for (uint32_t i = 0; i < rows.size(); ++i) {
      keys[i] = {rows[i].event.account, rows[i].event.date.days(), i};
    }
    std::sort(keys.begin(), keys.end());
    for (size_t i = 0; i < keys.size(); ++i) order[i] = std::get<2>(keys[i]);
  }

  const std::string single_sql =
      MultiRowInsertSql("transactions", kInsertTransactionColumns, kTransactionParams, 1) +
      " ON CONFLICT (id) DO NOTHING";
  Result<Statement> insert = db_->Prepare(single_sql);
  if (!insert.ok()) return insert.status();
  Result<Statement> batch_insert = db_->Prepare(MultiRowInsertSql(
      "transactions", kInsertTransactionColumns, kTransactionParams, kTransactionBatch));
  if (!batch_insert.ok()) return batch_insert.status();
  Result<Statement> lookup = db_->Prepare("SELECT " + std::string(kTransactionColumns) +
                                          " FROM transactions WHERE id = ?1");
  if (!lookup.ok()) return lookup.status();

  std::vector<bool> is_new(rows.size(), false);
  // A changed duplicate is reported for the earliest row, whatever the write order was.
  size_t conflict_row = rows.size();
  Status conflict;
  summary->rows_read += rows.size();
  std::vector<TransactionText> texts(kTransactionBatch);
  auto bind = [&](Statement* statement, size_t i, size_t slot) {
    const PendingEvent& row = rows[i];
    BindTransaction(statement, row.id, seq_of(i), row.event, sources.names.at(row.source),
                    &texts[slot], 1 + static_cast<int>(slot) * kTransactionParams);
  };
  for (size_t begin = 0; begin < order.size();) {
    // Fast path: a batch of new rows in one statement, which costs a fraction of one
    // statement per row. Any conflict aborts just this statement (SQLite undoes its partial
    // work), and the batch goes row by row below, which sorts out which ids exist.
    if (order.size() - begin >= kTransactionBatch) {
      for (size_t k = 0; k < kTransactionBatch; ++k) {
        bind(&*batch_insert, order[begin + k], k);
      }
      Status status = batch_insert->Run();
      if (status.ok()) {
        for (size_t k = 0; k < kTransactionBatch; ++k) is_new[order[begin + k]] = true;
        begin += kTransactionBatch;
        continue;
      }
      if (!db_->InTransaction()) return status;  // not a conflict: the transaction is gone
    }
    const size_t end = std::min(order.size(), begin + kTransactionBatch);
    for (size_t k = begin; k < end; ++k) {
      // Look before inserting: a batch lands here mostly when it is a re-import.
      const size_t i = order[k];
      const PendingEvent& row = rows[i];
      lookup->Reset();
      lookup->Bind(1, row.id);
      Result<bool> found = lookup->Step();
      if (!found.ok()) return found.status();
      if (!*found) {
        lookup->Reset();
        bind(&*insert, i, 0);
        ARBOR_RETURN_IF_ERROR(insert->Run());
        is_new[i] = true;
        continue;
      }
      Result<StoredTransaction> existing = ReadTransaction(*lookup);
      if (!existing.ok()) return existing.status();
      std::string difference = TransactionDifference(existing->event, row.event);
      if (!difference.empty() && i < conflict_row) {
        conflict_row = i;
        conflict = Status::AlreadyExists(sources.Origin(row) + ": id: '" + row.id +
                                         "' already exists with different content (" + difference +
                                         "; stored from " + existing->source +
                                         "); give the new transaction its own id");
      }
    }
    begin = end;
  }
  if (!conflict.ok()) return conflict;
  for (const std::string& definition : rebuild) ARBOR_RETURN_IF_ERROR(db_->Exec(definition));
  if (bulk) {
    std::unordered_map<std::string_view, Date> first_new;  // per account
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!is_new[i]) continue;
      auto [it, inserted] = first_new.emplace(rows[i].event.account, rows[i].event.date);
      if (rows[i].event.date < it->second) it->second = rows[i].event.date;
    }
    for (const auto& [account, date] : first_new) {
      ARBOR_RETURN_IF_ERROR(DropStaleLedgerCheckpoints(db_, account, date));
    }
  }
  for (const std::string& definition : triggers) ARBOR_RETURN_IF_ERROR(db_->Exec(definition));

  std::unordered_set<std::string> touched_accounts;
  bool all_labelled_transfers = true;
  size_t new_rows = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!is_new[i]) continue;
    ++new_rows;
    const Event& e = rows[i].event;
    touched_accounts.insert(e.account);
    all_labelled_transfers &= e.action == EventAction::kTransferIn && !e.lot_id.empty();
  }
  summary->inserted += new_rows;
  summary->unchanged += rows.size() - new_rows;
  if (new_rows == 0) return Status::Ok();

  std::vector<std::string> seeds(touched_accounts.begin(), touched_accounts.end());
  std::vector<Account> scope = AccountsInScope(AllAccounts(), seeds);
  Result<bool> history = all_labelled_transfers ? ScopeHasHistory(scope, seq_before) : true;
  if (!history.ok()) return history.status();
  if (!*history) {
    // Lots transferred into accounts without history cannot break a replay: the field checks
    // and unique labels (checked here) are all the ledger would check. A million opening
    // lots skip a replay that would cost a third of their import.
    return CheckUniqueLabels(rows, is_new, sources);
  }

  // The new rows, in file order, replayed with the scope's stored history.
  std::vector<StoredTransaction> added;
  added.reserve(new_rows);
  std::vector<size_t> added_row;  // index into rows of each added transaction
  added_row.reserve(new_rows);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!is_new[i]) continue;
    PendingEvent& row = rows[i];
    added.push_back({.id = std::move(row.id), .seq = seq_of(i), .event = std::move(row.event)});
    added_row.push_back(i);
  }
  LedgerInput input;
  std::vector<int64_t> tags;
  ARBOR_RETURN_IF_ERROR(AssembleLedgerInput(db_, std::move(scope), seq_before, std::nullopt,
                                            std::move(added), &input, &tags));
  return ReplayChecked(input, tags, [&](size_t added_index) {
    return sources.Origin(rows[added_row[added_index]]);
  });
}

Result<bool> StoreWriter::ScopeHasHistory(const std::vector<Account>& scope, int64_t seq_before) {
  Result<Statement> any =
      db_->Prepare("SELECT 1 FROM transactions WHERE account = ?1 AND seq <= ?2 LIMIT 1");
  if (!any.ok()) return any.status();
  for (const Account& account : scope) {
    any->Reset();
    any->Bind(1, account.id).Bind(2, seq_before);
    Result<bool> row = any->Step();
    if (!row.ok()) return row.status();
    if (*row) return true;
  }
  return false;
}

Status StoreWriter::CheckUniqueLabels(const std::vector<PendingEvent>& rows,
                                      const std::vector<bool>& is_new,
                                      const EventSources& sources) {
  // Ids "lot:<account>:<label>" make the primary key keep labels unique already.
  bool ids_are_labels = true;
  for (size_t i = 0; i < rows.size() && ids_are_labels; ++i) {
    if (!is_new[i]) continue;
    const std::string& id = rows[i].id;
    const Event& e = rows[i].event;
    ids_are_labels = id.size() == 5 + e.account.size() + e.lot_id.size() &&
                     id.starts_with("lot:") && id.compare(4, e.account.size(), e.account) == 0 &&
                     id[4 + e.account.size()] == ':' &&
                     id.compare(5 + e.account.size(), e.lot_id.size(), e.lot_id) == 0;
  }
  if (ids_are_labels) return Status::Ok();
  std::unordered_map<std::string, size_t> labels;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!is_new[i]) continue;
    const Event& e = rows[i].event;
    auto [it, inserted] = labels.emplace(e.account + '\n' + e.lot_id, i);
    if (!inserted) {
      return Status::AlreadyExists(sources.Origin(rows[i]) + ": lot_id: '" + e.lot_id +
                                   "' is already used in account '" + e.account + "' (by " +
                                   sources.Origin(rows[it->second]) + ")");
    }
  }
  return Status::Ok();
}

Status StoreWriter::ReplayChecked(const LedgerInput& input, const std::vector<int64_t>& tags,
                                  const std::function<std::string(size_t)>& origin_of) {
  Ledger ledger;
  size_t failed = 0;
  Status status = ReplayInto(input, &ledger, &failed);
  if (status.ok()) return status;
  if (failed >= input.events.size()) return status;
  const Event& event = input.events[failed];
  if (tags[failed] >= 0) {
    return Status(status.code(),
                  origin_of(static_cast<size_t>(tags[failed])) + ": " + WithField(event, status));
  }
  std::string what = tags[failed] == kTagSplit ? "corporate action '" : "stored transaction '";
  return Status(status.code(), "this change breaks the replay of " + what +
                                   input.event_ids[failed] + "' (" + DescribeEvent(event) +
                                   "): " + status.message() + "; the database is unchanged");
}

Status StoreWriter::CheckChangedSplits() {
  if (changed_split_symbols_.empty()) return Status::Ok();
  // Accounts that ever traded a symbol whose splits changed: their replays change too. One
  // scan for all symbols, in chunks that stay below SQLite's parameter limit.
  std::vector<std::string> symbols(changed_split_symbols_.begin(), changed_split_symbols_.end());
  std::vector<std::string> seeds;
  constexpr size_t kChunk = 500;
  for (size_t begin = 0; begin < symbols.size(); begin += kChunk) {
    size_t end = std::min(symbols.size(), begin + kChunk);
    std::string sql = "SELECT DISTINCT account FROM transactions WHERE symbol IN (";
    for (size_t i = begin; i < end; ++i) sql += i == begin ? "?" : ", ?";
    sql += ")";
    Result<Statement> select = db_->Prepare(sql);
    if (!select.ok()) return select.status();
    for (size_t i = begin; i < end; ++i) select->Bind(static_cast<int>(i - begin + 1), symbols[i]);
    while (true) {
      Result<bool> row = select->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      seeds.push_back(select->ColumnText(0));
    }
  }
  changed_split_symbols_.clear();
  if (seeds.empty()) return Status::Ok();
  LedgerInput input;
  std::vector<int64_t> tags;
  ARBOR_RETURN_IF_ERROR(AssembleLedgerInput(db_, AccountsInScope(AllAccounts(), seeds),
                                            std::nullopt, std::nullopt, {}, &input, &tags));
  return ReplayChecked(input, tags, [](size_t) { return std::string("<none>"); });
}

}  // namespace arbor::storage_internal
