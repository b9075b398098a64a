#include "core/optimize/testing/dense_qp.h"

#include <algorithm>
#include <cmath>

namespace arbor::optimize::testing {

DenseQp FormulateDenseQp(const Problem& problem) {
  DenseQp qp;
  const int n = problem.num_securities();
  const int m = problem.num_lots();
  qp.num_securities = n;
  qp.num_lots = m;
  for (int g = 0; g < static_cast<int>(problem.groups.size()); ++g) {
    if (problem.groups[g].penalty > 0) qp.drift_groups.push_back(g);
  }
  std::vector<double> held(n, 0.0);
  for (const LotInput& lot : problem.lots) held[lot.security] += lot.shares;
  qp.normalizer = problem.cash.balance - problem.cash.withdrawal;
  for (int i = 0; i < n; ++i) qp.normalizer += problem.securities[i].price * held[i];
  const double v = qp.normalizer;
  for (const SecurityInput& security : problem.securities) qp.prices.push_back(security.price);
  for (const LotInput& lot : problem.lots) qp.lot_security.push_back(lot.security);

  const int num_variables = qp.num_variables();
  qp.variable_lower = Eigen::VectorXd::Zero(num_variables);
  qp.variable_upper = Eigen::VectorXd::Constant(num_variables, kUnbounded);
  qp.linear_cost = Eigen::VectorXd::Zero(num_variables);
  qp.targets.resize(n);

  for (int i = 0; i < n; ++i) {
    const SecurityInput& security = problem.securities[i];
    if (!security.may_buy) qp.variable_upper(qp.buy(i)) = 0;
    qp.linear_cost(qp.buy(i)) = security.cost_rate;
    qp.variable_lower(qp.weight(i)) = security.min_weight;
    qp.variable_upper(qp.weight(i)) = security.max_weight;
    qp.targets(i) = security.target_weight;
  }
  for (int j = 0; j < m; ++j) {
    const LotInput& lot = problem.lots[j];
    const SecurityInput& security = problem.securities[lot.security];
    const double position = security.price * lot.shares / v;
    qp.variable_upper(qp.sell(j)) = lot.sellable || lot.must_sell ? position : 0.0;
    if (lot.must_sell) qp.variable_lower(qp.sell(j)) = position;
    // Selling p*s dollars realizes (p - c) * s of gain: per dollar / V sold, r * (1 - c / p).
    qp.linear_cost(qp.sell(j)) =
        security.cost_rate + lot.tax_rate * (1 - lot.cost_basis_per_share / security.price);
  }

  // w_i - buy_i + sum of the sells of i's lots = today's weight.
  for (int i = 0; i < n; ++i) {
    DenseQpRow row{.name = "weight[" + problem.securities[i].symbol + "]"};
    row.terms = {{qp.weight(i), 1.0}, {qp.buy(i), -1.0}};
    row.lower = row.upper = problem.securities[i].price * held[i] / v;
    qp.rows.push_back(std::move(row));
  }
  for (int j = 0; j < m; ++j) qp.rows[problem.lots[j].security].terms.emplace_back(qp.sell(j), 1.0);

  if (problem.cash.min || problem.cash.max) {
    DenseQpRow cash{.name = "cash"};
    for (int i = 0; i < n; ++i) {
      cash.terms.emplace_back(qp.buy(i), -(1 + problem.securities[i].cost_rate));
    }
    for (int j = 0; j < m; ++j) {
      cash.terms.emplace_back(qp.sell(j),
                              1 - problem.securities[problem.lots[j].security].cost_rate);
    }
    const double cash_before = problem.cash.balance - problem.cash.withdrawal;
    if (problem.cash.min) cash.lower = (*problem.cash.min - cash_before) / v;
    if (problem.cash.max) cash.upper = (*problem.cash.max - cash_before) / v;
    qp.rows.push_back(std::move(cash));
  }

  for (int g = 0; g < static_cast<int>(problem.groups.size()); ++g) {
    const GroupInput& group = problem.groups[g];
    double group_target = 0;
    std::vector<std::pair<int, double>> weight_sum;
    for (int member : group.members) {
      group_target += problem.securities[member].target_weight;
      weight_sum.emplace_back(qp.weight(member), 1.0);
    }
    if (group.max_active) {
      DenseQpRow bound{.name = "group[" + group.name + "].max_active", .terms = weight_sum};
      bound.lower = group_target - *group.max_active;
      bound.upper = group_target + *group.max_active;
      qp.rows.push_back(std::move(bound));
    }
  }
  for (int k = 0; k < static_cast<int>(qp.drift_groups.size()); ++k) {
    const GroupInput& group = problem.groups[qp.drift_groups[k]];
    qp.linear_cost(qp.drift(k)) = group.penalty;
    double group_target = 0;
    for (int member : group.members) group_target += problem.securities[member].target_weight;
    // drift >= active and drift >= -active.
    DenseQpRow above{.name = "group[" + group.name + "].drift_above",
                     .terms = {{qp.drift(k), 1.0}}};
    DenseQpRow below{.name = "group[" + group.name + "].drift_below",
                     .terms = {{qp.drift(k), 1.0}}};
    for (int member : group.members) {
      above.terms.emplace_back(qp.weight(member), -1.0);
      below.terms.emplace_back(qp.weight(member), 1.0);
    }
    above.lower = -group_target;
    below.lower = group_target;
    qp.rows.push_back(std::move(above));
    qp.rows.push_back(std::move(below));
  }

  if (problem.tax_budget) {
    DenseQpRow tax{.name = "tax_budget"};
    for (int j = 0; j < m; ++j) {
      const LotInput& lot = problem.lots[j];
      tax.terms.emplace_back(
          qp.sell(j),
          lot.tax_rate * (1 - lot.cost_basis_per_share / problem.securities[lot.security].price));
    }
    tax.upper = *problem.tax_budget / v;
    qp.rows.push_back(std::move(tax));
  }
  if (problem.turnover_max) {
    DenseQpRow turnover{.name = "turnover"};
    for (int i = 0; i < n; ++i) turnover.terms.emplace_back(qp.buy(i), 1.0);
    for (int j = 0; j < m; ++j) turnover.terms.emplace_back(qp.sell(j), 1.0);
    turnover.upper = *problem.turnover_max / v;
    qp.rows.push_back(std::move(turnover));
  }

  // Sigma formed explicitly, as a solver that ignores the factor structure must.
  const RiskInput& risk = problem.risk;
  qp.risk_hessian = Eigen::MatrixXd::Zero(n, n);
  if (risk.aversion > 0) {
    if (risk.factor_covariance.size() > 0) {
      qp.risk_hessian = risk.loadings * risk.factor_covariance * risk.loadings.transpose();
    }
    qp.risk_hessian.diagonal() += risk.specific_variance;
    qp.risk_hessian *= risk.aversion;
  }
  return qp;
}

double DenseQp::Objective(const Eigen::VectorXd& x) const {
  const Eigen::VectorXd active = x.segment(weight(0), num_securities) - targets;
  return 0.5 * active.dot(risk_hessian * active) + linear_cost.dot(x);
}

double DenseQp::MaxViolation(const Eigen::VectorXd& x) const {
  double worst = 0;
  for (int k = 0; k < num_variables(); ++k) {
    worst = std::max({worst, variable_lower(k) - x(k), x(k) - variable_upper(k)});
  }
  for (const DenseQpRow& row : rows) {
    double value = 0;
    for (const auto& [variable, coefficient] : row.terms) value += coefficient * x(variable);
    worst = std::max({worst, row.lower - value, value - row.upper});
  }
  return worst;
}

Eigen::VectorXd DenseQp::Buys(const Eigen::VectorXd& x) const {
  Eigen::VectorXd buys(num_securities);
  for (int i = 0; i < num_securities; ++i) buys(i) = x(buy(i)) * normalizer / prices[i];
  return buys;
}

Eigen::VectorXd DenseQp::Sells(const Eigen::VectorXd& x) const {
  Eigen::VectorXd sells(num_lots);
  for (int j = 0; j < num_lots; ++j) sells(j) = x(sell(j)) * normalizer / prices[lot_security[j]];
  return sells;
}

void Interpret(const DenseQp& qp, const Eigen::VectorXd& x, DenseQpSolution& solution) {
  solution.objective = qp.Objective(x) * qp.normalizer;
  solution.max_violation = qp.MaxViolation(x) * qp.normalizer;
  solution.buys = qp.Buys(x);
  solution.sells = qp.Sells(x);
}

}  // namespace arbor::optimize::testing
