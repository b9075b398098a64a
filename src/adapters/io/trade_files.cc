#include "adapters/io/trade_files.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <system_error>
#include <utility>

#include "adapters/io/csv.h"

namespace arbor {
namespace {

using workbench::Block;
using workbench::ReleasedTrade;

Status WriteFile(const std::string& path, const std::function<void(std::ostream*)>& write) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return Status::FailedPrecondition("cannot write " + path);
  write(&file);
  file.close();
  if (!file) return Status::Internal("writing " + path + " failed");
  return Status::Ok();
}

}  // namespace

std::string BlockId(int64_t run, int64_t export_id, int number) {
  char n[16];
  std::snprintf(n, sizeof n, "%03d", number);
  return "R" + std::to_string(run) + "-X" + std::to_string(export_id) + "-" + n;
}

void WriteBlotterCsv(std::ostream* out, int64_t run, int64_t export_id,
                     std::span<const ReleasedTrade> trades, std::span<const Block> blocks) {
  std::map<std::pair<workbench::OrderSide, std::string>, int> block_of;
  for (const Block& b : blocks) block_of[{b.side, b.symbol}] = b.number;
  CsvWriter csv(out);
  csv.WriteRow({"run", "account", "trade", "symbol", "side", "shares", "est_price", "est_value",
                "est_cost", "lots", "reason", "block"});
  for (const ReleasedTrade& t : trades) {
    csv.WriteRow({std::to_string(run), t.account, std::to_string(t.position), t.symbol,
                  std::string(ToString(t.side)), t.shares.ToShortString(), t.price.ToShortString(),
                  t.amount.ToShortString(), t.cost.ToShortString(), workbench::FormatLots(t.lots),
                  t.reason, BlockId(run, export_id, block_of.at({t.side, t.symbol}))});
  }
}

void WriteBlocksCsv(std::ostream* out, int64_t run, int64_t export_id,
                    std::span<const Block> blocks) {
  CsvWriter csv(out);
  csv.WriteRow({"block", "symbol", "side", "block_shares", "block_est_price", "block_est_value",
                "block_accounts", "account", "shares", "est_value", "lots"});
  for (const Block& b : blocks) {
    const std::string id = BlockId(run, export_id, b.number);
    for (const workbench::Allocation& a : b.allocations) {
      csv.WriteRow({id, b.symbol, std::string(ToString(b.side)), b.shares.ToShortString(),
                    b.price.ToShortString(), b.amount.ToShortString(),
                    std::to_string(b.allocations.size()), a.account, a.shares.ToShortString(),
                    a.amount.ToShortString(), workbench::FormatLots(a.lots)});
    }
  }
}

Status WriteTradeFiles(const TradeFilePaths& paths, int64_t run, int64_t export_id,
                       std::span<const ReleasedTrade> trades, std::span<const Block> blocks) {
  if (paths.blotter.empty() || paths.blocks.empty() || paths.blotter == paths.blocks) {
    return Status::InvalidArgument("the blotter and the blocks need two different files");
  }
  const std::string blotter_tmp = paths.blotter + ".tmp";
  const std::string blocks_tmp = paths.blocks + ".tmp";
  Status status = WriteFile(blotter_tmp, [&](std::ostream* out) {
    WriteBlotterCsv(out, run, export_id, trades, blocks);
  });
  if (status.ok()) {
    status = WriteFile(blocks_tmp,
                       [&](std::ostream* out) { WriteBlocksCsv(out, run, export_id, blocks); });
  }
  std::error_code error;
  if (status.ok()) {
    std::filesystem::rename(blotter_tmp, paths.blotter, error);
    if (!error) std::filesystem::rename(blocks_tmp, paths.blocks, error);
    if (error) status = Status::Internal("moving the trade files into place: " + error.message());
  }
  std::filesystem::remove(blotter_tmp, error);
  std::filesystem::remove(blocks_tmp, error);
  return status;
}

}  // namespace arbor
