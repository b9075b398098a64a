// The full rebalance of one account (docs/rebalance-problem.md section 3): the core QP built
// from the account, with the discrete rules the QP cannot express layered on top.
//
//   RebalanceInput input = ...;        // adapters/storage/rebalance_input_loader.h fills one
//   Result<Proposal> proposal = Rebalance(input);
//   if (!proposal.ok()) return proposal.status();   // invalid input, or nothing feasible at all
//
// The steps:
//  1. BuildAccountModel: per-lot tax rates (term, client rates, wash-sale status), restrictions,
//     buys blocked for 30 days after a loss sale of the taxpayer.
//  2. ResolveWashSaleConflicts: relaxation, a direction per conflicting group, re-solve, local
//     search. Every solve goes through the PrioritySolver, which relaxes constraints in priority
//     order when the problem is infeasible.
//  3. Orders below the minimum trade are dropped and the problem re-solved, a few rounds; a
//     round that would make the cash minimum unreachable is undone (cash needs come first).
//  4. RoundTrades: share increments, minimum trade, the cash minimum, exact amounts.
//  5. BuildProposal: trades by lot and security with reasons, metrics, score.
#pragma once

#include "core/base/status.h"
#include "core/optimize/solver.h"
#include "core/review/proposal.h"
#include "core/review/rebalance_input.h"
#include "core/review/wash_directions.h"

namespace arbor::review {

struct RebalanceOptions {
  optimize::SolverOptions solver;
  DirectionOptions directions;
  // Rounds of "drop the orders below the minimum trade and solve again" before the rest are
  // simply dropped by the rounding.
  int max_min_trade_rounds = 3;
};

Result<Proposal> Rebalance(const RebalanceInput& input, const RebalanceOptions& options = {});

}  // namespace arbor::review
