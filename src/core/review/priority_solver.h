// Solves an AccountModel under Controls with the core solver, and when the problem is
// infeasible relaxes constraints in priority order (docs/rebalance-problem.md section 3): must-
// sell lots and cash needs come first, then hard customer constraints, then the objective. So
// the tax budget goes first, then the cash maximum, then no-sell restrictions (to raise cash),
// and last the cash minimum, lowered to what selling everything sellable raises. Relaxations
// that turn out not to be needed once a later one is made are restored, so the proposal relaxes
// as little as it can; each one kept is recorded in the controls with its reason.
//
//   PrioritySolver solver(model, options);
//   Result<optimize::Solution> solution = solver.Solve(controls);  // may add relaxations
#pragma once

#include "core/base/status.h"
#include "core/optimize/solver.h"
#include "core/review/account_model.h"
#include "core/review/controls.h"

namespace arbor::review {

// Adds the relaxation of `kind` to the controls if it applies to the model's account and is not
// made yet, with its reason (`solver_message` says what failed); false when there is nothing to
// relax. The household rebalance climbs the same ladder for each of its accounts.
bool AddRelaxation(const AccountModel& model, RelaxationKind kind, const std::string& solver_message,
                   Controls& controls);

class PrioritySolver {
 public:
  PrioritySolver(const AccountModel& model, const optimize::SolverOptions& options)
      : model_(model), options_(options), problem_(model.problem) {}

  // An error only when no relaxation helps (or the input is invalid); the message names the
  // account and the constraint family the solver could not meet.
  Result<optimize::Solution> Solve(Controls& controls);

  int solves() const { return solves_; }
  double seconds() const { return seconds_; }

 private:
  // Solves once; a solution counts as feasible when optimal, or stopped at the iteration limit
  // with every constraint met to within a millionth of the account value.
  Result<optimize::Solution> SolveOnce(const Controls& controls);
  bool Feasible(const optimize::Solution& solution) const;

  const AccountModel& model_;
  optimize::SolverOptions options_;
  // The model's problem with the last controls solved applied; checked by the first solve.
  optimize::Problem problem_;
  bool validated_ = false;
  int solves_ = 0;
  double seconds_ = 0;
};

}  // namespace arbor::review
