#include "core/optimize/lower_bound.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/optimize/qp_model.h"

namespace arbor::optimize {
namespace {

using internal::QpModel;

bool SameRisk(const RiskInput& a, const RiskInput& b) {
  return a.aversion == b.aversion && a.loadings == b.loadings && a.factor_covariance == b.factor_covariance &&
         a.specific_variance == b.specific_variance;
}

bool SameGroups(const std::vector<GroupInput>& a, const std::vector<GroupInput>& b) {
  if (a.size() != b.size()) return false;
  for (size_t g = 0; g < a.size(); ++g) {
    if (a[g].members != b[g].members || a[g].penalty != b[g].penalty || a[g].max_active != b[g].max_active) {
      return false;
    }
  }
  return true;
}

// True when the problems differ at most in may_buy and sellable.
bool DifferOnlyInTrades(const Problem& a, const Problem& b) {
  if (a.num_securities() != b.num_securities() || a.num_lots() != b.num_lots()) return false;
  for (int i = 0; i < a.num_securities(); ++i) {
    const SecurityInput &x = a.securities[i], &y = b.securities[i];
    if (x.price != y.price || x.target_weight != y.target_weight || x.min_weight != y.min_weight ||
        x.max_weight != y.max_weight || x.cost_rate != y.cost_rate) {
      return false;
    }
  }
  for (int j = 0; j < a.num_lots(); ++j) {
    const LotInput &x = a.lots[j], &y = b.lots[j];
    if (x.security != y.security || x.shares != y.shares || x.cost_basis_per_share != y.cost_basis_per_share ||
        x.tax_rate != y.tax_rate || x.must_sell != y.must_sell) {
      return false;
    }
  }
  return a.cash.balance == b.cash.balance && a.cash.withdrawal == b.cash.withdrawal && a.cash.min == b.cash.min &&
         a.cash.max == b.cash.max && a.tax_budget == b.tax_budget && a.turnover_max == b.turnover_max &&
         SameGroups(a.groups, b.groups) && SameRisk(a.risk, b.risk);
}

// One variable's share of a security's net trade t = sum c: c in [low, high] at unit price.
struct Piece {
  double price, low, high;
};

// min of sum price_k c_k + (curvature / 2) (sum c_k)^2 over low_k <= c_k <= high_k. For a fixed
// net trade t the cheapest pieces fill first, so the linear part is a convex piecewise-linear
// function of t with the sorted prices as slopes; walk it from the least t while the slope plus
// the parabola's derivative curvature * t is negative.
double MinimizeBlock(std::vector<Piece>& pieces, double curvature) {
  double t = 0, value = 0;
  for (const Piece& piece : pieces) {
    t += piece.low;
    value += piece.price * piece.low;
  }
  std::sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) { return a.price < b.price; });
  for (const Piece& piece : pieces) {
    const double length = piece.high - piece.low;
    if (length <= 0) continue;
    const double slope = piece.price + curvature * t;
    if (slope >= 0) break;
    const double step = curvature > 0 ? std::min(length, -slope / curvature) : length;
    value += piece.price * step;
    t += step;
    if (step < length) break;
  }
  return value + 0.5 * curvature * t * t;
}

// The multiplier of a row, with the sign its finite side allows (a wrong sign would make the
// Lagrangian no bound at all; zero always is one), and the side it prices.
struct SignedRow {
  double multiplier = 0, bound = 0;
};
SignedRow Signed(double multiplier, double lower, double upper) {
  if (lower == upper) return {multiplier, lower};
  if (multiplier > 0 && std::isfinite(lower)) return {multiplier, lower};
  if (multiplier < 0 && std::isfinite(upper)) return {multiplier, upper};
  return {};
}

double RowMultiplier(const internal::GlobalRow& row, const Multipliers& y) {
  switch (row.family) {
    case internal::RowFamily::kCash: return y.cash;
    case internal::RowFamily::kTaxBudget: return y.tax_budget;
    case internal::RowFamily::kTurnover: return y.turnover;
    case internal::RowFamily::kGroupBound: return y.group_bound[row.group];
    case internal::RowFamily::kGroupDrift: return y.group_drift[row.group];
    case internal::RowFamily::kAccountDrift: return 0;  // a household's rows only
  }
  return 0;
}

}  // namespace

