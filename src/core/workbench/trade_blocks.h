// Block orders from released proposals: the trading desk works one order per security and side
// and allocates the fills to the accounts, so the released trades are grouped into blocks, each
// with its per-account allocations. Exact shares and dollars: the allocations of a block add up
// to its totals to the millionth. File formats in docs/workbench.md, "Trade files".
//
//   std::vector<ReleasedTrade> trades = ...;   // from the store
//   Result<std::vector<Block>> blocks = BuildBlocks(trades);
//   if (!blocks.ok()) return blocks.status();  // lots that do not add up to a sell's shares
//   for (const Block& b : *blocks) b.shares;   // e.g. sell AAPL 1,234.5 over 17 accounts
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/fixed.h"
#include "core/base/status.h"

namespace arbor::workbench {

// Sells sort first: their proceeds fund the buys.
enum class OrderSide { kSell, kBuy };
std::string_view ToString(OrderSide side);
Result<OrderSide> OrderSideFromString(std::string_view text);

// One lot of a versus-purchase sell.
struct LotShares {
  std::string lot_id;
  Shares shares;
};

// "lot_id:shares;lot_id:shares" (shares as decimal text), the review's stored form; empty text
// is no lots. A lot id may hold ':' (the shares follow the last one) but not ';'.
Result<std::vector<LotShares>> ParseLots(std::string_view text);
std::string FormatLots(std::span<const LotShares> lots);

struct ReleasedTrade {
  std::string account;
  int position = 0;  // the trade's place in the account's proposal
  std::string symbol;
  OrderSide side = OrderSide::kBuy;
  Shares shares;
  Price price;   // the review's estimate
  Money amount;  // shares x price
  Money cost;    // estimated trading cost
  std::string reason;
  std::vector<LotShares> lots;  // a sell's versus-purchase lots; empty for a buy
};

struct Allocation {
  std::string account;
  Shares shares;
  Money amount;
  std::vector<LotShares> lots;
};

struct Block {
  int number = 0;  // 1, 2, ... in block order
  std::string symbol;
  OrderSide side = OrderSide::kBuy;
  Shares shares;  // the sum of the allocations'
  Money amount;   // likewise
  Price price;    // amount / shares: the review's estimate, averaged if accounts differ
  std::vector<Allocation> allocations;  // by account; an account's trades in one line
};

// Blocks by side (sells first), then symbol. Errors name the trade: a sell whose lots do not
// add up to its shares, lots on a buy, or a trade without shares.
Result<std::vector<Block>> BuildBlocks(std::span<const ReleasedTrade> trades);

}  // namespace arbor::workbench
