#include "core/market/security.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace arbor {
namespace {

constexpr std::array<std::pair<SecurityType, std::string_view>, 5> kTypeNames = {{
    {SecurityType::kStock, "stock"},
    {SecurityType::kEtf, "etf"},
    {SecurityType::kMutualFund, "mutual_fund"},
    {SecurityType::kAdr, "adr"},
    {SecurityType::kCashEquivalent, "cash_equivalent"},
}};

}  // namespace

std::string_view ToString(SecurityType type) {
  for (const auto& [t, name] : kTypeNames) {
    if (t == type) return name;
  }
  return "stock";
}

Result<SecurityType> SecurityTypeFromString(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const auto& [t, name] : kTypeNames) {
    if (name == lower) return t;
  }
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
