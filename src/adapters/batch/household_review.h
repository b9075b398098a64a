// The daily review of a household with a target (docs/households.md): its members are one unit.
// Every member's data checks run first; if any member is suspended, every member is, since a
// joint proposal without one of its accounts would not be the household's. Otherwise the
// household is rebalanced jointly (core/review/household_rebalance.h) and each member gets its
// record as an account would, with its own trades and metrics and the household's figures.
// Never throws and never returns an error: a failure is recorded on every member.
//
//   std::vector<ReviewRecord> records = ReviewHousehold(*store, *context, "SMITH", members, {});
#pragma once

#include <string>
#include <vector>

#include "adapters/storage/rebalance_context.h"
#include "adapters/storage/store.h"
#include "core/ledger/account.h"
#include "core/review/review_record.h"
#include "core/review/review_summary.h"

namespace arbor {

// `members`: the household's accounts, in id order.
std::vector<review::ReviewRecord> ReviewHousehold(Store& store, const RebalanceContext& context,
                                                  const std::string& household,
                                                  const std::vector<const Account*>& members,
                                                  const review::ReviewThresholds& thresholds);

}  // namespace arbor
