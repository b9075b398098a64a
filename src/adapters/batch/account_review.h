// The daily review of one account (docs/review.md): its data checks first, and only for an
// account whose data is sound the full rebalance proposal with its cost-benefit score, metrics
// and flags. Never throws and never returns an error: a failure is a recorded outcome, so one
// bad account cannot stop a run.
//
//   ReviewRecord r = ReviewAccount(*store, *context, account, thresholds);
//   r.outcome;   // proposed, no_trade, suspended (r.reasons says why) or failed
#pragma once

#include <optional>

#include "adapters/storage/rebalance_context.h"
#include "adapters/storage/rebalance_input_loader.h"
#include "adapters/storage/store.h"
#include "core/ledger/account.h"
#include "core/review/review_record.h"
#include "core/review/review_summary.h"

namespace arbor {

review::ReviewRecord ReviewAccount(Store& store, const RebalanceContext& context,
                                   const Account& account,
                                   const review::ReviewThresholds& thresholds);

// The data checks alone: the account's snapshot when it may be rebalanced, for its input, so that
// it is read once. Otherwise nullopt and `record` says why (suspended, or failed when its data
// could not be read); warnings are added either way.
std::optional<AccountSnapshot> CheckAccountData(Store& store, const RebalanceContext& context,
                                                const Account& account,
                                                review::ReviewRecord& record);

// A record for the account with nothing reviewed yet.
review::ReviewRecord EmptyRecord(const Account& account);

}  // namespace arbor
