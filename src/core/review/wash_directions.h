// Wash-sale exclusivity by trade direction (docs/rebalance-problem.md section 3): within one
// wash-sale group a proposal never both buys and sells a lot at a loss. The rule is not convex,
// so, following Moehle, Kochenderfer, Boyd and Ang ("Tax-aware portfolio construction via convex
// optimization", 2021), the core problem is first solved without it (the relaxation); each group
// that both buys and sells at a loss there gets a direction (sell: no buys; buy: no loss sales)
// and the problem is solved again with those directions fixed, until no group conflicts.
//
// Two rules choose a conflicting group's direction, and both are tried from the relaxation:
//  - kLargerSide keeps the side that moved more dollars (the smaller change to the solution);
//  - kWorthMore keeps the loss sales when their tax benefit exceeds the risk of not buying the
//    group back, estimated as (lambda / 2) B^2 / V d: B the dollars the relaxation bought back and
//    d their specific variance, since the factor exposure can be bought through correlated
//    securities. It is the better guess for large, diversified accounts (on a 500-name account
//    it finds a 60% larger cost-benefit score than kLargerSide), kLargerSide for small ones.
// The better of the two is kept, and a local search then flips fixed groups one at a time, most
// ambiguous first (buys and loss sales closest in size), keeping each flip that lowers the
// objective, in passes until one changes nothing or the solve budget is spent. A candidate (the
// second start, a flip) whose certified lower bound (optimize/lower_bound.h) is above the current
// objective cannot win and is not solved.
//
//   Controls controls = InitialControls(model);
//   PrioritySolver solver(model, {});
//   Result<DirectionSearch> search = ResolveWashSaleConflicts(model, solver, controls, {});
//   search->solution;   // continuous trades that respect the rule
#pragma once

#include <vector>

#include "core/base/status.h"
#include "core/optimize/solver.h"
#include "core/review/account_model.h"
#include "core/review/controls.h"
#include "core/review/priority_solver.h"

namespace arbor::review {

// A group's trades in dollars at a solution: what it buys, and what it sells of lots whose sale
// would report a loss.
struct GroupFlows {
  double buys = 0;
  double loss_sales = 0;
  double loss_tax_benefit = 0;        // -tax of the loss sales, dollars (>= 0)
  double buys_specific_variance = 0;  // of the securities bought, weighted by dollars
};
std::vector<GroupFlows> FlowsByGroup(const AccountModel& model, const Eigen::VectorXd& buys,
                                     const Eigen::VectorXd& sells);

// A trade below this share of the account value counts as none when looking for conflicts (the
// interior-point method leaves inactive trades a hair above zero).
inline constexpr double kNegligibleTradeWeight = 1e-6;

// A direction the discrete layer fixed, and the relaxation's trades that made it necessary.
struct WashSaleDecision {
  int group = 0;
  Direction direction = Direction::kFree;
  double relaxed_buys = 0;  // dollars, at the solve that found the conflict
  double relaxed_loss_sales = 0;
};

enum class ConflictRule { kLargerSide, kWorthMore };

struct DirectionOptions {
  // Solves the local search may spend; 0 keeps the first choice of every conflict.
  int max_search_solves = 48;
  // The search stops after this many flips in a row that did not pay: on large accounts the
  // first choice is rarely improved on, and each flip is a full solve.
  int max_failed_flips = 8;
  // Skip a candidate (the second start, a flip) when a certified lower bound on its objective
  // (optimize/lower_bound.h) shows it cannot beat the current solution; false solves every one,
  // which with materiality_bps = 0 gives the same result with more solves (for tests and
  // comparisons).
  bool skip_hopeless = true;
  // With skip_hopeless, a candidate is also skipped when the bound leaves it less than this many
  // basis points of the account value to gain: on a 500-name account a flip of one wash-sale
  // group is a full solve, and a quarter of the review's solves went to flips that could gain at
  // most a few dollars. 0 skips only candidates that cannot gain at all.
  double materiality_bps = 0.5;
};

struct DirectionSearch {
  optimize::Solution relaxation;  // the first solve: the rule ignored
  optimize::Solution solution;    // every conflict resolved
  std::vector<WashSaleDecision> decisions;
  ConflictRule rule = ConflictRule::kWorthMore;  // the start that was kept
};

Result<DirectionSearch> ResolveWashSaleConflicts(const AccountModel& model, PrioritySolver& solver,
                                                 Controls& controls,
                                                 const DirectionOptions& options);

// Solves under `controls` and resolves any group that conflicts by `rule`, repeatedly until none
// does; new decisions are appended. Also for re-solves after other changes (orders dropped below
// the minimum trade), which can move trades into a free group.
Result<optimize::Solution> SolveWithoutConflicts(const AccountModel& model, PrioritySolver& solver,
                                                 ConflictRule rule, Controls& controls,
                                                 std::vector<WashSaleDecision>* decisions);

}  // namespace arbor::review
