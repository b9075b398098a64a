// Accounts and who pays tax on them.
//
//   Account ira{.id = "B", .type = AccountType::kTraditionalIra, .taxpayers = {"T1"}};
//   IsTaxDeferred(ira.type);   // true: its sales report no gain or loss, but a purchase in it
//                              // can still wash a loss of taxpayer T1 (Rev. Rul. 2008-5)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"

namespace arbor {

enum class AccountType {
  kTaxable,
  kTraditionalIra,
  kRothIra,
  kSepIra,
  kSimpleIra,
  k401k,
  kRoth401k,
  k403b,
  kHsa,
};

std::string_view ToString(AccountType type);
// Accepts the names ToString gives, case-insensitively, plus "ira" and "roth".
Result<AccountType> AccountTypeFromString(std::string_view text);
// Gains and losses inside the account are not reported on the owner's return.
bool IsTaxDeferred(AccountType type);

struct Account {
  std::string id;
  AccountType type = AccountType::kTaxable;
  // One taxpayer, or two for a joint account; spouses filing jointly share wash-sale scope.
  std::vector<std::string> taxpayers;
  std::string household;
  std::string name;
  std::string advisor;  // who serves the client; the workbench filters by it
};

}  // namespace arbor
