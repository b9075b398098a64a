// The spec's derived quantities (docs/rebalance-problem.md section 1) at a trade list, computed
// directly from their definitions so that solvers can be checked against them.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

#include "core/optimize/problem.h"

namespace arbor::optimize {
namespace {

// Keeps the largest constraint violation seen, in dollars, and the name of its constraint. A name
// may be given as a function that is called only for a new worst, so checking every bound of a
// large account builds no strings.
class WorstViolation {
 public:
  template <typename Name>
  void Consider(double dollars, const Name& constraint) {
    // A NaN trade must not pass as feasible just because every comparison with NaN is false.
    if (std::isnan(dollars)) dollars = std::numeric_limits<double>::infinity();
    if (dollars <= dollars_) return;
    dollars_ = dollars;
    if constexpr (std::is_invocable_v<Name>) {
      constraint_ = constraint();
    } else {
      constraint_ = constraint;
    }
  }
  double dollars() const { return dollars_; }
  const std::string& constraint() const { return constraint_; }

 private:
  double dollars_ = 0;
  std::string constraint_;
};

// (w - t)' Sigma (w - t) through Sigma = X F X' + diag(d): O(nK + K^2), never an n x n matrix.
double ActiveVariance(const RiskInput& risk, const Eigen::VectorXd& active) {
  const Eigen::VectorXd factor_exposure = risk.loadings.transpose() * active;
  const double factor_part = factor_exposure.dot(risk.factor_covariance * factor_exposure);
  const double specific_part = (risk.specific_variance.array() * active.array().square()).sum();
  return factor_part + specific_part;
}

}  // namespace

Evaluation Evaluate(const Problem& problem, const Eigen::VectorXd& buys,
                    const Eigen::VectorXd& sells) {
  const int n = problem.num_securities();
  assert(buys.size() == n && sells.size() == problem.num_lots());
  const CashInput& cash = problem.cash;
  WorstViolation worst;

  // Shares held and sold per security: lots enter only through these sums and their own bounds.
  Eigen::VectorXd held = Eigen::VectorXd::Zero(n);
  Eigen::VectorXd sold = Eigen::VectorXd::Zero(n);
  double tax = 0;
  for (int j = 0; j < problem.num_lots(); ++j) {
    const LotInput& lot = problem.lots[j];
    const double price = problem.securities[lot.security].price;
    held[lot.security] += lot.shares;
    sold[lot.security] += sells[j];
    tax += lot.tax_rate * (price - lot.cost_basis_per_share) * sells[j];
    auto shares_bound = [&] { return "lot " + lot.id + " shares"; };
    worst.Consider(-sells[j] * price, shares_bound);
    worst.Consider((sells[j] - lot.shares) * price, shares_bound);
    if (!lot.sellable) {
      worst.Consider(sells[j] * price, [&] { return "lot " + lot.id + " not sellable"; });
    }
    if (lot.must_sell) {
      worst.Consider((lot.shares - sells[j]) * price,
                     [&] { return "lot " + lot.id + " must_sell"; });
    }
  }

  Evaluation out;
  Eigen::VectorXd targets(n);
  Eigen::VectorXd position_value(n);
  double holdings_value = 0;
  double cash_flow = 0;  // sale proceeds minus purchases, before costs
  double cost = 0;
  for (int i = 0; i < n; ++i) {
    const SecurityInput& security = problem.securities[i];
    targets[i] = security.target_weight;
    holdings_value += security.price * held[i];
    position_value[i] = security.price * (held[i] + buys[i] - sold[i]);
    const double traded = security.price * (buys[i] + sold[i]);
    out.traded += traded;
    cost += security.cost_rate * traded;
    cash_flow += security.price * (sold[i] - buys[i]);
    const double bought = buys[i] * security.price;
    worst.Consider(-bought, [&] { return "buy of " + security.symbol + " negative"; });
    if (!security.may_buy) {
      worst.Consider(bought, [&] { return "buy of " + security.symbol + " not allowed"; });
    }
  }
  const double value = cash.balance - cash.withdrawal + holdings_value;
  out.normalizer = value;
  out.cash_after = cash.balance - cash.withdrawal + cash_flow - cost;
  out.weights = position_value / value;
  for (int i = 0; i < n; ++i) {
    const SecurityInput& security = problem.securities[i];
    auto weight_bound = [&] { return "weight bound of " + security.symbol; };
    worst.Consider(security.min_weight * value - position_value[i], weight_bound);
    worst.Consider(position_value[i] - security.max_weight * value, weight_bound);
  }
  const Eigen::VectorXd active = out.weights - targets;

  out.group_active.resize(problem.groups.size());
  double drift_weight = 0;  // sum_g mu_g |active_g|
  for (size_t g = 0; g < problem.groups.size(); ++g) {
    const GroupInput& group = problem.groups[g];
    double group_active = 0;
    for (int member : group.members) group_active += active[member];
    out.group_active[g] = group_active;
    drift_weight += group.penalty * std::abs(group_active);
    if (group.max_active) {
      worst.Consider((std::abs(group_active) - *group.max_active) * value,
                     [&] { return "group " + group.name + " max_active"; });
    }
  }

  if (cash.min) worst.Consider(*cash.min - out.cash_after, "cash min");
  if (cash.max) worst.Consider(out.cash_after - *cash.max, "cash max");
  if (problem.tax_budget) worst.Consider(tax - *problem.tax_budget, "tax budget");
  if (problem.turnover_max) worst.Consider(out.traded - *problem.turnover_max, "turnover");

  // Rounding can make a PSD quadratic form a hair negative at the target itself.
  const double variance = std::max(0.0, ActiveVariance(problem.risk, active));
  out.tracking_error = std::sqrt(variance);
  out.terms.risk = problem.risk.aversion / 2 * value * variance;
  out.terms.tax = tax;
  out.terms.cost = cost;
  out.terms.drift = value * drift_weight;
  out.max_violation_dollars = worst.dollars();
  out.worst_violation = worst.constraint();
  return out;
}

}  // namespace arbor::optimize
