// CSV imports of the rebalance settings, targets and restrictions (docs/import-formats.md).
// Each call reads all its files inside one write transaction; the first bad row rolls it back.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "adapters/io/csv.h"
#include "adapters/io/text.h"
#include "adapters/storage/csv_format.h"
#include "adapters/storage/rebalance_settings_store.h"

namespace arbor {
namespace {

// A plain decimal fraction (no exponent), any number of digits: index weights often have more
// than six decimals.
Status ParseFraction(const CsvRow& row, std::string_view field, std::string_view text,
                     bool one_allowed, double* out) {
  if (text.empty()) return FieldError(row, field, "missing");
  double value = 0;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return FieldError(row, field, "'" + std::string(text) + "' is not a decimal number");
  }
  if (value < 0 || (one_allowed ? value > 1 : value >= 1)) {
    return FieldError(
        row, field,
        std::string("must be in [0, 1") + (one_allowed ? "]" : ")") + ", got " + std::string(text));
  }
  *out = value;
  return Status::Ok();
}

Status ParseNonNegative(const CsvRow& row, std::string_view field, std::string_view text,
                        double* out) {
  double value = 0;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value) || value < 0) {
    return FieldError(row, field,
                      "'" + std::string(text) + "' is not a non-negative decimal number");
  }
  *out = value;
  return Status::Ok();
}

template <typename T>
Status ParseFixed(const CsvRow& row, std::string_view field, std::string_view text,
                  bool negative_ok, T* out) {
  Result<T> value = T::Parse(text);
  if (!value.ok()) return FieldError(row, field, value.status().message());
  if (value->is_negative() && !negative_ok) return FieldError(row, field, "must not be negative");
  *out = *value;
  return Status::Ok();
}

// Replaces the (account, symbol) rows of `table` for every account in `rows` with `rows`,
// counting what changed. `value` is the stored column.
template <typename Value>
Status ReplaceLists(Database* db, const std::string& table, const std::string& value_column,
                    const std::map<std::string, std::map<std::string, Value>>& rows,
                    ImportSummary* summary) {
  for (const auto& [account, list] : rows) {
    Result<Statement> select =
        db->Prepare("SELECT symbol, " + value_column + " FROM " + table + " WHERE account = ?1");
    if (!select.ok()) return select.status();
    select->Bind(1, account);
    std::map<std::string, Value> stored;
    while (true) {
      Result<bool> row = select->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      if constexpr (std::is_same_v<Value, double>) {
        stored[select->ColumnText(0)] = select->ColumnDouble(1);
      } else {
        stored[select->ColumnText(0)] = select->ColumnText(1);
      }
    }
    Result<Statement> remove = db->Prepare("DELETE FROM " + table + " WHERE account = ?1");
    if (!remove.ok()) return remove.status();
    remove->Bind(1, account);
    ARBOR_RETURN_IF_ERROR(remove->Run());
    Result<Statement> insert = db->Prepare("INSERT INTO " + table + " (account, symbol, " +
                                           value_column + ") VALUES (?1, ?2, ?3)");
    if (!insert.ok()) return insert.status();
    for (const auto& [symbol, value] : list) {
      auto it = stored.find(symbol);
      if (it == stored.end()) {
        ++summary->inserted;
      } else if (it->second == value) {
        ++summary->unchanged;
      } else {
        ++summary->updated;
      }
      insert->Bind(1, account).Bind(2, symbol).Bind(3, value);
      ARBOR_RETURN_IF_ERROR(insert->Run());
    }
  }
  return Status::Ok();
}

constexpr double kWeightSumSlack = 1e-6;

}  // namespace

