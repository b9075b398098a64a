// The account of a transition plan between two yearly reviews: trades applied to its lots and
// cash, prices grown by the capital-market assumptions, and what it is worth and owes.
//
//   RebalanceInput next = input;
//   ARBOR_RETURN_IF_ERROR(ApplyTrades(proposal.trades, proposal.after.cash, "Y1", &next));
//   GrowPrices(market, &next);                        // one year of expected price return
//   double te = TrackingError(next);                  // against next.securities' targets
#pragma once

#include <string>
#include <vector>

#include "core/base/fixed.h"
#include "core/base/status.h"
#include "core/review/proposal.h"
#include "core/review/rebalance_input.h"
#include "core/transition/market_assumptions.h"

namespace arbor::transition {

// Sells relieve the lots they name (shares and the prorated basis the proposal computed); buys
// open lots labelled "<label_prefix>-<symbol>" acquired on input->as_of at their amount; cash
// becomes `cash_after`.
Status ApplyTrades(const std::vector<review::Trade>& trades, Money cash_after,
                   const std::string& label_prefix, review::RebalanceInput* input);

// Every price times one year of expected growth.
void GrowPrices(const CapitalMarketAssumptions& market, review::RebalanceInput* input);

// Cash plus the lots at their prices.
double AccountValue(const review::RebalanceInput& input);
// Market value minus basis over the open lots.
Money UnrealizedGain(const review::RebalanceInput& input);

// Annualized ex-ante tracking error of the holdings against the securities' target weights,
// through the input's risk rows: sqrt(a' (X F X' + D) a) with a = weight - target.
double TrackingError(const review::RebalanceInput& input);

}  // namespace arbor::transition
