// Ledger replay throughput: 1,000,000 random events over 10,000 accounts (5,000 taxpayers, each
// with a taxable account and an IRA) and 500 securities. Each account trades a handful of names
// whose prices wander +-20%, so loss sales and re-purchases within 30 days (wash sales, across
// the taxable account and the IRA too) are frequent. Target: >= 1,000,000 events/s on one core.
//
// Reported: events/s for one Ledger over the interleaved stream and for FirmReplay (scope by
// scope); washed sales; open lots; heap bytes per open lot (glibc mallinfo2).
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <random>
#include <unordered_map>

#include "core/ledger/firm_replay.h"
#include "core/ledger/ledger.h"

namespace arbor {
namespace {

constexpr int kAccounts = 10'000;
constexpr int kSymbols = 500;
constexpr int kEvents = 1'000'000;

struct Workload {
  std::vector<Account> accounts;
  std::vector<Event> events;
};

const Workload& MakeWorkload() {
  static const Workload workload = [] {
    Workload w;
    std::mt19937_64 rng(42);
    for (int t = 0; t < kAccounts / 2; ++t) {
      std::string taxpayer = "T" + std::to_string(t);
      w.accounts.push_back({.id = "A" + std::to_string(2 * t), .taxpayers = {taxpayer}});
      w.accounts.push_back({.id = "A" + std::to_string(2 * t + 1),
                            .type = AccountType::kTraditionalIra, .taxpayers = {taxpayer}});
    }
    std::vector<std::string> symbols;
    std::vector<double> price(kSymbols);
    for (int s = 0; s < kSymbols; ++s) {
      symbols.push_back("S" + std::to_string(s));
      price[s] = 20 + rng() % 180;
    }
    std::unordered_map<uint64_t, Shares> held;  // (account, symbol) -> shares
    Date date = *Date::Parse("2015-01-02");
    const int events_per_day = 800;
    for (int i = 0; i < kEvents; ++i) {
      if (i % events_per_day == 0) {
        date = date.AddDays(1);
        for (double& p : price) p = std::clamp(p * (1 + std::normal_distribution<>(0, 0.02)(rng)), 5.0, 500.0);
      }
      int account = rng() % kAccounts;
      // Each taxpayer trades 8 names, shared by its two accounts: wash sales are frequent.
      int symbol = (account / 2 * 37 + static_cast<int>(rng() % 8)) % kSymbols;
      uint64_t key = static_cast<uint64_t>(account) << 32 | symbol;
      Price p = Price::FromDouble(std::round(price[symbol] * 100) / 100);
      Shares& h = held[key];
      int kind = rng() % 100;
      if (kind < 55 || !h.is_positive()) {
        Shares shares = Shares::FromMicros((1 + rng() % 100) * kMicrosPerUnit);
        w.events.push_back({.date = date, .account = w.accounts[account].id,
                            .action = EventAction::kBuy, .symbol = symbols[symbol],
                            .shares = shares, .price = p});
        h += shares;
      } else if (kind < 97) {
        Shares shares = std::min(h, Shares::FromMicros((1 + rng() % 120) * kMicrosPerUnit));
        LotMethod method = kind % 3 == 0 ? LotMethod::kHifo
                                         : (kind % 3 == 1 ? LotMethod::kFifo : LotMethod::kTaxOptimal);
        w.events.push_back({.date = date, .account = w.accounts[account].id,
                            .action = EventAction::kSell, .symbol = symbols[symbol],
                            .shares = shares, .price = p, .lot_method = method});
        h -= shares;
      } else {
        w.events.push_back({.date = date, .account = w.accounts[account].id,
                            .action = EventAction::kDividend, .symbol = symbols[symbol],
                            .amount = Money::Units(1 + rng() % 50)});
      }
    }
    return w;
  }();
  return workload;
}

void BM_LedgerReplay(benchmark::State& state) {
  const Workload& workload = MakeWorkload();
  size_t open_lots = 0, washed = 0;
  for (auto _ : state) {
    Ledger ledger;
    for (const Account& account : workload.accounts) {
      if (!ledger.AddAccount(account).ok()) state.SkipWithError("account");
    }
    for (const Event& event : workload.events) {
      Status status = ledger.Apply(event);
      if (!status.ok()) {
        state.SkipWithError(status.message().c_str());
        break;
      }
    }
    state.PauseTiming();
    open_lots = ledger.open_lot_count();
    washed = 0;
    for (const Realization& r : ledger.realized()) washed += r.wash_disallowed.is_positive();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * workload.events.size());
  state.counters["open_lots"] = open_lots;
  state.counters["washed_sales"] = washed;
}
BENCHMARK(BM_LedgerReplay)->Unit(benchmark::kMillisecond)->Iterations(3)->Repetitions(3)
    ->ReportAggregatesOnly(true);

// The same events through FirmReplay: partitioned by wash-sale scope (5,000 taxpayers), then
// replayed scope after scope, so each scope's lots stay in cache. Same results, by test.
void BM_FirmReplayByScope(benchmark::State& state) {
  const Workload& workload = MakeWorkload();
  for (auto _ : state) {
    Result<FirmReplay> firm = FirmReplay::Run(workload.accounts, {}, workload.events);
    if (!firm.ok()) state.SkipWithError(firm.status().message().c_str());
    benchmark::DoNotOptimize(firm);
  }
  state.SetItemsProcessed(state.iterations() * workload.events.size());
}
BENCHMARK(BM_FirmReplayByScope)->Unit(benchmark::kMillisecond)->Iterations(3)->Repetitions(3)
    ->ReportAggregatesOnly(true);

// Heap per open lot: only the buys of the workload (no realized history in the figure).
void BM_OpenLotMemory(benchmark::State& state) {
  const Workload& workload = MakeWorkload();
  double bytes_per_lot = 0;
  for (auto _ : state) {
    size_t heap_before = mallinfo2().uordblks;
    Ledger ledger;
    for (const Account& account : workload.accounts) (void)ledger.AddAccount(account);
    for (const Event& event : workload.events) {
      if (event.action == EventAction::kBuy) (void)ledger.Apply(event);
    }
    bytes_per_lot = static_cast<double>(mallinfo2().uordblks - heap_before) /
                    ledger.open_lot_count();
    state.counters["open_lots"] = ledger.open_lot_count();
  }
  state.counters["heap_bytes_per_open_lot"] = bytes_per_lot;
  state.counters["sizeof_Lot"] = sizeof(Lot);
}
BENCHMARK(BM_OpenLotMemory)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace arbor

BENCHMARK_MAIN();
