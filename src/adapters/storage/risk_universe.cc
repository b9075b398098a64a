#include "adapters/storage/risk_universe.h"

#include <algorithm>

#include "adapters/io/risk_returns.h"

namespace arbor {
namespace {

// The store keeps closes and corporate actions apart; the return builder wants them on bars.
// An action whose ex-date has no close goes on the next close.
Result<PriceHistory> LoadPriceHistory(Store& store, const std::string& symbol, Date from, Date to) {
  Result<std::vector<std::pair<Date, Price>>> closes = store.LoadPrices(symbol, from, to);
  if (!closes.ok()) return closes.status();
  Result<std::vector<CorporateAction>> actions = store.LoadCorporateActions(symbol);
  if (!actions.ok()) return actions.status();
  PriceHistory history{.symbol = symbol};
  for (const auto& [date, close] : *closes) {
    history.bars.push_back({.date = date, .open = close, .close = close});
  }
  for (const CorporateAction& action : *actions) {
    if (action.ex_date < from || action.ex_date > to) continue;
    auto bar = std::lower_bound(history.bars.begin(), history.bars.end(), action.ex_date,
                                [](const DailyBar& b, Date d) { return b.date < d; });
    if (bar == history.bars.end()) continue;
    if (action.kind == CorporateActionKind::kSplit) {
      bar->split_numerator *= action.numerator;
      bar->split_denominator *= action.denominator;
    } else {
      bar->dividend_per_share = bar->dividend_per_share + action.cash_per_share;
    }
  }
  return history;
}

}  // namespace

Date RiskWindowStart(Date as_of, const RiskModelOptions& options) {
  // 252 trading days a year, plus holidays and a margin.
  return as_of.AddDays(-static_cast<int>((options.window_days + 1) * 366 / 250) - 10);
}

Result<RiskUniverse> LoadRiskUniverse(Store& store, const RiskModelOptions& options, Date from, Date to,
                                      const std::function<void(size_t)>& on_loaded) {
  Result<SecurityMaster> master = store.LoadSecurities();
  if (!master.ok()) return master.status();
  RiskUniverse all;
  for (const Security& s : master->securities()) {
    if (s.type == SecurityType::kEtf || s.type == SecurityType::kMutualFund) {
      all.securities.push_back({.symbol = s.symbol, .proxy = true});
      continue;
    }
    if (s.type != SecurityType::kStock || s.gics.sector.empty()) continue;
    if (options.industry_factors == IndustryFactors::kIndustryGroup && s.gics.industry_group.empty()) continue;
    all.securities.push_back({s.symbol, s.gics.sector, s.gics.industry_group});
  }
  Date last_close;
  for (size_t i = 0; i < all.securities.size(); ++i) {
    Result<PriceHistory> history = LoadPriceHistory(store, all.securities[i].symbol, from, to);
    if (!history.ok()) return history.status();
    all.histories.push_back(std::move(*history));
    if (!all.histories.back().bars.empty()) last_close = std::max(last_close, all.histories.back().bars.back().date);
    if (on_loaded && (i + 1) % 100 == 0) on_loaded(i + 1);
  }
  // Only names still trading within a week of the universe's last close.
  RiskUniverse trading;
  for (size_t i = 0; i < all.securities.size(); ++i) {
    const std::vector<DailyBar>& bars = all.histories[i].bars;
    if (bars.empty() || bars.back().date < last_close.AddDays(-7)) continue;
    trading.securities.push_back(std::move(all.securities[i]));
    trading.histories.push_back(std::move(all.histories[i]));
  }
  return trading;
}

Result<RiskModel> EstimateRiskModelFromStore(Store& store, Date as_of, const RiskModelOptions& options) {
  const Date from = RiskWindowStart(as_of, options);
  Result<RiskUniverse> universe = LoadRiskUniverse(store, options, from, as_of);
  if (!universe.ok()) return universe.status();
  if (universe->securities.empty()) {
    return Status::NotFound("no classified stock has prices up to " + as_of.ToString());
  }
  Result<TotalReturns> returns = BuildTotalReturns(universe->histories, from, as_of);
  if (!returns.ok()) return returns.status();
  return EstimateRiskModel(as_of, universe->securities, returns->daily, options);
}

}  // namespace arbor