TradeChangeBound::TradeChangeBound(const Problem& solved, const Solution& solution) : solved_(solved) {
  const Multipliers& y = solution.multipliers;
  if (y.weight.size() != solved.num_securities() ||
      y.group_drift.size() != static_cast<Eigen::Index>(solved.groups.size())) {
    return;
  }
  // The model with every buy and every lot sale open: each changed problem's box is a sub-box.
  Problem open_all = solved;
  for (SecurityInput& security : open_all.securities) security.may_buy = true;
  for (LotInput& lot : open_all.lots) lot.sellable = true;
  const internal::ModelBuild build = internal::BuildQpModel(open_all);
  if (!build.infeasible.empty()) return;
  const QpModel& m = build.model;
  const int n = m.num_securities();
  const double value = m.normalizer;
  normalizer_ = value;

  // The solved point in the model's variables.
  Eigen::VectorXd z = Eigen::VectorXd::Zero(m.num_variables);
  buy_of_.assign(m.num_variables, -1);
  lot_of_.assign(m.num_variables, -1);
  for (int i = 0; i < n; ++i) {
    const int p = m.buy_variable[i];
    if (p < 0) continue;
    z[p] = solution.buys[i] * solved.securities[i].price / value;
    buy_of_[p] = i;
  }
  Eigen::VectorXd remaining = Eigen::VectorXd::Zero(n);  // held weight less must-sell lots
  for (int j = 0; j < solved.num_lots(); ++j) {
    const LotInput& lot = solved.lots[j];
    const double price = solved.securities[lot.security].price;
    if (!lot.must_sell) remaining[lot.security] += price * lot.shares / value;
    const int p = m.lot_variable[j];
    if (p < 0) continue;
    z[p] = solution.sells[j] * price / value;
    lot_of_[p] = j;
  }
  internal::Channels channels = internal::ChannelSums(m, z);
  // A penalized group's u+ - u- is its active weight; at an optimum one of the two is zero.
  for (const internal::GlobalRow& row : m.rows) {
    if (row.family != internal::RowFamily::kGroupDrift) continue;
    double active = -row.lower;
    for (const internal::ChannelCoefficients& c : row.channels) active += c.on_net * channels.net[c.segment];
    for (const auto& [p, coefficient] : row.extra_variables) z[p] = std::max(coefficient < 0 ? active : -active, 0.0);
  }

  // The objective at z, and its gradient on the net channel.
  Eigen::VectorXd risk_gradient = m.specific.cwiseProduct(channels.net);
  double quadratic = channels.net.dot(risk_gradient);
  if (m.factor.rows() > 0) {
    const Eigen::VectorXd exposure = m.factor * channels.net;
    risk_gradient.noalias() += m.factor.transpose() * exposure;
    quadratic += exposure.squaredNorm();
  }
  double bound = 0.5 * quadratic + m.linear_cost.dot(z) + m.objective_constant;

  // The Lagrangian's channel prices: the gradient less A'y, and its constant less y'(Az - b).
  internal::Channels prices{risk_gradient, Eigen::VectorXd::Zero(n), Eigen::VectorXd::Zero(n)};
  Eigen::VectorXd extra_price = m.linear_cost.tail(m.num_variables - m.num_block_variables);
  const Eigen::VectorXd row_values = internal::GlobalRowValues(m, channels, z);
  for (size_t r = 0; r < m.rows.size(); ++r) {
    const internal::GlobalRow& row = m.rows[r];
    const SignedRow signed_row = Signed(RowMultiplier(row, y), row.lower, row.upper);
    if (signed_row.multiplier == 0) continue;
    bound -= signed_row.multiplier * (row_values[static_cast<Eigen::Index>(r)] - signed_row.bound);
    for (const internal::ChannelCoefficients& c : row.channels) {
      prices.net[c.segment] -= signed_row.multiplier * c.on_net;
      prices.traded[c.segment] -= signed_row.multiplier * c.on_traded;
      prices.tax[c.segment] -= signed_row.multiplier * c.on_tax;
    }
    for (const auto& [p, coefficient] : row.extra_variables) {
      extra_price[p - m.num_block_variables] -= signed_row.multiplier * coefficient;
    }
  }
  for (int i = 0; i < n; ++i) {
    const SecurityInput& security = solved.securities[i];
    const SignedRow signed_row =
        Signed(y.weight[i], security.min_weight - remaining[i], security.max_weight - remaining[i]);
    bound -= signed_row.multiplier * (channels.net[i] - signed_row.bound);
    prices.net[i] -= signed_row.multiplier;
  }
  // u+ and u- never exceed the group's largest possible |active_g| at the changed optimum.
  for (const internal::GlobalRow& row : m.rows) {
    if (row.family != internal::RowFamily::kGroupDrift) continue;
    double most_held = 0, most_targeted = 0;
    for (int i : solved.groups[row.group].members) {
      most_held += solved.securities[i].max_weight;
      most_targeted += solved.securities[i].target_weight;
    }
    const double largest = std::max(most_held, most_targeted);
    for (const auto& [p, coefficient] : row.extra_variables) {
      const double reduced = extra_price[p - m.num_block_variables];
      bound += reduced >= 0 ? -reduced * z[p] : reduced * (largest - z[p]);
    }
  }
  base_ = bound;

  // Each block variable's price in the Lagrangian, for the per-security minimizations.
  block_start_ = m.block_start;
  reduced_.resize(m.num_block_variables);
  sign_.resize(m.num_block_variables);
  at_.resize(m.num_block_variables);
  upper_.resize(m.num_block_variables);
  specific_.assign(m.specific.data(), m.specific.data() + n);
  for (int i = 0; i < n; ++i) {
    for (int p = m.block_start[i]; p < m.block_start[i + 1]; ++p) {
      reduced_[p] = m.linear_cost[p] + m.net_sign[p] * prices.net[i] + prices.traded[i] +
                    m.tax_coefficient[p] * prices.tax[i];
      sign_[p] = m.net_sign[p];
      at_[p] = z[p];
      upper_[p] = m.upper[p];
    }
  }
  solved_minimum_.resize(n);
  for (int i = 0; i < n; ++i) {
    solved_minimum_[i] = BlockMinimum(i, [&](int p) {
      return buy_of_[p] >= 0 ? solved.securities[buy_of_[p]].may_buy : solved.lots[lot_of_[p]].sellable;
    });
    solved_total_ += solved_minimum_[i];
  }
  informative_ = true;
}

