#include "adapters/backtest/backtest_market.h"

#include <algorithm>
#include <map>

#include "adapters/demo/market_tape.h"
#include "adapters/io/cap_weight_inputs.h"
#include "adapters/io/market_data.h"
#include "adapters/io/risk_returns.h"
#include "adapters/storage/risk_universe.h"

namespace arbor {
namespace {

// The first trading day of each quarter from the calendar's first day on.
std::vector<Date> QuarterStarts(const std::vector<Date>& days) {
  std::vector<Date> starts = {days.front()};
  for (size_t d = 1; d < days.size(); ++d) {
    if (days[d].month() != days[d - 1].month() && (days[d].month() - 1) % 3 == 0) {
      starts.push_back(days[d]);
    }
  }
  return starts;
}

}  // namespace

Result<backtest::BacktestMarket> LoadBacktestMarket(
    const std::string& data_dir, const BacktestMarketOptions& options,
    const std::function<void(std::string_view step)>& progress) {
  auto note = [&](std::string_view step) {
    if (progress) progress(step);
  };
  backtest::BacktestMarket market;
  Result<SecurityMaster> master = LoadSp500SecurityMaster(data_dir);
  if (!master.ok()) return master.status();
  market.master = std::move(*master);

  Result<std::vector<std::string>> listed = ListAlphaVantageSymbols(data_dir);
  if (!listed.ok()) return listed.status();
  std::vector<std::string> symbols;
  for (const std::string& symbol : *listed) {
    const Security* security = market.master.Find(symbol);
    if (security != nullptr && security->type == SecurityType::kStock &&
        !security->gics.sector.empty()) {
      symbols.push_back(symbol);
    }
  }
  note("loading " + std::to_string(symbols.size()) + " price files");
  Result<std::vector<PriceHistory>> stocks = LoadAlphaVantageUniverse(data_dir, symbols);
  if (!stocks.ok()) return stocks.status();
  std::vector<PriceHistory> histories = std::move(*stocks);
  std::erase_if(histories, [](const PriceHistory& h) { return h.bars.empty(); });
  Result<PriceHistory> spy = LoadEtfPrices(data_dir, "SPY", EtfSeries::kRawClose);
  if (!spy.ok()) return spy.status();
  std::vector<PriceHistory> with_calendar = histories;
  with_calendar.push_back(std::move(*spy));

  note("laying the prices on SPY's calendar");
  Result<MarketTape> tape = MarketTape::Build(with_calendar, "SPY", options.from, options.to);
  if (!tape.ok()) return tape.status();
  market.days = tape->days();
  const int n = static_cast<int>(histories.size());
  std::map<std::string, int> index;
  for (int s = 0; s < n; ++s) {
    const int t = *tape->Find(histories[s].symbol);
    index.emplace(histories[s].symbol, s);
    market.symbols.push_back(histories[s].symbol);
    market.last_close.push_back(tape->last_bar(t).close);
    market.last_close_date.push_back(tape->last_bar(t).date);
    const Security& security = *market.master.Find(histories[s].symbol);
    market.risk_securities.push_back({.symbol = security.symbol,
                                      .sector = security.gics.sector,
                                      .industry_group = security.gics.industry_group});
  }
  market.closes.resize(market.days.size() * n);
  for (int d = 0; d < tape->day_count(); ++d) {
    for (int s = 0; s < n; ++s) {
      market.closes[static_cast<size_t>(d) * n + s] =
          tape->Close(*tape->Find(market.symbols[s]), d).micros();
    }
  }
  for (const TapeAction& action : tape->all_actions()) {
    auto s = index.find(tape->symbol(action.symbol));
    if (s == index.end() || action.ex_date < market.days.front()) continue;
    market.actions.push_back({.symbol = s->second,
                              .ex_date = action.ex_date,
                              .split_numerator = action.split_numerator,
                              .split_denominator = action.split_denominator,
                              .dividend_per_share = action.dividend_per_share});
  }

  note("rebuilding the cap-weighted index each quarter");
  std::vector<std::string> kept;  // --top: the names of the first index
  for (Date day : QuarterStarts(market.days)) {
    Result<models::CapWeightInputs> inputs = LoadSp500CapWeightInputs(data_dir, day, histories);
    if (!inputs.ok()) return inputs.status();
    Result<models::CapWeightedIndex> built = models::BuildCapWeightedIndex(*inputs, "SP500");
    if (!built.ok()) return built.status();
    std::vector<std::pair<double, int>> members;
    for (const models::ModelWeight& w : built->model.weights) {
      auto s = index.find(w.symbol);
      if (s != index.end()) members.push_back({w.weight, s->second});
    }
    if (options.top > 0) {
      if (kept.empty()) {
        std::sort(members.rbegin(), members.rend());
        if (static_cast<int>(members.size()) > options.top) members.resize(options.top);
        for (const auto& [weight, s] : members) kept.push_back(market.symbols[s]);
      } else {
        std::erase_if(members, [&](const std::pair<double, int>& m) {
          return std::find(kept.begin(), kept.end(), market.symbols[m.second]) == kept.end();
        });
      }
    }
    double total = 0;
    for (const auto& [weight, s] : members) total += weight;
    backtest::Reconstitution r{.effective = day};
    for (const auto& [weight, s] : members) r.weights.push_back({s, weight / total});
    std::sort(r.weights.begin(), r.weights.end());
    market.reconstitutions.push_back(std::move(r));
  }

  note("daily total returns for the risk model");
  Result<TotalReturns> returns =
      BuildTotalReturns(histories, RiskWindowStart(options.from, options.risk), options.to);
  if (!returns.ok()) return returns.status();
  market.returns = std::move(returns->daily);
  return market;
}

}  // namespace arbor
