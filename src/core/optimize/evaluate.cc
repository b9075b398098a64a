// The spec's derived quantities (docs/rebalance-problem.md section 1) at a trade list, computed
// directly from their definitions so that solvers can be checked against them.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

#include "core/optimize/household_problem.h"
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

namespace arbor::optimize {

HouseholdEvaluation EvaluateHousehold(const HouseholdProblem& problem, const std::vector<Eigen::VectorXd>& buys,
                                      const std::vector<Eigen::VectorXd>& sells) {
  const int n = problem.num_securities();
  const int accounts = problem.num_accounts();
  assert(static_cast<int>(buys.size()) == accounts && static_cast<int>(sells.size()) == accounts);
  WorstViolation worst;
  HouseholdEvaluation out;
  out.accounts.resize(accounts);

  // Per account: its positions after trading (dollars), cash, tax and cost.
  std::vector<Eigen::VectorXd> position(accounts, Eigen::VectorXd::Zero(n));
  Eigen::VectorXd household_position = Eigen::VectorXd::Zero(n);
  double value = 0, tax = 0, cost = 0, traded = 0, cash_after = 0;
  for (int a = 0; a < accounts; ++a) {
    const HouseholdAccountInput& account = problem.accounts[a];
    HouseholdAccountResult& result = out.accounts[a];
    result.buys = buys[a];
    result.sells = sells[a];
    const std::string prefix = "account " + account.id + ": ";
    std::vector<char> may_buy(n, account.allowed ? 0 : 1);
    if (account.allowed) {
      for (int i : *account.allowed) may_buy[i] = 1;
    }
    double account_value = account.cash.balance - account.cash.withdrawal;
    double cash_flow = 0;
    for (int j = 0; j < static_cast<int>(account.lots.size()); ++j) {
      const LotInput& lot = account.lots[j];
      const double price = problem.securities[lot.security].price;
      const double sold = sells[a][j];
      account_value += price * lot.shares;
      position[a][lot.security] += price * (lot.shares - sold);
      cash_flow += price * sold;
      const double rate = account.cost_rates.empty() ? problem.securities[lot.security].cost_rate
                                                     : account.cost_rates[lot.security];
      result.cost += rate * price * sold;
      traded += price * sold;
      result.tax += lot.tax_rate * (price - lot.cost_basis_per_share) * sold;
      auto shares_bound = [&] { return prefix + "lot " + lot.id + " shares"; };
      worst.Consider(-sold * price, shares_bound);
      worst.Consider((sold - lot.shares) * price, shares_bound);
      if (!lot.sellable) worst.Consider(sold * price, [&] { return prefix + "lot " + lot.id + " not sellable"; });
      if (lot.must_sell) {
        worst.Consider((lot.shares - sold) * price, [&] { return prefix + "lot " + lot.id + " must_sell"; });
      }
    }
    for (int i = 0; i < n; ++i) {
      const SecurityInput& security = problem.securities[i];
      const double bought = buys[a][i] * security.price;
      position[a][i] += bought;
      cash_flow -= bought;
      const double rate = account.cost_rates.empty() ? security.cost_rate : account.cost_rates[i];
      result.cost += rate * bought;
      traded += bought;
      worst.Consider(-bought, [&] { return prefix + "buy of " + security.symbol + " negative"; });
      if (!security.may_buy || !may_buy[i]) {
        worst.Consider(bought, [&] { return prefix + "buy of " + security.symbol + " not allowed"; });
      }
    }
    result.value_before = account_value;
    result.cash_after = account.cash.balance - account.cash.withdrawal + cash_flow - result.cost;
    if (account.cash.min) worst.Consider(*account.cash.min - result.cash_after, prefix + "cash min");
    if (account.cash.max) worst.Consider(result.cash_after - *account.cash.max, prefix + "cash max");
    value += account_value;
    tax += result.tax;
    cost += result.cost;
    cash_after += result.cash_after;
    household_position += position[a];
  }

  // The household's weights, groups and risk, as for one account.
  Evaluation& household = out.household;
  household.normalizer = value;
  household.cash_after = cash_after;
  household.traded = traded;
  household.weights = household_position / value;
  Eigen::VectorXd targets(n);
  for (int i = 0; i < n; ++i) {
    const SecurityInput& security = problem.securities[i];
    targets[i] = security.target_weight;
    auto weight_bound = [&] { return "weight bound of " + security.symbol; };
    worst.Consider(security.min_weight * value - household_position[i], weight_bound);
    worst.Consider(household_position[i] - security.max_weight * value, weight_bound);
  }
  const Eigen::VectorXd active = household.weights - targets;
  household.group_active.resize(static_cast<Eigen::Index>(problem.groups.size()));
  double drift_weight = 0;
  for (size_t g = 0; g < problem.groups.size(); ++g) {
    const GroupInput& group = problem.groups[g];
    double group_active = 0;
    for (int member : group.members) group_active += active[member];
    household.group_active[static_cast<Eigen::Index>(g)] = group_active;
    drift_weight += group.penalty * std::abs(group_active);
    if (group.max_active) {
      worst.Consider((std::abs(group_active) - *group.max_active) * value,
                     [&] { return "group " + group.name + " max_active"; });
    }
  }
  if (problem.tax_budget) worst.Consider(tax - *problem.tax_budget, "tax budget");
  if (problem.turnover_max) worst.Consider(traded - *problem.turnover_max, "turnover");

  // Location, V_H sum loc_{a,i} w_{a,i} = sum loc_{a,i} (dollars held), and each account's drift.
  double account_drift = 0;
  for (int a = 0; a < accounts; ++a) {
    const HouseholdAccountInput& account = problem.accounts[a];
    HouseholdAccountResult& result = out.accounts[a];
    if (!account.location.empty()) {
      result.location = Eigen::Map<const Eigen::VectorXd>(account.location.data(), n).dot(position[a]);
    }
    out.location += result.location;
    const double account_value = result.value_before;
    result.weights = account_value > 0 ? Eigen::VectorXd(position[a] / account_value) : Eigen::VectorXd::Zero(n);
    if (account.drift_penalty > 0) {
      result.drift = account.drift_penalty * (position[a] - targets * account_value).cwiseAbs().sum();
      account_drift += result.drift;
    }
  }

  const double variance = std::max(0.0, ActiveVariance(problem.risk, active));
  household.tracking_error = std::sqrt(variance);
  household.terms.risk = problem.risk.aversion / 2 * value * variance;
  household.terms.tax = tax;
  household.terms.cost = cost;
  household.terms.drift = value * drift_weight + account_drift;
  household.max_violation_dollars = worst.dollars();
  household.worst_violation = worst.constraint();
  return out;
}

}  // namespace arbor::optimize
