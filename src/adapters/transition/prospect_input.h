// The rebalance input of a prospect who is not in the database yet: the legacy lots and cash,
// the target weights, the store's prices (last close on or before the plan date), GICS sectors
// as drift groups, wash-sale groups, and the risk model's rows, with the rebalance's default
// settings (docs/import-formats.md) unless the caller changes them.
//
//   auto context = RebalanceContext::Load(*store, as_of).value();
//   RebalanceInput input = BuildProspectInput(*context, legacy, Money(), target, {}).value();
//
// A held security the target's screens exclude must be sold (must_sell), as for an account.
#pragma once

#include "adapters/storage/rebalance_context.h"
#include "adapters/storage/rebalance_settings_store.h"
#include "adapters/transition/legacy_lots.h"
#include "adapters/transition/transition_target.h"
#include "core/base/fixed.h"
#include "core/base/status.h"
#include "core/review/rebalance_input.h"

namespace arbor {

Result<review::RebalanceInput> BuildProspectInput(const RebalanceContext& context,
                                                  const LegacyLots& legacy, Money cash,
                                                  const TransitionTarget& target,
                                                  const RebalanceSettings& settings);

}  // namespace arbor
