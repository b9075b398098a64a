// Time per simulated day of the tax-alpha backtest (core/backtest/backtest.h) on the real data:
// the S&P 500 direct index reviewed daily with the full rebalance, beside the index portfolio
// and the monthly rule. Loading the market is timed apart; the risk model is re-estimated
// quarterly inside the run, as in `arbor backtest`.
//
//   build/bench/backtest_benchmark [--from 2013-01-02] [--to 2013-06-28] [--top 0] [--runs 3]
//
// Prints each run's milliseconds per simulated day and the median.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "adapters/backtest/backtest_market.h"
#include "core/backtest/backtest.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string from = "2013-01-02", to = "2013-06-28", frequency = "daily";
  int top = 0, runs = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--from"))
      from = argv[i + 1];
    else if (!std::strcmp(argv[i], "--to"))
      to = argv[i + 1];
    else if (!std::strcmp(argv[i], "--top"))
      top = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--runs"))
      runs = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--frequency"))
      frequency = argv[i + 1];
  }
  arbor::backtest::BacktestOptions options;
  auto parsed = arbor::backtest::ReviewFrequencyFromString(frequency);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s\n", parsed.status().message().c_str());
    return 1;
  }
  options.frequency = *parsed;
  const auto load_start = std::chrono::steady_clock::now();
  auto market = arbor::LoadBacktestMarket(ARBOR_SHARED_DATA_DIR, {.from = *arbor::Date::Parse(from),
                                                                  .to = *arbor::Date::Parse(to),
                                                                  .top = top,
                                                                  .risk = options.risk_model});
  if (!market.ok()) {
    std::fprintf(stderr, "%s\n", market.status().message().c_str());
    return 1;
  }
  std::printf("market %s..%s: %d days, %d symbols, loaded in %.1f s\n", from.c_str(), to.c_str(),
              market->day_count(), market->symbol_count(), Seconds(load_start));
  std::vector<double> per_day;
  for (int run = 0; run < runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    auto result = arbor::backtest::RunBacktest(*market, options);
    if (!result.ok()) {
      std::fprintf(stderr, "%s\n", result.status().message().c_str());
      return 1;
    }
    const double seconds = Seconds(start);
    per_day.push_back(1e3 * seconds / result->days);
    std::printf("run %d: %d names, %d rebalances, %.1f s, %.1f ms per simulated day\n", run + 1,
                result->names, result->optimizer.rebalances, seconds, per_day.back());
  }
  std::sort(per_day.begin(), per_day.end());
  std::printf("median: %.1f ms per simulated day (%s reviews)\n", per_day[per_day.size() / 2],
              frequency.c_str());
  return 0;
}
