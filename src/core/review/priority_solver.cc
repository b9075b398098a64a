#include "core/review/priority_solver.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>

#include "core/review/dollars.h"

namespace arbor::review {
namespace {

constexpr RelaxationKind kLadder[] = {RelaxationKind::kTaxBudget, RelaxationKind::kCashMax,
                                      RelaxationKind::kSellRestrictions, RelaxationKind::kCashMin};

// A point at the iteration limit is used when no constraint is off by more than this share of V.
constexpr double kAcceptableViolation = 1e-6;

// The most cash the account can have after the withdrawal: every sellable lot sold, nothing
// bought.
double ReachableCash(const optimize::Problem& problem) {
  double cash = problem.cash.balance - problem.cash.withdrawal;
  for (const optimize::LotInput& lot : problem.lots) {
    if (!lot.sellable) continue;
    const optimize::SecurityInput& security = problem.securities[lot.security];
    cash += security.price * lot.shares * (1 - security.cost_rate);
  }
  return cash;
}

std::string RestrictedSymbols(const AccountModel& model) {
  std::set<std::string> symbols;
  for (size_t j = 0; j < model.lots.size(); ++j) {
    if (model.lots[j].restricted || model.lots[j].wash_held) {
      symbols.insert(model.problem.securities[model.problem.lots[j].security].symbol);
    }
  }
  std::string text;
  for (const std::string& symbol : symbols) text += (text.empty() ? "" : ", ") + symbol;
  return text;
}

}  // namespace

Result<optimize::Solution> PrioritySolver::SolveOnce(const Controls& controls) {
  const auto start = std::chrono::steady_clock::now();
  ApplyControls(model_, controls, problem_);
  Result<optimize::Solution> solution =
      validated_ ? optimize::SolveValidated(problem_, options_) : optimize::Solve(problem_, options_);
  validated_ = validated_ || solution.ok();
  ++solves_;
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!solution.ok()) {
    return solution.status().WithContext("rebalance of account " + model_.input->account);
  }
  return solution;
}

bool PrioritySolver::Feasible(const optimize::Solution& solution) const {
  switch (solution.summary.status) {
    case optimize::SolveStatus::kOptimal:
      return true;
    case optimize::SolveStatus::kIterationLimit:
      return solution.evaluation.max_violation_dollars <= kAcceptableViolation * model_.value;
    default:
      return false;
  }
}

bool AddRelaxation(const AccountModel& model, RelaxationKind kind, const std::string& solver_message,
                   Controls& controls) {
  if (controls.Relaxed(kind)) return false;
  const optimize::Problem& base = model.problem;
  Relaxation relaxation{.kind = kind};
  switch (kind) {
    case RelaxationKind::kTaxBudget:
      if (!base.tax_budget) return false;
      relaxation.constraint = "tax budget " + Dollars(*base.tax_budget);
      relaxation.reason =
          "must-sell lots and cash needs come first and cannot be met within the "
          "tax budget (" +
          solver_message + "); the proposal ignores the budget";
      break;
    case RelaxationKind::kCashMax:
      if (!base.cash.max) return false;
      relaxation.constraint = "cash maximum " + Dollars(*base.cash.max);
      relaxation.reason =
          "too little may be bought (restrictions, screens, wash-sale blocks) to "
          "bring cash under its maximum (" +
          solver_message + ")";
      break;
    case RelaxationKind::kSellRestrictions: {
      const std::string symbols = RestrictedSymbols(model);
      if (symbols.empty()) return false;
      relaxation.constraint = "sell restrictions on " + symbols;
      relaxation.reason =
          "cash needs come before restrictions: the cash minimum and withdrawal "
          "cannot be met from the other lots (" +
          solver_message + "), so these lots may be sold";
      break;
    }
    case RelaxationKind::kCashMin: {
      const double reachable = ReachableCash(Materialize(model, controls));
      const double slack = std::max(1e-6 * model.value, 0.01);
      if (!base.cash.min || reachable - slack >= *base.cash.min) return false;
      relaxation.cash_min = reachable - slack;
      relaxation.constraint = "cash minimum " + Dollars(*base.cash.min);
      relaxation.reason = "selling every sellable lot leaves only " + Dollars(reachable) +
                          " after the withdrawal of " + Dollars(base.cash.withdrawal) +
                          "; the minimum is lowered to that";
      break;
    }
  }
  controls.relaxations.push_back(std::move(relaxation));
  return true;
}

Result<optimize::Solution> PrioritySolver::Solve(Controls& controls) {
  Result<optimize::Solution> solution = SolveOnce(controls);
  if (!solution.ok() || Feasible(*solution)) return solution;
  std::string message = solution->summary.message;
  std::vector<RelaxationKind> applied;
  std::optional<optimize::Solution> feasible;
  for (RelaxationKind kind : kLadder) {
    if (!AddRelaxation(model_, kind, message, controls)) continue;
    applied.push_back(kind);
    solution = SolveOnce(controls);
    if (!solution.ok()) return solution;
    if (Feasible(*solution)) {
      feasible = std::move(solution).value();
      break;
    }
    message = solution->summary.message;
  }
  if (!feasible) {
    return Status::FailedPrecondition("account " + model_.input->account +
                                      " cannot be rebalanced even with the tax budget, cash "
                                      "limits and sell restrictions relaxed: " +
                                      message);
  }
  // The last relaxation was needed given the earlier ones; an earlier one may not be.
  for (int k = static_cast<int>(applied.size()) - 2; k >= 0; --k) {
    Controls trial = controls;
    std::erase_if(trial.relaxations,
                  [kind = applied[k]](const Relaxation& r) { return r.kind == kind; });
    Result<optimize::Solution> restored = SolveOnce(trial);
    if (!restored.ok()) return restored;
    if (Feasible(*restored)) {
      controls = std::move(trial);
      feasible = std::move(restored).value();
    }
  }
  return *std::move(feasible);
}

}  // namespace arbor::review
