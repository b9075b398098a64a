#include "adapters/io/market_data.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>
#include <set>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "adapters/io/csv.h"

namespace arbor {
namespace {

// ---------------------------------------------------------------------------------------------
// GICS, 2023 structure. Only the names are needed: the data sets give a sector and sometimes a
// sub-industry, and the two middle levels follow from the sub-industry.

struct GicsRow {
  std::string_view sub_industry;
  std::string_view sector;
  std::string_view industry_group;
  std::string_view industry;
};

constexpr GicsRow kGics[] = {
    // Energy
    {"Oil & Gas Drilling", "Energy", "Energy", "Energy Equipment & Services"},
    {"Oil & Gas Equipment & Services", "Energy", "Energy", "Energy Equipment & Services"},
    {"Integrated Oil & Gas", "Energy", "Energy", "Oil, Gas & Consumable Fuels"},
    {"Oil & Gas Exploration & Production", "Energy", "Energy", "Oil, Gas & Consumable Fuels"},
    {"Oil & Gas Refining & Marketing", "Energy", "Energy", "Oil, Gas & Consumable Fuels"},
    {"Oil & Gas Storage & Transportation", "Energy", "Energy", "Oil, Gas & Consumable Fuels"},
    {"Coal & Consumable Fuels", "Energy", "Energy", "Oil, Gas & Consumable Fuels"},
    // Materials
    {"Commodity Chemicals", "Materials", "Materials", "Chemicals"},
    {"Diversified Chemicals", "Materials", "Materials", "Chemicals"},
    {"Fertilizers & Agricultural Chemicals", "Materials", "Materials", "Chemicals"},
    {"Industrial Gases", "Materials", "Materials", "Chemicals"},
    {"Specialty Chemicals", "Materials", "Materials", "Chemicals"},
    {"Construction Materials", "Materials", "Materials", "Construction Materials"},
    {"Metal, Glass & Plastic Containers", "Materials", "Materials", "Containers & Packaging"},
    {"Paper & Plastic Packaging Products & Materials", "Materials", "Materials",
     "Containers & Packaging"},
    {"Aluminum", "Materials", "Materials", "Metals & Mining"},
    {"Diversified Metals & Mining", "Materials", "Materials", "Metals & Mining"},
    {"Copper", "Materials", "Materials", "Metals & Mining"},
    {"Gold", "Materials", "Materials", "Metals & Mining"},
    {"Precious Metals & Minerals", "Materials", "Materials", "Metals & Mining"},
    {"Silver", "Materials", "Materials", "Metals & Mining"},
    {"Steel", "Materials", "Materials", "Metals & Mining"},
    {"Forest Products", "Materials", "Materials", "Paper & Forest Products"},
    {"Paper Products", "Materials", "Materials", "Paper & Forest Products"},
    // Industrials
    {"Aerospace & Defense", "Industrials", "Capital Goods", "Aerospace & Defense"},
    {"Building Products", "Industrials", "Capital Goods", "Building Products"},
    {"Construction & Engineering", "Industrials", "Capital Goods", "Construction & Engineering"},
    {"Electrical Components & Equipment", "Industrials", "Capital Goods", "Electrical Equipment"},
    {"Heavy Electrical Equipment", "Industrials", "Capital Goods", "Electrical Equipment"},
    {"Industrial Conglomerates", "Industrials", "Capital Goods", "Industrial Conglomerates"},
    {"Construction Machinery & Heavy Transportation Equipment", "Industrials", "Capital Goods",
     "Machinery"},
    {"Agricultural & Farm Machinery", "Industrials", "Capital Goods", "Machinery"},
    {"Industrial Machinery & Supplies & Components", "Industrials", "Capital Goods", "Machinery"},
    {"Trading Companies & Distributors", "Industrials", "Capital Goods",
     "Trading Companies & Distributors"},
    {"Commercial Printing", "Industrials", "Commercial & Professional Services",
     "Commercial Services & Supplies"},
    {"Environmental & Facilities Services", "Industrials", "Commercial & Professional Services",
     "Commercial Services & Supplies"},
    {"Office Services & Supplies", "Industrials", "Commercial & Professional Services",
     "Commercial Services & Supplies"},
    {"Diversified Support Services", "Industrials", "Commercial & Professional Services",
     "Commercial Services & Supplies"},
    {"Security & Alarm Services", "Industrials", "Commercial & Professional Services",
     "Commercial Services & Supplies"},
    {"Human Resource & Employment Services", "Industrials", "Commercial & Professional Services",
     "Professional Services"},
    {"Research & Consulting Services", "Industrials", "Commercial & Professional Services",
     "Professional Services"},
    {"Data Processing & Outsourced Services", "Industrials", "Commercial & Professional Services",
     "Professional Services"},
    {"Air Freight & Logistics", "Industrials", "Transportation", "Air Freight & Logistics"},
    {"Passenger Airlines", "Industrials", "Transportation", "Passenger Airlines"},
    {"Marine Transportation", "Industrials", "Transportation", "Marine Transportation"},
    {"Rail Transportation", "Industrials", "Transportation", "Ground Transportation"},
    {"Cargo Ground Transportation", "Industrials", "Transportation", "Ground Transportation"},
    {"Passenger Ground Transportation", "Industrials", "Transportation", "Ground Transportation"},
    {"Airport Services", "Industrials", "Transportation", "Transportation Infrastructure"},
    {"Highways & Railtracks", "Industrials", "Transportation", "Transportation Infrastructure"},
    {"Marine Ports & Services", "Industrials", "Transportation", "Transportation Infrastructure"},
    // Consumer Discretionary
    {"Automotive Parts & Equipment", "Consumer Discretionary", "Automobiles & Components",
     "Automobile Components"},
    {"Tires & Rubber", "Consumer Discretionary", "Automobiles & Components",
     "Automobile Components"},
    {"Automobile Manufacturers", "Consumer Discretionary", "Automobiles & Components",
     "Automobiles"},
    {"Motorcycle Manufacturers", "Consumer Discretionary", "Automobiles & Components",
     "Automobiles"},
    {"Consumer Electronics", "Consumer Discretionary", "Consumer Durables & Apparel",
     "Household Durables"},
    {"Home Furnishings", "Consumer Discretionary", "Consumer Durables & Apparel",
     "Household Durables"},
    {"Homebuilding", "Consumer Discretionary", "Consumer Durables & Apparel", "Household Durables"},
    {"Household Appliances", "Consumer Discretionary", "Consumer Durables & Apparel",
     "Household Durables"},
    {"Housewares & Specialties", "Consumer Discretionary", "Consumer Durables & Apparel",
     "Household Durables"},
    {"Leisure Products", "Consumer Discretionary", "Consumer Durables & Apparel",
     "Leisure Products"},
    {"Apparel, Accessories & Luxury Goods", "Consumer Discretionary", "Consumer Durables & Apparel",
     "Textiles, Apparel & Luxury Goods"},
    {"Footwear", "Consumer Discretionary", "Consumer Durables & Apparel",
     "Textiles, Apparel & Luxury Goods"},
    {"Textiles", "Consumer Discretionary", "Consumer Durables & Apparel",
     "Textiles, Apparel & Luxury Goods"},
    {"Casinos & Gaming", "Consumer Discretionary", "Consumer Services",
     "Hotels, Restaurants & Leisure"},
    {"Hotels, Resorts & Cruise Lines", "Consumer Discretionary", "Consumer Services",
     "Hotels, Restaurants & Leisure"},
    {"Leisure Facilities", "Consumer Discretionary", "Consumer Services",
     "Hotels, Restaurants & Leisure"},
    {"Restaurants", "Consumer Discretionary", "Consumer Services", "Hotels, Restaurants & Leisure"},
    {"Education Services", "Consumer Discretionary", "Consumer Services",
     "Diversified Consumer Services"},
    {"Specialized Consumer Services", "Consumer Discretionary", "Consumer Services",
     "Diversified Consumer Services"},
    {"Distributors", "Consumer Discretionary", "Consumer Discretionary Distribution & Retail",
     "Distributors"},
    {"Broadline Retail", "Consumer Discretionary", "Consumer Discretionary Distribution & Retail",
     "Broadline Retail"},
    {"Apparel Retail", "Consumer Discretionary", "Consumer Discretionary Distribution & Retail",
     "Specialty Retail"},
    {"Computer & Electronics Retail", "Consumer Discretionary",
     "Consumer Discretionary Distribution & Retail", "Specialty Retail"},
    {"Home Improvement Retail", "Consumer Discretionary",
     "Consumer Discretionary Distribution & Retail", "Specialty Retail"},
    {"Other Specialty Retail", "Consumer Discretionary",
     "Consumer Discretionary Distribution & Retail", "Specialty Retail"},
    {"Automotive Retail", "Consumer Discretionary", "Consumer Discretionary Distribution & Retail",
     "Specialty Retail"},
    {"Homefurnishing Retail", "Consumer Discretionary",
     "Consumer Discretionary Distribution & Retail", "Specialty Retail"},
    // Consumer Staples
    {"Drug Retail", "Consumer Staples", "Consumer Staples Distribution & Retail",
     "Consumer Staples Distribution & Retail"},
    {"Food Distributors", "Consumer Staples", "Consumer Staples Distribution & Retail",
     "Consumer Staples Distribution & Retail"},
    {"Food Retail", "Consumer Staples", "Consumer Staples Distribution & Retail",
     "Consumer Staples Distribution & Retail"},
    {"Consumer Staples Merchandise Retail", "Consumer Staples",
     "Consumer Staples Distribution & Retail", "Consumer Staples Distribution & Retail"},
    {"Brewers", "Consumer Staples", "Food, Beverage & Tobacco", "Beverages"},
    {"Distillers & Vintners", "Consumer Staples", "Food, Beverage & Tobacco", "Beverages"},
    {"Soft Drinks & Non-alcoholic Beverages", "Consumer Staples", "Food, Beverage & Tobacco",
     "Beverages"},
    {"Agricultural Products & Services", "Consumer Staples", "Food, Beverage & Tobacco",
     "Food Products"},
    {"Packaged Foods & Meats", "Consumer Staples", "Food, Beverage & Tobacco", "Food Products"},
    {"Tobacco", "Consumer Staples", "Food, Beverage & Tobacco", "Tobacco"},
    {"Household Products", "Consumer Staples", "Household & Personal Products",
     "Household Products"},
    {"Personal Care Products", "Consumer Staples", "Household & Personal Products",
     "Personal Care Products"},
    // Health Care
    {"Health Care Equipment", "Health Care", "Health Care Equipment & Services",
     "Health Care Equipment & Supplies"},
    {"Health Care Supplies", "Health Care", "Health Care Equipment & Services",
     "Health Care Equipment & Supplies"},
    {"Health Care Distributors", "Health Care", "Health Care Equipment & Services",
     "Health Care Providers & Services"},
    {"Health Care Services", "Health Care", "Health Care Equipment & Services",
     "Health Care Providers & Services"},
    {"Health Care Facilities", "Health Care", "Health Care Equipment & Services",
     "Health Care Providers & Services"},
    {"Managed Health Care", "Health Care", "Health Care Equipment & Services",
     "Health Care Providers & Services"},
    {"Health Care Technology", "Health Care", "Health Care Equipment & Services",
     "Health Care Technology"},
    {"Biotechnology", "Health Care", "Pharmaceuticals, Biotechnology & Life Sciences",
     "Biotechnology"},
    {"Pharmaceuticals", "Health Care", "Pharmaceuticals, Biotechnology & Life Sciences",
     "Pharmaceuticals"},
    {"Life Sciences Tools & Services", "Health Care",
     "Pharmaceuticals, Biotechnology & Life Sciences", "Life Sciences Tools & Services"},
    // Financials
    {"Diversified Banks", "Financials", "Banks", "Banks"},
    {"Regional Banks", "Financials", "Banks", "Banks"},
    {"Diversified Financial Services", "Financials", "Financial Services", "Financial Services"},
    {"Multi-Sector Holdings", "Financials", "Financial Services", "Financial Services"},
    {"Specialized Finance", "Financials", "Financial Services", "Financial Services"},
    {"Commercial & Residential Mortgage Finance", "Financials", "Financial Services",
     "Financial Services"},
    {"Transaction & Payment Processing Services", "Financials", "Financial Services",
     "Financial Services"},
    {"Consumer Finance", "Financials", "Financial Services", "Consumer Finance"},
    {"Asset Management & Custody Banks", "Financials", "Financial Services", "Capital Markets"},
    {"Investment Banking & Brokerage", "Financials", "Financial Services", "Capital Markets"},
    {"Diversified Capital Markets", "Financials", "Financial Services", "Capital Markets"},
    {"Financial Exchanges & Data", "Financials", "Financial Services", "Capital Markets"},
    {"Mortgage REITs", "Financials", "Financial Services",
     "Mortgage Real Estate Investment Trusts (REITs)"},
    {"Insurance Brokers", "Financials", "Insurance", "Insurance"},
    {"Life & Health Insurance", "Financials", "Insurance", "Insurance"},
    {"Multi-line Insurance", "Financials", "Insurance", "Insurance"},
    {"Property & Casualty Insurance", "Financials", "Insurance", "Insurance"},
    {"Reinsurance", "Financials", "Insurance", "Insurance"},
    // Information Technology
    {"IT Consulting & Other Services", "Information Technology", "Software & Services",
     "IT Services"},
    {"Internet Services & Infrastructure", "Information Technology", "Software & Services",
     "IT Services"},
    {"Application Software", "Information Technology", "Software & Services", "Software"},
    {"Systems Software", "Information Technology", "Software & Services", "Software"},
    {"Communications Equipment", "Information Technology", "Technology Hardware & Equipment",
     "Communications Equipment"},
    {"Technology Hardware, Storage & Peripherals", "Information Technology",
     "Technology Hardware & Equipment", "Technology Hardware, Storage & Peripherals"},
    {"Electronic Equipment & Instruments", "Information Technology",
     "Technology Hardware & Equipment", "Electronic Equipment, Instruments & Components"},
    {"Electronic Components", "Information Technology", "Technology Hardware & Equipment",
     "Electronic Equipment, Instruments & Components"},
    {"Electronic Manufacturing Services", "Information Technology",
     "Technology Hardware & Equipment", "Electronic Equipment, Instruments & Components"},
    {"Technology Distributors", "Information Technology", "Technology Hardware & Equipment",
     "Electronic Equipment, Instruments & Components"},
    {"Semiconductor Materials & Equipment", "Information Technology",
     "Semiconductors & Semiconductor Equipment", "Semiconductors & Semiconductor Equipment"},
    {"Semiconductors", "Information Technology", "Semiconductors & Semiconductor Equipment",
     "Semiconductors & Semiconductor Equipment"},
    // Communication Services
    {"Alternative Carriers", "Communication Services", "Telecommunication Services",
     "Diversified Telecommunication Services"},
    {"Integrated Telecommunication Services", "Communication Services",
     "Telecommunication Services", "Diversified Telecommunication Services"},
    {"Wireless Telecommunication Services", "Communication Services", "Telecommunication Services",
     "Wireless Telecommunication Services"},
    {"Advertising", "Communication Services", "Media & Entertainment", "Media"},
    {"Broadcasting", "Communication Services", "Media & Entertainment", "Media"},
    {"Cable & Satellite", "Communication Services", "Media & Entertainment", "Media"},
    {"Publishing", "Communication Services", "Media & Entertainment", "Media"},
    {"Movies & Entertainment", "Communication Services", "Media & Entertainment", "Entertainment"},
    {"Interactive Home Entertainment", "Communication Services", "Media & Entertainment",
     "Entertainment"},
    {"Interactive Media & Services", "Communication Services", "Media & Entertainment",
     "Interactive Media & Services"},
    // Utilities
    {"Electric Utilities", "Utilities", "Utilities", "Electric Utilities"},
    {"Gas Utilities", "Utilities", "Utilities", "Gas Utilities"},
    {"Multi-Utilities", "Utilities", "Utilities", "Multi-Utilities"},
    {"Water Utilities", "Utilities", "Utilities", "Water Utilities"},
    {"Independent Power Producers & Energy Traders", "Utilities", "Utilities",
     "Independent Power and Renewable Electricity Producers"},
    {"Renewable Electricity", "Utilities", "Utilities",
     "Independent Power and Renewable Electricity Producers"},
    // Real Estate
    {"Diversified REITs", "Real Estate", "Equity Real Estate Investment Trusts (REITs)",
     "Diversified REITs"},
    {"Industrial REITs", "Real Estate", "Equity Real Estate Investment Trusts (REITs)",
     "Industrial REITs"},
    {"Hotel & Resort REITs", "Real Estate", "Equity Real Estate Investment Trusts (REITs)",
     "Hotel & Resort REITs"},
    {"Office REITs", "Real Estate", "Equity Real Estate Investment Trusts (REITs)", "Office REITs"},
    {"Health Care REITs", "Real Estate", "Equity Real Estate Investment Trusts (REITs)",
     "Health Care REITs"},
    {"Multi-Family Residential REITs", "Real Estate",
     "Equity Real Estate Investment Trusts (REITs)", "Residential REITs"},
    {"Single-Family Residential REITs", "Real Estate",
     "Equity Real Estate Investment Trusts (REITs)", "Residential REITs"},
    {"Retail REITs", "Real Estate", "Equity Real Estate Investment Trusts (REITs)", "Retail REITs"},
    {"Data Center REITs", "Real Estate", "Equity Real Estate Investment Trusts (REITs)",
     "Specialized REITs"},
    {"Other Specialized REITs", "Real Estate", "Equity Real Estate Investment Trusts (REITs)",
     "Specialized REITs"},
    {"Self-Storage REITs", "Real Estate", "Equity Real Estate Investment Trusts (REITs)",
     "Specialized REITs"},
    {"Telecom Tower REITs", "Real Estate", "Equity Real Estate Investment Trusts (REITs)",
     "Specialized REITs"},
    {"Timber REITs", "Real Estate", "Equity Real Estate Investment Trusts (REITs)",
     "Specialized REITs"},
    {"Diversified Real Estate Activities", "Real Estate", "Real Estate Management & Development",
     "Real Estate Management & Development"},
    {"Real Estate Operating Companies", "Real Estate", "Real Estate Management & Development",
     "Real Estate Management & Development"},
    {"Real Estate Development", "Real Estate", "Real Estate Management & Development",
     "Real Estate Management & Development"},
    {"Real Estate Services", "Real Estate", "Real Estate Management & Development",
     "Real Estate Management & Development"},
};

// ---------------------------------------------------------------------------------------------
// ETFs the data set may hold. Asset classes are the firm-template names; wash-sale groups join
// funds that track the same index (the usual test for "substantially identical"), and leave
// apart funds on different indexes (EEM/VWO, VNQ/IYR), which are the classic swap pairs.

struct EtfRow {
  std::string_view symbol;
  std::string_view name;
  std::string_view asset_class;
  std::string_view wash_sale_group;
};

constexpr EtfRow kEtfs[] = {
    {"SPY", "SPDR S&P 500 ETF Trust", "US Large Cap", "SP500"},
    {"IVV", "iShares Core S&P 500 ETF", "US Large Cap", "SP500"},
    {"VOO", "Vanguard S&P 500 ETF", "US Large Cap", "SP500"},
    {"DIA", "SPDR Dow Jones Industrial Average ETF Trust", "US Large Cap", ""},
    {"QQQ", "Invesco QQQ Trust (Nasdaq-100)", "US Large Cap", ""},
    {"DGRO", "iShares Core Dividend Growth ETF", "US Large Cap", ""},
    {"SCHD", "Schwab U.S. Dividend Equity ETF", "US Large Cap", ""},
    {"QUAL", "iShares MSCI USA Quality Factor ETF", "US Large Cap", ""},
    {"XLE", "Energy Select Sector SPDR Fund", "US Large Cap", ""},
    {"XLF", "Financial Select Sector SPDR Fund", "US Large Cap", ""},
    {"VTI", "Vanguard Total Stock Market ETF", "US Total Market", ""},
    {"MDY", "SPDR S&P MidCap 400 ETF Trust", "US Mid Cap", "SP400"},
    {"IJH", "iShares Core S&P Mid-Cap ETF", "US Mid Cap", "SP400"},
    {"IWM", "iShares Russell 2000 ETF", "US Small Cap", ""},
    {"ARKK", "ARK Innovation ETF", "US Growth", ""},
    {"EFA", "iShares MSCI EAFE ETF", "International Developed", ""},
    {"EWJ", "iShares MSCI Japan ETF", "International Developed", ""},
    {"IEV", "iShares Europe ETF", "International Developed", ""},
    {"VEU", "Vanguard FTSE All-World ex-US ETF", "International Total Market", ""},
    {"EEM", "iShares MSCI Emerging Markets ETF", "Emerging Markets", ""},
    {"VWO", "Vanguard FTSE Emerging Markets ETF", "Emerging Markets", ""},
    {"AGG", "iShares Core U.S. Aggregate Bond ETF", "Core Bonds", ""},
    {"TLT", "iShares 20+ Year Treasury Bond ETF", "Treasuries", ""},
    {"IEF", "iShares 7-10 Year Treasury Bond ETF", "Treasuries", ""},
    {"SHY", "iShares 1-3 Year Treasury Bond ETF", "Treasuries", ""},
    {"TIP", "iShares TIPS Bond ETF", "TIPS", ""},
    {"LQD", "iShares iBoxx $ Investment Grade Corporate Bond ETF", "Corporate Bonds", ""},
    {"HYG", "iShares iBoxx $ High Yield Corporate Bond ETF", "High Yield", ""},
    {"BIL", "SPDR Bloomberg 1-3 Month T-Bill ETF", "Cash", ""},
    {"VNQ", "Vanguard Real Estate ETF", "Real Estate", ""},
    {"IYR", "iShares U.S. Real Estate ETF", "Real Estate", ""},
    {"GLD", "SPDR Gold Shares", "Commodities", ""},
    {"DBC", "Invesco DB Commodity Index Tracking Fund", "Commodities", ""},
};

constexpr std::string_view kAdjustedEtfDir = "etf-prices/yahoo_adjclose_1993-2025";
constexpr std::string_view kRawEtfDir = "etf-prices/alphavantage_raw_1999-2024";
constexpr std::string_view kAlphaVantageDir = "sp500-prices-alphavantage/daily";
constexpr std::string_view kConstituentsDir = "sp500-constituents";
constexpr std::string_view kRemovedDir = "sp500-prices-removed-2013-2018";
constexpr std::string_view kMembershipDir = "sp500-membership";
constexpr std::string_view kLargeCap = "US Large Cap";

std::string JoinPath(const std::string& dir, std::string_view relative) {
  std::string path = dir;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  path += '/';
  path += relative;
  return path;
}

// The stems of the *.csv files in `dir` (or, with `before_underscore`, the part of each file
// name before its first '_', as in "IVV_holdings_2024-04.csv").
Result<std::vector<std::string>> ListCsvStems(const std::string& dir,
                                              bool before_underscore = false) {
  std::error_code error;
  std::filesystem::directory_iterator it(dir, error);
  if (error) return Status::NotFound("cannot list '" + dir + "': " + error.message());
  std::set<std::string> stems;
  for (const std::filesystem::directory_entry& entry : it) {
    std::string name = entry.path().filename().string();
    if (!name.ends_with(".csv")) continue;
    name.resize(name.size() - 4);
    if (before_underscore) name = name.substr(0, name.find('_'));
    if (!name.empty()) stems.insert(std::move(name));
  }
  return std::vector<std::string>(stems.begin(), stems.end());
}

// Opens `path` and finds `columns` in its header, in that order.
Result<CsvReader> OpenWithColumns(const std::string& path,
                                  std::initializer_list<std::string_view> columns,
                                  std::vector<size_t>* indexes) {
  Result<CsvReader> reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  indexes->clear();
  for (std::string_view column : columns) {
    Result<size_t> index = reader->RequireColumn(column);
    if (!index.ok()) return index.status();
    indexes->push_back(*index);
  }
  return reader;
}

// ---------------------------------------------------------------------------------------------
// Numbers.

// Millionths of the decimal `text`, rounded half away from zero from the digits themselves, so
// that "24.313047409057617" gives exactly 24313047. An exponent form ("1e-05") goes through a
// double, which is exact enough at six decimals.
Result<int64_t> ParseRoundedMicros(std::string_view text) {
  auto invalid = [&] {
    return Status::InvalidArgument("'" + std::string(text) + "' is not a decimal number");
  };
  std::string_view s = text;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.find_first_of("eE") != std::string_view::npos) {
    double value = 0;
    auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (error != std::errc() || end != s.data() + s.size() || !std::isfinite(value) ||
        std::fabs(value) > 9e12) {
      return invalid();
    }
    return Price::FromDouble(value).micros();
  }
  Result<int64_t> micros = ParseMicros(s, ExtraDigits::kRound);
  if (!micros.ok()) return invalid();
  return micros;
}

// Parses field `index` of `row` as a price; `allow_zero` for dividends.
Status ParsePriceField(const CsvRow& row, size_t index, std::string_view field, bool allow_zero,
                       Price* out) {
  Result<int64_t> micros = ParseRoundedMicros(row[index]);
  if (!micros.ok()) return FieldError(row, field, micros.status().message());
  if (*micros < 0 || (*micros == 0 && !allow_zero)) {
    return FieldError(row, field,
                      "must be " + std::string(allow_zero ? "zero or more" : "positive") +
                          ", got '" + std::string(row[index]) + "'");
  }
  *out = Price::FromMicros(*micros);
  return Status::Ok();
}

Status ParseDateField(const CsvRow& row, size_t index, std::string_view field, Date* out) {
  std::string_view text = row[index];
  // yfinance writes a midnight time after the date.
  if (text.size() > 10 && text[10] == ' ') text = text.substr(0, 10);
  Result<Date> date = Date::Parse(text);
  if (!date.ok()) return FieldError(row, field, date.status().message());
  *out = *date;
  return Status::Ok();
}

// Sorts `bars` by date (they are usually in order already) and rejects a repeated date.
// `lines[i]` is the file line of bars[i], for the message.
Status SortAndCheckDates(const std::string& source, std::vector<DailyBar>* bars,
                         std::vector<int64_t>* lines) {
  bool sorted =
      std::is_sorted(bars->begin(), bars->end(),
                     [](const DailyBar& a, const DailyBar& b) { return a.date < b.date; });
  if (!sorted) {
    std::vector<size_t> order(bars->size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return (*bars)[a].date < (*bars)[b].date; });
    std::vector<DailyBar> sorted_bars;
    std::vector<int64_t> sorted_lines;
    sorted_bars.reserve(order.size());
    sorted_lines.reserve(order.size());
    for (size_t i : order) {
      sorted_bars.push_back((*bars)[i]);
      sorted_lines.push_back((*lines)[i]);
    }
    *bars = std::move(sorted_bars);
    *lines = std::move(sorted_lines);
  }
  for (size_t i = 1; i < bars->size(); ++i) {
    if ((*bars)[i].date == (*bars)[i - 1].date) {
      int64_t first = std::min((*lines)[i - 1], (*lines)[i]);
      int64_t second = std::max((*lines)[i - 1], (*lines)[i]);
      return Status::InvalidArgument(source + ":" + std::to_string(second) + ": date " +
                                     (*bars)[i].date.ToString() + " repeats line " +
                                     std::to_string(first));
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Security master pieces.

struct NameAndSector {
  std::string name;
  std::string sector;
};

// Sector names as they are today: the 2013-2018 files still say Telecommunication(s) Services.
std::string CurrentSectorName(std::string_view sector) {
  if (sector == "Telecommunication Services" || sector == "Telecommunications Services") {
    return "Communication Services";
  }
  return std::string(sector);
}

// Symbol -> name and sector from a Symbol,Name,Sector snapshot (the constituents files and the
// 2017/2018 financials files, whose Sector column is still the GICS sector; in the 2025 file it
// is the sub-industry).
Status ReadSnapshot(const std::string& path, std::unordered_map<std::string, NameAndSector>* out) {
  std::vector<size_t> col;
  Result<CsvReader> reader = OpenWithColumns(path, {"Symbol", "Name", "Sector"}, &col);
  if (!reader.ok()) return reader.status();
  CsvRow row;
  while (reader->Next(&row)) {
    out->emplace(std::string(row[col[0]]),
                 NameAndSector{std::string(row[col[1]]), std::string(row[col[2]])});
  }
  return reader->status();
}

// Ticker -> security name from the Wikipedia change log (Date, Added ticker, Added security,
// Removed ticker, Removed security, Reason; a second header row). The log is newest first and
// the first mention wins, so a reused ticker gets its latest owner.
Status ReadChangeLogNames(const std::string& path,
                          std::unordered_map<std::string, std::string>* out) {
  Result<CsvReader> reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  if (reader->header().size() < 5) {
    return Status::InvalidArgument(path + ": expected Date,Added,Added,Removed,Removed columns");
  }
  CsvRow row;
  while (reader->Next(&row)) {
    if (row[0] == "Date") continue;  // the second header row
    for (size_t ticker : {1, 3}) {
      if (!row[ticker].empty() && !row[ticker + 1].empty()) {
        out->emplace(std::string(row[ticker]), std::string(row[ticker + 1]));
      }
    }
  }
  return reader->status();
}

Status AddCurrentConstituents(const std::string& data_dir, SecurityMaster* master) {
  // Current GICS for the symbols still in the index in 2026.
  std::unordered_map<std::string, Gics> current;
  {
    std::vector<size_t> col;
    std::string path =
        JoinPath(data_dir, std::string(kConstituentsDir) + "/constituents_2026-08-08.csv");
    Result<CsvReader> reader =
        OpenWithColumns(path, {"Symbol", "GICS Sector", "GICS Sub-Industry"}, &col);
    if (!reader.ok()) return reader.status();
    CsvRow row;
    while (reader->Next(&row)) {
      std::optional<Gics> gics = GicsFromSubIndustry(row[col[2]]);
      if (!gics.has_value()) {  // a sub-industry newer than the table: keep what is given
        gics = Gics{.sector = std::string(row[col[1]]), .sub_industry = std::string(row[col[2]])};
      }
      current.emplace(std::string(row[col[0]]), std::move(*gics));
    }
    ARBOR_RETURN_IF_ERROR(reader->status());
  }
  // Names that left the index before 2026 but were still in it in 2025: that snapshot's
  // "Sector" column holds the GICS sub-industry (HES: Integrated Oil & Gas), which screens need.
  std::unordered_map<std::string, NameAndSector> listed_2025;
  ARBOR_RETURN_IF_ERROR(ReadSnapshot(
      JoinPath(data_dir, std::string(kConstituentsDir) + "/constituents-financials_2025-02-01.csv"),
      &listed_2025));

  std::vector<size_t> col;
  std::string path =
      JoinPath(data_dir, std::string(kConstituentsDir) + "/constituents_2021-04-24.csv");
  Result<CsvReader> reader = OpenWithColumns(path, {"Symbol", "Name", "Sector"}, &col);
  if (!reader.ok()) return reader.status();
  CsvRow row;
  while (reader->Next(&row)) {
    Security security{.symbol = std::string(row[col[0]]),
                      .name = std::string(row[col[1]]),
                      .type = SecurityType::kStock,
                      .gics = {.sector = std::string(row[col[2]])},
                      .asset_class = std::string(kLargeCap),
                      .fractional = true};
    auto it = current.find(security.symbol);
    if (it != current.end()) {
      security.gics = it->second;
    } else if (auto listed = listed_2025.find(security.symbol); listed != listed_2025.end()) {
      // Only when the 2025 classification agrees with the 2021 sector: a name GICS moved to
      // another sector since keeps the sector it had, and no sub-industry rather than a
      // contradictory one.
      std::optional<Gics> gics = GicsFromSubIndustry(listed->second.sector);
      if (gics.has_value() && gics->sector == security.gics.sector) security.gics = *gics;
    }
    Status added = master->Add(std::move(security));
    if (!added.ok()) return FieldError(row, "Symbol", added.message());
  }
  return reader->status();
}

Status AddRemovedNames(const std::string& data_dir, SecurityMaster* master) {
  std::set<std::string> symbols;
  for (std::string_view folder : {"wiki_adjusted_in_index_windows", "iex_split_adjusted_5yr"}) {
    Result<std::vector<std::string>> stems =
        ListCsvStems(JoinPath(data_dir, std::string(kRemovedDir) + "/" + std::string(folder)));
    if (!stems.ok()) return stems.status();
    symbols.insert(stems->begin(), stems->end());
  }

  // Most recent snapshot first: its sector names are the closest to today's.
  std::vector<std::unordered_map<std::string, NameAndSector>> snapshots(4);
  const std::string_view snapshot_files[] = {
      "constituents_2018-04-02.csv", "constituents-financials_2018-02-08.csv",
      "constituents-financials_2017-03-08.csv", "constituents_2013-02-10.csv"};
  for (size_t i = 0; i < snapshots.size(); ++i) {
    ARBOR_RETURN_IF_ERROR(ReadSnapshot(
        JoinPath(data_dir, std::string(kConstituentsDir) + "/" + std::string(snapshot_files[i])),
        &snapshots[i]));
  }
  std::unordered_map<std::string, std::string> logged_names;
  ARBOR_RETURN_IF_ERROR(ReadChangeLogNames(
      JoinPath(data_dir, std::string(kMembershipDir) + "/wikipedia_sp500_changes_to_2023-10.csv"),
      &logged_names));
  std::set<std::string> members;
  {
    std::vector<size_t> col;
    Result<CsvReader> reader = OpenWithColumns(
        JoinPath(data_dir, std::string(kMembershipDir) + "/sp500_ticker_start_end.csv"), {"ticker"},
        &col);
    if (!reader.ok()) return reader.status();
    CsvRow row;
    while (reader->Next(&row)) members.emplace(row[col[0]]);
    ARBOR_RETURN_IF_ERROR(reader->status());
  }

  for (const std::string& symbol : symbols) {
    if (master->Contains(symbol)) continue;
    Security security{.symbol = symbol,
                      .type = SecurityType::kStock,
                      .asset_class = std::string(kLargeCap),
                      .fractional = true};
    for (const auto& snapshot : snapshots) {
      auto it = snapshot.find(symbol);
      if (it == snapshot.end()) continue;
      if (security.name.empty()) security.name = it->second.name;
      if (security.gics.sector.empty()) security.gics.sector = CurrentSectorName(it->second.sector);
    }
    if (security.name.empty()) {
      auto it = logged_names.find(symbol);
      if (it != logged_names.end()) security.name = it->second;
    }
    bool known = !security.name.empty() || members.contains(symbol);
    if (!known) continue;  // a mis-mapped iShares ticker; see the header
    if (security.name.empty()) security.name = symbol;
    ARBOR_RETURN_IF_ERROR(master->Add(std::move(security)));
  }
  return Status::Ok();
}

Status AddEtfs(const std::string& data_dir, SecurityMaster* master) {
  std::set<std::string> present;
  for (std::string_view folder : {kAdjustedEtfDir, kRawEtfDir}) {
    Result<std::vector<std::string>> stems = ListCsvStems(JoinPath(data_dir, folder));
    if (!stems.ok()) return stems.status();
    present.insert(stems->begin(), stems->end());
  }
  for (std::string_view folder :
       {"etf-holdings/snapshots_2024-04", "etf-holdings/top200_weights_daily_2021-2022"}) {
    Result<std::vector<std::string>> stems =
        ListCsvStems(JoinPath(data_dir, folder), /*before_underscore=*/true);
    if (!stems.ok()) return stems.status();
    present.insert(stems->begin(), stems->end());
  }
  for (const EtfRow& etf : kEtfs) {
    if (!present.contains(std::string(etf.symbol))) continue;
    ARBOR_RETURN_IF_ERROR(master->Add({.symbol = std::string(etf.symbol),
                                       .name = std::string(etf.name),
                                       .type = SecurityType::kEtf,
                                       .asset_class = std::string(etf.asset_class),
                                       .fractional = true,
                                       .wash_sale_group = std::string(etf.wash_sale_group)}));
    present.erase(std::string(etf.symbol));
  }
  // A fund the table does not know still gets an entry, unclassified.
  for (const std::string& symbol : present) {
    if (master->Contains(symbol)) continue;
    ARBOR_RETURN_IF_ERROR(master->Add(
        {.symbol = symbol, .name = symbol, .type = SecurityType::kEtf, .fractional = true}));
  }
  return Status::Ok();
}

}  // namespace

std::optional<Gics> GicsFromSubIndustry(std::string_view sub_industry) {
  for (const GicsRow& row : kGics) {
    if (row.sub_industry == sub_industry) {
      return Gics{.sector = std::string(row.sector),
                  .industry_group = std::string(row.industry_group),
                  .industry = std::string(row.industry),
                  .sub_industry = std::string(row.sub_industry)};
    }
  }
  return std::nullopt;
}

Result<SecurityMaster> LoadSp500SecurityMaster(const std::string& data_dir) {
  SecurityMaster master;
  ARBOR_RETURN_IF_ERROR(AddCurrentConstituents(data_dir, &master));
  ARBOR_RETURN_IF_ERROR(AddRemovedNames(data_dir, &master));
  ARBOR_RETURN_IF_ERROR(AddEtfs(data_dir, &master));
  return master;
}

SplitRatio SnapSplitCoefficient(double coefficient) {
  constexpr int64_t kMaxDenominator = 20;
  constexpr double kTolerance = 1e-5;
  SplitRatio best;
  double best_error = INFINITY;
  for (int64_t q = 1; q <= kMaxDenominator; ++q) {
    int64_t p = std::llround(coefficient * static_cast<double>(q));
    if (p < 1) continue;
    double error = std::fabs(coefficient - static_cast<double>(p) / static_cast<double>(q));
    if (error < best_error) {  // strict: the smallest q wins a tie, so 2/1 and not 4/2
      best_error = error;
      best = {p, q};
    }
  }
  if (best_error <= kTolerance * std::max(1.0, coefficient)) {
    int64_t g = std::gcd(best.numerator, best.denominator);
    return {best.numerator / g, best.denominator / g};
  }
  // Not a split: keep the factor to six decimals.
  int64_t micros = std::max<int64_t>(1, std::llround(coefficient * kMicrosPerUnit));
  int64_t g = std::gcd(micros, kMicrosPerUnit);
  return {micros / g, kMicrosPerUnit / g};
}

Result<PriceHistory> LoadAlphaVantageDaily(const std::string& csv_path, std::string symbol) {
  std::vector<size_t> col;
  Result<CsvReader> reader = OpenWithColumns(
      csv_path, {"timestamp", "open", "close", "dividend_amount", "split_coefficient"}, &col);
  if (!reader.ok()) return reader.status();
  PriceHistory history{.symbol = std::move(symbol)};
  std::vector<int64_t> lines;
  history.bars.reserve(4096);
  lines.reserve(4096);
  CsvRow row;
  while (reader->Next(&row)) {
    DailyBar bar;
    ARBOR_RETURN_IF_ERROR(ParseDateField(row, col[0], "timestamp", &bar.date));
    ARBOR_RETURN_IF_ERROR(ParsePriceField(row, col[1], "open", false, &bar.open));
    ARBOR_RETURN_IF_ERROR(ParsePriceField(row, col[2], "close", false, &bar.close));
    ARBOR_RETURN_IF_ERROR(
        ParsePriceField(row, col[3], "dividend_amount", true, &bar.dividend_per_share));
    std::string_view split_text = row[col[4]];
    if (split_text != "1.0") {  // the common case, 99.99% of rows
      double coefficient = 0;
      auto [end, error] =
          std::from_chars(split_text.data(), split_text.data() + split_text.size(), coefficient);
      if (error != std::errc() || end != split_text.data() + split_text.size() ||
          !std::isfinite(coefficient) || coefficient <= 0) {
        return FieldError(row, "split_coefficient",
                          "'" + std::string(split_text) + "' is not a positive number");
      }
      SplitRatio ratio = SnapSplitCoefficient(coefficient);
      bar.split_numerator = ratio.numerator;
      bar.split_denominator = ratio.denominator;
    }
    history.bars.push_back(bar);
    lines.push_back(row.line());
  }
  ARBOR_RETURN_IF_ERROR(reader->status());
  ARBOR_RETURN_IF_ERROR(SortAndCheckDates(csv_path, &history.bars, &lines));
  return history;
}

std::string AlphaVantageDailyPath(const std::string& data_dir, std::string_view symbol) {
  return JoinPath(data_dir, std::string(kAlphaVantageDir) + "/" + std::string(symbol) + ".csv");
}

Result<std::vector<std::string>> ListAlphaVantageSymbols(const std::string& data_dir) {
  return ListCsvStems(JoinPath(data_dir, kAlphaVantageDir));
}

Result<std::vector<PriceHistory>> LoadAlphaVantageUniverse(
    const std::string& data_dir, const std::vector<std::string>& symbols,
    std::function<void(size_t done, size_t total)> progress,
    std::vector<std::string>* missing_symbols) {
  std::vector<PriceHistory> histories;
  histories.reserve(symbols.size());
  for (size_t i = 0; i < symbols.size(); ++i) {
    std::string path = AlphaVantageDailyPath(data_dir, symbols[i]);
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
      if (missing_symbols != nullptr) missing_symbols->push_back(symbols[i]);
    } else {
      Result<PriceHistory> history = LoadAlphaVantageDaily(path, symbols[i]);
      if (!history.ok()) return history.status();
      histories.push_back(std::move(history).value());
    }
    if (progress) progress(i + 1, symbols.size());
  }
  return histories;
}

Result<PriceHistory> LoadEtfPriceFile(const std::string& csv_path, std::string symbol) {
  Result<CsvReader> reader = CsvReader::Open(csv_path);
  if (!reader.ok()) return reader.status();
  const std::vector<std::string>& header = reader->header();
  auto first_of = [&](std::initializer_list<std::string_view> names) -> std::optional<size_t> {
    for (std::string_view name : names) {
      if (std::optional<size_t> index = reader->ColumnIndex(name)) return index;
    }
    return std::nullopt;
  };

  // yfinance's multi-index header: column 0 is the date, column 1 ("Price") the adjusted close.
  bool yfinance = header.size() >= 3 && header[0] == "Price" && header[1] == "Price";
  size_t date_col = 0;
  size_t close_col = 1;
  std::optional<size_t> open_col;
  std::string date_name = "date";
  std::string close_name = "adjusted close";
  if (!yfinance) {
    std::optional<size_t> d = first_of({"date", "Date", "timestamp"});
    std::optional<size_t> adjusted = first_of({"Adj Close", "adjusted_close"});
    std::optional<size_t> raw = first_of({"4. close", "close", "Close"});
    if (!d.has_value() || (!adjusted.has_value() && !raw.has_value())) {
      return Status::InvalidArgument(csv_path +
                                     ": not a known price file (need a date and a close column)");
    }
    date_col = *d;
    close_col = adjusted.has_value() ? *adjusted : *raw;
    if (!adjusted.has_value()) open_col = first_of({"1. open", "open", "Open"});
    date_name = header[date_col];
    close_name = header[close_col];
  }

  PriceHistory history{.symbol = std::move(symbol)};
  std::vector<int64_t> lines;
  CsvRow row;
  while (reader->Next(&row)) {
    if (yfinance && history.bars.empty() && (row[0] == "Ticker" || row[0] == "Date")) continue;
    DailyBar bar;
    ARBOR_RETURN_IF_ERROR(ParseDateField(row, date_col, date_name, &bar.date));
    ARBOR_RETURN_IF_ERROR(ParsePriceField(row, close_col, close_name, false, &bar.close));
    bar.open = bar.close;
    if (open_col.has_value()) {
      ARBOR_RETURN_IF_ERROR(ParsePriceField(row, *open_col, header[*open_col], false, &bar.open));
    }
    history.bars.push_back(bar);
    lines.push_back(row.line());
  }
  ARBOR_RETURN_IF_ERROR(reader->status());
  ARBOR_RETURN_IF_ERROR(SortAndCheckDates(csv_path, &history.bars, &lines));
  return history;
}

std::string EtfPricePath(const std::string& data_dir, std::string_view symbol, EtfSeries series) {
  std::string_view folder = series == EtfSeries::kAdjustedClose ? kAdjustedEtfDir : kRawEtfDir;
  return JoinPath(data_dir, std::string(folder) + "/" + std::string(symbol) + ".csv");
}

Result<PriceHistory> LoadEtfPrices(const std::string& data_dir, const std::string& symbol,
                                   EtfSeries series) {
  return LoadEtfPriceFile(EtfPricePath(data_dir, symbol, series), symbol);
}

Result<std::vector<std::string>> ListEtfSymbols(const std::string& data_dir, EtfSeries series) {
  return ListCsvStems(
      JoinPath(data_dir, series == EtfSeries::kAdjustedClose ? kAdjustedEtfDir : kRawEtfDir));
}

}  // namespace arbor
