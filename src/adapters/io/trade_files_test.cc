#include "adapters/io/trade_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace arbor {
namespace {

using workbench::OrderSide;
using workbench::ReleasedTrade;

std::vector<ReleasedTrade> Trades() {
  auto trade = [](std::string account, int position, std::string symbol, OrderSide side,
                  const char* shares, const char* price, std::vector<workbench::LotShares> lots) {
    ReleasedTrade t{.account = std::move(account),
                    .position = position,
                    .symbol = std::move(symbol),
                    .side = side,
                    .shares = *Shares::Parse(shares),
                    .price = *Price::Parse(price),
                    .cost = *Money::Parse("0.05"),
                    .reason = "harvest",
                    .lots = std::move(lots)};
    t.amount = Value(t.shares, t.price);
    return t;
  };
  return {trade("A1", 0, "AAPL", OrderSide::kSell, "10", "150.25",
                {{"L1", Shares::Units(4)}, {"L2", Shares::Units(6)}}),
          trade("A1", 1, "MSFT", OrderSide::kBuy, "2.5", "300.1", {}),
          trade("A2, Jr", 0, "AAPL", OrderSide::kSell, "0.333333", "150.25",
                {{"L9", *Shares::Parse("0.333333")}})};
}

TEST(TradeFilesTest, BlotterAndBlocksAreExactAndCrossReferenced) {
  const std::vector<ReleasedTrade> trades = Trades();
  const std::vector<workbench::Block> blocks = *workbench::BuildBlocks(trades);
  std::ostringstream blotter, block_file;
  WriteBlotterCsv(&blotter, 7, 12, trades, blocks);
  WriteBlocksCsv(&block_file, 7, 12, blocks);
  EXPECT_EQ(blotter.str(),
            "run,account,trade,symbol,side,shares,est_price,est_value,est_cost,lots,reason,block\n"
            "7,A1,0,AAPL,sell,10,150.25,1502.5,0.05,L1:4;L2:6,harvest,R7-X12-001\n"
            "7,A1,1,MSFT,buy,2.5,300.1,750.25,0.05,,harvest,R7-X12-002\n"
            "7,\"A2, Jr\",0,AAPL,sell,0.333333,150.25,50.083283,0.05,L9:0.333333,harvest,"
            "R7-X12-001\n");
  EXPECT_EQ(block_file.str(),
            "block,symbol,side,block_shares,block_est_price,block_est_value,block_accounts,"
            "account,shares,est_value,lots\n"
            "R7-X12-001,AAPL,sell,10.333333,150.25,1552.583283,2,A1,10,1502.5,L1:4;L2:6\n"
            "R7-X12-001,AAPL,sell,10.333333,150.25,1552.583283,2,\"A2, Jr\",0.333333,50.083283,"
            "L9:0.333333\n"
            "R7-X12-002,MSFT,buy,2.5,300.1,750.25,1,A1,2.5,750.25,\n");
}

TEST(TradeFilesTest, WritesBothFilesOrNeither) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("trade_files_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::vector<ReleasedTrade> trades = Trades();
  const std::vector<workbench::Block> blocks = *workbench::BuildBlocks(trades);
  const TradeFilePaths good{(dir / "blotter.csv").string(), (dir / "blocks.csv").string()};
  ASSERT_TRUE(WriteTradeFiles(good, 7, 12, trades, blocks).ok());
  EXPECT_TRUE(std::filesystem::exists(good.blotter));
  EXPECT_TRUE(std::filesystem::exists(good.blocks));

  const TradeFilePaths bad{(dir / "new-blotter.csv").string(),
                           (dir / "no/such/blocks.csv").string()};
  const Status status = WriteTradeFiles(bad, 7, 12, trades, blocks);
  EXPECT_EQ(status.message(), "cannot write " + bad.blocks + ".tmp");
  EXPECT_FALSE(std::filesystem::exists(bad.blotter));
  EXPECT_FALSE(std::filesystem::exists(bad.blotter + ".tmp"));
  EXPECT_FALSE(WriteTradeFiles({good.blotter, good.blotter}, 7, 12, trades, blocks).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace arbor
