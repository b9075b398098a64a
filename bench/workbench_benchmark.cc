// Workbench queries over a large review run (adapters/storage/workbench_store.h): 100,000
// review_results rows in a SQLite file, with metric distributions like a firm's daily review
// (most proposals small, a long tail of scores, turnover and harvests; the flags raised at the
// review's default thresholds). The target: a query over 100,000 proposals in under
// 100 ms.
//
// Each iteration is what `arbor workbench query` does: load the run, parse and type-check the
// filter, turn it into SQL and read the shown fields of every matching row (the table's key
// metrics, or every field), sorted. The file is on disk and warm in the page cache, as on a
// trader's machine after the review has written it.
//
// Medians of three runs of 5 repetitions, on this 2-core machine while other builds ran
// (load average 6-7, so each query had about half a core; the CPU column is closer to what an
// idle machine gives), 100,000 rows, most of the time inside SQLite decoding rows:
//   score threshold, 4 conditions, 5,654 rows, key fields     84 ms wall   56 ms CPU
//   outliers, 5 conditions (a flag), 3,870 rows, key fields   86 ms wall   57 ms CPU
//   harvest, 3 conditions (a flag), 5,315 rows, key fields    86 ms wall   57 ms CPU
//   score threshold, every field (the CSV/JSON export)       109 ms wall   72 ms CPU
// The same query through `arbor workbench query ... --limit 20` (a new process, opening the
// file) took 70-130 ms wall. No index is needed: filters are arbitrary, and a full scan of the
// run's rows costs about 15 ms of the above.
//
// Run: build/bench/workbench_benchmark --benchmark_repetitions=5
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <random>

#include "adapters/storage/store.h"
#include "adapters/storage/workbench_store.h"
#include "adapters/storage/workbench_test_util.h"

