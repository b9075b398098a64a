// The rebalance problem rewritten for the interior-point method: scaled to weights of V,
// fixed lots folded into constants, and laid out so that every linear map goes through three
// per-security "channels". Internal to the solver.
//
// Variables z, all in fractions of V (V_H for a household, docs/rebalance-problem.md section 4):
//   per security i, one contiguous block, made of one segment per account a (in account order):
//     [buy weight beta_{a,i} (if account a may buy i)] [sold weight sigma_j of each free lot j
//     of account a and security i]
//   then per penalized group g: u+_g, u-_g >= 0 with active_g = u+_g - u-_g, and the same pair
//   per security of each account with a drift penalty.
// Each block variable has a sign e (+1 buy, -1 sell) and a tax coefficient g (0 for buys).
// Segment s = i * A + a (A accounts; a segment may be empty). The three channels of a segment
// are sums over it: x_e = sum e z (the net weight change), x_1 = sum z (traded weight) and
// x_g = sum g z (tax). Every row sees only segments' channels, and the risk only the net
// change of each security (the sum over its block), which is what lets the linear algebra run in
// O(#lots + n K^2). With one account, segments are securities.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/optimize/household_problem.h"
#include "core/optimize/problem.h"

namespace arbor::optimize::internal {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

// One segment's coefficients on a row, per channel.
struct ChannelCoefficients {
  int segment = 0;
  double on_net = 0;     // x_e
  double on_traded = 0;  // x_1
  double on_tax = 0;     // x_g
};

// What a row stands for, to name the constraint family in messages.
enum class RowFamily { kCash, kTaxBudget, kTurnover, kGroupBound, kGroupDrift, kAccountDrift };

// A row lower <= a'z <= upper coupling many securities; lower == upper makes it an equality.
struct GlobalRow {
  RowFamily family = RowFamily::kCash;
  int group = -1;    // for the group rows
  int account = -1;  // for the cash and account-drift rows
  std::vector<ChannelCoefficients> channels;
  std::vector<std::pair<int, double>> extra_variables;  // (index into z, coefficient)
  double lower = -kInfinity;
  double upper = kInfinity;
};

struct QpModel {
  // Scale and constants.
  double normalizer = 0;          // V (V_H) in dollars
  int num_accounts = 1;           // A
  double objective_constant = 0;  // scaled objective at z = 0 (fixed sells, current risk)

  // Variables.
  int num_variables = 0;
  int num_block_variables = 0;  // block variables come first
  Eigen::VectorXd lower, upper, linear_cost;
  Eigen::VectorXd net_sign;  // e: +1 buy, -1 sell, 0 for extra variables
  Eigen::VectorXd tax_coefficient;  // g
  std::vector<int> block_start;     // per security, size n + 1
  std::vector<int> segment_start;   // per segment, size n A + 1
  std::vector<int> buy_variable;    // per segment: index in z, or -1
  // Per lot (the accounts' lots one after another, from lot_offset[a]): index in z, or -1 when
  // the lot is fixed.
  std::vector<int> lot_variable;
  std::vector<int> lot_offset;      // per account, size A + 1

  // Quadratic: 1/2 z' H z with H = E' (diag(specific) + factor' factor) E, E the net channel.
  Eigen::VectorXd specific;  // lambda * d_i
  Eigen::VectorXd offset;    // per security, its active weight w - t before trading (must-sells gone)
  Eigen::MatrixXd factor;    // K' x n: sqrt(lambda) R' X' where F = R R'

  // Per-security row on the net channel: lower <= x_e,i <= upper (the weight bounds), kept
  // only where it can bind.
  std::vector<bool> has_weight_row;
  Eigen::VectorXd weight_row_lower, weight_row_upper;

  std::vector<GlobalRow> rows;

  int num_securities() const { return static_cast<int>(block_start.size()) - 1; }
  int num_segments() const { return static_cast<int>(segment_start.size()) - 1; }
};

// What the model is built from: a single-account problem or a household, seen the same way.
struct AccountView {
  const CashInput* cash = nullptr;
  const std::vector<LotInput>* lots = nullptr;
  const std::vector<int>* allowed = nullptr;        // null: every may_buy security
  const std::vector<double>* cost_rates = nullptr;  // null or empty: the securities' rates
  const std::vector<double>* location = nullptr;    // null or empty: no location term
  double drift_penalty = 0;
  std::string id;  // for messages; empty for a single account
};
struct ModelInput {
  const std::vector<SecurityInput>* securities = nullptr;
  const RiskInput* risk = nullptr;
  const std::vector<GroupInput>* groups = nullptr;
  std::optional<double> tax_budget, turnover_max;
  std::vector<AccountView> accounts;
};
ModelInput ViewOf(const Problem& problem);
ModelInput ViewOf(const HouseholdProblem& problem);

// Builds the model; returns an error naming the constraint when a bound alone is already
// impossible (e.g. a weight bound no trade can reach).
struct ModelBuild {
  QpModel model;
  std::string infeasible;  // non-empty: the problem is infeasible for this stated reason
};
ModelBuild BuildQpModel(const ModelInput& input);
ModelBuild BuildQpModel(const Problem& problem);

// Channel sums of z: three values per segment.
struct Channels {
  Eigen::VectorXd net, traded, tax;
};
Channels ChannelSums(const QpModel& model, const Eigen::VectorXd& z);

// Adds to `out` (size num_variables) the block expansion of channel coefficients:
// out_p += e_p * net_s + traded_s + g_p * tax_s for every variable p of segment s.
void AddChannelExpansion(const QpModel& model, const Channels& coefficients, Eigen::VectorXd& out);

// Per security, the net weight change: the sum of its segments' net channels.
Eigen::VectorXd SecurityNet(const QpModel& model, const Eigen::VectorXd& segment_net);

// The per-security values repeated on each of the security's segments.
Eigen::VectorXd PerSegment(const QpModel& model, const Eigen::VectorXd& per_security);

// Row values of the global rows at z.
Eigen::VectorXd GlobalRowValues(const QpModel& model, const Channels& channels, const Eigen::VectorXd& z);

}  // namespace arbor::optimize::internal
