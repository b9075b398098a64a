// What the sales of one year of a transition realize, by term, and the tax on it at the client's
// rates: each lot's gain or loss at its term's rate (the engine's per-lot tax, docs/rebalance.md),
// a washed loss counting zero. The term is the one the proposal fixed from the ledger's IRS Pub.
// 550 holding-period rule (held more than one year: long-term).
//
//   Realized realized = RealizedBy(proposal.trades, input.tax_rates);
//   realized.Net();   // short- plus long-term, the figure a gains budget bounds
#pragma once

#include <vector>

#include "core/base/fixed.h"
#include "core/review/proposal.h"
#include "core/review/rebalance_input.h"

namespace arbor::transition {

struct Realized {
  Money short_term;  // net short-term gain (negative: a net loss)
  Money long_term;
  Money tax;  // may be negative: harvested losses are worth their rate
  Money Net() const { return short_term + long_term; }
};

Realized RealizedBy(const std::vector<review::Trade>& trades, const review::TaxRates& rates);

}  // namespace arbor::transition
