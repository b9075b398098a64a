// Import throughput on real SQLite files: a million opening lots (target: under 10 s on two
// cores) and every AlphaVantage daily file of the S&P 500 set (1.7 million prices).
//
//   build/src/adapters/storage/arbor_storage_benchmark --benchmark_filter=Lots
//
// Each iteration imports into a fresh database in a scratch directory; generating the input
// and creating the database are not timed.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "adapters/io/market_data.h"
#include "adapters/storage/store.h"

namespace arbor {
namespace {

const std::filesystem::path& ScratchDir() {
  static const std::filesystem::path dir = [] {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("arbor_storage_benchmark_" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    return path;
  }();
  return dir;
}

std::string WriteFile(const std::string& name, const std::string& text) {
  std::string path = (ScratchDir() / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::unique_ptr<Store> FreshStore(benchmark::State& state, const std::string& name) {
  std::string path = (ScratchDir() / name).string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  Result<std::unique_ptr<Store>> store = Store::Open(path);
  if (!store.ok()) {
    state.SkipWithError(store.status().message().c_str());
    return nullptr;
  }
  return std::move(store).value();
}

// 500 symbols, `lots / 100` accounts (pairs of them share a taxpayer), 100 lots each.
struct LotFiles {
  std::string securities, accounts, lots;
};

const LotFiles& LotInput(int64_t lots) {
  static std::map<int64_t, LotFiles> cache;
  auto it = cache.find(lots);
  if (it != cache.end()) return it->second;
  LotFiles files;
  std::string securities = "symbol,name\n";
  std::vector<std::string> symbols;
  for (int i = 0; i < 500; ++i) {
    std::string symbol = "S";
    for (int n = i; n > 0 || symbol.size() == 1; n /= 26) symbol += static_cast<char>('A' + n % 26);
    symbols.push_back(symbol);
    securities += symbol + ",Security " + std::to_string(i) + "\n";
  }
  const int64_t account_count = std::max<int64_t>(1, lots / 100);
  std::string accounts = "id,type,taxpayers\n";
  for (int64_t a = 0; a < account_count; ++a) {
    accounts += "ACC" + std::to_string(a) + (a % 3 == 2 ? ",roth_ira,T" : ",taxable,T") +
                std::to_string(a / 2) + "\n";
  }
  std::mt19937_64 rng(42);
  std::string text = "account,symbol,lot_id,shares,basis,acquired\n";
  text.reserve(static_cast<size_t>(lots) * 48);
  for (int64_t i = 0; i < lots; ++i) {
    int64_t account = i % account_count;
    const std::string& symbol = symbols[rng() % symbols.size()];
    int year = 2000 + static_cast<int>(rng() % 24);
    int month = 1 + static_cast<int>(rng() % 12);
    int day = 1 + static_cast<int>(rng() % 28);
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
    text += "ACC" + std::to_string(account) + "," + symbol + ",L" + std::to_string(i) + "," +
            std::to_string(1 + rng() % 500) + "." + std::to_string(rng() % 1000) + "," +
            std::to_string(10 + rng() % 50000) + ".25," + date + "\n";
  }
  files.securities = WriteFile("bench_securities.csv", securities);
  files.accounts = WriteFile("bench_accounts.csv", accounts);
  files.lots = WriteFile("bench_lots_" + std::to_string(lots) + ".csv", text);
  return cache.emplace(lots, files).first->second;
}

void BM_ImportLots(benchmark::State& state) {
  const LotFiles& files = LotInput(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<Store> store = FreshStore(state, "lots.db");
    if (store == nullptr) return;
    if (!store->ImportSecurities({files.securities}).ok() ||
        !store->ImportAccounts({files.accounts}).ok()) {
      state.SkipWithError("setup failed");
      return;
    }
    state.ResumeTiming();
    Result<ImportSummary> summary = store->ImportLots({files.lots});
    if (!summary.ok()) {
      state.SkipWithError(summary.status().message().c_str());
      return;
    }
    state.counters["inserted"] = static_cast<double>(summary->inserted);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ImportLots)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

// Re-importing the same million lots: every row is compared, nothing is written.
void BM_ReimportLots(benchmark::State& state) {
  const LotFiles& files = LotInput(state.range(0));
  std::unique_ptr<Store> store = FreshStore(state, "relots.db");
  if (store == nullptr) return;
  if (!store->ImportSecurities({files.securities}).ok() ||
      !store->ImportAccounts({files.accounts}).ok() || !store->ImportLots({files.lots}).ok()) {
    state.SkipWithError("setup failed");
    return;
  }
  for (auto _ : state) {
    Result<ImportSummary> summary = store->ImportLots({files.lots});
    if (!summary.ok()) state.SkipWithError(summary.status().message().c_str());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ReimportLots)->Arg(1'000'000)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

void BM_ImportAlphaVantageUniverse(benchmark::State& state) {
  const std::string data = ARBOR_SHARED_DATA_DIR;
  Result<std::vector<std::string>> symbols = ListAlphaVantageSymbols(data);
  if (!symbols.ok()) {
    state.SkipWithError(symbols.status().message().c_str());
    return;
  }
  std::vector<std::string> files;
  for (const std::string& symbol : *symbols) files.push_back(AlphaVantageDailyPath(data, symbol));
  // The security master of the data set, plus any symbol it leaves out (VAR, acquired days
  // before the April-2021 list).
  Result<SecurityMaster> master = LoadSp500SecurityMaster(data);
  if (!master.ok()) {
    state.SkipWithError(master.status().message().c_str());
    return;
  }
  for (const std::string& symbol : *symbols) {
    if (!master->Contains(symbol)) (void)master->Add({.symbol = symbol});
  }
  size_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<Store> store = FreshStore(state, "prices.db");
    if (store == nullptr) return;
    Status put = store->PutSecurities(*master);
    if (!put.ok()) {
      state.SkipWithError(put.message().c_str());
      return;
    }
    state.ResumeTiming();
    Result<ImportSummary> summary = store->ImportPrices(files);
    if (!summary.ok()) {
      state.SkipWithError(summary.status().message().c_str());
      return;
    }
    rows = summary->inserted;
    state.counters["files"] = static_cast<double>(files.size());
    state.counters["prices"] = static_cast<double>(summary->inserted);
    state.counters["actions"] = static_cast<double>(summary->corporate_actions_inserted);
  }
  state.SetItemsProcessed(static_cast<int64_t>(rows) * state.iterations());
}
BENCHMARK(BM_ImportAlphaVantageUniverse)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace
}  // namespace arbor

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::filesystem::remove_all(arbor::ScratchDir());
  return 0;
}
