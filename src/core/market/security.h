// The security master: what a symbol is, how it is classified, and which other symbols the
// firm treats as substantially identical to it for the wash-sale rule.
//
//   SecurityMaster master;
//   master.Add({.symbol = "IVV", .name = "iShares Core S&P 500", .type = SecurityType::kEtf,
//               .wash_sale_group = "SP500"});
//   master.WashSaleGroupOf("IVV");   // "SP500"; a symbol without a group is its own group
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/status.h"

namespace arbor {

enum class SecurityType { kStock, kEtf, kMutualFund, kAdr, kCashEquivalent };

std::string_view ToString(SecurityType type);
Result<SecurityType> SecurityTypeFromString(std::string_view text);

struct Gics {
  std::string sector;
  std::string industry_group;
  std::string industry;
  std::string sub_industry;
};

struct Security {
  std::string symbol;
  std::string name;
  SecurityType type = SecurityType::kStock;
  Gics gics;
  std::string asset_class;  // e.g. "US Large Cap"; free text owned by the firm's templates
  bool fractional = true;   // may be traded in fractional shares
  std::string wash_sale_group;  // empty: substantially identical only to itself
};

class SecurityMaster {
 public:
  // Adds or replaces the security with this symbol.
  Status Add(Security security);
  const Security* Find(std::string_view symbol) const;
  bool Contains(std::string_view symbol) const { return Find(symbol) != nullptr; }
  // The wash-sale group key: the configured group, or the symbol itself.
  std::string WashSaleGroupOf(std::string_view symbol) const;
  const std::vector<Security>& securities() const { return securities_; }
  size_t size() const { return securities_.size(); }

 private:
  std::vector<Security> securities_;
  std::unordered_map<std::string, size_t> index_;
};

// A symbol is 1-12 characters of A-Z, 0-9, '.', '-' or '/' (BRK.B, BF-B).
Status ValidateSymbol(std::string_view symbol);

}  // namespace arbor
