#include "core/review/rebalance.h"

#include "core/review/account_model.h"
#include "core/review/controls.h"
#include "core/review/priority_solver.h"
#include "core/review/proposal_builder.h"
#include "core/review/trade_rounding.h"

namespace arbor::review {
Result<Proposal> Rebalance(const RebalanceInput& input, const RebalanceOptions& options) {
  Result<AccountModel> model = BuildAccountModel(input);
  if (!model.ok()) return model.status();
  Controls controls = InitialControls(*model);
  PrioritySolver solver(*model, options.solver);
  Result<DirectionSearch> search =
      ResolveWashSaleConflicts(*model, solver, controls, options.directions);
  if (!search.ok()) return search.status();
  optimize::Solution solution = std::move(search->solution);
  for (int round = 0; round < options.max_min_trade_rounds; ++round) {
    Controls dropped = controls;
    if (!DropSmallOrders(*model, solution.buys, solution.sells, dropped)) break;
    std::vector<WashSaleDecision> decisions = search->decisions;
    Result<optimize::Solution> resolved =
        SolveWithoutConflicts(*model, solver, search->rule, dropped, &decisions);
    if (!resolved.ok()) return resolved.status();
    // Cash needs come before the minimum trade: a round whose drops leave too little to sell
    // for the cash minimum is undone, and the rounding sizes the small cash sales instead.
    if (dropped.Relaxed(RelaxationKind::kCashMin) && !controls.Relaxed(RelaxationKind::kCashMin)) {
      break;
    }
    controls = std::move(dropped);
    search->decisions = std::move(decisions);
    solution = *std::move(resolved);
  }
  const TradeList trades =
      RoundTrades(*model, Materialize(*model, controls), solution.buys, solution.sells);
  Proposal proposal = BuildProposal(*model, controls, search->decisions, trades);
  proposal.solves = solver.solves();
  proposal.solve_seconds = solver.seconds();
  return proposal;
}

}  // namespace arbor::review
