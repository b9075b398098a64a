// A household: accounts of one taxpayer or of two spouses, managed jointly to one target
// (docs/households.md; the problem is section 4 of docs/rebalance-problem.md).
//
//   Household smith{.id = "SMITH", .name = "John & Mary Smith",
//                   .target = {.account = "SMITH", .template_name = "Balanced 60/40"}};
//   smith.members = {joint, johns_ira};      // taxpayers {SMITH-J, SMITH-M} and {SMITH-J}
//   ValidateHousehold(smith);                // ok: two people
//   CheckCanJoin(smith, lee_taxable);        // "household SMITH: account LEE-TAXABLE belongs to
//                                            //  LEE; a household holds the accounts of at most
//                                            //  two people (now SMITH-J, SMITH-M)"
//
// The rule: the members' taxpayers, taken together, are at most two people, and every member
// names its taxpayers. Two people in one household are spouses filing jointly, who count as one
// taxpayer for the wash-sale rule, so the household optimizer keeps wash-sale exclusivity across
// all their accounts. Each account keeps its own cash settings, restrictions and withdrawals;
// the household adds the joint target and the optional per-account drift penalty.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"
#include "core/ledger/account.h"
#include "core/models/customization.h"

namespace arbor::household {

// One person, or spouses filing jointly.
inline constexpr size_t kMaxTaxpayers = 2;

struct Household {
  std::string id;    // letters, digits, '_', '-', '.'; at most 64
  std::string name;  // for people; may be empty
  // The member accounts with their type and taxpayers; a member's `household` is this id (or
  // empty for an account about to join).
  std::vector<Account> members;
  // The household's target: a template with customizations and screens, as an account's.
  // `target.account` holds the household's id (the owner of the customization).
  models::Customization target;
  // nu of the spec: dollars of objective per dollar of one account's own L1 drift from the
  // target, so each account stays recognizable. 0 (the default) manages the household as one.
  double drift_penalty = 0;
};

Status ValidateHouseholdId(std::string_view id);

// The id, a finite non-negative drift penalty, a target owned by the id, members listed once,
// none in another household, and the taxpayer rule above. Messages start "household ID: ".
Status ValidateHousehold(const Household& household);

// Whether `account` may join: not in another household, names its taxpayers, and keeps the
// household within two people. Joining again (already a member) is fine.
Status CheckCanJoin(const Household& household, const Account& account);

// The members' taxpayers, sorted, each once.
std::vector<std::string> Taxpayers(const Household& household);

// No account in two households of the list (a firm's households, for a bulk import).
Status ValidateHouseholds(const std::vector<Household>& households);

}  // namespace arbor::household