namespace {

// Reads account,symbol,<value_column> rows from every file, checking the account and symbol are
// known and that no symbol comes twice for an account, and hands each row to `use`.
using AccountSymbolRow = std::function<Status(const CsvRow& row, const std::string& account,
                                              const std::string& symbol, std::string_view value)>;
Status ForEachAccountSymbolRow(Database* db, const std::vector<std::string>& files,
                               std::string_view value_column, ImportSummary* summary,
                               const AccountSymbolRow& use) {
  KnownNames accounts(db, "accounts", "id", "import it with `arbor import accounts` first");
  KnownNames symbols(db, "securities", "symbol", "import it with `arbor import securities` first");
  std::set<std::pair<std::string, std::string>> seen;
  for (const std::string& path : files) {
    Result<FormatFile> file = FormatFile::Open(path, {{"account", true}, {"symbol", true}, {value_column, true}});
    if (!file.ok()) return file.status();
    CsvRow row;
    while (file->Next(&row)) {
      ++summary->rows_read;
      const std::string account(file->Get(row, "account"));
      const std::string symbol(file->Get(row, "symbol"));
      ARBOR_RETURN_IF_ERROR(accounts.Check(row, "account", account));
      ARBOR_RETURN_IF_ERROR(symbols.Check(row, "symbol", symbol));
      if (!seen.emplace(account, symbol).second) {
        return FieldError(row, "symbol", symbol + " is listed twice for account " + account);
      }
      ARBOR_RETURN_IF_ERROR(use(row, account, symbol, file->Get(row, value_column)));
    }
    ARBOR_RETURN_IF_ERROR(file->status());
  }
  return Status::Ok();
}

}  // namespace

Result<ImportSummary> ImportSecurityTargets(Database* db, const std::vector<std::string>& files) {
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  std::map<std::string, std::map<std::string, double>> targets;
  std::map<std::string, double> sums;
  std::map<std::string, std::string> last_place;  // account -> "file:line" of its last row
  ImportSummary summary;
  ARBOR_RETURN_IF_ERROR(ForEachAccountSymbolRow(
      db, files, "weight", &summary,
      [&](const CsvRow& row, const std::string& account, const std::string& symbol, std::string_view value) {
        double weight = 0;
        ARBOR_RETURN_IF_ERROR(ParseFraction(row, "weight", value, true, &weight));
        targets[account][symbol] = weight;
        sums[account] += weight;
        last_place[account] = row.source() + ":" + std::to_string(row.line());
        return Status::Ok();
      }));
  for (const auto& [account, sum] : sums) {
    if (sum > 1 + kWeightSumSlack) {
      return Status::InvalidArgument(last_place[account] + ": weight: the targets of account " +
                                     account + " sum to " + std::to_string(sum) +
                                     ", more than 1 (the rest of 1 is the cash target)");
    }
  }
  ARBOR_RETURN_IF_ERROR(ReplaceLists(db, "security_targets", "weight", targets, &summary));
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return summary;
}

Result<ImportSummary> ImportSecurityRestrictions(Database* db,
                                                 const std::vector<std::string>& files) {
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  std::map<std::string, std::map<std::string, std::string>> restrictions;
  ImportSummary summary;
  ARBOR_RETURN_IF_ERROR(ForEachAccountSymbolRow(
      db, files, "restriction", &summary,
      [&](const CsvRow& row, const std::string& account, const std::string& symbol, std::string_view value) {
        Result<review::Restriction> restriction = review::RestrictionFromString(value);
        if (!restriction.ok()) return FieldError(row, "restriction", restriction.status().message());
        // The account gets a list even when all its rows say "none": its old list is then emptied.
        std::map<std::string, std::string>& list = restrictions[account];
        // "none" lifts a restriction: the account's list is replaced without it.
        if (*restriction != review::Restriction::kNone) list[symbol] = ToString(*restriction);
        return Status::Ok();
      }));
  ARBOR_RETURN_IF_ERROR(
      ReplaceLists(db, "security_restrictions", "restriction", restrictions, &summary));
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return summary;
}

