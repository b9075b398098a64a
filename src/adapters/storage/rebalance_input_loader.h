// Assembles the RebalanceInput of one account as of a date from the database: its lots and the
// wash-sale activity of every account of its taxpayers (a ledger replay up to the date), prices
// (the last close on or before the date), the latest risk model on or before the date, and the
// account's rebalance settings, targets and restrictions (with their defaults).
//
//   std::unique_ptr<Store> store = ...;
//   Result<review::RebalanceInput> input = LoadRebalanceInput(*store, "SMITH-JOINT", as_of);
//   Result<review::Proposal> proposal = review::Rebalance(*input);
//
// Without a target list the targets are the account's current weights (so the rebalance only
// harvests and manages cash) and the input's notes say how to import one; an account that holds
// nothing and has no targets is an error. Securities missing from the risk model get the average
// loadings of their GICS sector and its median specific variance, and a note lists them.
#pragma once

#include <optional>
#include <string>

#include "adapters/storage/store.h"
#include "core/base/date.h"
#include "core/base/status.h"
#include "core/review/rebalance_input.h"

namespace arbor {

// `as_of` absent: the last date with any price in the database.
Result<review::RebalanceInput> LoadRebalanceInput(Store& store, const std::string& account,
                                                  std::optional<Date> as_of);

}  // namespace arbor
