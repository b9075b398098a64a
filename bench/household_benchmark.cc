// The joint household solve against the single-account solve it contains (issue 6's target:
// the household in at most 4x the time of its taxable account alone). The household is
// BenchmarkHousehold: a taxable 500-name direct index with 10,000 lots (BenchmarkAccount, the
// account of optimize_benchmark.cc), a traditional IRA, a Roth and a 401k holding ETFs, the IRA
// free to buy anything and the others the ETFs. The single account is that taxable account alone
// with its own targets and bounds, timed by Solve() (the dual Newton method) and by the
// interior-point method alone, which is what the household solve runs.
//
// Reported per solve: CPU time (the machine's cores are shared), iterations, lots; after the runs,
// the two times and their ratio.
//
// Run: build/bench/household_benchmark [--benchmark_repetitions=5]
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <map>
#include <string>

#include "core/optimize/household_problem.h"
#include "core/optimize/solver.h"
#include "core/optimize/testing/random_problem.h"

namespace arbor {
namespace {

// Process CPU time: the machine's cores are shared, so wall time says more about the neighbours.
double CpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

const optimize::HouseholdProblem& Household() {
  static const optimize::HouseholdProblem household = optimize::testing::BenchmarkHousehold();
  return household;
}

const optimize::Problem& TaxableAlone() {
  static const optimize::Problem taxable = optimize::testing::BenchmarkAccount();
  return taxable;
}

// CPU seconds and solves of all of each benchmark's runs, for the closing ratio.
struct CpuTotal {
  double seconds = 0;
  int64_t solves = 0;
  double per_solve() const { return seconds / static_cast<double>(solves); }
};
std::map<std::string, CpuTotal> cpu_totals;

// Times `solve` (returning a Result of a solution with a Summary) over the state's iterations.
template <typename SolveOnce>
void TimeSolves(benchmark::State& state, const char* name, int lots, SolveOnce solve) {
  double cpu_seconds = 0;
  int iterations = 0;
  for (auto _ : state) {
    const double start = CpuSeconds();
    const auto solution = solve();
    cpu_seconds += CpuSeconds() - start;
    if (!solution.ok()) {
      state.SkipWithError(solution.status().message().c_str());
      return;
    }
    if (solution->summary.status != optimize::SolveStatus::kOptimal) {
      state.SkipWithError(("not optimal: " + solution->summary.message).c_str());
      return;
    }
    iterations = solution->summary.iterations;
  }
  cpu_totals[name].seconds += cpu_seconds;
  cpu_totals[name].solves += state.iterations();
  state.counters["iterations"] = iterations;
  state.counters["lots"] = lots;
}

void BM_SingleTaxableAccount(benchmark::State& state) {
  const optimize::Problem& problem = TaxableAlone();
  TimeSolves(state, "single", problem.num_lots(), [&] { return optimize::Solve(problem); });
}
BENCHMARK(BM_SingleTaxableAccount)->Unit(benchmark::kMillisecond);

// The same account by the interior-point method alone, the method the household solve uses.
void BM_SingleTaxableAccountInteriorPoint(benchmark::State& state) {
  const optimize::Problem& problem = TaxableAlone();
  optimize::SolverOptions options;
  options.method = optimize::SolverOptions::Method::kInteriorPoint;
  TimeSolves(state, "single, interior point", problem.num_lots(), [&] { return optimize::Solve(problem, options); });
}
BENCHMARK(BM_SingleTaxableAccountInteriorPoint)->Unit(benchmark::kMillisecond);

void BM_FourAccountHousehold(benchmark::State& state) {
  const optimize::HouseholdProblem& household = Household();
  int lots = 0;
  for (const optimize::HouseholdAccountInput& account : household.accounts) {
    lots += static_cast<int>(account.lots.size());
  }
  TimeSolves(state, "household", lots, [&] { return optimize::SolveHousehold(household); });
}
BENCHMARK(BM_FourAccountHousehold)->Unit(benchmark::kMillisecond);

// The household against the taxable account alone, solved by Solve() (the dual Newton method)
// and by the interior-point method the household solve shares: the second ratio is the cost of
// the household's structure, the first also that of the method.
void PrintRatio() {
  auto household = cpu_totals.find("household");
  if (household == cpu_totals.end()) return;
  const double household_ms = 1e3 * household->second.per_solve();
  std::printf("\nCPU ms per solve: 4-account household %.2f (%lld solves)\n", household_ms,
              static_cast<long long>(household->second.solves));
  for (const char* name : {"single", "single, interior point"}) {
    auto single = cpu_totals.find(name);
    if (single == cpu_totals.end()) continue;
    const double single_ms = 1e3 * single->second.per_solve();
    std::printf("  %-24s %.2f ms (%lld solves); household / single %.2f (target <= 4)\n", name, single_ms,
                static_cast<long long>(single->second.solves), household_ms / single_ms);
  }
}

}  // namespace
}  // namespace arbor

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  arbor::PrintRatio();
  return 0;
}