Status SaveSecurityRestrictions(Database* db, const std::string& account,
                                const std::vector<SecurityRestriction>& restrictions) {
  // Part of the caller's transaction when there is one (`account customize` saves the
  // customization with it, all or nothing).
  std::optional<Transaction> txn;
  if (!db->InTransaction()) {
    Result<Transaction> begun = Transaction::Begin(db);
    if (!begun.ok()) return begun.status();
    txn.emplace(std::move(begun).value());
  }
  auto exists = [&](const char* sql, const std::string& key) -> Result<bool> {
    Result<Statement> select = db->Prepare(sql);
    if (!select.ok()) return select.status();
    select->Bind(1, key);
    return select->Step();
  };
  Result<bool> known_account = exists("SELECT 1 FROM accounts WHERE id = ?1", account);
  if (!known_account.ok()) return known_account.status();
  if (!*known_account) return Status::NotFound("unknown account '" + account + "'");
  std::map<std::string, std::map<std::string, std::string>> lists;
  std::map<std::string, std::string>& list = lists[account];
  for (const SecurityRestriction& r : restrictions) {
    Result<bool> known = exists("SELECT 1 FROM securities WHERE symbol = ?1", r.symbol);
    if (!known.ok()) return known.status();
    if (!*known) {
      return Status::NotFound("account " + account + ": restriction on unknown symbol '" +
                              r.symbol + "'");
    }
    if (!list.emplace(r.symbol, std::string(ToString(r.restriction))).second) {
      return Status::InvalidArgument("account " + account + ": " + r.symbol +
                                     " is given two restrictions");
    }
  }
  ImportSummary summary;
  ARBOR_RETURN_IF_ERROR(ReplaceLists(db, "security_restrictions", "restriction", lists, &summary));
  return txn ? txn->Commit() : Status::Ok();
}

namespace {

// The settings columns in table order, as the CSV names them (with "_micros" dropped).
enum class SettingKind { kRate, kNonNegative, kMoney, kSignedMoney, kShares };
struct Setting {
  std::string_view csv;
  std::string_view column;
  SettingKind kind;
};
constexpr Setting kSettings[] = {
    {"federal_short_term_rate", "federal_short_term_rate", SettingKind::kRate},
    {"federal_long_term_rate", "federal_long_term_rate", SettingKind::kRate},
    {"state_short_term_rate", "state_short_term_rate", SettingKind::kRate},
    {"state_long_term_rate", "state_long_term_rate", SettingKind::kRate},
    {"niit_rate", "niit_rate", SettingKind::kRate},
    {"cash_min", "cash_min_micros", SettingKind::kMoney},
    {"cash_max", "cash_max_micros", SettingKind::kMoney},
    {"withdrawal", "withdrawal_micros", SettingKind::kMoney},
    {"min_trade", "min_trade_micros", SettingKind::kMoney},
    {"share_increment", "share_increment_micros", SettingKind::kShares},
    {"cost_rate", "cost_rate", SettingKind::kRate},
    {"risk_aversion", "risk_aversion", SettingKind::kNonNegative},
    {"sector_drift_penalty", "sector_drift_penalty", SettingKind::kNonNegative},
    {"tax_budget", "tax_budget_micros", SettingKind::kSignedMoney},
};
constexpr size_t kSettingCount = std::size(kSettings);

// One CSV field parsed into what the column stores; empty: NULL (the default).
struct SettingValue {
  std::optional<double> real;
  std::optional<int64_t> micros;
};

Status ParseSetting(const CsvRow& row, const Setting& setting, std::string_view text,
                    SettingValue* out) {
  if (text.empty()) return Status::Ok();
  switch (setting.kind) {
    case SettingKind::kRate: {
      double value = 0;
      ARBOR_RETURN_IF_ERROR(ParseFraction(row, setting.csv, text, false, &value));
      out->real = value;
      return Status::Ok();
    }
    case SettingKind::kNonNegative: {
      double value = 0;
      ARBOR_RETURN_IF_ERROR(ParseNonNegative(row, setting.csv, text, &value));
      out->real = value;
      return Status::Ok();
    }
    case SettingKind::kMoney:
    case SettingKind::kSignedMoney: {
      Money value;
      ARBOR_RETURN_IF_ERROR(
          ParseFixed(row, setting.csv, text, setting.kind == SettingKind::kSignedMoney, &value));
      out->micros = value.micros();
      return Status::Ok();
    }
    case SettingKind::kShares: {
      Shares value;
      ARBOR_RETURN_IF_ERROR(ParseFixed(row, setting.csv, text, false, &value));
      if (!value.is_positive() || value > Shares::Units(1)) {
        return FieldError(row, setting.csv, "must be in (0, 1] shares, got " + std::string(text));
      }
      out->micros = value.micros();
      return Status::Ok();
    }
  }
  return Status::Ok();
}

// Checks across one row: the cash range and the total short- and long-term rates.
Status CheckSettingsRow(const CsvRow& row, const SettingValue (&values)[kSettingCount]) {
  const SettingValue& cash_min = values[5];
  const SettingValue& cash_max = values[6];
  if (cash_min.micros && cash_max.micros && *cash_max.micros < *cash_min.micros) {
    return FieldError(row, "cash_max", "must be >= cash_min");
  }
  review::TaxRates rates;
  double* fields[] = {&rates.federal_short_term, &rates.federal_long_term, &rates.state_short_term,
                      &rates.state_long_term, &rates.net_investment_income};
  for (size_t k = 0; k < std::size(fields); ++k) {
    if (values[k].real) *fields[k] = *values[k].real;
  }
  if (rates.ShortTerm() >= 1 || rates.LongTerm() >= 1) {
    return RowError(row, "the federal, state and NIIT rates add up to 100% or more");
  }
  return Status::Ok();
}

void BindSetting(Statement* statement, int index, const SettingValue& value) {
  if (value.real) {
    statement->Bind(index, *value.real);
  } else if (value.micros) {
    statement->Bind(index, *value.micros);
  } else {
    statement->BindNull(index);
  }
}

}  // namespace

