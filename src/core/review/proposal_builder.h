// Turns the discrete layer's result (rounded trades, the directions fixed, the relaxations made)
// into a Proposal: sells grouped by security with their lots, a reason per trade, the account's
// metrics before and after, and the cost-benefit score.
//
// Reasons, first match wins:
//   sell: a must-sell lot -> restriction; no target -> model change; at least half the dollars
//         from loss lots with a tax benefit -> harvest; the account short of its cash minimum
//         or paying a withdrawal -> cash; otherwise drift.
//   buy:  cash above its maximum -> cash; bought past its target while the proposal harvests ->
//         harvest (a replacement); not held and targeted -> model change; otherwise drift.
// Realized gains count a washed loss (WashStatus kDeferred) as zero: it is disallowed now.
#pragma once

#include <vector>

#include "core/review/account_model.h"
#include "core/review/controls.h"
#include "core/review/proposal.h"
#include "core/review/trade_rounding.h"
#include "core/review/wash_directions.h"

namespace arbor::review {

Proposal BuildProposal(const AccountModel& model, const Controls& controls,
                       const std::vector<WashSaleDecision>& decisions, const TradeList& trades);

}  // namespace arbor::review