template <typename Open>
double TradeChangeBound::BlockMinimum(int security, const Open& open) const {
  // Pieces are in units of the net trade: c = e dz, at unit price e r. A closed variable can
  // only move to zero.
  std::vector<Piece> pieces;
  pieces.reserve(block_start_[security + 1] - block_start_[security]);
  for (int p = block_start_[security]; p < block_start_[security + 1]; ++p) {
    const double low = -at_[p], high = open(p) ? upper_[p] - at_[p] : -at_[p];
    pieces.push_back(sign_[p] > 0 ? Piece{reduced_[p], low, high} : Piece{-reduced_[p], -high, -low});
  }
  return pieces.empty() ? 0.0 : MinimizeBlock(pieces, specific_[security]);
}

double TradeChangeBound::Of(const Problem& changed) const {
  constexpr double kNone = -std::numeric_limits<double>::infinity();
  if (!informative_ || !DifferOnlyInTrades(changed, solved_)) return kNone;
  // Only the securities whose permissions changed have another block minimum.
  const int n = changed.num_securities();
  std::vector<bool> changed_security(n, false);
  for (int i = 0; i < n; ++i) {
    if (changed.securities[i].may_buy != solved_.securities[i].may_buy) changed_security[i] = true;
  }
  for (int j = 0; j < changed.num_lots(); ++j) {
    if (changed.lots[j].sellable != solved_.lots[j].sellable) changed_security[changed.lots[j].security] = true;
  }
  double blocks = solved_total_;
  for (int i = 0; i < n; ++i) {
    if (!changed_security[i]) continue;
    blocks += BlockMinimum(i, [&](int p) {
      return buy_of_[p] >= 0 ? changed.securities[buy_of_[p]].may_buy : changed.lots[lot_of_[p]].sellable;
    }) - solved_minimum_[i];
  }
  return (base_ + blocks) * normalizer_;
}

double ObjectiveLowerBound(const Problem& changed, const Problem& solved, const Solution& solution) {
  return TradeChangeBound(solved, solution).Of(changed);
}

}  // namespace arbor::optimize
