// Readers of the files an index model is built from (../shared/data, see its README.md): an
// iShares holdings download, a constituents-financials snapshot's share counts, and the S&P 500
// membership intervals.
//
//   Result<models::FundPositions> ivv = LoadIsharesHoldings(IvvHoldingsPath(data_dir), "IVV",
//                                                          kIvvHoldingsDate);
//   Result<models::SecurityModel> sp500 = models::ModelFromFundPositions(*ivv, "SP500");
//   Result<std::vector<std::string>> members =
//       LoadIndexMembers(Sp500MembershipPath(data_dir), *Date::Parse("2021-04-21"));
//
// Errors name the file, line and field, e.g. ".../IVV_holdings_2024-04.csv:12: Shares: 'x' is
// not a number".
#pragma once

#include <string>
#include <vector>

#include "core/base/date.h"
#include "core/base/status.h"
#include "core/models/index_construction.h"

namespace arbor {

// The day IVV's holdings file describes: the exporter's "as of" line was stripped, and its
// prices are the closes of 2024-04-04 (MSFT 417.88, NVDA 859.05).
inline const Date kIvvHoldingsDate = *Date::FromYmd(2024, 4, 4);

// data_dir/etf-holdings/snapshots_2024-04/IVV_holdings_2024-04.csv
std::string IvvHoldingsPath(const std::string& data_dir);
// data_dir/sp500-membership/sp500_ticker_start_end.csv
std::string Sp500MembershipPath(const std::string& data_dir);

// An iShares holdings file (Ticker, Asset Class, Market Value, Shares, Price, ...; numbers quoted
// with thousands separators): the rows whose Asset Class is Equity, iShares' BRKB and BFB as
// BRK.B and BF.B. Cash, collateral and futures rows are skipped.
Result<models::FundPositions> LoadIsharesHoldings(const std::string& path, std::string fund,
                                                  Date as_of);

// Shares outstanding = Market Cap / Price of a constituents-financials snapshot. Rows with an
// empty Market Cap or Price (the data set has a few) are skipped. The 2017 file states caps in
// billions: a file whose largest cap is below 1e7 is read as billions.
Result<models::ShareSnapshot> LoadFinancialsShares(const std::string& path, Date as_of);

// The tickers whose membership interval (ticker,start_date,end_date; an empty end = still a
// member) contains `date`: start <= date < end, since a renamed ticker's old interval ends on
// the day the new one starts (FB until 2022-06-09, META from 2022-06-09). Sorted.
Result<std::vector<std::string>> LoadIndexMembers(const std::string& path, Date date);

// The constituents-financials snapshot files of data_dir/sp500-constituents with the dates in
// their names, oldest first.
struct DatedFile {
  std::string path;
  Date date;
};
Result<std::vector<DatedFile>> ListFinancialsSnapshots(const std::string& data_dir);

}  // namespace arbor
