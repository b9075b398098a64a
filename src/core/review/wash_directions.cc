#include "core/review/wash_directions.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/optimize/lower_bound.h"

namespace arbor::review {
namespace {

// How close a decision was: 1 when the group bought as much as it sold at a loss, near 0 when
// one side dominated.
double Ambiguity(const WashSaleDecision& decision) {
  const double larger = std::max(decision.relaxed_buys, decision.relaxed_loss_sales);
  return larger > 0 ? std::min(decision.relaxed_buys, decision.relaxed_loss_sales) / larger : 0;
}

Direction Choose(const AccountModel& model, ConflictRule rule, const GroupFlows& flow) {
  if (rule == ConflictRule::kLargerSide) {
    return flow.loss_sales >= flow.buys ? Direction::kSell : Direction::kBuy;
  }
  const double risk_of_not_buying = model.problem.risk.aversion / 2 * flow.buys * flow.buys /
                                    model.value * flow.buys_specific_variance;
  return flow.loss_tax_benefit >= risk_of_not_buying ? Direction::kSell : Direction::kBuy;
}

// Fixes the direction of every free group that both buys and sells at a loss; false if none.
bool FixConflicts(const AccountModel& model, ConflictRule rule, const optimize::Solution& solution,
                  Controls& controls, std::vector<WashSaleDecision>* decisions) {
  const double threshold = kNegligibleTradeWeight * model.value;
  const std::vector<GroupFlows> flows = FlowsByGroup(model, solution.buys, solution.sells);
  bool fixed = false;
  for (size_t g = 0; g < flows.size(); ++g) {
    const GroupFlows& flow = flows[g];
    if (controls.directions[g] != Direction::kFree) continue;
    if (flow.buys <= threshold || flow.loss_sales <= threshold) continue;
    const Direction direction = Choose(model, rule, flow);
    controls.directions[g] = direction;
    decisions->push_back({.group = static_cast<int>(g),
                          .direction = direction,
                          .relaxed_buys = flow.buys,
                          .relaxed_loss_sales = flow.loss_sales});
    fixed = true;
  }
  return fixed;
}

// True when directions `trial` cannot lead to an objective lower than `solution`'s by the
// materiality, whatever else is decided after them: the certified lower bound of
// optimize/lower_bound.h (prepared at `solution`) on the trial's problem (later decisions only
// restrict it further) is above the objective less the materiality, by more than the solver's
// accuracy. Such a trial need not be solved. `trial` is the model's problem under the trial's
// controls.
bool CannotBeat(const AccountModel& model, const optimize::Problem& trial, const optimize::TradeChangeBound& bound,
                const optimize::Solution& solution, const DirectionOptions& options) {
  const double objective = solution.objective();
  const double accuracy = 1e-6 * std::max(std::abs(objective), 1e-4 * model.value);
  const double materiality = options.materiality_bps * 1e-4 * model.value;
  return bound.Of(trial) > objective - materiality + accuracy;
}

Direction Opposite(Direction direction) {
  return direction == Direction::kSell ? Direction::kBuy : Direction::kSell;
}

}  // namespace

std::vector<GroupFlows> FlowsByGroup(const AccountModel& model, const Eigen::VectorXd& buys,
                                     const Eigen::VectorXd& sells) {
  std::vector<GroupFlows> flows(model.wash_groups.size());
  for (size_t i = 0; i < model.securities.size(); ++i) {
    GroupFlows& flow = flows[model.securities[i].wash_group];
    const double bought = buys[i] * model.problem.securities[i].price;
    flow.buys += bought;
    flow.buys_specific_variance += bought * model.problem.risk.specific_variance[i];
  }
  for (GroupFlows& flow : flows) {
    if (flow.buys > 0) flow.buys_specific_variance /= flow.buys;
  }
  for (size_t j = 0; j < model.lots.size(); ++j) {
    if (!model.lots[j].reportable_loss) continue;
    const optimize::LotInput& lot = model.problem.lots[j];
    const double price = model.problem.securities[lot.security].price;
    GroupFlows& flow = flows[model.securities[lot.security].wash_group];
    flow.loss_sales += sells[j] * price;
    flow.loss_tax_benefit += lot.tax_rate * (lot.cost_basis_per_share - price) * sells[j];
  }
  return flows;
}

Result<optimize::Solution> SolveWithoutConflicts(const AccountModel& model, PrioritySolver& solver,
                                                 ConflictRule rule, Controls& controls,
                                                 std::vector<WashSaleDecision>* decisions) {
  // Each round fixes at least one more group, so this ends within #groups + 1 solves.
  while (true) {
    Result<optimize::Solution> solution = solver.Solve(controls);
    if (!solution.ok()) return solution;
    if (!FixConflicts(model, rule, *solution, controls, decisions)) return solution;
  }
}

Result<DirectionSearch> ResolveWashSaleConflicts(const AccountModel& model, PrioritySolver& solver,
                                                 Controls& controls,
                                                 const DirectionOptions& options) {
  DirectionSearch search;
  // The model's problem under the controls a bound is prepared at (the bound refers to it), and
  // under a trial's: copied when first needed (an account without conflicts needs neither), then
  // each re-applied in place.
  std::optional<optimize::Problem> current, scratch;
  auto under = [&](std::optional<optimize::Problem>& problem, const Controls& applied) -> optimize::Problem& {
    if (!problem) problem.emplace(model.problem);
    ApplyControls(model, applied, *problem);
    return *problem;
  };
  Result<optimize::Solution> relaxation = solver.Solve(controls);
  if (!relaxation.ok()) return relaxation.status();
  search.relaxation = *relaxation;
  search.solution = *std::move(relaxation);
  bool first = true;
  const Controls relaxed = controls;
  for (ConflictRule rule : {ConflictRule::kWorthMore, ConflictRule::kLargerSide}) {
    Controls start = relaxed;
    std::vector<WashSaleDecision> decisions;
    if (!FixConflicts(model, rule, search.relaxation, start, &decisions)) break;  // no conflict
    if (!first && options.skip_hopeless) {
      const optimize::TradeChangeBound bound(under(current, controls), search.solution);
      if (CannotBeat(model, under(scratch, start), bound, search.solution, options)) break;
    }
    Result<optimize::Solution> solution =
        SolveWithoutConflicts(model, solver, rule, start, &decisions);
    if (!solution.ok()) return solution.status();
    const bool better = first || (start.relaxations.size() <= controls.relaxations.size() &&
                                  solution->objective() < search.solution.objective());
    if (better) {
      controls = std::move(start);
      search.decisions = std::move(decisions);
      search.solution = *std::move(solution);
      search.rule = rule;
    }
    first = false;
  }

  std::vector<size_t> order(search.decisions.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return Ambiguity(search.decisions[a]) > Ambiguity(search.decisions[b]);
  });
  const int budget_end = solver.solves() + options.max_search_solves;
  const double tolerance = 1e-9 * model.value;
  // Passes over the decisions until one changes nothing: a flip can make another one pay.
  // A flip the lower bound rules out counts as a failed one, and as one solve of the budget
  // although none is made, so the search stops where it did when every flip was solved (or a
  // little later, if the flip would have needed more solves for new conflicts: never worse).
  int skipped = 0;
  int failures = 0;  // in a row
  std::optional<optimize::TradeChangeBound> bound;  // prepared at the first flip it may rule out
  for (bool improved = true; improved;) {
    improved = false;
    for (size_t k : order) {
      if (solver.solves() + skipped >= budget_end || failures >= options.max_failed_flips) {
        return search;
      }
      const int group = search.decisions[k].group;
      Controls trial = controls;
      trial.directions[group] = Opposite(trial.directions[group]);
      if (options.skip_hopeless && !bound) bound.emplace(under(current, controls), search.solution);
      if (options.skip_hopeless && CannotBeat(model, under(scratch, trial), *bound, search.solution, options)) {
        ++skipped;
        ++failures;
        continue;
      }
      std::vector<WashSaleDecision> trial_decisions = search.decisions;
      Result<optimize::Solution> solution =
          SolveWithoutConflicts(model, solver, search.rule, trial, &trial_decisions);
      if (!solution.ok()) return solution.status();
      // A flip that needs a relaxation the current directions do not is never better.
      const bool same_relaxations = trial.relaxations.size() == controls.relaxations.size();
      if (same_relaxations && solution->objective() < search.solution.objective() - tolerance) {
        controls = std::move(trial);
        search.decisions = std::move(trial_decisions);
        search.decisions[k].direction = controls.directions[group];
        search.solution = *std::move(solution);
        bound.reset();
        improved = true;
        failures = 0;
      } else {
        ++failures;
      }
    }
  }
  return search;
}

}  // namespace arbor::review
