// The full rebalance (core/review/rebalance.h) of a direct-index-like taxable account: model
// building, the wash-sale direction search, minimum-trade re-solves, rounding and the proposal.
// LargeAccount(500, 20) is 500 names in 10,000 lots with 20 risk factors.
//
// Run: build/bench/rebalance_benchmark   (medians of 5 repetitions)
#include <benchmark/benchmark.h>

#include "core/review/rebalance.h"
#include "core/review/testing/random_account.h"

namespace arbor::review {
namespace {

void BM_FullRebalance(benchmark::State& state) {
  const RebalanceInput input = testing::LargeAccount(static_cast<int>(state.range(0)),
                                                     static_cast<int>(state.range(1)), /*seed=*/1);
  Proposal proposal;
  for (auto _ : state) {
    proposal = Rebalance(input).value();
    benchmark::DoNotOptimize(proposal.trades.data());
  }
  state.counters["lots"] = static_cast<double>(input.lots.size());
  state.counters["solves"] = proposal.solves;
  state.counters["trades"] = static_cast<double>(proposal.trades.size());
}
BENCHMARK(BM_FullRebalance)
    ->Args({100, 20})
    ->Args({500, 20})
    ->Args({500, 50})
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

}  // namespace
}  // namespace arbor::review

BENCHMARK_MAIN();
