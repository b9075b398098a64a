#include "core/optimize/testing/dense_qp.h"

#include <algorithm>
#include <cmath>

namespace arbor::optimize::testing {

Problem AccountAlone(const HouseholdProblem& problem, int a) {
  const HouseholdAccountInput& account = problem.accounts[a];
  Problem alone{.securities = problem.securities, .lots = account.lots, .cash = account.cash};
  std::vector<bool> allowed(problem.securities.size(), !account.allowed.has_value());
  for (int i : account.allowed.value_or(std::vector<int>{})) allowed[i] = true;
  for (size_t i = 0; i < alone.securities.size(); ++i) {
    SecurityInput& security = alone.securities[i];
    security.may_buy = security.may_buy && allowed[i];
    if (!account.cost_rates.empty()) security.cost_rate = account.cost_rates[i];
    security.min_weight = 0;
    security.max_weight = 1;
  }
  return alone;
}

HouseholdProblem AsHousehold(const Problem& problem) {
  HouseholdProblem household{.securities = problem.securities,
                             .risk = problem.risk,
                             .groups = problem.groups,
                             .tax_budget = problem.tax_budget,
                             .turnover_max = problem.turnover_max};
  household.accounts.push_back(
      {.id = "A", .type = "taxable", .cash = problem.cash, .lots = problem.lots});
  return household;
}

DenseQp FormulateDenseQp(const Problem& problem) { return FormulateDenseQp(AsHousehold(problem)); }

DenseQp FormulateDenseQp(const HouseholdProblem& problem) {
  DenseQp qp;
  const int n = problem.num_securities();
  const int num_accounts = problem.num_accounts();
  qp.num_securities = n;
  qp.num_buys = n * num_accounts;
  // Each account alone (its buy permissions and cost rates), where its lots start among the sell
  // variables, and its value V_a.
  std::vector<Problem> alone;
  std::vector<int> first_lot;
  std::vector<double> account_value;
  for (int a = 0; a < num_accounts; ++a) {
    alone.push_back(AccountAlone(problem, a));
    first_lot.push_back(qp.num_lots);
    qp.num_lots += alone[a].num_lots();
    double value = alone[a].cash.balance - alone[a].cash.withdrawal;
    for (const LotInput& lot : alone[a].lots) {
      value += problem.securities[lot.security].price * lot.shares;
    }
    account_value.push_back(value);
    qp.normalizer += value;
  }
  for (int g = 0; g < static_cast<int>(problem.groups.size()); ++g) {
    if (problem.groups[g].penalty > 0) qp.drift_groups.push_back(g);
  }
  std::vector<int> drifting_accounts;
  for (int a = 0; a < num_accounts; ++a) {
    if (problem.accounts[a].drift_penalty > 0) drifting_accounts.push_back(a);
  }
  qp.num_drifts = static_cast<int>(qp.drift_groups.size() + drifting_accounts.size() * n);
  const double v = qp.normalizer;
  for (const SecurityInput& security : problem.securities) qp.prices.push_back(security.price);
  for (int a = 0; a < num_accounts; ++a) {
    for (int i = 0; i < n; ++i) qp.buy_security.push_back(i);
  }
  for (const HouseholdAccountInput& account : problem.accounts) {
    for (const LotInput& lot : account.lots) qp.lot_security.push_back(lot.security);
  }

  const int num_variables = qp.num_variables();
  qp.variable_lower = Eigen::VectorXd::Zero(num_variables);
  qp.variable_upper = Eigen::VectorXd::Constant(num_variables, kUnbounded);
  qp.linear_cost = Eigen::VectorXd::Zero(num_variables);
  qp.targets.resize(n);
  for (int i = 0; i < n; ++i) {
    const SecurityInput& security = problem.securities[i];
    qp.variable_lower(qp.weight(i)) = security.min_weight;
    qp.variable_upper(qp.weight(i)) = security.max_weight;
    qp.targets(i) = security.target_weight;
  }

  // held[a][i]: account a's holding of security i today, dollars / V.
  std::vector<std::vector<double>> held(num_accounts, std::vector<double>(n, 0.0));
  for (int a = 0; a < num_accounts; ++a) {
    const HouseholdAccountInput& account = problem.accounts[a];
    const std::vector<SecurityInput>& securities = alone[a].securities;
    // Holding a dollar / V of security i in the account costs loc_{a,i}: buying adds it and
    // selling removes it, today's holding is the constant.
    auto location = [&](int i) { return account.location.empty() ? 0.0 : account.location[i]; };
    for (int i = 0; i < n; ++i) {
      const int k = qp.buy(a * n + i);
      if (!securities[i].may_buy) qp.variable_upper(k) = 0;
      qp.linear_cost(k) = securities[i].cost_rate + location(i);
    }
    for (size_t l = 0; l < account.lots.size(); ++l) {
      const LotInput& lot = account.lots[l];
      const double price = problem.securities[lot.security].price;
      const double position = price * lot.shares / v;
      const int k = qp.sell(first_lot[a] + static_cast<int>(l));
      held[a][lot.security] += position;
      qp.variable_upper(k) = lot.sellable || lot.must_sell ? position : 0.0;
      if (lot.must_sell) qp.variable_lower(k) = position;
      // Selling p*s dollars realizes (p - c) * s of gain: per dollar / V sold, r * (1 - c / p).
      qp.linear_cost(k) = securities[lot.security].cost_rate +
                          lot.tax_rate * (1 - lot.cost_basis_per_share / price) -
                          location(lot.security);
    }
    for (int i = 0; i < n; ++i) qp.constant_cost += location(i) * held[a][i];
  }

  // w_i - buys of i + sells of i's lots = today's weight, summed over the accounts.
  for (int i = 0; i < n; ++i) {
    DenseQpRow row{.name = "weight[" + problem.securities[i].symbol + "]"};
    row.terms.emplace_back(qp.weight(i), 1.0);
    double weight_today = 0;
    for (int a = 0; a < num_accounts; ++a) {
      row.terms.emplace_back(qp.buy(a * n + i), -1.0);
      weight_today += held[a][i];
    }
    row.lower = row.upper = weight_today;
    qp.rows.push_back(std::move(row));
  }
  for (int j = 0; j < qp.num_lots; ++j)
    qp.rows[qp.lot_security[j]].terms.emplace_back(qp.sell(j), 1.0);

  // Terms for account a's sells, coefficient(security) per dollar / V sold (zeros left out).
  auto account_sells = [&](int a, auto&& coefficient) {
    std::vector<std::pair<int, double>> terms;
    const HouseholdAccountInput& account = problem.accounts[a];
    for (size_t l = 0; l < account.lots.size(); ++l) {
      const double c = coefficient(account.lots[l].security);
      if (c != 0) terms.emplace_back(qp.sell(first_lot[a] + static_cast<int>(l)), c);
    }
    return terms;
  };
  for (int a = 0; a < num_accounts; ++a) {
    const HouseholdAccountInput& account = problem.accounts[a];
    if (!account.cash.min && !account.cash.max) continue;
    const std::vector<SecurityInput>& securities = alone[a].securities;
    DenseQpRow cash{.name = "accounts[" + account.id + "].cash"};
    for (int i = 0; i < n; ++i) {
      cash.terms.emplace_back(qp.buy(a * n + i), -(1 + securities[i].cost_rate));
    }
    for (const auto& term : account_sells(a, [&](int i) { return 1 - securities[i].cost_rate; })) {
      cash.terms.push_back(term);
    }
    const double cash_before = account.cash.balance - account.cash.withdrawal;
    if (account.cash.min) cash.lower = (*account.cash.min - cash_before) / v;
    if (account.cash.max) cash.upper = (*account.cash.max - cash_before) / v;
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
  // nu_a V_a |w^a_i - t_i| = nu_a V_H |w_{a,i} - t_i V_a / V_H|: e >= +-(w_{a,i} - t_i V_a / V_H)
  // with w_{a,i} = held + buys - sells.
  int next_drift = static_cast<int>(qp.drift_groups.size());
  for (int a : drifting_accounts) {
    const HouseholdAccountInput& account = problem.accounts[a];
    for (int i = 0; i < n; ++i) {
      const int e = qp.drift(next_drift++);
      qp.linear_cost(e) = account.drift_penalty;
      const double offset = held[a][i] - problem.securities[i].target_weight * account_value[a] / v;
      const std::string name = "accounts[" + account.id + "].drift[" + problem.securities[i].symbol;
      DenseQpRow above{.name = name + "].above", .terms = {{e, 1.0}, {qp.buy(a * n + i), -1.0}}};
      DenseQpRow below{.name = name + "].below", .terms = {{e, 1.0}, {qp.buy(a * n + i), 1.0}}};
      for (const auto& term : account_sells(a, [&](int s) { return s == i ? 1.0 : 0.0; })) {
        above.terms.push_back(term);
        below.terms.emplace_back(term.first, -1.0);
      }
      above.lower = offset;
      below.lower = -offset;
      qp.rows.push_back(std::move(above));
      qp.rows.push_back(std::move(below));
    }
  }

  if (problem.tax_budget) {
    DenseQpRow tax{.name = "tax_budget"};
    for (int a = 0; a < num_accounts; ++a) {
      const std::vector<LotInput>& lots = problem.accounts[a].lots;
      for (size_t l = 0; l < lots.size(); ++l) {
        const double price = problem.securities[lots[l].security].price;
        tax.terms.emplace_back(qp.sell(first_lot[a] + static_cast<int>(l)),
                               lots[l].tax_rate * (1 - lots[l].cost_basis_per_share / price));
      }
    }
    tax.upper = *problem.tax_budget / v;
    qp.rows.push_back(std::move(tax));
  }
  if (problem.turnover_max) {
    DenseQpRow turnover{.name = "turnover"};
    for (int k = 0; k < qp.num_buys; ++k) turnover.terms.emplace_back(qp.buy(k), 1.0);
    for (int j = 0; j < qp.num_lots; ++j) turnover.terms.emplace_back(qp.sell(j), 1.0);
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
  return 0.5 * active.dot(risk_hessian * active) + linear_cost.dot(x) + constant_cost;
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
  Eigen::VectorXd buys(num_buys);
  for (int k = 0; k < num_buys; ++k) buys(k) = x(buy(k)) * normalizer / prices[buy_security[k]];
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

AccountTrades SplitByAccount(const HouseholdProblem& problem, const DenseQpSolution& solution) {
  AccountTrades trades;
  const int n = problem.num_securities();
  int first_lot = 0;
  for (int a = 0; a < problem.num_accounts(); ++a) {
    const int lots = static_cast<int>(problem.accounts[a].lots.size());
    trades.buys.push_back(solution.buys.segment(a * n, n));
    trades.sells.push_back(solution.sells.segment(first_lot, lots));
    first_lot += lots;
  }
  return trades;
}

}  // namespace arbor::optimize::testing
