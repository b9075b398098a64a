#include "core/ledger/account.h"

#include "core/base/enum_names.h"

namespace arbor {
namespace {

constexpr EnumNames<AccountType, 9> kNames = {{
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

std::string_view ToString(AccountType type) { return NameOf(kNames, type); }

Result<AccountType> AccountTypeFromString(std::string_view text) {
  constexpr EnumNames<AccountType, 2> kAliases = {{{AccountType::kTraditionalIra, "ira"},
                                                    {AccountType::kRothIra, "roth"}}};
  if (std::optional<AccountType> type = ParseName(kNames, text)) return *type;
  if (std::optional<AccountType> type = ParseName(kAliases, text)) return *type;
  return Status::InvalidArgument(
      "unknown account type '" + std::string(text) +
      "' (expected taxable, traditional_ira, roth_ira, sep_ira, simple_ira, 401k, roth_401k, "
      "403b or hsa)");
}

bool IsTaxDeferred(AccountType type) { return type != AccountType::kTaxable; }

}  // namespace arbor
