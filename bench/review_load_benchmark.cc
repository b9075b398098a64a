// The daily review's load path alone (issue 5): each account's snapshot (its taxpayers' whole
// history read and replayed) and its rebalance input, as `arbor review` loads them, without the
// optimizer, on one thread. Prints the accounts per second, the median and 99th-percentile time
// per account, split into snapshot and input, and the events replayed per account.
//
// The snapshots come from the scopes' ledger checkpoints when the database has valid ones
// (`arbor ledger checkpoint`, docs/review.md); --verify then also replays each scope's whole
// history and checks that the two ledgers are identical, field for field.
//
//   build/arbor demo --accounts 1000 --direct-index-share 1 --no-review --out review-1k.db
//   build/bench/review_load_benchmark --db review-1k.db [--accounts 200] [--runs 3] [--verify 1]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "adapters/storage/ledger_checkpoint_store.h"
#include "adapters/storage/ledger_loader.h"
#include "adapters/storage/rebalance_context.h"
#include "adapters/storage/rebalance_input_loader.h"
#include "adapters/storage/store.h"

namespace {

double Percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(fraction * static_cast<double>(values.size() - 1))];
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Accounts whose scope's ledger, loaded as the review loads it, differs from the full replay.
size_t Mismatches(arbor::Store& store, const arbor::RebalanceContext& context,
                  const std::vector<arbor::Account>& accounts, size_t* from_checkpoint) {
  size_t mismatches = 0;
  for (const arbor::Account& account : accounts) {
    const std::vector<arbor::Account> scope = context.ScopeOf(account.id);
    arbor::ScopeLedgerLoad how;
    auto loaded = arbor::LoadScopeLedger(store, scope, context.as_of(), &how);
    auto input = store.LoadScopeLedgerInput(scope, context.as_of());
    auto full = input.ok() ? arbor::BuildLedger(*input) : input.status();
    *from_checkpoint += how.from_checkpoint;
    if (!loaded.ok() || !full.ok() || !(loaded->SaveState() == full->SaveState())) {
      std::fprintf(stderr, "review_load_benchmark: %s: the loaded ledger differs\n",
                   account.id.c_str());
      ++mismatches;
    }
  }
  return mismatches;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db = "arbor-demo.db";
  size_t limit = 0;
  int runs = 3;
  bool verify = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--db")) db = argv[i + 1];
    if (!std::strcmp(argv[i], "--accounts")) limit = std::strtoul(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--verify")) verify = std::atoi(argv[i + 1]) != 0;
  }
  auto store = arbor::Store::Open(db);
  if (!store.ok()) {
    std::fprintf(stderr, "review_load_benchmark: %s\n", store.status().message().c_str());
    return 1;
  }
  auto context = arbor::RebalanceContext::Load(**store, std::nullopt);
  if (!context.ok()) {
    std::fprintf(stderr, "review_load_benchmark: %s\n", context.status().message().c_str());
    return 1;
  }
  std::vector<arbor::Account> accounts = (*context)->accounts();
  if (limit != 0 && limit < accounts.size()) accounts.resize(limit);
  if (verify) {
    size_t from_checkpoint = 0;
    const size_t mismatches = Mismatches(**store, **context, accounts, &from_checkpoint);
    std::printf("verified %zu accounts as of %s (%zu from a checkpoint): %zu differ\n",
                accounts.size(), (*context)->as_of().ToString().c_str(), from_checkpoint,
                mismatches);
    if (mismatches != 0) return 1;
  }
  std::vector<double> rates;
  for (int run = 0; run < runs; ++run) {
    std::vector<double> snapshot_seconds, input_seconds, total_seconds;
    size_t failed = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const arbor::Account& account : accounts) {
      const auto begin = std::chrono::steady_clock::now();
      auto snapshot = arbor::LoadAccountSnapshot(**store, **context, account.id);
      snapshot_seconds.push_back(SecondsSince(begin));
      const auto middle = std::chrono::steady_clock::now();
      if (snapshot.ok()) {
        failed += !arbor::BuildRebalanceInput(**store, **context, std::move(snapshot).value()).ok();
      } else {
        ++failed;
      }
      input_seconds.push_back(SecondsSince(middle));
      total_seconds.push_back(SecondsSince(begin));
    }
    const double seconds = SecondsSince(start);
    rates.push_back(static_cast<double>(accounts.size()) / seconds);
    std::printf(
        "run %d: %zu accounts (%zu failed) in %.1f s (%.1f/s), per account %.1f ms median "
        "(snapshot %.1f, input %.1f), %.1f ms p99\n",
        run + 1, accounts.size(), failed, seconds, rates.back(),
        1e3 * Percentile(total_seconds, 0.5), 1e3 * Percentile(snapshot_seconds, 0.5),
        1e3 * Percentile(input_seconds, 0.5), 1e3 * Percentile(total_seconds, 0.99));
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("median of %d runs: %.1f accounts/s on one thread; peak RSS %.0f MiB\n", runs,
              Percentile(rates, 0.5), usage.ru_maxrss / 1024.0);
  return 0;
}
