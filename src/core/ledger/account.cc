#include "core/ledger/account.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace arbor {
namespace {

constexpr std::array<std::pair<AccountType, std::string_view>, 9> kNames = {{
    {AccountType::kTaxable, "taxable"},
    {AccountType::kTraditionalIra, "traditional_ira"},
    {AccountType::kRothIra, "roth_ira"},
    {AccountType::kSepIra, "sep_ira"},
    {AccountType::kSimpleIra, "simple_ira"},
    {AccountType::k401k, "401k"},
    {AccountType::kRoth401k, "roth_401k"},
    {AccountType::k403b, "403b"},
    {AccountType::kHsa, "hsa"},
}};

}  // namespace

std::string_view ToString(AccountType type) {
  for (const auto& [t, name] : kNames) {
    if (t == type) return name;
  }
  return "taxable";
}

Result<AccountType> AccountTypeFromString(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (lower == "ira") return AccountType::kTraditionalIra;
  if (lower == "roth") return AccountType::kRothIra;
  for (const auto& [t, name] : kNames) {
    if (name == lower) return t;
  }
  return Status::InvalidArgument(
      "unknown account type '" + std::string(text) +
      "' (expected taxable, traditional_ira, roth_ira, sep_ira, simple_ira, 401k, roth_401k, "
      "403b or hsa)");
}

bool IsTaxDeferred(AccountType type) { return type != AccountType::kTaxable; }

}  // namespace arbor
