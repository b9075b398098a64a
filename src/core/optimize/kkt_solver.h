// The Newton system of the interior-point method, solved through the problem's structure.
//
// After the bound multipliers and the per-security weight rows are eliminated, the system is
//
//   [ B   -L' ] [dz   ]   [r_z]        B = D + blockdiag_i(alpha_i e_i e_i')   (one block per
//   [ L    E  ] [theta] = [r_t]        security: its buy and lot variables; D diagonal)
//
// where L stacks the factor rows (the Woodbury part of Sigma: theta = -W dz, E = I) and the
// global rows (cash, tax budget, turnover, group definitions: E = 1/D_row for inequalities,
// 0 for equalities). Each block of B is diagonal plus rank one, so B^-1 costs O(lots); every
// row of L acts on a security through three channel sums, so the capacitance matrix
// C = L B^-1 L' + E of size r = K + #rows costs O(#lots + n r^2) to form. Internal.
#pragma once

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "core/optimize/qp_model.h"

namespace arbor::optimize::internal {

class KktSolver {
 public:
  explicit KktSolver(const QpModel& model);

  // diagonal: D, one entry per variable, > 0. block_rank_one: alpha_i per security.
  // row_regularization: E for the global rows (>= 0).
  void Factor(const Eigen::VectorXd& diagonal, const Eigen::VectorXd& block_rank_one,
              const Eigen::VectorXd& row_regularization);

  // Solves the system for right-hand sides r_z (variables) and r_rows (global rows; the
  // factor rows' right-hand side is zero). Writes dz and the global rows' multipliers.
  void Solve(const Eigen::VectorXd& r_z, const Eigen::VectorXd& r_rows, Eigen::VectorXd& dz,
             Eigen::VectorXd& row_multipliers) const;

 private:
  // Per security, the 3x3 matrix M_i = E_i' B_i^-1 E_i over the channels (net, traded, tax).
  struct BlockSums {
    double net_net, net_traded, net_tax, traded_traded, traded_tax, tax_tax;
  };

  void ApplyBInverse(const Eigen::VectorXd& v, Eigen::VectorXd& out) const;
  void ApplyB(const Eigen::VectorXd& v, Eigen::VectorXd& out) const;
  // L v (factor rows first, then the global rows) and L' theta added into out.
  void ApplyL(const Eigen::VectorXd& v, Eigen::VectorXd& out) const;
  void AddLTransposed(const Eigen::VectorXd& theta, Eigen::VectorXd& out) const;
  void SolveOnce(const Eigen::VectorXd& r_z, const Eigen::VectorXd& r_t, Eigen::VectorXd& dz,
                 Eigen::VectorXd& theta) const;

  const QpModel& model_;
  int factor_rows_ = 0;
  int global_rows_ = 0;
  Eigen::VectorXd inverse_diagonal_;  // D^-1
  Eigen::VectorXd block_rank_one_;    // alpha_i
  Eigen::VectorXd block_coefficient_; // alpha_i / (1 + alpha_i e' D^-1 e)
  Eigen::VectorXd capacitance_diagonal_;  // E, factor rows included (ones)
  Eigen::MatrixXd capacitance_;
  Eigen::LDLT<Eigen::MatrixXd> capacitance_factor_;
};

}  // namespace arbor::optimize::internal
