// An account's fund menu (a 401k plan's list of offered funds, docs/households.md): the only
// securities the rebalance may buy in it. Selling is not limited — a fund the plan dropped from
// its menu may still be sold — so a security off the menu keeps every other restriction and
// loses only its buys.
//
//   std::set<std::string> menu = {"VFIAX", "VBTLX"};
//   review::ApplyFundMenu(menu, input.securities);   // every other security is now no_buy
//                                                     // (no_sell became hold)
#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/review/rebalance_input.h"

namespace arbor::review {

// The restriction of a security the account may not buy: none -> no_buy, no_sell -> hold; no_buy,
// hold and must_sell already buy nothing.
Restriction WithoutBuying(Restriction restriction);

// Sets every security not on `menu` to WithoutBuying its restriction.
void ApplyFundMenu(const std::set<std::string>& menu, std::vector<RebalanceSecurity>& securities);

}  // namespace arbor::review