namespace arbor {
namespace {

constexpr int kAccounts = 100'000;
constexpr int kAdvisors = 300;

testing_util::ReviewResultRow RandomResult(int i, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  std::lognormal_distribution<double> value(std::log(400'000.0), 1.1);  // median $400k
  std::exponential_distribution<double> score(1 / 12.0);                // mean 12 bps
  std::gamma_distribution<double> drift(2.0, 0.01);                     // mean 2 points
  std::lognormal_distribution<double> harvest(std::log(2'000.0), 1.3);
  std::poisson_distribution<int> trades(18);

  char id[16];
  std::snprintf(id, sizeof id, "C%06d", i);
  testing_util::ReviewResultRow r{.account = id};
  r.household = "H" + std::to_string(i / 2);
  r.advisor = "ADV" + std::to_string(i % kAdvisors);
  const double type = u(rng);
  r.account_type = type < 0.55 ? "taxable" : type < 0.85 ? "ira" : "roth";
  r.market_value = std::clamp(value(rng), 50'000.0, 20'000'000.0);
  r.cash_before = r.market_value * 0.02 * u(rng);
  r.seconds = 0.02 + 0.05 * u(rng);
  const double outcome = u(rng);
  if (outcome < 0.03) {  // data checks failed
    r.outcome = "suspended";
    r.status = "suspended";
    r.reasons = "stale price";
    return r;
  }
  if (outcome < 0.035) {
    r.outcome = "failed";
    r.reasons = "solver: did not converge";
    return r;
  }
  r.drift_max = drift(rng);
  if (outcome < 0.28) {  // nothing worth trading
    r.outcome = "no_trade";
    r.cash_after = r.cash_before;
    return r;
  }
  r.warnings = u(rng) < 0.02 ? 1 : 0;
  r.trades_count = std::max(1, trades(rng));
  const double traded = r.market_value * std::min(0.6, 0.03 * std::exp(1.2 * (u(rng) * 3 - 1)));
  r.buy_usd = traded * (0.4 + 0.2 * u(rng));
  r.sell_usd = traded - r.buy_usd;
  r.turnover = std::max(r.buy_usd, r.sell_usd) / r.market_value;
  r.score_bps = score(rng) - 3;
  r.score_usd = r.score_bps * r.market_value / 1e4;
  r.harvest_usd = r.account_type == "taxable" && u(rng) < 0.35 ? harvest(rng) : 0;
  r.gains_usd = r.account_type == "taxable" ? r.sell_usd * 0.1 * u(rng) : 0;
  r.tax_usd = 0.238 * (r.gains_usd - r.harvest_usd);
  r.tracking_error_before = 0.002 + 0.02 * u(rng);
  r.tracking_error_after = r.tracking_error_before * (0.3 + 0.5 * u(rng));
  r.drift_max_after = r.drift_max * 0.2;
  r.cash_after = r.cash_before + r.sell_usd - r.buy_usd;
  const bool withdrawal = u(rng) < 0.03, restriction = u(rng) < 0.02;
  if (withdrawal) r.withdrawal_usd = 5'000;
  r.cash_required = r.withdrawal_usd;
  r.must_trade = withdrawal || restriction;
  // In the order review_summary.cc raises them, at its default thresholds.
  auto flag = [&](bool raised, const char* word) {
    if (raised) r.flags += (r.flags.empty() ? "" : ",") + std::string(word);
  };
  flag(r.must_trade, "must_trade");
  flag(withdrawal, "withdrawal");
  flag(restriction, "new_restriction");
  flag(u(rng) < 0.05, "model_change");
  flag(r.drift_max >= 0.03, "drift");
  flag(r.harvest_usd >= 1000, "harvest");
  flag(r.turnover >= 0.15, "high_turnover");
  flag(r.market_value >= 5e6, "large_account");
  return r;
}

// The review run, written once per process into a scratch file.
class Firm {
 public:
  Firm()
      : path_(std::filesystem::temp_directory_path() /
              ("arbor_workbench_bench_" + std::to_string(::getpid()) + ".db")) {
    store_ = std::move(Store::Open(path_.string())).value();
    std::mt19937_64 rng(20240628);
    std::vector<testing_util::ReviewResultRow> rows;
    rows.reserve(kAccounts);
    for (int i = 0; i < kAccounts; ++i) rows.push_back(RandomResult(i, rng));
    const Status put = testing_util::PutReviewRun(store_->database(), {.id = 1}, rows);
    if (!put.ok()) std::abort();
  }
  ~Firm() {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }
  Database* db() { return store_->database(); }

 private:
  std::filesystem::path path_;
  std::unique_ptr<Store> store_;
};

// Built by the first benchmark that runs; the file goes when the process exits.
Firm& TheFirm() {
  static Firm firm;
  return firm;
}

// What `arbor workbench query` shows in its table: the key metrics, sort field included.
const std::vector<std::string> kShown = {
    "account",  "advisor",   "account_type", "outcome", "status",      "market_value", "trades",
    "turnover", "score_bps", "score_usd",    "tax_usd", "harvest_usd", "drift_max",    "flags"};

// fields: the columns read for each matching row; empty is all 41 (a CSV or JSON export).
void RunQuery(benchmark::State& state, const std::string& filter, const std::string& sort,
              const std::vector<std::string>& fields) {
  Database* db = TheFirm().db();
  int64_t matched = 0;
  for (auto _ : state) {
    Result<ReviewQueryResult> r = QueryReview(
        db, {.selection = {.filter = filter}, .sort = sort, .descending = true, .fields = fields});
    if (!r.ok()) {
      state.SkipWithError(r.status().message().c_str());
      return;
    }
    matched = r->matched;
    benchmark::DoNotOptimize(r->rows.data());
  }
  state.counters["rows"] = static_cast<double>(kAccounts);
  state.counters["matched"] = static_cast<double>(matched);
}

// Step 3 of the daily workflow: approve by score threshold. Four conditions.
constexpr char kScoreThreshold[] =
    "not suspended and score_bps >= 25 and turnover < 0.15 and "
    "account_type in ('taxable', 'ira')";
// Outliers by a flag word and metrics. Five conditions.
constexpr char kOutliers[] =
    "outcome = 'proposed' and not must_trade and (high_turnover or drift_max > 0.05) and "
    "tracking_error_after > 0.005";
// Harvests: a flag, an exclusion, a dollar amount.
constexpr char kHarvest[] = "harvest and not suspended and tax_usd < -500";

void BM_QueryScoreThreshold(benchmark::State& state) {
  RunQuery(state, kScoreThreshold, "score_bps", kShown);
}
void BM_QueryOutliers(benchmark::State& state) { RunQuery(state, kOutliers, "turnover", kShown); }
void BM_QueryHarvest(benchmark::State& state) { RunQuery(state, kHarvest, "harvest_usd", kShown); }
void BM_QueryScoreThresholdAllFields(benchmark::State& state) {
  RunQuery(state, kScoreThreshold, "score_bps", {});
}
BENCHMARK(BM_QueryScoreThreshold)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueryOutliers)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueryHarvest)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueryScoreThresholdAllFields)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace arbor

BENCHMARK_MAIN();
