// Optimizer throughput: Solve() on BenchmarkAccount (500 securities, K = 20 factors, groups,
// weight bounds, must-sell, unsellable and no-buy names, cash minimum, tax budget) with 5, 20 and
// 50 lots per security (2,500 / 10,000 / 25,000 lots), and the identical problem solved by Clp's
// QP barrier on the dense formulation (clp_qp_baseline.h).
//
// Reported per solve: time, iterations, and the peak of heap bytes in use during the solve
// above what was in use before it. After the runs, a table compares the two solvers: CPU time
// ratio, both objectives and their relative difference, and what Clp said about its point.
//
// Run: build/bench/optimize_benchmark  (Clp's 25,000-lot solve alone takes ~30 s; add
// --benchmark_filter=BM_Solve to time ours only).
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <string>

#include "clp_qp_baseline.h"
#include "core/optimize/solver.h"
#include "core/optimize/testing/random_problem.h"

// Heap accounting. Eigen, Clp and libstdc++ all allocate through malloc (Eigen never calls
// operator new for its dense storage), so counting operator new would miss most of the bytes:
// this binary replaces malloc and friends instead, delegating to glibc's own allocator (glibc
// documents this as "Replacing malloc") and keeping a running total and high-water mark.
namespace {

std::atomic<size_t> heap_in_use{0};
std::atomic<size_t> heap_peak{0};

void CountAllocation(void* block) {
  if (block == nullptr) return;
  const size_t now = heap_in_use.fetch_add(malloc_usable_size(block), std::memory_order_relaxed) +
                     malloc_usable_size(block);
  size_t peak = heap_peak.load(std::memory_order_relaxed);
  while (now > peak && !heap_peak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

void CountRelease(void* block) {
  if (block != nullptr) heap_in_use.fetch_sub(malloc_usable_size(block), std::memory_order_relaxed);
}

// Starts a new high-water mark at the current use and returns that use.
size_t RestartHeapPeak() {
  const size_t now = heap_in_use.load(std::memory_order_relaxed);
  heap_peak.store(now, std::memory_order_relaxed);
  return now;
}

}  // namespace

extern "C" {
void* __libc_malloc(size_t size) noexcept;
void* __libc_calloc(size_t count, size_t size) noexcept;
void* __libc_realloc(void* block, size_t size) noexcept;
void* __libc_memalign(size_t alignment, size_t size) noexcept;
void* __libc_valloc(size_t size) noexcept;
void* __libc_pvalloc(size_t size) noexcept;
void __libc_free(void* block) noexcept;

void* malloc(size_t size) noexcept {
  void* block = __libc_malloc(size);
  CountAllocation(block);
  return block;
}
void* calloc(size_t count, size_t size) noexcept {
  void* block = __libc_calloc(count, size);
  CountAllocation(block);
  return block;
}
void* realloc(void* block, size_t size) noexcept {
  const size_t before = block != nullptr ? malloc_usable_size(block) : 0;
  void* moved = __libc_realloc(block, size);
  if (moved != nullptr || size == 0) {
    heap_in_use.fetch_sub(before, std::memory_order_relaxed);
    CountAllocation(moved);
  }
  return moved;
}
void* memalign(size_t alignment, size_t size) noexcept {
  void* block = __libc_memalign(alignment, size);
  CountAllocation(block);
  return block;
}
void* aligned_alloc(size_t alignment, size_t size) noexcept { return memalign(alignment, size); }
int posix_memalign(void** result, size_t alignment, size_t size) noexcept {
  void* block = memalign(alignment, size);
  if (block == nullptr) return ENOMEM;
  *result = block;
  return 0;
}
void* valloc(size_t size) noexcept {
  void* block = __libc_valloc(size);
  CountAllocation(block);
  return block;
}
void* pvalloc(size_t size) noexcept {
  void* block = __libc_pvalloc(size);
  CountAllocation(block);
  return block;
}
void free(void* block) noexcept {
  CountRelease(block);
  __libc_free(block);
}
}  // extern "C"

namespace arbor {
namespace {

// Process CPU time: the machine's cores are shared, so wall time says more about the neighbours
// than about the solvers (both are single-threaded).
double CpuSeconds() {
  timespec now;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

const optimize::Problem& Account(int lots_per_security) {
  static std::map<int, optimize::Problem> accounts;
  auto [it, inserted] = accounts.try_emplace(lots_per_security);
  if (inserted) {
    it->second = optimize::testing::BenchmarkAccount(500, 20, lots_per_security, /*seed=*/1);
  }
  return it->second;
}

// One solver's last run on one account, for the comparison table.
struct Run {
  double cpu_seconds_per_solve = 0;
  double objective = 0;
  double max_violation = 0;  // dollars
  int iterations = 0;
  std::string status;
};
std::map<int, Run> ours, clp;

void SetCounters(benchmark::State& state, const Run& run, size_t peak_bytes) {
  state.counters["iterations"] = run.iterations;
  state.counters["peak_heap"] = benchmark::Counter(
      static_cast<double>(peak_bytes), benchmark::Counter::kDefaults, benchmark::Counter::kIs1024);
  state.counters["lots"] = Account(static_cast<int>(state.range(0))).num_lots();
}

void BM_Solve(benchmark::State& state) {
  const optimize::Problem& problem = Account(static_cast<int>(state.range(0)));
  Run run;
  size_t peak_bytes = 0;
  double cpu_seconds = 0;
  for (auto _ : state) {
    const size_t before = RestartHeapPeak();
    const double start = CpuSeconds();
    Result<optimize::Solution> solution = optimize::Solve(problem);
    cpu_seconds += CpuSeconds() - start;
    peak_bytes = std::max(peak_bytes, heap_peak.load() - before);
    if (!solution.ok()) {
      state.SkipWithError(solution.status().message().c_str());
      return;
    }
    run.objective = solution->objective();
    run.max_violation = solution->evaluation.max_violation_dollars;
    run.iterations = solution->summary.iterations;
    run.status = optimize::NameOf(solution->summary.status);
  }
  run.cpu_seconds_per_solve = cpu_seconds / static_cast<double>(state.iterations());
  ours[static_cast<int>(state.range(0))] = run;
  SetCounters(state, run, peak_bytes);
}
BENCHMARK(BM_Solve)->Arg(5)->Arg(20)->Arg(50)->Unit(benchmark::kMillisecond);

void BM_ClpQpBarrier(benchmark::State& state) {
  const optimize::Problem& problem = Account(static_cast<int>(state.range(0)));
  Run run;
  size_t peak_bytes = 0;
  for (auto _ : state) {
    const size_t before = RestartHeapPeak();
    const double start = CpuSeconds();
    const optimize::testing::DenseQpSolution solution = bench::SolveWithClpBarrier(problem);
    run.cpu_seconds_per_solve = CpuSeconds() - start;
    peak_bytes = heap_peak.load() - before;
    run.objective = solution.objective;
    run.max_violation = solution.max_violation;
    run.iterations = solution.iterations;
    run.status = solution.status;
  }
  clp[static_cast<int>(state.range(0))] = run;
  SetCounters(state, run, peak_bytes);
}
// One solve each: Clp takes seconds to minutes here.
BENCHMARK(BM_ClpQpBarrier)->Arg(5)->Arg(20)->Arg(50)->Unit(benchmark::kMillisecond)->Iterations(1);

void PrintComparison() {
  std::printf("\n%6s  %10s  %10s  %8s  %18s  %18s  %9s  %s\n", "lots", "ours CPU s", "Clp CPU s",
              "Clp/ours", "our objective", "Clp objective", "rel diff",
              "Clp status (its point's violation)");
  for (const auto& [lots_per_security, our_run] : ours) {
    auto theirs = clp.find(lots_per_security);
    if (theirs == clp.end()) continue;
    const Run& clp_run = theirs->second;
    const double relative =
        (clp_run.objective - our_run.objective) / std::max(1.0, std::abs(our_run.objective));
    std::printf("%6d  %10.4f  %10.3f  %8.0f  %18.6f  %18.6f  %9.2e  %s ($%.3g)\n",
                Account(lots_per_security).num_lots(), our_run.cpu_seconds_per_solve,
                clp_run.cpu_seconds_per_solve,
                clp_run.cpu_seconds_per_solve / our_run.cpu_seconds_per_solve, our_run.objective,
                clp_run.objective, relative, clp_run.status.c_str(), clp_run.max_violation);
  }
}

}  // namespace
}  // namespace arbor

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  arbor::PrintComparison();
  return 0;
}
