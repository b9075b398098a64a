// Assembles the HouseholdRebalanceInput of one household as of a date (core/review/
// household_rebalance.h; docs/household-rebalance.md): its members from the household store, each
// member's RebalanceInput as `arbor rebalance` builds it but with the household's target in place
// of the account's own, all of them re-aligned to one shared securities list, and the firm's
// asset-location policy turned into location coefficients per account.
//
//   auto context = RebalanceContext::Load(*store, as_of).value();
//   Result<review::HouseholdRebalanceInput> input =
//       LoadHouseholdRebalanceInput(*store, *context, "SMITH");
//   Result<review::HouseholdProposal> proposal = review::RebalanceHousehold(*input);
//
// The shared list is every security the household targets, any member holds or any member's
// menu offers, in symbol order, the same in every member. A member keeps its own lots, cash
// settings, tax rates, trade sizes and restrictions (its restriction of a security it neither
// holds nor targets applies too); a security the household's screens exclude may not be bought
// in any member. A member with a fund
// menu (a 401k's, account_menu_store.h) buys only from its menu, whose funds join the shared list;
// a fund that only a menu brings in is not bought by the members without one. Every member sees
// the recent purchases and loss sales of every member, so a household of two spouses without a
// joint account is still one wash-sale scope (IRS Publication 550, "Wash Sales"). Risk rows and
// sector drift groups are computed once for the shared list; the risk aversion and sector drift
// penalty are the first member's (members in id order), as are the household's (the rebalance
// settings of a household are those of its accounts).
#pragma once

#include <string>
#include <vector>

#include "adapters/storage/rebalance_context.h"
#include "adapters/storage/rebalance_input_loader.h"
#include "adapters/storage/store.h"
#include "core/base/status.h"
#include "core/review/household_rebalance.h"

namespace arbor {

// Errors: an unknown household, one without members or without a target template, a member's
// own input failing to load (the message names the account).
Result<review::HouseholdRebalanceInput> LoadHouseholdRebalanceInput(
    Store& store, const RebalanceContext& context, const std::string& household);

// The same, with members' snapshots already read on the context's date (the daily review reads
// them for its data checks): a member without one in `loaded` is read here.
Result<review::HouseholdRebalanceInput> LoadHouseholdRebalanceInput(
    Store& store, const RebalanceContext& context, const std::string& household,
    std::vector<AccountSnapshot> loaded);

}  // namespace arbor
