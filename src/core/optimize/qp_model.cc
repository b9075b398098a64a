#include "core/optimize/qp_model.h"

#include <algorithm>
#include <cmath>

#include <Eigen/Eigenvalues>

namespace arbor::optimize::internal {
namespace {

// A weight row narrower than this (in weights of V) is widened to it, so that the interior
// point method keeps a strict interior; 1e-10 of V is inside the spec's 1e-9 tolerance.
constexpr double kMinimumRowWidth = 1e-10;

double AccountValue(const Problem& problem) {
  double value = problem.cash.balance - problem.cash.withdrawal;
  for (const LotInput& lot : problem.lots) value += problem.securities[lot.security].price * lot.shares;
  return value;
}

// R with F = R R', dropping directions of zero variance, so that the factor term is a sum of
// squares even when F is only semidefinite.
Eigen::MatrixXd FactorSquareRoot(const Eigen::MatrixXd& covariance) {
  if (covariance.rows() == 0) return Eigen::MatrixXd(0, 0);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(covariance);
  const Eigen::VectorXd& values = eigen.eigenvalues();
  double largest = std::max(values.maxCoeff(), 0.0);
  std::vector<int> kept;
  for (int k = 0; k < values.size(); ++k) {
    if (values[k] > 1e-14 * largest && values[k] > 0) kept.push_back(k);
  }
  Eigen::MatrixXd root(covariance.rows(), static_cast<Eigen::Index>(kept.size()));
  for (size_t c = 0; c < kept.size(); ++c) {
    root.col(static_cast<Eigen::Index>(c)) = eigen.eigenvectors().col(kept[c]) * std::sqrt(values[kept[c]]);
  }
  return root;
}

std::string FormatWeight(double w) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", w);
  return buffer;
}

// The least and greatest value a row can take over the variables' box.
std::pair<double, double> RowRange(const QpModel& m, const GlobalRow& row) {
  double least = 0, greatest = 0;
  auto add = [&](double coefficient, int p) {
    if (coefficient > 0) {
      least += coefficient * m.lower[p];
      greatest += coefficient * m.upper[p];
    } else if (coefficient < 0) {
      least += coefficient * m.upper[p];
      greatest += coefficient * m.lower[p];
    }
  };
  for (const ChannelCoefficients& c : row.channels) {
    for (int p = m.block_start[c.security]; p < m.block_start[c.security + 1]; ++p) {
      add(c.on_net * m.net_sign[p] + c.on_traded + c.on_tax * m.tax_coefficient[p], p);
    }
  }
  for (const auto& [p, coefficient] : row.extra_variables) add(coefficient, p);
  return {least, greatest};
}

// A stated reason when one row alone cannot be met by any trade, else empty.
std::string RowOutOfReach(const QpModel& m, const Problem& problem) {
  const double dollars = m.normalizer;
  for (const GlobalRow& row : m.rows) {
    const auto [least, greatest] = RowRange(m, row);
    const double slack = 1e-12;
    if (row.lower <= greatest + slack && row.upper >= least - slack) continue;
    switch (row.family) {
      case RowFamily::kCash:
        return row.lower > greatest ? "cash: even selling every sellable lot leaves cash below the minimum"
                                    : "cash: cash stays above the maximum even after buying everything allowed";
      case RowFamily::kTaxBudget:
        return "tax budget: the least tax any allowed trade list can realize is $" +
               FormatWeight((least - row.upper) * dollars + *problem.tax_budget) + ", over the budget of $" +
               FormatWeight(*problem.tax_budget);
      case RowFamily::kTurnover:
        return "turnover: the must-sell lots alone trade $" +
               FormatWeight((least - row.upper) * dollars + *problem.turnover_max) + ", over the cap of $" +
               FormatWeight(*problem.turnover_max);
      case RowFamily::kGroupDrift:  // an equality with free u+/- is always reachable
        break;
      case RowFamily::kGroupBound:
        return "group " + problem.groups[row.group].name + ": no allowed trade brings its active weight within " +
               FormatWeight(*problem.groups[row.group].max_active);
    }
  }
  return {};
}

}  // namespace

