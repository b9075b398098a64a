#include "core/workbench/trade_blocks.h"

#include <gtest/gtest.h>

#include <vector>

namespace arbor::workbench {
namespace {

Shares S(const char* text) { return *Shares::Parse(text); }
Price P(const char* text) { return *Price::Parse(text); }

ReleasedTrade Trade(std::string account, std::string symbol, OrderSide side, const char* shares,
                    const char* price, std::vector<LotShares> lots = {}) {
  ReleasedTrade t{.account = std::move(account),
                  .position = 0,
                  .symbol = std::move(symbol),
                  .side = side,
                  .shares = S(shares),
                  .price = P(price),
                  .reason = "drift",
                  .lots = std::move(lots)};
  t.amount = Value(t.shares, t.price);
  return t;
}

TEST(TradeBlocksTest, ParseLotsReadsTheStoredForm) {
  std::vector<LotShares> lots = *ParseLots("L1:10;2019-03-01:A:0.333333");
  ASSERT_EQ(lots.size(), 2u);
  EXPECT_EQ(lots[0].lot_id, "L1");
  EXPECT_EQ(lots[0].shares, Shares::Units(10));
  EXPECT_EQ(lots[1].lot_id, "2019-03-01:A");  // the shares follow the last ':'
  EXPECT_EQ(lots[1].shares, S("0.333333"));
  EXPECT_EQ(FormatLots(lots), "L1:10;2019-03-01:A:0.333333");
  EXPECT_TRUE(ParseLots("")->empty());
  EXPECT_EQ(ParseLots("L1").status().message(), "lots: 'L1' is not lot_id:shares");
  EXPECT_EQ(ParseLots("L1:x").status().message(),
            "lots: 'L1:x': shares must be a positive decimal");
  EXPECT_FALSE(ParseLots("L1:0").ok());
  EXPECT_FALSE(ParseLots(":5").ok());
}

TEST(TradeBlocksTest, BlocksBySideThenSymbolWithExactTotals) {
  const std::vector<ReleasedTrade> trades = {
      Trade("B", "MSFT", OrderSide::kBuy, "1.000001", "300.10"),
      Trade("A", "MSFT", OrderSide::kBuy, "2.5", "300.10"),
      Trade("A", "AAPL", OrderSide::kSell, "10", "150", {{"L1", S("4")}, {"L2", S("6")}}),
      Trade("C", "AAPL", OrderSide::kSell, "0.333333", "150.01", {{"L9", S("0.333333")}}),
  };
  std::vector<Block> blocks = *BuildBlocks(trades);
  ASSERT_EQ(blocks.size(), 2u);
  const Block& sell = blocks[0];
  EXPECT_EQ(sell.number, 1);
  EXPECT_EQ(sell.side, OrderSide::kSell);
  EXPECT_EQ(sell.symbol, "AAPL");
  EXPECT_EQ(sell.shares, S("10.333333"));
  EXPECT_EQ(sell.amount, Value(S("10"), P("150")) + Value(S("0.333333"), P("150.01")));
  EXPECT_EQ(sell.price, PerShare(sell.amount, sell.shares));
  ASSERT_EQ(sell.allocations.size(), 2u);
  EXPECT_EQ(sell.allocations[0].account, "A");
  EXPECT_EQ(FormatLots(sell.allocations[0].lots), "L1:4;L2:6");
  const Block& buy = blocks[1];
  EXPECT_EQ(buy.symbol, "MSFT");
  EXPECT_EQ(buy.shares, S("3.500001"));
  EXPECT_EQ(buy.price, P("300.10"));
  EXPECT_EQ(buy.allocations[0].account, "A");
  EXPECT_EQ(buy.allocations[1].account, "B");
}

TEST(TradeBlocksTest, RefusesLotsThatDoNotAddUp) {
  const std::vector<ReleasedTrade> short_lots = {
      Trade("A", "AAPL", OrderSide::kSell, "10", "150", {{"L1", S("9.5")}})};
  EXPECT_EQ(BuildBlocks(short_lots).status().message(),
            "account A, trade 0 (sell 10 AAPL): its lots add up to 9.5 shares");
  const std::vector<ReleasedTrade> buy_lots = {
      Trade("A", "AAPL", OrderSide::kBuy, "1", "150", {{"L1", S("1")}})};
  EXPECT_FALSE(BuildBlocks(buy_lots).ok());
}

}  // namespace
}  // namespace arbor::workbench
