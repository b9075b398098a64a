#include "adapters/storage/fund_holdings_store.h"

#include <charconv>
#include <map>
#include <utility>

#include "adapters/io/csv.h"
#include "adapters/io/text.h"

namespace arbor {
namespace {

// Writes one snapshot inside the caller's transaction.
Status WriteSnapshot(Database* db, const models::FundHoldings& holdings) {
  Result<Statement> clear = db->Prepare("DELETE FROM fund_holdings WHERE fund = ?1 AND as_of = ?2");
  if (!clear.ok()) return clear.status();
  ARBOR_RETURN_IF_ERROR(clear->Bind(1, holdings.fund).Bind(2, holdings.as_of.ToString()).Run());
  Result<Statement> insert = db->Prepare(
      "INSERT INTO fund_holdings (fund, as_of, symbol, weight) VALUES (?1, ?2, ?3, ?4)");
  if (!insert.ok()) return insert.status();
  for (const models::ModelWeight& w : holdings.weights) {
    ARBOR_RETURN_IF_ERROR(insert->Bind(1, holdings.fund)
                              .Bind(2, holdings.as_of.ToString())
                              .Bind(3, w.symbol)
                              .Bind(4, w.weight)
                              .Run());
  }
  return Status::Ok();
}

Status CheckKnown(const SecurityMaster& master, const models::FundHoldings& holdings) {
  const std::string where = "holdings of " + holdings.fund + " on " + holdings.as_of.ToString();
  if (!master.Contains(holdings.fund)) {
    return Status::InvalidArgument(where + ": fund: unknown symbol '" + holdings.fund +
                                   "'; import it with `arbor import securities`");
  }
  for (const models::ModelWeight& w : holdings.weights) {
    if (!master.Contains(w.symbol)) {
      return Status::InvalidArgument(where + ": symbol: unknown symbol '" + w.symbol +
                                     "' (import it, or drop such rows with --skip-unknown)");
    }
  }
  return Status::Ok();
}

Result<double> ParseWeight(const CsvRow& row) {
  const std::string_view text = Trim(row.Get("weight"));
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return FieldError(row, "weight", "'" + std::string(text) + "' is not a number");
  }
  if (!(value > 0 && value <= 1)) {
    return FieldError(row, "weight", "must be in (0, 1] (a fraction of the fund), got " +
                                         std::string(text));
  }
  return value;
}

}  // namespace

Status SaveFundHoldings(Store& store, const models::FundHoldings& holdings) {
  ARBOR_RETURN_IF_ERROR(models::ValidateFundHoldings(holdings));
  Result<SecurityMaster> master = store.LoadSecurities();
  if (!master.ok()) return master.status();
  ARBOR_RETURN_IF_ERROR(CheckKnown(*master, holdings));
  Result<Transaction> txn = Transaction::Begin(store.database());
  if (!txn.ok()) return txn.status();
  ARBOR_RETURN_IF_ERROR(WriteSnapshot(store.database(), holdings));
  return txn->Commit();
}

Result<std::vector<models::FundHoldings>> LoadFundHoldings(Store& store) {
  Result<Statement> select = store.database()->Prepare(
      "SELECT fund, as_of, symbol, weight FROM fund_holdings ORDER BY fund, as_of, symbol");
  if (!select.ok()) return select.status();
  std::vector<models::FundHoldings> all;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Result<Date> as_of = Date::Parse(select->ColumnView(1));
    if (!as_of.ok()) return as_of.status();
    if (all.empty() || all.back().fund != select->ColumnView(0) || all.back().as_of != *as_of) {
      all.push_back({.fund = select->ColumnText(0), .as_of = *as_of});
    }
    all.back().weights.push_back({select->ColumnText(2), select->ColumnDouble(3)});
  }
  return all;
}

Result<FundHoldingsImportSummary> ImportFundHoldings(Store& store,
                                                     const std::vector<std::string>& files,
                                                     const FundHoldingsImportOptions& options) {
  Result<SecurityMaster> master = store.LoadSecurities();
  if (!master.ok()) return master.status();
  FundHoldingsImportSummary summary;
  std::map<std::pair<std::string, Date>, models::FundHoldings> snapshots;
  for (const std::string& file : files) {
    Result<CsvReader> reader = CsvReader::Open(file);
    if (!reader.ok()) return reader.status();
    for (const char* column : {"fund", "as_of", "symbol", "weight"}) {
      Result<size_t> index = reader->RequireColumn(column);
      if (!index.ok()) return index.status();
    }
    CsvRow row;
    while (reader->Next(&row)) {
      const std::string fund = std::string(Trim(row.Get("fund")));
      const std::string symbol = std::string(Trim(row.Get("symbol")));
      Result<Date> as_of = Date::Parse(Trim(row.Get("as_of")));
      if (!as_of.ok()) return FieldError(row, "as_of", as_of.status().message());
      Result<double> weight = ParseWeight(row);
      if (!weight.ok()) return weight.status();
      if (!master->Contains(fund)) {
        return FieldError(row, "fund", "unknown symbol '" + fund + "'");
      }
      if (!master->Contains(symbol)) {
        if (!options.skip_unknown) {
          return FieldError(row, "symbol",
                            "unknown symbol '" + symbol + "' (drop such rows with --skip-unknown)");
        }
        ++summary.skipped_unknown;
        summary.skipped_weight += *weight;
        continue;
      }
      models::FundHoldings& snapshot = snapshots[{fund, *as_of}];
      snapshot.fund = fund;
      snapshot.as_of = *as_of;
      snapshot.weights.push_back({symbol, *weight});
    }
    ARBOR_RETURN_IF_ERROR(reader->status());
  }
  Result<Transaction> txn = Transaction::Begin(store.database());
  if (!txn.ok()) return txn.status();
  for (const auto& [key, snapshot] : snapshots) {
    ARBOR_RETURN_IF_ERROR(models::ValidateFundHoldings(snapshot));
    ARBOR_RETURN_IF_ERROR(WriteSnapshot(store.database(), snapshot));
    ++summary.snapshots;
    summary.holdings += snapshot.weights.size();
  }
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return summary;
}

}  // namespace arbor
