// The CSV imports of Store (formats in docs/import-formats.md). Each call reads its files
// inside one write transaction and stops at the first bad row, which rolls everything back.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/io/csv.h"
#include "adapters/io/text.h"
#include "adapters/io/market_data.h"
#include "adapters/storage/store.h"
#include "adapters/storage/store_writer.h"
#include "adapters/storage/transaction_rows.h"

namespace arbor {

using storage_internal::EventSources;
using storage_internal::PendingEvent;
using storage_internal::StoreWriter;

namespace {

struct ColumnSpec {
  std::string_view name;
  bool required = false;
  std::vector<std::string_view> aliases = {};  // lower case, e.g. "gics sector"
};

// The header of one file resolved against a format's columns: spec i lives in column
// index_[i] of each row, or is absent.
class Columns {
 public:
  // Header names match case-insensitively, ignoring surrounding spaces. A column the format
  // does not know is an error (a misspelt "feees" must not silently drop the fees) unless
  // `ignore_unknown`, for vendor files with columns of their own.
  static Result<Columns> Resolve(const CsvReader& reader, const std::vector<ColumnSpec>& specs,
                                 bool ignore_unknown) {
    Columns columns;
    columns.index_.assign(specs.size(), std::nullopt);
    const std::vector<std::string>& header = reader.header();
    auto header_error = [&](std::string_view field, const std::string& what) {
      return Status::InvalidArgument(reader.source() + ":1: " + std::string(field) + ": " + what);
    };
    for (size_t c = 0; c < header.size(); ++c) {
      std::string name = Lower(Trim(header[c]));
      bool known = false;
      for (size_t s = 0; s < specs.size(); ++s) {
        bool match = name == specs[s].name ||
                     std::find(specs[s].aliases.begin(), specs[s].aliases.end(), name) !=
                         specs[s].aliases.end();
        if (!match) continue;
        known = true;
        if (columns.index_[s].has_value()) {
          return header_error(specs[s].name, "the header names this column twice");
        }
        columns.index_[s] = c;
      }
      if (!known && !ignore_unknown) {
        return header_error(header[c].empty() ? "(empty)" : header[c],
                            "unknown column (expected " + Expected(specs) + ")");
      }
    }
    for (size_t s = 0; s < specs.size(); ++s) {
      if (specs[s].required && !columns.index_[s].has_value()) {
        std::string found;
        for (const std::string& h : header) found += (found.empty() ? "" : ", ") + h;
        return header_error(specs[s].name,
                            "missing required column (the header has: " + found + ")");
      }
    }
    return columns;
  }

  bool Has(size_t spec) const { return index_[spec].has_value(); }
  // The trimmed field, or "" when the file has no such column.
  std::string_view Get(const CsvRow& row, size_t spec) const {
    return index_[spec].has_value() ? Trim(row[*index_[spec]]) : std::string_view();
  }

 private:
  static std::string Expected(const std::vector<ColumnSpec>& specs) {
    std::string text;
    for (const ColumnSpec& spec : specs) {
      text += (text.empty() ? "" : ", ") + std::string(spec.name);
    }
    return text;
  }

