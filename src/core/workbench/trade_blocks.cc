#include "core/workbench/trade_blocks.h"

#include <algorithm>
#include <map>
#include <utility>

#include "core/base/enum_names.h"

namespace arbor::workbench {
namespace {

constexpr EnumNames<OrderSide, 2> kSideNames = {
    {{OrderSide::kSell, "sell"}, {OrderSide::kBuy, "buy"}}};

std::string Describe(const ReleasedTrade& t) {
  return "account " + t.account + ", trade " + std::to_string(t.position) + " (" +
         std::string(ToString(t.side)) + " " + t.shares.ToShortString() + " " + t.symbol + ")";
}

Status CheckLots(const ReleasedTrade& t) {
  if (!t.shares.is_positive()) return Status::InvalidArgument(Describe(t) + ": no shares");
  if (t.lots.empty()) return Status::Ok();
  if (t.side == OrderSide::kBuy) {
    return Status::InvalidArgument(Describe(t) + ": a buy has no versus-purchase lots");
  }
  Shares sum;
  for (const LotShares& lot : t.lots) sum += lot.shares;
  if (sum != t.shares) {
    return Status::InvalidArgument(Describe(t) + ": its lots add up to " + sum.ToShortString() +
                                   " shares");
  }
  return Status::Ok();
}

}  // namespace

std::string_view ToString(OrderSide side) { return NameOf(kSideNames, side); }

Result<OrderSide> OrderSideFromString(std::string_view text) {
  if (std::optional<OrderSide> side = ParseName(kSideNames, text)) return *side;
  return Status::InvalidArgument("unknown side '" + std::string(text) + "' (buy or sell)");
}

Result<std::vector<LotShares>> ParseLots(std::string_view text) {
  std::vector<LotShares> lots;
  while (!text.empty()) {
    const size_t end = std::min(text.find(';'), text.size());
    const std::string_view part = text.substr(0, end);
    const size_t colon = part.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Status::InvalidArgument("lots: '" + std::string(part) + "' is not lot_id:shares");
    }
    Result<Shares> shares = Shares::Parse(part.substr(colon + 1));
    if (!shares.ok() || !shares->is_positive()) {
      return Status::InvalidArgument("lots: '" + std::string(part) +
                                     "': shares must be a positive decimal");
    }
    lots.push_back({std::string(part.substr(0, colon)), *shares});
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return lots;
}

std::string FormatLots(std::span<const LotShares> lots) {
  std::string text;
  for (const LotShares& lot : lots) {
    if (!text.empty()) text += ';';
    text += lot.lot_id + ":" + lot.shares.ToShortString();
  }
  return text;
}

Result<std::vector<Block>> BuildBlocks(std::span<const ReleasedTrade> trades) {
  // (side, symbol) -> account -> allocation; the maps give block and allocation order.
  std::map<std::pair<OrderSide, std::string>, std::map<std::string, Allocation>> grouped;
  for (const ReleasedTrade& t : trades) {
    ARBOR_RETURN_IF_ERROR(CheckLots(t));
    Allocation& a = grouped[{t.side, t.symbol}][t.account];
    a.account = t.account;
    a.shares += t.shares;
    a.amount += t.amount;
    a.lots.insert(a.lots.end(), t.lots.begin(), t.lots.end());
  }
  std::vector<Block> blocks;
  for (auto& [key, by_account] : grouped) {
    Block block{
        .number = static_cast<int>(blocks.size()) + 1, .symbol = key.second, .side = key.first};
    for (auto& [account, allocation] : by_account) {
      block.shares += allocation.shares;
      block.amount += allocation.amount;
      block.allocations.push_back(std::move(allocation));
    }
    block.price = PerShare(block.amount, block.shares);
    blocks.push_back(std::move(block));
  }
  return blocks;
}

}  // namespace arbor::workbench
