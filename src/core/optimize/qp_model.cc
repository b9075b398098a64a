#include "core/optimize/qp_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>

#include <Eigen/Eigenvalues>

namespace arbor::optimize::internal {
namespace {

// A weight row narrower than this (in weights of V) is widened to it, so that the interior
// point method keeps a strict interior; 1e-10 of V is inside the spec's 1e-9 tolerance.
constexpr double kMinimumRowWidth = 1e-10;

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

// What a segment's variables can add to a row, summed once: the buy's upper bound, the lots'
// upper bounds, and the lots' tax over their upper bounds split by sign.
struct SegmentReach {
  double buy = 0, sells = 0, tax_gains = 0, tax_losses = 0;
};

std::vector<SegmentReach> SegmentReaches(const QpModel& m) {
  std::vector<SegmentReach> reach(m.num_segments());
  for (int s = 0; s < m.num_segments(); ++s) {
    for (int p = m.segment_start[s]; p < m.segment_start[s + 1]; ++p) {
      if (m.net_sign[p] > 0) {
        reach[s].buy += m.upper[p];
        continue;
      }
      reach[s].sells += m.upper[p];
      const double tax = m.tax_coefficient[p] * m.upper[p];
      (tax > 0 ? reach[s].tax_gains : reach[s].tax_losses) += tax;
    }
  }
  return reach;
}

// The least and greatest value a row can take over the variables' box. Every variable's lower
// bound is 0, so each contributes its coefficient times its upper bound to one side.
std::pair<double, double> RowRange(const QpModel& m, const GlobalRow& row, const std::vector<SegmentReach>& reach) {
  double least = 0, greatest = 0;
  auto add = [&](double amount) { (amount > 0 ? greatest : least) += amount; };
  for (const ChannelCoefficients& c : row.channels) {
    const SegmentReach& r = reach[c.segment];
    add((c.on_net + c.on_traded) * r.buy);
    if (c.on_tax == 0) {
      add((c.on_traded - c.on_net) * r.sells);
    } else if (c.on_net == 0 && c.on_traded == 0) {
      add(c.on_tax * r.tax_gains);
      add(c.on_tax * r.tax_losses);
    } else {  // no row mixes the tax channel with the others today; summed lot by lot
      for (int p = m.segment_start[c.segment]; p < m.segment_start[c.segment + 1]; ++p) {
        if (m.net_sign[p] < 0) add((c.on_traded - c.on_net + c.on_tax * m.tax_coefficient[p]) * m.upper[p]);
      }
    }
  }
  for (const auto& [p, coefficient] : row.extra_variables) {
    add(coefficient * m.lower[p]);
    add(coefficient * m.upper[p]);
  }
  return {least, greatest};
}

// A stated reason when one row alone cannot be met by any trade, else empty.
std::string RowOutOfReach(const QpModel& m, const ModelInput& input) {
  const double dollars = m.normalizer;
  const std::vector<SegmentReach> reach = SegmentReaches(m);
  for (const GlobalRow& row : m.rows) {
    const auto [least, greatest] = RowRange(m, row, reach);
    const double slack = 1e-12;
    if (row.lower <= greatest + slack && row.upper >= least - slack) continue;
    switch (row.family) {
      case RowFamily::kCash: {
        const std::string& account = input.accounts[row.account].id;
        const std::string name = account.empty() ? "cash" : "cash of account " + account;
        return row.lower > greatest ? name + ": even selling every sellable lot leaves cash below the minimum"
                                    : name + ": cash stays above the maximum even after buying everything allowed";
      }
      case RowFamily::kTaxBudget:
        return "tax budget: the least tax any allowed trade list can realize is $" +
               FormatWeight((least - row.upper) * dollars + *input.tax_budget) + ", over the budget of $" +
               FormatWeight(*input.tax_budget);
      case RowFamily::kTurnover:
        return "turnover: the must-sell lots alone trade $" +
               FormatWeight((least - row.upper) * dollars + *input.turnover_max) + ", over the cap of $" +
               FormatWeight(*input.turnover_max);
      case RowFamily::kGroupDrift:  // equalities with free u+/- are always reachable
      case RowFamily::kAccountDrift:
        break;
      case RowFamily::kGroupBound:
        return "group " + (*input.groups)[row.group].name + ": no allowed trade brings its active weight within " +
               FormatWeight(*(*input.groups)[row.group].max_active);
    }
  }
  return {};
}

}  // namespace

// The parts one account and a household share.
template <typename P>
ModelInput SharedView(const P& problem) {
  ModelInput input;
  input.securities = &problem.securities;
  input.risk = &problem.risk;
  input.groups = &problem.groups;
  input.tax_budget = problem.tax_budget;
  input.turnover_max = problem.turnover_max;
  return input;
}

ModelInput ViewOf(const Problem& problem) {
  ModelInput input = SharedView(problem);
  input.accounts.push_back({.cash = &problem.cash, .lots = &problem.lots});
  return input;
}

ModelInput ViewOf(const HouseholdProblem& problem) {
  ModelInput input = SharedView(problem);
  for (const HouseholdAccountInput& account : problem.accounts) {
    input.accounts.push_back({&account.cash, &account.lots, account.allowed ? &*account.allowed : nullptr, &account.cost_rates, &account.location,
                              account.drift_penalty, account.id});
  }
  return input;
}

ModelBuild BuildQpModel(const Problem& problem) { return BuildQpModel(ViewOf(problem)); }

ModelBuild BuildQpModel(const ModelInput& input) {
  ModelBuild build;
  QpModel& m = build.model;
  const std::vector<SecurityInput>& securities = *input.securities;
  const int n = static_cast<int>(securities.size());
  const int accounts = static_cast<int>(input.accounts.size());
  const int segments = n * accounts;
  m.num_accounts = accounts;

  // V_H and each account's V_a, before trading.
  std::vector<double> account_value(accounts, 0.0);
  m.lot_offset.assign(1, 0);
  for (int a = 0; a < accounts; ++a) {
    const AccountView& account = input.accounts[a];
    double v = account.cash->balance - account.cash->withdrawal;
    for (const LotInput& lot : *account.lots) v += securities[lot.security].price * lot.shares;
    account_value[a] = v;
    m.lot_offset.push_back(m.lot_offset.back() + static_cast<int>(account.lots->size()));
  }
  const double value = std::accumulate(account_value.begin(), account_value.end(), 0.0);
  m.normalizer = value;

  // Each segment's lots (indices into its account's lots), by a counting sort into one array.
  std::vector<int> lot_of_segment_start(segments + 1, 0), lots_of_segment(m.lot_offset.back());
  for (int a = 0; a < accounts; ++a) {
    for (const LotInput& lot : *input.accounts[a].lots) ++lot_of_segment_start[lot.security * accounts + a + 1];
  }
  for (int s = 0; s < segments; ++s) lot_of_segment_start[s + 1] += lot_of_segment_start[s];
  {
    std::vector<int> next(lot_of_segment_start.begin(), lot_of_segment_start.end() - 1);
    for (int a = 0; a < accounts; ++a) {
      const std::vector<LotInput>& lots = *input.accounts[a].lots;
      for (int j = 0; j < static_cast<int>(lots.size()); ++j) lots_of_segment[next[lots[j].security * accounts + a]++] = j;
    }
  }
  auto lots_of = [&](int s) {
    return std::span<const int>(lots_of_segment.data() + lot_of_segment_start[s],
                                lots_of_segment.data() + lot_of_segment_start[s + 1]);
  };
  // What each account may buy, its cost rates and location preferences.
  std::vector<std::vector<char>> may_buy(accounts, std::vector<char>(n, 0));
  std::vector<std::vector<double>> cost_rate(accounts, std::vector<double>(n, 0.0));
  std::vector<std::vector<double>> location(accounts, std::vector<double>(n, 0.0));
  for (int a = 0; a < accounts; ++a) {
    const AccountView& account = input.accounts[a];
    const bool restricted = account.allowed != nullptr;
    if (restricted) {
      for (int i : *account.allowed) may_buy[a][i] = 1;
    }
    for (int i = 0; i < n; ++i) {
      may_buy[a][i] = (restricted ? may_buy[a][i] : 1) && securities[i].may_buy && securities[i].max_weight > 0;
      const bool own_rates = account.cost_rates && !account.cost_rates->empty();
      cost_rate[a][i] = own_rates ? (*account.cost_rates)[i] : securities[i].cost_rate;
      if (account.location && !account.location->empty()) location[a][i] = (*account.location)[i];
    }
  }

  Eigen::VectorXd held_weight = Eigen::VectorXd::Zero(n);
  Eigen::VectorXd fixed_sold = Eigen::VectorXd::Zero(n);  // per security, weight of must-sell lots
  Eigen::VectorXd segment_held = Eigen::VectorXd::Zero(segments);
  Eigen::VectorXd segment_fixed = Eigen::VectorXd::Zero(segments);
  double fixed_tax = 0;
  m.buy_variable.assign(segments, -1);
  m.lot_variable.assign(m.lot_offset.back(), -1);
  m.block_start.assign(n + 1, 0);
  m.segment_start.assign(segments + 1, 0);

  int count = 0;
  for (int i = 0; i < n; ++i) {
    m.block_start[i] = count;
    const double price = securities[i].price;
    for (int a = 0; a < accounts; ++a) {
      const int s = i * accounts + a;
      m.segment_start[s] = count;
      if (may_buy[a][i]) m.buy_variable[s] = count++;
      for (int j : lots_of(s)) {
        const LotInput& lot = (*input.accounts[a].lots)[j];
        const double weight = price * lot.shares / value;
        held_weight[i] += weight;
        segment_held[s] += weight;
        if (lot.must_sell) {
          fixed_sold[i] += weight;
          segment_fixed[s] += weight;
          fixed_tax += lot.tax_rate * (1.0 - lot.cost_basis_per_share / price) * weight;
        } else if (lot.sellable) {
          m.lot_variable[m.lot_offset[a] + j] = count++;
        }
      }
    }
  }
  m.block_start[n] = count;
  m.segment_start[segments] = count;
  m.num_block_variables = count;
  auto segment_empty = [&](int s) { return m.segment_start[s] == m.segment_start[s + 1]; };

  // Groups that need an active-weight variable pair: penalized or bounded ones; and a pair per
  // traded segment of each account with a drift penalty.
  const std::vector<GroupInput>& groups = *input.groups;
  std::vector<int> drifting_groups;
  int penalized_groups = 0;
  for (int g = 0; g < static_cast<int>(groups.size()); ++g) {
    if (groups[g].penalty > 0 || groups[g].max_active) drifting_groups.push_back(g);
    if (groups[g].penalty > 0) ++penalized_groups;
  }
  int drifting_segments = 0;
  for (int a = 0; a < accounts; ++a) {
    if (input.accounts[a].drift_penalty <= 0) continue;
    for (int i = 0; i < n; ++i) drifting_segments += segment_empty(i * accounts + a) ? 0 : 1;
  }
  m.num_variables = count + 2 * penalized_groups + 2 * drifting_segments;
  const int N = m.num_variables;
  m.lower = Eigen::VectorXd::Zero(N);
  m.upper = Eigen::VectorXd::Constant(N, kInfinity);
  m.linear_cost = Eigen::VectorXd::Zero(N);
  m.net_sign = Eigen::VectorXd::Zero(N);
  m.tax_coefficient = Eigen::VectorXd::Zero(N);

  // Offset of the net channel: current active weight, after the must-sell lots go.
  Eigen::VectorXd offset(n);
  for (int i = 0; i < n; ++i) offset[i] = held_weight[i] - fixed_sold[i] - securities[i].target_weight;

  // Costs, taxes and the location term (loc on the held weight: a constant plus loc e z).
  double fixed_cost = 0, location_constant = 0;
  for (int i = 0; i < n; ++i) {
    const SecurityInput& security = securities[i];
    for (int a = 0; a < accounts; ++a) {
      const int s = i * accounts + a;
      const double rate = cost_rate[a][i], loc = location[a][i];
      fixed_cost += rate * segment_fixed[s];
      location_constant += loc * (segment_held[s] - segment_fixed[s]);
      if (m.buy_variable[s] >= 0) {
        const int p = m.buy_variable[s];
        m.upper[p] = security.max_weight;  // w_i >= beta_{a,i} since sells never exceed holdings
        m.net_sign[p] = 1;
        m.linear_cost[p] = rate + loc;
      }
      for (int j : lots_of(s)) {
        const int p = m.lot_variable[m.lot_offset[a] + j];
        if (p < 0) continue;
        const LotInput& lot = (*input.accounts[a].lots)[j];
        m.upper[p] = security.price * lot.shares / value;
        m.net_sign[p] = -1;
        m.tax_coefficient[p] = lot.tax_rate * (1.0 - lot.cost_basis_per_share / security.price);
        m.linear_cost[p] = rate + m.tax_coefficient[p] - loc;
      }
    }
  }

  // Risk: (lambda/2)(offset + x)' Sigma (offset + x) = const + grad' x + 1/2 x' Sigma_l x.
  const RiskInput& risk = *input.risk;
  const double lambda = risk.aversion;
  m.specific = lambda * risk.specific_variance;
  if (risk.factor_covariance.rows() > 0 && lambda > 0) {
    m.factor = std::sqrt(lambda) * (risk.loadings * FactorSquareRoot(risk.factor_covariance)).transpose();
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
  m.offset = offset;
  m.objective_constant = 0.5 * offset.dot(m.specific.cwiseProduct(offset)) +
                         0.5 * factor_offset.squaredNorm() + fixed_tax + fixed_cost + location_constant;

  // Weight bounds on the net channel, kept where they can bind.
  m.has_weight_row.assign(n, false);
  m.weight_row_lower = Eigen::VectorXd::Constant(n, -kInfinity);
  m.weight_row_upper = Eigen::VectorXd::Constant(n, kInfinity);
  for (int i = 0; i < n; ++i) {
    const SecurityInput& security = securities[i];
    double net_min = 0, net_max = 0;
    for (int p = m.block_start[i]; p < m.block_start[i + 1]; ++p) {
      (m.net_sign[p] > 0 ? net_max : net_min) += m.net_sign[p] * m.upper[p];
    }
    const double remaining = held_weight[i] - fixed_sold[i];
    double lower = security.min_weight - remaining;
    double upper = security.max_weight - remaining;
    const double slack = 1e-12;
    if (lower > net_max + slack || upper < net_min - slack) {
      build.infeasible = "weight bound of " + security.symbol + ": the weight must lie in [" +
                         FormatWeight(security.min_weight) + ", " + FormatWeight(security.max_weight) +
                         "] but the allowed trades reach only [" + FormatWeight(remaining + net_min) + ", " +
                         FormatWeight(remaining + net_max) + "]";
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

  // Cash of each account: cash_after_a / V = (C_a - W_a)/V + sum_i (1 - k_{a,i}) fixed_{a,i}
  // - x_e,a - k x_1,a over the account's segments.
  for (int a = 0; a < accounts; ++a) {
    const CashInput& cash = *input.accounts[a].cash;
    if (!cash.min && !cash.max) continue;
    double constant = (cash.balance - cash.withdrawal) / value;
    GlobalRow row;
    row.family = RowFamily::kCash;
    row.account = a;
    for (int i = 0; i < n; ++i) {
      const int s = i * accounts + a;
      constant += (1.0 - cost_rate[a][i]) * segment_fixed[s];
      if (!segment_empty(s)) row.channels.push_back({s, -1.0, -cost_rate[a][i], 0.0});
    }
    if (cash.min) row.lower = *cash.min / value - constant;
    if (cash.max) row.upper = *cash.max / value - constant;
    m.rows.push_back(std::move(row));
  }
  if (input.tax_budget) {
    GlobalRow row;
    row.family = RowFamily::kTaxBudget;
    for (int s = 0; s < segments; ++s) {
      if (!segment_empty(s)) row.channels.push_back({s, 0.0, 0.0, 1.0});
    }
    row.upper = *input.tax_budget / value - fixed_tax;
    m.rows.push_back(std::move(row));
  }
  if (input.turnover_max) {
    GlobalRow row;
    row.family = RowFamily::kTurnover;
    for (int s = 0; s < segments; ++s) {
      if (!segment_empty(s)) row.channels.push_back({s, 0.0, 1.0, 0.0});
    }
    row.upper = *input.turnover_max / value - fixed_sold.sum();
    m.rows.push_back(std::move(row));
  }
  // Groups. A penalized group gets sum_{i in g} (offset_i + x_e,i) = u+ - u-, u+/- >= 0, and its
  // bound, if any, is the row -a_g <= u+ - u- <= a_g on those two variables alone (cheap: it
  // touches no security). A group with a bound and no penalty gets the bound as a row on its
  // members. Bounds stay rows, never boxes on u+/-: a narrow box on a cheap variable blocks the
  // interior-point steps.
  int extra = count;
  for (int g : drifting_groups) {
    const GroupInput& group = groups[g];
    GlobalRow row;
    row.group = g;
    double offset_sum = 0;
    for (int i : group.members) {
      offset_sum += offset[i];
      for (int s = i * accounts; s < (i + 1) * accounts; ++s) {
        if (!segment_empty(s)) row.channels.push_back({s, 1.0, 0.0, 0.0});
      }
    }
    // Sorted by segment, as the KKT solver's lookups expect.
    std::sort(row.channels.begin(), row.channels.end(),
              [](const ChannelCoefficients& x, const ChannelCoefficients& y) { return x.segment < y.segment; });
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
  // An account's own drift, nu_a V_a ||w^a - t||_1 = V nu_a sum_i |x_{a,i} - t_i V_a / V| with
  // x_{a,i} the account's holding of i in weights of V: per traded segment the equality
  // x_{a,i} = u+ - u-, and a constant for the segments no trade can change.
  for (int a = 0; a < accounts; ++a) {
    const double penalty = input.accounts[a].drift_penalty;
    if (penalty <= 0) continue;
    for (int i = 0; i < n; ++i) {
      const int s = i * accounts + a;
      const double active =
          segment_held[s] - segment_fixed[s] - securities[i].target_weight * account_value[a] / value;
      if (segment_empty(s)) {
        m.objective_constant += penalty * std::abs(active);
        continue;
      }
      GlobalRow row;
      row.family = RowFamily::kAccountDrift;
      row.account = a;
      row.channels.push_back({s, 1.0, 0.0, 0.0});
      for (int side = 0; side < 2; ++side) {
        const int p = extra++;
        m.linear_cost[p] = penalty;
        row.extra_variables.emplace_back(p, side == 0 ? -1.0 : 1.0);
      }
      row.lower = row.upper = -active;
      m.rows.push_back(std::move(row));
    }
  }
  build.infeasible = RowOutOfReach(m, input);
  return build;
}

Channels ChannelSums(const QpModel& model, const Eigen::VectorXd& z) {
  const int segments = model.num_segments();
  Channels c{Eigen::VectorXd(segments), Eigen::VectorXd(segments), Eigen::VectorXd(segments)};
  for (int s = 0; s < segments; ++s) {
    double net = 0, traded = 0, tax = 0;
    for (int p = model.segment_start[s]; p < model.segment_start[s + 1]; ++p) {
      net += model.net_sign[p] * z[p];
      traded += z[p];
      tax += model.tax_coefficient[p] * z[p];
    }
    c.net[s] = net;
    c.traded[s] = traded;
    c.tax[s] = tax;
  }
  return c;
}

Eigen::VectorXd SecurityNet(const QpModel& model, const Eigen::VectorXd& segment_net) {
  if (model.num_accounts == 1) return segment_net;
  return segment_net.reshaped(model.num_accounts, model.num_securities()).colwise().sum().transpose();
}

Eigen::VectorXd PerSegment(const QpModel& model, const Eigen::VectorXd& per_security) {
  if (model.num_accounts == 1) return per_security;
  return per_security.transpose().replicate(model.num_accounts, 1).reshaped();
}

void AddChannelExpansion(const QpModel& model, const Channels& coefficients, Eigen::VectorXd& out) {
  const int segments = model.num_segments();
  for (int s = 0; s < segments; ++s) {
    const double net = coefficients.net[s], traded = coefficients.traded[s], tax = coefficients.tax[s];
    for (int p = model.segment_start[s]; p < model.segment_start[s + 1]; ++p) {
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
      sum += c.on_net * channels.net[c.segment] + c.on_traded * channels.traded[c.segment] +
             c.on_tax * channels.tax[c.segment];
    }
    for (const auto& [p, coefficient] : row.extra_variables) sum += coefficient * z[p];
    values[static_cast<Eigen::Index>(r)] = sum;
  }
  return values;
}

}  // namespace arbor::optimize::internal
