// CSV reading throughput: the size of the price universe in ../shared/data (1.7M rows of 7
// fields, as AlphaVantage's daily files), read from memory so that only parsing is timed.
// Reports rows and bytes per second. Run: build/bench/csv_benchmark
#include <benchmark/benchmark.h>

#include <optional>
#include <string>

#include "adapters/io/csv.h"

namespace {

std::string PriceRows(int rows) {
  std::string text = "timestamp,open,close,adjusted_close,volume,dividend_amount,split_coefficient\n";
  const std::string row = "2014-06-09,92.7,93.7,21.1085754941,75414997,0.0,1.0\n";
  text.reserve(text.size() + rows * row.size());
  for (int i = 0; i < rows; ++i) text += row;
  return text;
}

void BM_ReadPriceRows(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  const std::string text = PriceRows(rows);
  for (auto _ : state) {
    state.PauseTiming();
    arbor::Result<arbor::CsvReader> reader = arbor::CsvReader::FromString(std::string(text));
    state.ResumeTiming();
    const std::optional<size_t> close = reader->ColumnIndex("close");
    arbor::CsvRow row;
    size_t bytes = 0;
    while (reader->Next(&row)) bytes += row[*close].size();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_ReadPriceRows)->Arg(1'700'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