ModelBuild BuildQpModel(const Problem& problem) {
  ModelBuild build;
  QpModel& m = build.model;
  const int n = problem.num_securities();
  const double value = AccountValue(problem);
  m.normalizer = value;

  // Lots by security, and which of them are free variables.
  std::vector<std::vector<int>> lots_of(n);
  for (int j = 0; j < problem.num_lots(); ++j) lots_of[problem.lots[j].security].push_back(j);

  Eigen::VectorXd held_weight = Eigen::VectorXd::Zero(n);
  Eigen::VectorXd fixed_sold = Eigen::VectorXd::Zero(n);  // per security, weight of must-sell lots
  m.fixed_sell_weight = Eigen::VectorXd::Zero(problem.num_lots());
  double fixed_tax = 0;
  m.buy_variable.assign(n, -1);
  m.lot_variable.assign(problem.num_lots(), -1);
  m.block_start.assign(n + 1, 0);

  int count = 0;
  for (int i = 0; i < n; ++i) {
    m.block_start[i] = count;
    if (problem.securities[i].may_buy && problem.securities[i].max_weight > 0) m.buy_variable[i] = count++;
    const double price = problem.securities[i].price;
    for (int j : lots_of[i]) {
      const LotInput& lot = problem.lots[j];
      const double weight = price * lot.shares / value;
      held_weight[i] += weight;
      if (lot.must_sell) {
        m.fixed_sell_weight[j] = weight;
        fixed_sold[i] += weight;
        fixed_tax += lot.tax_rate * (1.0 - lot.cost_basis_per_share / price) * weight;
      } else if (lot.sellable) {
        m.lot_variable[j] = count++;
      }
    }
  }
  m.block_start[n] = count;
  m.num_block_variables = count;

  // Groups that need an active-weight variable pair: penalized or bounded ones.
  std::vector<int> drifting_groups;
  int penalized_groups = 0;
  for (int g = 0; g < static_cast<int>(problem.groups.size()); ++g) {
    if (problem.groups[g].penalty > 0 || problem.groups[g].max_active) drifting_groups.push_back(g);
    if (problem.groups[g].penalty > 0) ++penalized_groups;
  }
  m.num_variables = count + 2 * penalized_groups;
  const int N = m.num_variables;
  m.lower = Eigen::VectorXd::Zero(N);
  m.upper = Eigen::VectorXd::Constant(N, kInfinity);
  m.linear_cost = Eigen::VectorXd::Zero(N);
  m.net_sign = Eigen::VectorXd::Zero(N);
  m.tax_coefficient = Eigen::VectorXd::Zero(N);

  // Offset of the net channel: current active weight, after the must-sell lots go.
  Eigen::VectorXd offset(n);
  for (int i = 0; i < n; ++i) {
    offset[i] = held_weight[i] - fixed_sold[i] - problem.securities[i].target_weight;
  }

  double fixed_cost = 0;
  for (int i = 0; i < n; ++i) {
    const SecurityInput& s = problem.securities[i];
    fixed_cost += s.cost_rate * fixed_sold[i];
    if (m.buy_variable[i] >= 0) {
      const int p = m.buy_variable[i];
      m.upper[p] = s.max_weight;  // w_i >= beta_i since sells never exceed holdings
      m.net_sign[p] = 1;
      m.linear_cost[p] = s.cost_rate;
    }
    for (int j : lots_of[i]) {
      const int p = m.lot_variable[j];
      if (p < 0) continue;
      const LotInput& lot = problem.lots[j];
      m.upper[p] = s.price * lot.shares / value;
      m.net_sign[p] = -1;
      m.tax_coefficient[p] = lot.tax_rate * (1.0 - lot.cost_basis_per_share / s.price);
      m.linear_cost[p] = s.cost_rate + m.tax_coefficient[p];
    }
  }

  // Risk: (lambda/2)(offset + x)' Sigma (offset + x) = const + grad' x + 1/2 x' Sigma_l x.
  const double lambda = problem.risk.aversion;
  m.specific = lambda * problem.risk.specific_variance;
  if (problem.num_factors() > 0 && lambda > 0) {
    m.factor = std::sqrt(lambda) * (problem.risk.loadings * FactorSquareRoot(problem.risk.factor_covariance)).transpose();
  } else {
    m.factor = Eigen::MatrixXd(0, n);
  }
  const Eigen::VectorXd factor_offset = m.factor * offset;
  const Eigen::VectorXd risk_gradient =
      m.specific.cwiseProduct(offset) + m.factor.transpose() * factor_offset;
  for (int i = 0; i < n; ++i) {
    for (int p = m.block_start[i]; p < m.block_start[i + 1]; ++p) {
      m.linear_cost[p] += m.net_sign[p] * risk_gradient[i];
    }
  }
  m.objective_constant = 0.5 * offset.dot(m.specific.cwiseProduct(offset)) +
                         0.5 * factor_offset.squaredNorm() + fixed_tax + fixed_cost;

  // Weight bounds on the net channel, kept where they can bind.
  m.has_weight_row.assign(n, false);
  m.weight_row_lower = Eigen::VectorXd::Constant(n, -kInfinity);
  m.weight_row_upper = Eigen::VectorXd::Constant(n, kInfinity);
  for (int i = 0; i < n; ++i) {
    const SecurityInput& s = problem.securities[i];
    double net_min = 0, net_max = 0;
    for (int p = m.block_start[i]; p < m.block_start[i + 1]; ++p) {
      (m.net_sign[p] > 0 ? net_max : net_min) += m.net_sign[p] * m.upper[p];
    }
    const double remaining = held_weight[i] - fixed_sold[i];
    double lower = s.min_weight - remaining;
    double upper = s.max_weight - remaining;
    const double slack = 1e-12;
    if (lower > net_max + slack || upper < net_min - slack) {
      build.infeasible = "weight bound of " + s.symbol + ": the weight must lie in [" + FormatWeight(s.min_weight) +
                         ", " + FormatWeight(s.max_weight) + "] but the allowed trades reach only [" +
                         FormatWeight(remaining + net_min) + ", " + FormatWeight(remaining + net_max) + "]";
      return build;
    }
    const bool lower_binds = lower > net_min;
    const bool upper_binds = upper < net_max;
    if (!lower_binds && !upper_binds) continue;
    if (m.block_start[i] == m.block_start[i + 1]) continue;  // no trade: the bound holds as is
    if (upper - lower < kMinimumRowWidth) {
      const double middle = 0.5 * (lower + upper);
      lower = middle - 0.5 * kMinimumRowWidth;
      upper = middle + 0.5 * kMinimumRowWidth;
    }
    m.has_weight_row[i] = true;
    m.weight_row_lower[i] = lower_binds ? lower : -kInfinity;
    m.weight_row_upper[i] = upper_binds ? upper : kInfinity;
  }

  // Cash: cash_after / V = (C - W)/V + sum_i (1 - k_i) fixed_i - x_e - k x_1.
  {
    double constant = (problem.cash.balance - problem.cash.withdrawal) / value;
    for (int i = 0; i < n; ++i) constant += (1.0 - problem.securities[i].cost_rate) * fixed_sold[i];
    if (problem.cash.min || problem.cash.max) {
      GlobalRow row;
      row.family = RowFamily::kCash;
      for (int i = 0; i < n; ++i) {
        if (m.block_start[i] == m.block_start[i + 1]) continue;
        row.channels.push_back({i, -1.0, -problem.securities[i].cost_rate, 0.0});
      }
      if (problem.cash.min) row.lower = *problem.cash.min / value - constant;
      if (problem.cash.max) row.upper = *problem.cash.max / value - constant;
      m.rows.push_back(std::move(row));
    }
  }
  if (problem.tax_budget) {
    GlobalRow row;
    row.family = RowFamily::kTaxBudget;
    for (int i = 0; i < n; ++i) {
      if (m.block_start[i] != m.block_start[i + 1]) row.channels.push_back({i, 0.0, 0.0, 1.0});
    }
    row.upper = *problem.tax_budget / value - fixed_tax;
    m.rows.push_back(std::move(row));
  }
  if (problem.turnover_max) {
    GlobalRow row;
    row.family = RowFamily::kTurnover;
    for (int i = 0; i < n; ++i) {
      if (m.block_start[i] != m.block_start[i + 1]) row.channels.push_back({i, 0.0, 1.0, 0.0});
    }
    row.upper = *problem.turnover_max / value - fixed_sold.sum();
    m.rows.push_back(std::move(row));
  }
  // Groups. A penalized group gets sum_{i in g} (offset_i + x_e,i) = u+ - u-, u+/- >= 0, and its
  // bound, if any, is the row -a_g <= u+ - u- <= a_g on those two variables alone (cheap: it
  // touches no security). A group with a bound and no penalty gets the bound as a row on its
  // members. Bounds stay rows, never boxes on u+/-: a narrow box on a cheap variable blocks the
  // interior-point steps.
  int extra = count;
  for (int g : drifting_groups) {
    const GroupInput& group = problem.groups[g];
    GlobalRow row;
    row.group = g;
    double offset_sum = 0;
    for (int i : group.members) {
      offset_sum += offset[i];
      if (m.block_start[i] != m.block_start[i + 1]) row.channels.push_back({i, 1.0, 0.0, 0.0});
    }
    GlobalRow bound;
    bound.family = RowFamily::kGroupBound;
    bound.group = g;
    if (group.penalty > 0) {
      row.family = RowFamily::kGroupDrift;
      for (int side = 0; side < 2; ++side) {
        const int p = extra++;
        m.linear_cost[p] = group.penalty;
        row.extra_variables.emplace_back(p, side == 0 ? -1.0 : 1.0);
        bound.extra_variables.emplace_back(p, side == 0 ? 1.0 : -1.0);
      }
      row.lower = row.upper = -offset_sum;
      if (group.max_active) {
        bound.lower = -*group.max_active;
        bound.upper = *group.max_active;
        m.rows.push_back(std::move(bound));
      }
      m.rows.push_back(std::move(row));
    } else {
      bound.channels = std::move(row.channels);
      bound.lower = -*group.max_active - offset_sum;
      bound.upper = *group.max_active - offset_sum;
      m.rows.push_back(std::move(bound));
    }
  }
  build.infeasible = RowOutOfReach(m, problem);
  return build;
}

