// A yearly budget of realized gains met through the engine's tax budget. The rebalance takes a
// budget of net tax dollars (RebalanceInput::tax_budget); a client who says "at most $25,000 of
// gains a year" is served by the largest tax budget whose proposal realizes at most that much net
// gain. The search starts at the gains at the long-term rate, then brackets and bisects; the
// proposal is kept within the gains budget whatever the rates and harvested losses.
//
//   GainsBudgetOutcome outcome = RebalanceWithinGains(input, Money::Units(25000), {}).value();
//   if (outcome.proposal) ... outcome.tax_budget;   // the tax budget that proposal had
//   // no proposal: even the trades that realize nothing did not fit (a year without trades)
#pragma once

#include <optional>

#include "core/base/fixed.h"
#include "core/base/status.h"
#include "core/review/proposal.h"
#include "core/review/rebalance.h"
#include "core/review/rebalance_input.h"

namespace arbor::transition {

struct GainsBudgetOutcome {
  std::optional<review::Proposal> proposal;
  Money tax_budget;
  int rebalances = 0;  // engine runs the search took
};

Result<GainsBudgetOutcome> RebalanceWithinGains(const review::RebalanceInput& input, Money gains,
                                                const review::RebalanceOptions& options);

}  // namespace arbor::transition
