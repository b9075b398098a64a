#include "adapters/io/cap_weight_inputs.h"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <unordered_map>
#include <utility>

#include "adapters/io/index_sources.h"

namespace arbor {
namespace {

// A close at most this many days before the date still prices it (a weekend and a holiday).
constexpr int kMaxPriceAgeDays = 7;
// Denominators above this are AlphaVantage's spin-off factors (RTX 2020: 1589/1000), not splits
// (same bound as SnapSplitCoefficient).
constexpr int64_t kMaxSplitDenominator = 20;

struct KnownSplit {
  const char* symbol;  // the ticker of the April-2021 price files
  const char* ex_date;
  double ratio;
};

// Splits of April-2021 S&P 500 members from 2021-04-22 (after the last price) to 2024-04-04
// (IVV's holdings date), from the companies' announcements. Each one shows in the data as IVV's
// share count over the 2018 snapshot's (split-adjusted to 2021) being about the ratio, or, for
// names added after 2018, as a price drop of about the ratio; docs/index-models.md lists the check.
constexpr KnownSplit kSplitsAfterPrices[] = {
    {"CSX", "2021-06-28", 3},    {"NVDA", "2021-07-20", 4},  {"GE", "2021-08-02", 0.125},
    {"RJF", "2021-09-22", 1.5},  {"ISRG", "2021-10-05", 3},  {"MCHP", "2021-10-13", 2},
    {"ANET", "2021-11-18", 4},   {"WRB", "2022-03-23", 1.5}, {"AMZN", "2022-06-06", 20},
    {"DXCM", "2022-06-13", 4},   {"FTNT", "2022-06-23", 5},  {"GOOGL", "2022-07-18", 20},
    {"GOOG", "2022-07-18", 20},  {"TSLA", "2022-08-25", 3},  {"NDAQ", "2022-08-29", 3},
    {"CPRT", "2022-11-04", 2},   {"MNST", "2023-03-28", 2},  {"SRE", "2023-08-22", 2},
    {"PCAR", "2024-02-08", 1.5}, {"COO", "2024-02-20", 4},   {"WMT", "2024-02-26", 3},
    {"ODFL", "2024-03-28", 2},
};

// Members of April 2021 that IVV held under a new ticker in 2024, with about the same shares
// except Healthpeak (PEAK, now DOC: a quarter more after merging with Physicians Realty) and
// NortonLifeLock (NLOK, now GEN: a tenth more after Avast), whose 2021 weights are overstated
// by as much.
constexpr std::pair<const char*, const char*> kRenamedBy2024[] = {
    {"FB", "META"},  {"ANTM", "ELV"}, {"WLTW", "WTW"},  {"FISV", "FI"},
    {"PKI", "RVTY"}, {"ABC", "COR"},  {"BLL", "BALL"},  {"RE", "EG"},
    {"FLT", "CPAY"}, {"NLOK", "GEN"}, {"VIAC", "PARA"}, {"PEAK", "DOC"},
};

// The snapshot whose date is nearest to `date` (the earlier one on a tie).
const DatedFile& NearestSnapshot(const std::vector<DatedFile>& files, Date date) {
  return *std::min_element(files.begin(), files.end(), [&](const DatedFile& a, const DatedFile& b) {
    return std::abs(a.date - date) < std::abs(b.date - date);
  });
}

}  // namespace

std::vector<models::SplitEvent> Sp500Splits(const std::vector<PriceHistory>& histories) {
  std::vector<models::SplitEvent> splits;
  std::unordered_map<std::string, Date> last_price;
  for (const PriceHistory& history : histories) {
    if (!history.bars.empty()) last_price[history.symbol] = history.bars.back().date;
    for (const DailyBar& bar : history.bars) {
      if (bar.split_numerator == bar.split_denominator ||
          bar.split_denominator > kMaxSplitDenominator) {
        continue;
      }
      splits.push_back(
          {history.symbol, bar.date,
           static_cast<double>(bar.split_numerator) / static_cast<double>(bar.split_denominator)});
    }
  }
  for (const KnownSplit& known : kSplitsAfterPrices) {
    const Date ex_date = *Date::Parse(known.ex_date);
    auto last = last_price.find(known.symbol);
    // Prices that reach the ex-date already carry the split.
    if (last != last_price.end() && last->second >= ex_date) continue;
    splits.push_back({known.symbol, ex_date, known.ratio});
  }
  return splits;
}

Result<models::CapWeightInputs> LoadSp500CapWeightInputs(
    const std::string& data_dir, Date date, const std::vector<PriceHistory>& histories) {
  models::CapWeightInputs in{.date = date};
  Result<std::vector<std::string>> members = LoadIndexMembers(Sp500MembershipPath(data_dir), date);
  if (!members.ok()) return members.status();
  in.members = std::move(*members);

  std::unordered_map<std::string, const PriceHistory*> by_symbol;
  for (const PriceHistory& history : histories) by_symbol[history.symbol] = &history;
  for (const std::string& symbol : in.members) {
    auto found = by_symbol.find(symbol);
    if (found == by_symbol.end()) continue;
    const std::vector<DailyBar>& bars = found->second->bars;
    auto after = std::upper_bound(bars.begin(), bars.end(), date,
                                  [](Date d, const DailyBar& bar) { return d < bar.date; });
    if (after == bars.begin()) continue;
    const DailyBar& last = *std::prev(after);
    if (date - last.date <= kMaxPriceAgeDays) in.prices[symbol] = last.close.ToDouble();
  }

  Result<models::FundPositions> fund =
      LoadIsharesHoldings(IvvHoldingsPath(data_dir), "IVV", kIvvHoldingsDate);
  if (!fund.ok()) return fund.status();
  in.fund = std::move(*fund);
  const std::set<std::string> member_set(in.members.begin(), in.members.end());
  for (const auto& [old_ticker, new_ticker] : kRenamedBy2024) {
    if (!member_set.contains(old_ticker) || member_set.contains(new_ticker)) continue;
    for (models::FundPosition& h : in.fund.holdings) {
      if (h.symbol == new_ticker) h.symbol = old_ticker;
    }
  }

  Result<std::vector<DatedFile>> snapshots = ListFinancialsSnapshots(data_dir);
  if (!snapshots.ok()) return snapshots.status();
  const DatedFile& nearest = NearestSnapshot(*snapshots, date);
  Result<models::ShareSnapshot> snapshot = LoadFinancialsShares(nearest.path, nearest.date);
  if (!snapshot.ok()) return snapshot.status();
  in.snapshot = std::move(*snapshot);
  in.splits = Sp500Splits(histories);
  return in;
}

}  // namespace arbor