Result<ImportSummary> ImportRebalanceSettings(Database* db, const std::vector<std::string>& files) {
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  KnownNames accounts(db, "accounts", "id", "import it with `arbor import accounts` first");
  std::string columns = "account", params = "?1", same = "account = ?1", updates;
  for (size_t k = 0; k < kSettingCount; ++k) {
    const std::string column(kSettings[k].column), param = "?" + std::to_string(k + 2);
    columns += ", " + column;
    params += ", " + param;
    same += " AND " + column + " IS " + param;
    updates += (k ? ", " : "") + column + " = excluded." + column;
  }
  Result<Statement> exists =
      db->Prepare("SELECT count(*) FROM rebalance_settings WHERE account = ?1");
  Result<Statement> identical =
      db->Prepare("SELECT count(*) FROM rebalance_settings WHERE " + same);
  Result<Statement> upsert =
      db->Prepare("INSERT INTO rebalance_settings (" + columns + ") VALUES (" + params +
                  ") ON CONFLICT (account) DO UPDATE SET " + updates);
  if (!exists.ok()) return exists.status();
  if (!identical.ok()) return identical.status();
  if (!upsert.ok()) return upsert.status();
  std::vector<Column> format = {{"account", true}};
  for (const Setting& setting : kSettings) format.push_back({setting.csv});
  std::set<std::string> seen;
  ImportSummary summary;
  for (const std::string& path : files) {
    Result<FormatFile> file = FormatFile::Open(path, format);
    if (!file.ok()) return file.status();
    CsvRow row;
    while (file->Next(&row)) {
      ++summary.rows_read;
      const std::string account(file->Get(row, "account"));
      ARBOR_RETURN_IF_ERROR(accounts.Check(row, "account", account));
      if (!seen.insert(account).second) {
        return FieldError(row, "account", account + " is listed twice");
      }
      SettingValue values[kSettingCount];
      for (size_t k = 0; k < kSettingCount; ++k) {
        ARBOR_RETURN_IF_ERROR(
            ParseSetting(row, kSettings[k], file->Get(row, kSettings[k].csv), &values[k]));
      }
      ARBOR_RETURN_IF_ERROR(CheckSettingsRow(row, values));
      for (Statement* statement : {&*exists, &*identical, &*upsert}) {
        statement->Reset();
        statement->Bind(1, account);
      }
      for (size_t k = 0; k < kSettingCount; ++k) {
        BindSetting(&*identical, static_cast<int>(k + 2), values[k]);
        BindSetting(&*upsert, static_cast<int>(k + 2), values[k]);
      }
      Result<bool> stepped = exists->Step();
      if (!stepped.ok()) return stepped.status();
      const bool existed = exists->ColumnInt(0) > 0;
      stepped = identical->Step();
      if (!stepped.ok()) return stepped.status();
      if (identical->ColumnInt(0) > 0) {
        ++summary.unchanged;
        continue;
      }
      ++(existed ? summary.updated : summary.inserted);
      ARBOR_RETURN_IF_ERROR(upsert->Run());
    }
    ARBOR_RETURN_IF_ERROR(file->status());
  }
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return summary;
}

}  // namespace arbor
