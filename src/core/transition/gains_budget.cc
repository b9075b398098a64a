#include "core/transition/gains_budget.h"

#include <algorithm>
#include <utility>

#include "core/transition/realized.h"

namespace arbor::transition {
namespace {

// Engine runs one search may spend; each is a full rebalance.
constexpr int kMaxRebalances = 8;

struct Trial {
  review::Proposal proposal;
  double net_gain = 0;
  bool within = false;   // the budget held (not relaxed) and the net gain is within the gains
  bool binding = false;  // the proposal's tax is at its tax budget
};

class Search {
 public:
  Search(const review::RebalanceInput& input, double gains, const review::RebalanceOptions& options)
      : input_(input), gains_(gains), options_(options) {}

  Result<Trial> Try(double tax_budget) {
    ++rebalances_;
    input_.tax_budget = Money::FromDouble(tax_budget);
    Result<review::Proposal> proposal = review::Rebalance(input_, options_);
    if (!proposal.ok()) return proposal.status();
    Trial trial{.proposal = std::move(proposal).value()};
    const bool relaxed = std::ranges::any_of(trial.proposal.relaxations, [](const auto& r) {
      return r.kind == review::RelaxationKind::kTaxBudget;
    });
    trial.net_gain = RealizedBy(trial.proposal.trades, input_.tax_rates).Net().ToDouble();
    trial.within = !relaxed && trial.net_gain <= gains_ + 0.005;
    trial.binding = trial.proposal.after.tax.ToDouble() > tax_budget - 1;
    if (trial.within && (!best_ || trial.net_gain > best_->net_gain)) {
      best_ = trial;
      best_budget_ = tax_budget;
    }
    return trial;
  }

  // Close enough to the budget that another run is not worth it: within half a percent of it,
  // or $100.
  bool Done(const Trial& trial) const {
    return trial.within &&
           (!trial.binding || gains_ - trial.net_gain <= std::max(100.0, 0.005 * gains_));
  }
  bool Exhausted() const { return rebalances_ >= kMaxRebalances; }

  GainsBudgetOutcome Outcome() const {
    GainsBudgetOutcome outcome{.rebalances = rebalances_};
    if (best_) {
      outcome.proposal = best_->proposal;
      outcome.tax_budget = Money::FromDouble(best_budget_);
    }
    return outcome;
  }

 private:
  review::RebalanceInput input_;
  double gains_;
  review::RebalanceOptions options_;
  int rebalances_ = 0;
  std::optional<Trial> best_;
  double best_budget_ = 0;
};

}  // namespace

Result<GainsBudgetOutcome> RebalanceWithinGains(const review::RebalanceInput& input, Money gains,
                                                const review::RebalanceOptions& options) {
  const double g = gains.ToDouble();
  const double r_long = input.tax_rates.LongTerm();
  const double r_short = input.tax_rates.ShortTerm();
  Search search(input, g, options);
  // Long-term gains only would spend exactly this tax; short-term gains or harvested losses move
  // the net gain away from the budget, by at most the short-term rate per dollar.
  double budget = r_long * g;
  Result<Trial> first = search.Try(budget);
  if (!first.ok()) return first.status();
  if (search.Done(*first)) return search.Outcome();
  double feasible = budget, infeasible = budget;
  double miss = first->net_gain - g;
  bool bracketed = false;
  // Step outward until the budget is bracketed by a run within the gains and one above them.
  while (!bracketed && !search.Exhausted()) {
    const double step = std::abs(miss) * r_short + 1;
    const bool raising = first->within;
    const double probe = raising ? feasible + step : infeasible - step;
    Result<Trial> trial = search.Try(probe);
    if (!trial.ok()) return trial.status();
    if (search.Done(*trial)) return search.Outcome();
    if (trial->within == raising) {
      (raising ? feasible : infeasible) = probe;
      miss = trial->net_gain - g;
    } else {
      (raising ? infeasible : feasible) = probe;
      bracketed = true;
    }
  }
  while (bracketed && !search.Exhausted() && infeasible - feasible > 1) {
    const double middle = 0.5 * (feasible + infeasible);
    Result<Trial> trial = search.Try(middle);
    if (!trial.ok()) return trial.status();
    if (search.Done(*trial)) break;
    (trial->within ? feasible : infeasible) = middle;
  }
  return search.Outcome();
}

}  // namespace arbor::transition
