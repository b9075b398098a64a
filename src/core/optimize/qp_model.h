// The rebalance problem rewritten for the interior-point method: scaled to weights of V,
// fixed lots folded into constants, and laid out so that every linear map goes through three
// per-security "channels". Internal to the solver.
//
// Variables z, all in fractions of V:
//   per security i, one contiguous block: [buy weight beta_i (if buying is allowed)]
//                                         [sold weight sigma_j of each free lot j of i]
//   then per penalized group g: u+_g, u-_g >= 0 with active_g = u+_g - u-_g.
// Each block variable has a sign e (+1 buy, -1 sell) and a tax coefficient g (0 for buys).
// The three channels of security i are sums over its block: x_e = sum e z (the net weight
// change), x_1 = sum z (traded weight) and x_g = sum g z (tax). Every row and the factor risk
// only see these channels, which is what lets the linear algebra run in O(#lots + n K^2).
#pragma once

#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/optimize/problem.h"

namespace arbor::optimize::internal {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

// One security's coefficients on a row, per channel.
struct ChannelCoefficients {
  int security = 0;
  double on_net = 0;     // x_e
  double on_traded = 0;  // x_1
  double on_tax = 0;     // x_g
};

// What a row stands for, to name the constraint family in messages.
enum class RowFamily { kCash, kTaxBudget, kTurnover, kGroupBound, kGroupDrift };

// A row lower <= a'z <= upper coupling many securities; lower == upper makes it an equality.
struct GlobalRow {
  RowFamily family = RowFamily::kCash;
  int group = -1;  // for the group rows
  std::vector<ChannelCoefficients> channels;
  std::vector<std::pair<int, double>> extra_variables;  // (index into z, coefficient)
  double lower = -kInfinity;
  double upper = kInfinity;
};

struct QpModel {
  // Scale and constants.
  double normalizer = 0;          // V in dollars
  double objective_constant = 0;  // scaled objective at z = 0 (fixed sells, current risk)

  // Variables.
  int num_variables = 0;
  int num_block_variables = 0;  // block variables come first
  Eigen::VectorXd lower, upper, linear_cost;
  Eigen::VectorXd net_sign;  // e: +1 buy, -1 sell, 0 for extra variables
  Eigen::VectorXd tax_coefficient;  // g
  std::vector<int> block_start;     // size n + 1
  std::vector<int> buy_variable;    // per security: index in z, or -1
  std::vector<int> lot_variable;    // per lot: index in z, or -1 when fixed
  Eigen::VectorXd fixed_sell_weight;  // per lot: sold weight when the lot is fixed (must-sell), else 0

  // Quadratic: 1/2 z' H z with H = E' (diag(specific) + factor' factor) E, E the net channel.
  Eigen::VectorXd specific;  // lambda * d_i
  Eigen::MatrixXd factor;    // K' x n: sqrt(lambda) R' X' where F = R R'

  // Per-security row on the net channel: lower <= x_e,i <= upper (the weight bounds), kept
  // only where it can bind.
  std::vector<bool> has_weight_row;
  Eigen::VectorXd weight_row_lower, weight_row_upper;

  std::vector<GlobalRow> rows;

  int num_securities() const { return static_cast<int>(block_start.size()) - 1; }
};

// Builds the model; returns an error naming the constraint when a bound alone is already
// impossible (e.g. a weight bound no trade can reach).
struct ModelBuild {
  QpModel model;
  std::string infeasible;  // non-empty: the problem is infeasible for this stated reason
};
ModelBuild BuildQpModel(const Problem& problem);

// Channel sums of z: three values per security.
struct Channels {
  Eigen::VectorXd net, traded, tax;
};
Channels ChannelSums(const QpModel& model, const Eigen::VectorXd& z);

// Adds to `out` (size num_variables) the block expansion of channel coefficients:
// out_p += e_p * net_i + traded_i + g_p * tax_i for every block variable p of security i.
void AddChannelExpansion(const QpModel& model, const Channels& coefficients, Eigen::VectorXd& out);

// Row values of the global rows at z.
Eigen::VectorXd GlobalRowValues(const QpModel& model, const Channels& channels, const Eigen::VectorXd& z);

}  // namespace arbor::optimize::internal
