// The trade files the rebalancing group sends to the trading desk for released proposals
// (docs/workbench.md, "Trade files"): a blotter with one row per account trade, and the block
// orders, one per security and side, with one row per account allocation.
//
//   ARBOR_RETURN_IF_ERROR(WriteTradeFiles({.blotter = "blotter.csv", .blocks = "blocks.csv"},
//                                         run, export_id, trades, blocks));
//
// Every quantity is exact (shares, prices and dollars to the millionth, trailing zeros
// dropped), so a block's allocations add up to its totals and the blotter to both.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>

#include "core/base/status.h"
#include "core/workbench/trade_blocks.h"

namespace arbor {

// "R<run>-X<export>-<n>", n three digits or more: unique across runs and exports.
std::string BlockId(int64_t run, int64_t export_id, int number);

void WriteBlotterCsv(std::ostream* out, int64_t run, int64_t export_id,
                     std::span<const workbench::ReleasedTrade> trades,
                     std::span<const workbench::Block> blocks);
void WriteBlocksCsv(std::ostream* out, int64_t run, int64_t export_id,
                    std::span<const workbench::Block> blocks);

struct TradeFilePaths {
  std::string blotter;
  std::string blocks;
};

// Writes both files beside their paths and renames them into place only when both are
// written, so a failed write never leaves one new file next to an old other.
Status WriteTradeFiles(const TradeFilePaths& paths, int64_t run, int64_t export_id,
                       std::span<const workbench::ReleasedTrade> trades,
                       std::span<const workbench::Block> blocks);

}  // namespace arbor
