#include "core/market/security.h"

#include "core/base/enum_names.h"

namespace arbor {
namespace {

constexpr EnumNames<SecurityType, 5> kTypeNames = {{
    {SecurityType::kStock, "stock"},
    {SecurityType::kEtf, "etf"},
    {SecurityType::kMutualFund, "mutual_fund"},
    {SecurityType::kAdr, "adr"},
    {SecurityType::kCashEquivalent, "cash_equivalent"},
}};

}  // namespace

std::string_view ToString(SecurityType type) { return NameOf(kTypeNames, type); }

Result<SecurityType> SecurityTypeFromString(std::string_view text) {
  if (std::optional<SecurityType> type = ParseName(kTypeNames, text)) return *type;
  return Status::InvalidArgument("unknown security type '" + std::string(text) +
                                 "' (expected stock, etf, mutual_fund, adr or cash_equivalent)");
}

Status ValidateSymbol(std::string_view symbol) {
  if (symbol.empty() || symbol.size() > 12) {
    return Status::InvalidArgument("symbol '" + std::string(symbol) + "' must be 1-12 characters");
  }
  for (char c : symbol) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '/';
    if (!ok) {
      return Status::InvalidArgument("symbol '" + std::string(symbol) +
                                     "' may contain only A-Z, 0-9, '.', '-' and '/'");
    }
  }
  return Status::Ok();
}

Status SecurityMaster::Add(Security security) {
  ARBOR_RETURN_IF_ERROR(ValidateSymbol(security.symbol));
  auto it = index_.find(security.symbol);
  if (it != index_.end()) {
    securities_[it->second] = std::move(security);
  } else {
    index_.emplace(security.symbol, securities_.size());
    securities_.push_back(std::move(security));
  }
  return Status::Ok();
}

const Security* SecurityMaster::Find(std::string_view symbol) const {
  auto it = index_.find(std::string(symbol));
  return it == index_.end() ? nullptr : &securities_[it->second];
}

std::string SecurityMaster::WashSaleGroupOf(std::string_view symbol) const {
  const Security* s = Find(symbol);
  if (s != nullptr && !s->wash_sale_group.empty()) return s->wash_sale_group;
  return std::string(symbol);
}

}  // namespace arbor
