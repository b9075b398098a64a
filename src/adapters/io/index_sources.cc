#include "adapters/io/index_sources.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>
#include <utility>

#include "adapters/io/csv.h"
#include "adapters/io/text.h"

namespace arbor {
namespace {

// A number as exporters write it: "1,234.5" or "1234.5", optionally quoted by the CSV.
Result<double> ParseAmount(const CsvRow& row, std::string_view column) {
  std::string digits;
  for (char c : Trim(row.Get(column))) {
    if (c != ',') digits.push_back(c);
  }
  double value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
      !std::isfinite(value)) {
    return FieldError(row, column, "'" + std::string(row.Get(column)) + "' is not a number");
  }
  return value;
}

Status RequireColumns(const CsvReader& reader, std::initializer_list<std::string_view> columns) {
  for (std::string_view column : columns) {
    Result<size_t> found = reader.RequireColumn(column);
    if (!found.ok()) return found.status();
  }
  return Status::Ok();
}

Result<Date> ParseDateField(const CsvRow& row, std::string_view column) {
  Result<Date> date = Date::Parse(Trim(row.Get(column)));
  if (!date.ok()) return FieldError(row, column, date.status().message());
  return date;
}

// iShares writes share-class suffixes without the dot.
std::string FromIsharesTicker(std::string_view ticker) {
  if (ticker == "BRKB") return "BRK.B";
  if (ticker == "BFB") return "BF.B";
  return std::string(ticker);
}

}  // namespace

std::string IvvHoldingsPath(const std::string& data_dir) {
  return data_dir + "/etf-holdings/snapshots_2024-04/IVV_holdings_2024-04.csv";
}

std::string Sp500MembershipPath(const std::string& data_dir) {
  return data_dir + "/sp500-membership/sp500_ticker_start_end.csv";
}

Result<models::FundPositions> LoadIsharesHoldings(const std::string& path, std::string fund,
                                                  Date as_of) {
  Result<CsvReader> reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  ARBOR_RETURN_IF_ERROR(
      RequireColumns(*reader, {"Ticker", "Asset Class", "Market Value", "Shares", "Price"}));
  models::FundPositions holdings{.fund = std::move(fund), .as_of = as_of};
  std::set<std::string> seen;
  CsvRow row;
  while (reader->Next(&row)) {
    if (Trim(row.Get("Asset Class")) != "Equity") continue;
    models::FundPosition h{.symbol = FromIsharesTicker(Trim(row.Get("Ticker")))};
    if (Status valid = ValidateSymbol(h.symbol); !valid.ok()) {
      return FieldError(row, "Ticker", valid.message());
    }
    if (!seen.insert(h.symbol).second) {
      return FieldError(row, "Ticker", "'" + h.symbol + "' is listed twice");
    }
    for (auto [column, out] : {std::pair{"Shares", &h.shares}, std::pair{"Price", &h.price},
                               std::pair{"Market Value", &h.market_value}}) {
      Result<double> value = ParseAmount(row, column);
      if (!value.ok()) return value.status();
      if (*value <= 0) return FieldError(row, column, "must be > 0 for a stock holding");
      *out = *value;
    }
    holdings.holdings.push_back(std::move(h));
  }
  ARBOR_RETURN_IF_ERROR(reader->status());
  if (holdings.holdings.empty()) {
    return Status::InvalidArgument(path + ": no rows with Asset Class Equity");
  }
  return holdings;
}

Result<models::ShareSnapshot> LoadFinancialsShares(const std::string& path, Date as_of) {
  Result<CsvReader> reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  ARBOR_RETURN_IF_ERROR(RequireColumns(*reader, {"Symbol", "Price", "Market Cap"}));
  models::ShareSnapshot snapshot{.source = std::filesystem::path(path).filename().string(),
                                 .as_of = as_of};
  std::map<std::string, std::pair<double, double>> caps_and_prices;
  double largest_cap = 0;
  CsvRow row;
  while (reader->Next(&row)) {
    const std::string symbol(Trim(row.Get("Symbol")));
    if (Status valid = ValidateSymbol(symbol); !valid.ok()) {
      return FieldError(row, "Symbol", valid.message());
    }
    if (Trim(row.Get("Market Cap")).empty() || Trim(row.Get("Price")).empty()) continue;
    Result<double> cap = ParseAmount(row, "Market Cap");
    if (!cap.ok()) return cap.status();
    Result<double> price = ParseAmount(row, "Price");
    if (!price.ok()) return price.status();
    if (*cap <= 0) return FieldError(row, "Market Cap", "must be > 0");
    if (*price <= 0) return FieldError(row, "Price", "must be > 0");
    if (!caps_and_prices.emplace(symbol, std::pair{*cap, *price}).second) {
      return FieldError(row, "Symbol", "'" + symbol + "' is listed twice");
    }
    largest_cap = std::max(largest_cap, *cap);
  }
  ARBOR_RETURN_IF_ERROR(reader->status());
  // No S&P 500 company is worth less than $10 million, so such caps are in billions.
  const double unit = largest_cap < 1e7 ? 1e9 : 1;
  for (const auto& [symbol, cap_price] : caps_and_prices) {
    snapshot.shares[symbol] = unit * cap_price.first / cap_price.second;
  }
  return snapshot;
}

Result<std::vector<std::string>> LoadIndexMembers(const std::string& path, Date date) {
  Result<CsvReader> reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  ARBOR_RETURN_IF_ERROR(RequireColumns(*reader, {"ticker", "start_date", "end_date"}));
  std::set<std::string> members;
  CsvRow row;
  while (reader->Next(&row)) {
    const std::string ticker(Trim(row.Get("ticker")));
    if (Status valid = ValidateSymbol(ticker); !valid.ok()) {
      return FieldError(row, "ticker", valid.message());
    }
    Result<Date> start = ParseDateField(row, "start_date");
    if (!start.ok()) return start.status();
    bool member = *start <= date;
    if (!Trim(row.Get("end_date")).empty()) {
      Result<Date> end = ParseDateField(row, "end_date");
      if (!end.ok()) return end.status();
      if (*end < *start) return FieldError(row, "end_date", "is before start_date");
      member = member && date < *end;
    }
    if (member) members.insert(ticker);
  }
  ARBOR_RETURN_IF_ERROR(reader->status());
  return std::vector<std::string>(members.begin(), members.end());
}

Result<std::vector<DatedFile>> ListFinancialsSnapshots(const std::string& data_dir) {
  const std::string dir = data_dir + "/sp500-constituents";
  constexpr std::string_view kPrefix = "constituents-financials_";
  std::error_code error;
  std::filesystem::directory_iterator it(dir, error);
  if (error) return Status::NotFound("cannot list '" + dir + "': " + error.message());
  std::vector<DatedFile> files;
  for (const std::filesystem::directory_entry& entry : it) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(kPrefix) || !name.ends_with(".csv")) continue;
    const std::string stem = name.substr(kPrefix.size(), name.size() - kPrefix.size() - 4);
    Result<Date> date = Date::Parse(stem);
    if (!date.ok()) {
      return Status::InvalidArgument(entry.path().string() +
                                     ": the name should end in _YYYY-MM-DD.csv");
    }
    files.push_back({entry.path().string(), *date});
  }
  std::sort(files.begin(), files.end(),
            [](const DatedFile& a, const DatedFile& b) { return a.date < b.date; });
  if (files.empty()) return Status::NotFound(dir + ": no constituents-financials_*.csv");
  return files;
}

}  // namespace arbor
