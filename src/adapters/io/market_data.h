// Loaders for the public market data under /work/shared/data (see its README.md): the S&P 500
// security master, AlphaVantage daily prices with dividends and splits, and ETF closes.
//
//   Result<SecurityMaster> master = LoadSp500SecurityMaster(data_dir);
//   std::vector<std::string> missing;
//   Result<std::vector<PriceHistory>> prices =
//       LoadAlphaVantageUniverse(data_dir, {"AAPL", "MSFT", "BF.B"}, {}, &missing);
//   // missing == {"BF.B"}: the data set has no price file for it
//
// Every loader takes the data directory (or a file in it) and reads nothing else. Errors name
// the file, line and field, e.g. ".../daily/AAPL.csv:1872: close: 'x' is not a decimal number".
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/status.h"
#include "core/market/security.h"

namespace arbor {

// The S&P 500 names and the ETFs the data set covers:
// - the April-2021 constituents (sp500-constituents/constituents_2021-04-24.csv). A symbol
//   still listed on 2026-08-08 takes that file's current four-level GICS classification, so
//   sector and sub-industry always agree: 16 names moved sector in the 2023 GICS revision
//   (V and MA from Information Technology to Financials, for example), and for those the
//   current sector replaces the 2021 one. Other names keep their 2021 sector only.
// - the names that left the index, from sp500-prices-removed-2013-2018: name and sector from
//   the 2018, 2017 and 2013 snapshots (the old Telecommunication Services sector is mapped to
//   Communication Services, where all of it went in 2018), or just the name from the
//   membership change log. The 18 files whose ticker is in no snapshot, membership interval
//   or change-log entry (USD, LPRAX, UBSFY, ...) are left out: they are mis-mapped iShares
//   tickers whose prices belong to some other security. The 2026 file is never used for these:
//   tickers get reused (Q was Qwest, then QuintilesIMS; SNDK is a different SanDisk today). All
//   stocks: type stock, asset class "US Large Cap", fractional.
// - the ETFs that have a price or holdings file under etf-prices/ or etf-holdings/, with an
//   asset class; SPY/IVV/VOO share the wash-sale group "SP500" and MDY/IJH "SP400".
Result<SecurityMaster> LoadSp500SecurityMaster(const std::string& data_dir);

// The full GICS classification (2023 structure) of a sub-industry named as in the data set,
// e.g. "Application Software" -> Information Technology / Software & Services / Software.
std::optional<Gics> GicsFromSubIndustry(std::string_view sub_industry);

struct DailyBar {
  Date date;
  Price open;
  Price close;
  Price dividend_per_share;  // cash dividend with this ex-date
  // Shares after / shares before for a split with this ex-date; 7/1 for a 7-for-1 split.
  int64_t split_numerator = 1;
  int64_t split_denominator = 1;
};

struct PriceHistory {
  std::string symbol;
  std::vector<DailyBar> bars;  // ascending by date, one per trading day
};

struct SplitRatio {
  int64_t numerator = 1;
  int64_t denominator = 1;
};

// AlphaVantage writes a 7:1 split as 7.00000700001 and 3:2 as 1.49999925, so the coefficient
// is snapped to the nearest p/q with q <= 20 when it lies within 1e-5 (relative) of it. A
// coefficient that is no simple ratio is how AlphaVantage records a spin-off (RTX 2020:
// 1.589, PFE 2020: 1.054); it is kept as is, to six decimals, as a reduced fraction
// (1.589 -> 1589/1000), since snapping it would misstate the position's value.
// `coefficient` must be positive and finite.
SplitRatio SnapSplitCoefficient(double coefficient);

// Reads one sp500-prices-alphavantage/daily/<SYMBOL>.csv (timestamp, open, close,
// adjusted_close, volume, dividend_amount, split_coefficient). Open, close and dividend keep
// the raw as-traded values, rounded half away from zero to six decimals from the decimal text
// (exact, no binary floating point; the files carry at most six decimals for these columns).
// Bars come out ascending; a repeated date is an error. adjusted_close and volume are unused.
Result<PriceHistory> LoadAlphaVantageDaily(const std::string& csv_path, std::string symbol);

// data_dir/sp500-prices-alphavantage/daily/<symbol>.csv
std::string AlphaVantageDailyPath(const std::string& data_dir, std::string_view symbol);
// The symbols that have a daily file, sorted.
Result<std::vector<std::string>> ListAlphaVantageSymbols(const std::string& data_dir);

// Loads `symbols` in order. A symbol with no file is skipped and appended to
// `missing_symbols` (if given); a file that exists but is malformed fails the whole load.
// `progress` is called after each symbol with (symbols done, symbols.size()).
Result<std::vector<PriceHistory>> LoadAlphaVantageUniverse(
    const std::string& data_dir, const std::vector<std::string>& symbols,
    std::function<void(size_t done, size_t total)> progress = {},
    std::vector<std::string>* missing_symbols = nullptr);

// The two ETF series in etf-prices/.
enum class EtfSeries {
  // yahoo_adjclose_1993-2025: split- and dividend-adjusted close, i.e. a total-return
  // series for backtests. 21 ETFs to 2025-09-26.
  kAdjustedClose,
  // alphavantage_raw_1999-2024: as-traded open and close, for lot prices. 15 ETFs to
  // 2024-11-08. Splits are not flagged in these files (IJH's 5:1 of 2016 shows as a drop).
  kRawClose,
};

// Reads one ETF price file, recognising its format from the header:
// - yfinance's four-line header (Price,Price,Close,... / Ticker,... / Ticker,... / Date,...)
//   with rows "YYYY-MM-DD 00:00:00,<adjusted close>,..." -> close = the adjusted close;
// - AlphaVantage "date,1. open,...,4. close,..." -> open and close as traded;
// - a plain header with a date column and "Adj Close", "adjusted_close", "close" or "Close".
// Close-only series set open = close (so that a fill at the open is at least a real price);
// dividends are zero and splits 1/1, since these files do not list them.
Result<PriceHistory> LoadEtfPriceFile(const std::string& csv_path, std::string symbol);

// The file for `symbol` in the folder of `series`.
std::string EtfPricePath(const std::string& data_dir, std::string_view symbol, EtfSeries series);
Result<PriceHistory> LoadEtfPrices(const std::string& data_dir, const std::string& symbol,
                                   EtfSeries series = EtfSeries::kAdjustedClose);
// The ETF symbols that have a file in the folder of `series`, sorted.
Result<std::vector<std::string>> ListEtfSymbols(const std::string& data_dir, EtfSeries series);

}  // namespace arbor