  std::vector<std::optional<size_t>> index_;
};

// Every parse error reads `file:line: field: what`.
template <typename T>
Status ParseField(const CsvRow& row, std::string_view field, std::string_view text, T* out) {
  if (text.empty()) return FieldError(row, field, "missing");
  Result<T> value = T::Parse(text);
  if (!value.ok()) return FieldError(row, field, value.status().message());
  *out = *value;
  return Status::Ok();
}

Status ParseBool(const CsvRow& row, std::string_view field, std::string_view text, bool* out) {
  std::string lower = Lower(text);
  if (lower == "true" || lower == "1" || lower == "yes" || lower == "y") {
    *out = true;
  } else if (lower == "false" || lower == "0" || lower == "no" || lower == "n") {
    *out = false;
  } else {
    return FieldError(row, field, "'" + std::string(text) + "' is not true or false");
  }
  return Status::Ok();
}

Status AtRow(const CsvRow& row, const Status& status) {
  if (status.ok()) return status;
  return status.WithContext(row.source() + ":" + std::to_string(row.line()));
}

// Opens each file and hands its rows to `row_fn(reader_index, columns, row)`.
template <typename RowFn>
Status ForEachRow(const std::vector<std::string>& files, const std::vector<ColumnSpec>& specs,
                  bool (*ignore_unknown)(const CsvReader&), RowFn row_fn) {
  for (size_t f = 0; f < files.size(); ++f) {
    Result<CsvReader> reader = CsvReader::Open(files[f]);
    if (!reader.ok()) return reader.status();
    Result<Columns> columns = Columns::Resolve(*reader, specs, ignore_unknown(*reader));
    if (!columns.ok()) return columns.status();
    CsvRow row;
    while (reader->Next(&row)) {
      ARBOR_RETURN_IF_ERROR(row_fn(f, *columns, row));
    }
    ARBOR_RETURN_IF_ERROR(reader->status());
  }
  return Status::Ok();
}

bool Strict(const CsvReader&) { return false; }

// ---------------------------------------------------------------- securities

enum SecurityColumn : size_t {
  kSecSymbol,
  kSecName,
  kSecType,
  kSecSector,
  kSecIndustryGroup,
  kSecIndustry,
  kSecSubIndustry,
  kSecAssetClass,
  kSecFractional,
  kSecWashSaleGroup,
};

const std::vector<ColumnSpec>& SecuritySpecs() {
  static const std::vector<ColumnSpec> kSpecs = {
      {"symbol", true},
      {"name", false, {"security"}},
      {"type"},
      {"sector", false, {"gics sector"}},
      {"industry_group"},
      {"industry"},
      {"sub_industry", false, {"gics sub-industry"}},
      {"asset_class"},
      {"fractional"},
      {"wash_sale_group"},
  };
  return kSpecs;
}

// The S&P 500 constituents files (datahub "Symbol,Name,Sector", Wikipedia "Symbol,Security,
// GICS Sector,GICS Sub-Industry,Headquarters Location,...") spell the symbol column
// "Symbol" and carry columns Arbor does not store; Arbor's own layout is lower case.
bool IsVendorSecurities(const CsvReader& reader) {
  const std::vector<std::string>& header = reader.header();
  return std::find(header.begin(), header.end(), "Symbol") != header.end();
}

Status ImportSecurityRow(StoreWriter& writer, const Columns& c, const CsvRow& row,
                         ImportSummary* summary) {
  using storage_internal::SecurityField;
  Security security;
  security.symbol = std::string(c.Get(row, kSecSymbol));
  if (Status s = ValidateSymbol(security.symbol); !s.ok()) {
    return FieldError(row, "symbol", s.message());
  }
  uint32_t fields = 0;
  auto text = [&](size_t column, SecurityField field, std::string* out) {
    if (!c.Has(column)) return;
    *out = std::string(c.Get(row, column));
    fields |= field;
  };
  text(kSecName, storage_internal::kName, &security.name);
  text(kSecSector, storage_internal::kSector, &security.gics.sector);
  text(kSecIndustryGroup, storage_internal::kIndustryGroup, &security.gics.industry_group);
  text(kSecIndustry, storage_internal::kIndustry, &security.gics.industry);
  text(kSecSubIndustry, storage_internal::kSubIndustry, &security.gics.sub_industry);
  text(kSecAssetClass, storage_internal::kAssetClass, &security.asset_class);
  text(kSecWashSaleGroup, storage_internal::kWashSaleGroup, &security.wash_sale_group);
  if (c.Has(kSecType)) {
    fields |= storage_internal::kType;
    if (!c.Get(row, kSecType).empty()) {
      Result<SecurityType> type = SecurityTypeFromString(c.Get(row, kSecType));
      if (!type.ok()) return FieldError(row, "type", type.status().message());
      security.type = *type;
    }
  }
  if (c.Has(kSecFractional)) {
    fields |= storage_internal::kFractional;
    if (!c.Get(row, kSecFractional).empty()) {
      ARBOR_RETURN_IF_ERROR(
          ParseBool(row, "fractional", c.Get(row, kSecFractional), &security.fractional));
    }
  }
  // A sub-industry alone (the Wikipedia list) fixes the rest of the GICS path.
  if (c.Has(kSecSubIndustry) && !c.Has(kSecIndustryGroup) && !c.Has(kSecIndustry)) {
    std::optional<Gics> gics = GicsFromSubIndustry(security.gics.sub_industry);
    security.gics.industry_group = gics ? gics->industry_group : "";
    security.gics.industry = gics ? gics->industry : "";
    fields |= storage_internal::kIndustryGroup | storage_internal::kIndustry;
    if (!c.Has(kSecSector) && gics) {
      security.gics.sector = gics->sector;
      fields |= storage_internal::kSector;
    }
  }
  return AtRow(row, writer.UpsertSecurity(security, fields, summary));
}

// ---------------------------------------------------------------- prices

enum PriceColumn : size_t { kPriceSymbol, kPriceDate, kPriceClose };

const std::vector<ColumnSpec>& PriceSpecs() {
  static const std::vector<ColumnSpec> kSpecs = {{"symbol", true}, {"date", true}, {"close", true}};
  return kSpecs;
}

// AlphaVantage's daily export starts "timestamp,open,...": its loader checks the rest.
bool IsAlphaVantageDaily(const CsvReader& reader) {
  const std::vector<std::string>& h = reader.header();
  return std::find(h.begin(), h.end(), "timestamp") != h.end();
}

// "daily/BRK.B.csv" -> "BRK.B".
std::string SymbolFromFileName(const std::string& path) {
  size_t slash = path.find_last_of("/\\");
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.size() > 4 && Lower(name.substr(name.size() - 4)) == ".csv") {
    name.resize(name.size() - 4);
  }
  return name;
}

Status ImportAlphaVantageFile(StoreWriter& writer, const std::string& path,
                              ImportSummary* summary) {
  std::string symbol = SymbolFromFileName(path);
  if (Status s = ValidateSymbol(symbol); !s.ok()) {
    return Status::InvalidArgument(path +
                                   ": symbol: the file name gives no valid symbol: " + s.message());
  }
  if (!writer.HasSymbol(symbol)) {
    return Status::NotFound(path + ": symbol: unknown symbol '" + symbol +
                            "' (from the file name); add it to the securities first");
  }
  Result<PriceHistory> history = LoadAlphaVantageDaily(path, symbol);
  if (!history.ok()) return history.status();
  for (const DailyBar& bar : history->bars) {
    Status status = writer.UpsertBar(symbol, bar, summary);
    if (!status.ok()) return status.WithContext(path + " (" + bar.date.ToString() + ")");
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- accounts

enum AccountColumn : size_t {
  kAccId, kAccType, kAccTaxpayers, kAccHousehold, kAccName, kAccAdvisor
};

const std::vector<ColumnSpec>& AccountSpecs() {
  static const std::vector<ColumnSpec> kSpecs = {
      {"id", true}, {"type", true}, {"taxpayers"}, {"household"}, {"name"}, {"advisor"}};
  return kSpecs;
}

Status ImportAccountRow(StoreWriter& writer, const Columns& c, const CsvRow& row,
                        ImportSummary* summary) {
  Account account;
  account.id = std::string(c.Get(row, kAccId));
  if (account.id.empty()) return FieldError(row, "id", "missing");
  Result<AccountType> type = AccountTypeFromString(c.Get(row, kAccType));
  if (!type.ok()) return FieldError(row, "type", type.status().message());
  account.type = *type;
  std::string_view taxpayers = c.Get(row, kAccTaxpayers);
  while (!taxpayers.empty()) {
    size_t end = taxpayers.find(';');
    std::string_view taxpayer = Trim(taxpayers.substr(0, end));
    if (taxpayer.empty()) {
      return FieldError(row, "taxpayers",
                        "an empty name in '" + std::string(c.Get(row, kAccTaxpayers)) +
                            "' (separate taxpayers with ';')");
    }
    account.taxpayers.emplace_back(taxpayer);
    if (end == std::string_view::npos) break;
    taxpayers.remove_prefix(end + 1);
    if (taxpayers.empty()) {
      return FieldError(row, "taxpayers",
                        "a trailing ';' in '" + std::string(c.Get(row, kAccTaxpayers)) + "'");
    }
  }
  account.household = std::string(c.Get(row, kAccHousehold));
  account.name = std::string(c.Get(row, kAccName));
  if (c.Has(kAccAdvisor)) {
    account.advisor = std::string(c.Get(row, kAccAdvisor));
  } else if (auto stored = writer.accounts().find(account.id); stored != writer.accounts().end()) {
    // A file from before advisors (or from a custodian that does not know them) keeps them.
    account.advisor = stored->second.advisor;
  }
  return AtRow(row, writer.UpsertAccount(account, summary));
}

// ---------------------------------------------------------------- lots and transactions

enum LotColumn : size_t {
  kLotAccount,
  kLotSymbol,
  kLotId,
  kLotShares,
  kLotBasis,
  kLotAcquired,
  kLotHpDate,
  kLotAsOf,
};

const std::vector<ColumnSpec>& LotSpecs() {
  static const std::vector<ColumnSpec> kSpecs = {
      {"account", true},
      {"symbol", true},
      {"lot_id", true},
      {"shares", true},
      {"basis", true},
      {"acquired", true},
      {"acquired_for_holding_period"},
      {"as_of"},
  };
  return kSpecs;
}

enum TxnColumn : size_t {
  kTxnId,
  kTxnDate,
  kTxnAccount,
  kTxnAction,
  kTxnSymbol,
  kTxnShares,
  kTxnPrice,
  kTxnFees,
  kTxnAmount,
  kTxnLotId,
  kTxnLotMethod,
  kTxnLots,
  kTxnBasis,
  kTxnAcquired,
  kTxnHpDate,
};

const std::vector<ColumnSpec>& TransactionSpecs() {
  static const std::vector<ColumnSpec> kSpecs = {
      {"id", true},     {"date", true}, {"account", true},
      {"action", true}, {"symbol"},     {"shares"},
      {"price"},        {"fees"},       {"amount"},
      {"lot_id"},       {"lot_method"}, {"lots"},
      {"basis"},        {"acquired"},   {"acquired_for_holding_period"},
  };
  return kSpecs;
}

// Parses `text` into `out` unless empty; `required` names the action that needs it.
template <typename T>
Status OptionalNumber(const CsvRow& row, std::string_view field, std::string_view text,
                      const char* required_for, T* out) {
  if (text.empty()) {
    if (required_for != nullptr) {
      return FieldError(row, field, std::string("required for ") + required_for);
    }
    return Status::Ok();
  }
  return ParseField(row, field, text, out);
}

Result<PendingEvent> ParseLotRow(const StoreWriter& writer, const Columns& c, const CsvRow& row,
                                 uint32_t source) {
  PendingEvent pending{.source = source, .position = row.line()};
  Event& e = pending.event;
  e.action = EventAction::kTransferIn;
  e.account = std::string(c.Get(row, kLotAccount));
  e.symbol = std::string(c.Get(row, kLotSymbol));
  e.lot_id = std::string(c.Get(row, kLotId));
  if (e.account.empty()) return FieldError(row, "account", "missing");
  if (e.symbol.empty()) return FieldError(row, "symbol", "missing");
  if (e.lot_id.empty()) return FieldError(row, "lot_id", "missing");
  ARBOR_RETURN_IF_ERROR(ParseField(row, "shares", c.Get(row, kLotShares), &e.shares));
  ARBOR_RETURN_IF_ERROR(ParseField(row, "basis", c.Get(row, kLotBasis), &e.basis));
  ARBOR_RETURN_IF_ERROR(ParseField(row, "acquired", c.Get(row, kLotAcquired), &e.acquired));
  e.date = e.acquired;
  if (!c.Get(row, kLotHpDate).empty()) {
    Date hp;
    ARBOR_RETURN_IF_ERROR(
        ParseField(row, "acquired_for_holding_period", c.Get(row, kLotHpDate), &hp));
    e.holding_period_date = hp;
  }
  if (!c.Get(row, kLotAsOf).empty()) {
    ARBOR_RETURN_IF_ERROR(ParseField(row, "as_of", c.Get(row, kLotAsOf), &e.date));
    if (e.date < e.acquired) {
      return FieldError(row, "as_of",
                        e.date.ToString() + " is before acquired " + e.acquired.ToString());
    }
  }
  ARBOR_RETURN_IF_ERROR(
      AtRow(row, storage_internal::ValidateEvent(e, writer.symbols(), writer.accounts())));
  pending.id = "lot:" + e.account + ":" + e.lot_id;
  return pending;
}

Result<PendingEvent> ParseTransactionRow(const StoreWriter& writer, const Columns& c,
                                         const CsvRow& row, uint32_t source) {
  PendingEvent pending{.source = source, .position = row.line()};
  Event& e = pending.event;
  pending.id = std::string(c.Get(row, kTxnId));
  if (pending.id.empty()) return FieldError(row, "id", "missing");
  ARBOR_RETURN_IF_ERROR(ParseField(row, "date", c.Get(row, kTxnDate), &e.date));
  e.account = std::string(c.Get(row, kTxnAccount));
  Result<EventAction> action = EventActionFromString(c.Get(row, kTxnAction));
  if (!action.ok()) return FieldError(row, "action", action.status().message());
  e.action = *action;
  if (e.action == EventAction::kSplit) {
    return FieldError(row, "action",
                      "splits are corporate actions, stored with the prices, not transactions");
  }
  const std::string action_name(ToString(e.action));
  const char* name = action_name.c_str();
  const bool trade = e.action == EventAction::kBuy || e.action == EventAction::kSell;
  const bool cash = !trade && e.action != EventAction::kTransferIn;
  const bool transfer = e.action == EventAction::kTransferIn;
  e.symbol = std::string(c.Get(row, kTxnSymbol));
  ARBOR_RETURN_IF_ERROR(
      OptionalNumber(row, "shares", c.Get(row, kTxnShares), cash ? nullptr : name, &e.shares));
  ARBOR_RETURN_IF_ERROR(
      OptionalNumber(row, "price", c.Get(row, kTxnPrice), trade ? name : nullptr, &e.price));
  ARBOR_RETURN_IF_ERROR(OptionalNumber(row, "fees", c.Get(row, kTxnFees), nullptr, &e.fees));
  ARBOR_RETURN_IF_ERROR(
      OptionalNumber(row, "amount", c.Get(row, kTxnAmount), cash ? name : nullptr, &e.amount));
  ARBOR_RETURN_IF_ERROR(
      OptionalNumber(row, "basis", c.Get(row, kTxnBasis), transfer ? name : nullptr, &e.basis));
  e.lot_id = std::string(c.Get(row, kTxnLotId));
  if (!c.Get(row, kTxnLotMethod).empty()) {
    Result<LotMethod> method = LotMethodFromString(c.Get(row, kTxnLotMethod));
    if (!method.ok()) return FieldError(row, "lot_method", method.status().message());
    e.lot_method = *method;
  }
  Result<std::vector<LotSelection>> lots = ParseLotSelections(c.Get(row, kTxnLots));
  if (!lots.ok()) return FieldError(row, "lots", lots.status().message());
  e.lots = std::move(lots).value();
  if (!e.lots.empty() && !e.lot_method.has_value()) e.lot_method = LotMethod::kSpecific;
  ARBOR_RETURN_IF_ERROR(OptionalNumber(row, "acquired", c.Get(row, kTxnAcquired),
                                       transfer ? name : nullptr, &e.acquired));
  if (!transfer && !c.Get(row, kTxnAcquired).empty()) {
    return FieldError(row, "acquired", "only a transfer_in carries an acquisition date");
  }
  if (!c.Get(row, kTxnHpDate).empty()) {
    Date hp;
    ARBOR_RETURN_IF_ERROR(
        ParseField(row, "acquired_for_holding_period", c.Get(row, kTxnHpDate), &hp));
    e.holding_period_date = hp;
  }
  ARBOR_RETURN_IF_ERROR(
      AtRow(row, storage_internal::ValidateEvent(e, writer.symbols(), writer.accounts())));
  return pending;
}

template <typename ParseRow>
Status ImportEvents(StoreWriter& writer, const std::vector<std::string>& files,
                    const std::vector<ColumnSpec>& specs, ParseRow parse_row,
                    ImportSummary* summary) {
  EventSources sources{.names = files, .positions_are_lines = true};
  std::vector<PendingEvent> pending;
  ARBOR_RETURN_IF_ERROR(
      ForEachRow(files, specs, Strict, [&](size_t file, const Columns& c, const CsvRow& row) {
        Result<PendingEvent> event = parse_row(writer, c, row, static_cast<uint32_t>(file));
        if (!event.ok()) return event.status();
        pending.push_back(std::move(event).value());
        return Status::Ok();
      }));
  return writer.WriteEvents(std::move(pending), sources, summary);
}

// One write transaction around an import: committed whole, or rolled back whole.
template <typename Import>
Result<ImportSummary> RunImport(Database* db, const std::vector<std::string>& files,
                                Import import) {
  if (files.empty()) return Status::InvalidArgument("no files to import");
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  StoreWriter writer(db);
  ARBOR_RETURN_IF_ERROR(writer.Init());
  ImportSummary summary;
  ARBOR_RETURN_IF_ERROR(import(writer, &summary));
  ARBOR_RETURN_IF_ERROR(writer.Flush(&summary));
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return summary;
}

}  // namespace

Result<ImportSummary> Store::ImportSecurities(const std::vector<std::string>& files) {
  return RunImport(&db_, files, [&](StoreWriter& writer, ImportSummary* summary) {
    return ForEachRow(files, SecuritySpecs(), IsVendorSecurities,
                      [&](size_t, const Columns& c, const CsvRow& row) {
                        return ImportSecurityRow(writer, c, row, summary);
                      });
  });
}

Result<ImportSummary> Store::ImportPrices(const std::vector<std::string>& files) {
  return RunImport(&db_, files, [&](StoreWriter& writer, ImportSummary* summary) -> Status {
    for (const std::string& file : files) {
      Result<CsvReader> reader = CsvReader::Open(file);
      if (!reader.ok()) return reader.status();
      if (IsAlphaVantageDaily(*reader)) {
        ARBOR_RETURN_IF_ERROR(ImportAlphaVantageFile(writer, file, summary));
        continue;
      }
      Result<Columns> columns = Columns::Resolve(*reader, PriceSpecs(), false);
      if (!columns.ok()) return columns.status();
      CsvRow row;
      std::string symbol;
      while (reader->Next(&row)) {
        symbol.assign(columns->Get(row, kPriceSymbol));
        if (Status s = ValidateSymbol(symbol); !s.ok()) {
          return FieldError(row, "symbol", s.message());
        }
        Date date;
        ARBOR_RETURN_IF_ERROR(ParseField(row, "date", columns->Get(row, kPriceDate), &date));
        Price close;
        ARBOR_RETURN_IF_ERROR(ParseField(row, "close", columns->Get(row, kPriceClose), &close));
        ARBOR_RETURN_IF_ERROR(AtRow(row, writer.UpsertPrice(symbol, date, close, summary)));
      }
      ARBOR_RETURN_IF_ERROR(reader->status());
    }
    return writer.CheckChangedSplits();
  });
}

Result<ImportSummary> Store::ImportAccounts(const std::vector<std::string>& files) {
  return RunImport(&db_, files, [&](StoreWriter& writer, ImportSummary* summary) {
    return ForEachRow(files, AccountSpecs(), Strict,
                      [&](size_t, const Columns& c, const CsvRow& row) {
                        return ImportAccountRow(writer, c, row, summary);
                      });
  });
}

Result<ImportSummary> Store::ImportLots(const std::vector<std::string>& files) {
  return RunImport(&db_, files, [&](StoreWriter& writer, ImportSummary* summary) {
    return ImportEvents(writer, files, LotSpecs(), ParseLotRow, summary);
  });
}

Result<ImportSummary> Store::ImportTransactions(const std::vector<std::string>& files) {
  return RunImport(&db_, files, [&](StoreWriter& writer, ImportSummary* summary) {
    return ImportEvents(writer, files, TransactionSpecs(), ParseTransactionRow, summary);
  });
}

}  // namespace arbor
