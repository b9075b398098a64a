// The account rebalance problem of docs/rebalance-problem.md sections 1-2, in the units of the
// spec: money in dollars, holdings in shares, rates and weights as fractions.
//
// This is the optimizer's input contract. It holds doubles because the optimizer works in
// doubles; the account layer converts the ledger's exact amounts at this boundary.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace arbor::optimize {

struct SecurityInput {
  std::string symbol;
  double price = 0;          // p_i > 0
  double target_weight = 0;  // t_i >= 0
  bool may_buy = true;
  double min_weight = 0;  // l_i
  double max_weight = 1;  // u_i
  double cost_rate = 0;   // k_i, fraction of traded dollars, both sides
};

struct LotInput {
  std::string id;
  int security = 0;  // index into Problem::securities
  double shares = 0;               // q_j > 0
  double cost_basis_per_share = 0; // c_j
  double tax_rate = 0;             // r_j, applied to (p - c_j) per share sold
  bool sellable = true;
  bool must_sell = false;
};

struct CashInput {
  double balance = 0;     // C
  double withdrawal = 0;  // W
  std::optional<double> min;  // Cmin; absent: no bound
  std::optional<double> max;  // Cmax; absent: no bound
};

// Sigma = X F X' + diag(d), annualized. A security's row of X may be all zero.
struct RiskInput {
  double aversion = 0;                 // lambda >= 0
  Eigen::MatrixXd loadings;            // X, n x K
  Eigen::MatrixXd factor_covariance;   // F, K x K, symmetric PSD
  Eigen::VectorXd specific_variance;   // d, n
};

struct GroupInput {
  std::string name;
  std::vector<int> members;  // security indices
  double penalty = 0;        // mu_g: dollars of objective per dollar of |active_g| * V
  std::optional<double> max_active;  // a_g
};

struct Problem {
  std::vector<SecurityInput> securities;
  std::vector<LotInput> lots;
  CashInput cash;
  RiskInput risk;
  std::vector<GroupInput> groups;
  std::optional<double> tax_budget;    // B, net tax dollars
  std::optional<double> turnover_max;  // T, traded dollars

  int num_securities() const { return static_cast<int>(securities.size()); }
  int num_lots() const { return static_cast<int>(lots.size()); }
  int num_factors() const { return static_cast<int>(risk.factor_covariance.rows()); }
};

// The four terms of the objective, in dollars.
struct ObjectiveTerms {
  double risk = 0;
  double tax = 0;
  double cost = 0;
  double drift = 0;
  double total() const { return risk + tax + cost + drift; }
};

// What a trade list does to the account: the spec's derived quantities at a point (b, s).
struct Evaluation {
  ObjectiveTerms terms;
  double normalizer = 0;  // V
  double cash_after = 0;
  double traded = 0;
  double tracking_error = 0;
  Eigen::VectorXd weights;        // w_i after trading
  Eigen::VectorXd group_active;   // active_g after trading
  // The largest violation of any constraint, in dollars (0 when feasible).
  double max_violation_dollars = 0;
  std::string worst_violation;  // names the constraint, empty when feasible
};

// Computes the spec's derived quantities and objective for buys b (shares per security) and
// sells s (shares per lot). Independent of any solver: tests use it to check solvers.
Evaluation Evaluate(const Problem& problem, const Eigen::VectorXd& buys, const Eigen::VectorXd& sells);

}  // namespace arbor::optimize
