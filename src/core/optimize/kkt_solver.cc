#include "core/optimize/kkt_solver.h"

#include <cmath>

namespace arbor::optimize::internal {

KktSolver::KktSolver(const QpModel& model)
    : model_(model),
      factor_rows_(static_cast<int>(model.factor.rows())),
      global_rows_(static_cast<int>(model.rows.size())) {}

void KktSolver::Factor(const Eigen::VectorXd& diagonal, const Eigen::VectorXd& block_rank_one,
                       const Eigen::VectorXd& row_regularization) {
  const QpModel& m = model_;
  const int n = m.num_securities();
  const int r = factor_rows_ + global_rows_;
  inverse_diagonal_ = diagonal.cwiseInverse();
  block_rank_one_ = block_rank_one;
  block_coefficient_.resize(n);

  // M_i per security, from sums over its block.
  std::vector<BlockSums> sums(n);
  Eigen::VectorXd net_net(n);
  for (int i = 0; i < n; ++i) {
    double ee = 0, e1 = 0, eg = 0, g1 = 0, gg = 0;
    for (int p = m.block_start[i]; p < m.block_start[i + 1]; ++p) {
      const double inv = inverse_diagonal_[p], e = m.net_sign[p], g = m.tax_coefficient[p];
      ee += inv;
      e1 += e * inv;
      eg += e * g * inv;
      g1 += g * inv;
      gg += g * g * inv;
    }
    const double alpha = block_rank_one[i];
    const double coefficient = alpha / (1.0 + alpha * ee);
    block_coefficient_[i] = coefficient;
    // M = P - coefficient * q q' with q = (ee, e1, eg), the net column of P.
    sums[i] = {ee - coefficient * ee * ee, e1 - coefficient * ee * e1, eg - coefficient * ee * eg,
               ee - coefficient * e1 * e1, g1 - coefficient * e1 * eg, gg - coefficient * eg * eg};
    net_net[i] = sums[i].net_net;
  }

  capacitance_.setZero(r, r);
  if (factor_rows_ > 0) {
    capacitance_.topLeftCorner(factor_rows_, factor_rows_).noalias() =
        m.factor * net_net.asDiagonal() * m.factor.transpose();
  }
  // Global rows: u_rho = M_i lambda_rho,i per security, then dot products with the other rows.
  Eigen::MatrixXd u_net = Eigen::MatrixXd::Zero(n, global_rows_);
  Eigen::MatrixXd u_traded = Eigen::MatrixXd::Zero(n, global_rows_);
  Eigen::MatrixXd u_tax = Eigen::MatrixXd::Zero(n, global_rows_);
  for (int a = 0; a < global_rows_; ++a) {
    for (const ChannelCoefficients& c : m.rows[a].channels) {
      const BlockSums& s = sums[c.security];
      u_net(c.security, a) = s.net_net * c.on_net + s.net_traded * c.on_traded + s.net_tax * c.on_tax;
      u_traded(c.security, a) = s.net_traded * c.on_net + s.traded_traded * c.on_traded + s.traded_tax * c.on_tax;
      u_tax(c.security, a) = s.net_tax * c.on_net + s.traded_tax * c.on_traded + s.tax_tax * c.on_tax;
    }
  }
  if (factor_rows_ > 0 && global_rows_ > 0) {
    Eigen::MatrixXd cross = m.factor * u_net;  // K' x rows
    capacitance_.topRightCorner(factor_rows_, global_rows_) = cross;
    capacitance_.bottomLeftCorner(global_rows_, factor_rows_) = cross.transpose();
  }
  for (int a = 0; a < global_rows_; ++a) {
    for (int b = a; b < global_rows_; ++b) {
      double sum = 0;
      for (const ChannelCoefficients& c : m.rows[b].channels) {
        sum += c.on_net * u_net(c.security, a) + c.on_traded * u_traded(c.security, a) +
               c.on_tax * u_tax(c.security, a);
      }
      for (const auto& [p, coefficient_b] : m.rows[b].extra_variables) {
        for (const auto& [q, coefficient_a] : m.rows[a].extra_variables) {
          if (p == q) sum += coefficient_a * coefficient_b * inverse_diagonal_[p];
        }
      }
      capacitance_(factor_rows_ + a, factor_rows_ + b) = sum;
      capacitance_(factor_rows_ + b, factor_rows_ + a) = sum;
    }
  }
  capacitance_diagonal_.resize(r);
  capacitance_diagonal_.head(factor_rows_).setOnes();
  capacitance_diagonal_.tail(global_rows_) = row_regularization;
  capacitance_.diagonal() += capacitance_diagonal_;
  capacitance_factor_.compute(capacitance_);
}

void KktSolver::ApplyBInverse(const Eigen::VectorXd& v, Eigen::VectorXd& out) const {
  const QpModel& m = model_;
  out = inverse_diagonal_.cwiseProduct(v);
  for (int i = 0; i < m.num_securities(); ++i) {
    const double coefficient = block_coefficient_[i];
    if (coefficient == 0) continue;
    double dot = 0;
    for (int p = m.block_start[i]; p < m.block_start[i + 1]; ++p) dot += m.net_sign[p] * out[p];
    const double scale = coefficient * dot;
    for (int p = m.block_start[i]; p < m.block_start[i + 1]; ++p) {
      out[p] -= scale * inverse_diagonal_[p] * m.net_sign[p];
    }
  }
}

void KktSolver::ApplyB(const Eigen::VectorXd& v, Eigen::VectorXd& out) const {
  const QpModel& m = model_;
  out = inverse_diagonal_.cwiseInverse().cwiseProduct(v);
  for (int i = 0; i < m.num_securities(); ++i) {
    const double alpha = block_rank_one_[i];
    if (alpha == 0) continue;
    double dot = 0;
    for (int p = m.block_start[i]; p < m.block_start[i + 1]; ++p) dot += m.net_sign[p] * v[p];
    for (int p = m.block_start[i]; p < m.block_start[i + 1]; ++p) out[p] += alpha * dot * m.net_sign[p];
  }
}

void KktSolver::ApplyL(const Eigen::VectorXd& v, Eigen::VectorXd& out) const {
  const Channels channels = ChannelSums(model_, v);
  out.resize(factor_rows_ + global_rows_);
  if (factor_rows_ > 0) out.head(factor_rows_).noalias() = model_.factor * channels.net;
  out.tail(global_rows_) = GlobalRowValues(model_, channels, v);
}

void KktSolver::AddLTransposed(const Eigen::VectorXd& theta, Eigen::VectorXd& out) const {
  if (factor_rows_ > 0) {
    const int n = model_.num_securities();
    Channels coefficients{model_.factor.transpose() * theta.head(factor_rows_), Eigen::VectorXd::Zero(n),
                          Eigen::VectorXd::Zero(n)};
    AddChannelExpansion(model_, coefficients, out);
  }
  AddGlobalRowsTransposed(model_, theta.tail(global_rows_), out);
}

void KktSolver::SolveOnce(const Eigen::VectorXd& r_z, const Eigen::VectorXd& r_t, Eigen::VectorXd& dz,
                          Eigen::VectorXd& theta) const {
  Eigen::VectorXd b_inverse_r;
  ApplyBInverse(r_z, b_inverse_r);
  Eigen::VectorXd l_times;
  ApplyL(b_inverse_r, l_times);
  theta = capacitance_factor_.solve(r_t - l_times);
  Eigen::VectorXd rhs = r_z;
  AddLTransposed(theta, rhs);
  ApplyBInverse(rhs, dz);
}

void KktSolver::Solve(const Eigen::VectorXd& r_z, const Eigen::VectorXd& r_rows, Eigen::VectorXd& dz,
                      Eigen::VectorXd& row_multipliers) const {
  Eigen::VectorXd r_t = Eigen::VectorXd::Zero(factor_rows_ + global_rows_);
  r_t.tail(global_rows_) = r_rows;
  Eigen::VectorXd theta;
  SolveOnce(r_z, r_t, dz, theta);

  // One step of iterative refinement on the whole system: the capacitance matrix can be badly
  // conditioned near the optimum, and the correction is cheap.
  Eigen::VectorXd residual_z;
  ApplyB(dz, residual_z);
  Eigen::VectorXd lt_theta = Eigen::VectorXd::Zero(dz.size());
  AddLTransposed(theta, lt_theta);
  residual_z = r_z - (residual_z - lt_theta);
  Eigen::VectorXd l_dz;
  ApplyL(dz, l_dz);
  Eigen::VectorXd residual_t = r_t - (l_dz + capacitance_diagonal_.cwiseProduct(theta));
  const double scale = std::max(r_z.lpNorm<Eigen::Infinity>(), r_t.lpNorm<Eigen::Infinity>());
  const double error = std::max(residual_z.lpNorm<Eigen::Infinity>(), residual_t.lpNorm<Eigen::Infinity>());
  if (error > 1e-13 * scale) {
    Eigen::VectorXd dz_correction, theta_correction;
    SolveOnce(residual_z, residual_t, dz_correction, theta_correction);
    dz += dz_correction;
    theta += theta_correction;
  }
  row_multipliers = theta.tail(global_rows_);
}

}  // namespace arbor::optimize::internal