Channels ChannelSums(const QpModel& model, const Eigen::VectorXd& z) {
  const int n = model.num_securities();
  Channels c{Eigen::VectorXd::Zero(n), Eigen::VectorXd::Zero(n), Eigen::VectorXd::Zero(n)};
  for (int i = 0; i < n; ++i) {
    double net = 0, traded = 0, tax = 0;
    for (int p = model.block_start[i]; p < model.block_start[i + 1]; ++p) {
      net += model.net_sign[p] * z[p];
      traded += z[p];
      tax += model.tax_coefficient[p] * z[p];
    }
    c.net[i] = net;
    c.traded[i] = traded;
    c.tax[i] = tax;
  }
  return c;
}

void AddChannelExpansion(const QpModel& model, const Channels& coefficients, Eigen::VectorXd& out) {
  const int n = model.num_securities();
  for (int i = 0; i < n; ++i) {
    const double net = coefficients.net[i], traded = coefficients.traded[i], tax = coefficients.tax[i];
    for (int p = model.block_start[i]; p < model.block_start[i + 1]; ++p) {
      out[p] += model.net_sign[p] * net + traded + model.tax_coefficient[p] * tax;
    }
  }
}

Eigen::VectorXd GlobalRowValues(const QpModel& model, const Channels& channels, const Eigen::VectorXd& z) {
  Eigen::VectorXd values(static_cast<Eigen::Index>(model.rows.size()));
  for (size_t r = 0; r < model.rows.size(); ++r) {
    const GlobalRow& row = model.rows[r];
    double sum = 0;
    for (const ChannelCoefficients& c : row.channels) {
      sum += c.on_net * channels.net[c.security] + c.on_traded * channels.traded[c.security] +
             c.on_tax * channels.tax[c.security];
    }
    for (const auto& [p, coefficient] : row.extra_variables) sum += coefficient * z[p];
    values[static_cast<Eigen::Index>(r)] = sum;
  }
  return values;
}

}  // namespace arbor::optimize::internal
