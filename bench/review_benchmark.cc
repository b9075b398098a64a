// The daily review's throughput (issue 5): `arbor review` over every account of a database, a
// fresh run each repetition, timed end to end (context, data checks, proposals, writes).
// Prints each run and the median: accounts per second, per-account time at the median and the
// 99th percentile, and the peak resident memory of the process.
//
// Build a firm first, e.g. 10,000 accounts of 500-name direct indexes:
//   build/arbor demo --accounts 10000 --direct-index-share 1 --no-review --out review-10k.db
//   build/bench/review_benchmark --db review-10k.db [--threads 2] [--runs 3]
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "adapters/batch/review_runner.h"
#include "adapters/storage/review_store.h"
#include "adapters/storage/store.h"

namespace {

double PeakResidentMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::string db = "arbor-demo.db";
  int threads = 0, runs = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--db")) db = argv[i + 1];
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
  }
  std::vector<double> seconds, rates, p50, p99;
  for (int run = 0; run < runs; ++run) {
    arbor::ReviewRunOptions options{.threads = threads, .resume = false, .started_at = "bench"};
    auto outcome = arbor::RunDailyReview(db, options, nullptr);
    if (!outcome.ok()) {
      std::fprintf(stderr, "review_benchmark: %s\n", outcome.status().message().c_str());
      return 1;
    }
    auto store = arbor::Store::Open(db);
    auto totals = arbor::LoadReviewTotals((*store)->database(), outcome->run);
    if (!totals.ok()) {
      std::fprintf(stderr, "review_benchmark: %s\n", totals.status().message().c_str());
      return 1;
    }
    seconds.push_back(outcome->seconds);
    rates.push_back(outcome->reviewed / outcome->seconds);
    p50.push_back(totals->seconds_p50);
    p99.push_back(totals->seconds_p99);
    std::printf("run %d: %zu accounts in %.1f s (%.1f/s), per account %.1f ms median, %.1f ms p99,"
                " %lld trades, peak RSS %.0f MiB\n",
                run + 1, outcome->reviewed, outcome->seconds, rates.back(), 1e3 * p50.back(),
                1e3 * p99.back(), static_cast<long long>(totals->trades), PeakResidentMiB());
  }
  std::printf("median of %d runs: %.1f s, %.1f accounts/s, per account %.1f ms median, %.1f ms "
              "p99; peak RSS %.0f MiB\n",
              runs, Median(seconds), Median(rates), 1e3 * Median(p50), 1e3 * Median(p99),
              PeakResidentMiB());
  return 0;
}
