#include "core/optimize/kkt_solver.h"

#include <cmath>

namespace arbor::optimize::internal {

KktSolver::KktSolver(const QpModel& model)
    : model_(model),
      factor_rows_(static_cast<int>(model.factor.rows())),
      global_rows_(static_cast<int>(model.rows.size())) {
  const int n = model.num_securities();
  coefficient_net_.setZero(n, global_rows_);
  coefficient_traded_.setZero(n, global_rows_);
  coefficient_tax_.setZero(n, global_rows_);
  row_entry_start_.assign(1, 0);
  for (int a = 0; a < global_rows_; ++a) {
    for (const ChannelCoefficients& c : model.rows[a].channels) {
      coefficient_net_(c.security, a) = c.on_net;
      coefficient_traded_(c.security, a) = c.on_traded;
      coefficient_tax_(c.security, a) = c.on_tax;
    }
    row_entry_start_.push_back(row_entry_start_.back() + static_cast<int>(model.rows[a].channels.size()));
  }
}

void KktSolver::Factor(const Eigen::VectorXd& diagonal, double proximal,
                       const Eigen::VectorXd& weight_row_regularization,
                       const Eigen::VectorXd& row_regularization) {
  const QpModel& m = model_;
  const int n = m.num_securities();
  const int r = factor_rows_ + global_rows_;
  diagonal_ = diagonal.head(m.num_variables).array() + proximal;
  inverse_diagonal_ = diagonal_.cwiseInverse();
  weight_row_regularization_ = weight_row_regularization;
  block_shrink_.resize(n);
  block_border_.resize(n);
  block_sum_.resize(n);
  block_sum_sign_.resize(n);
  block_sum_tax_.resize(n);
  block_sum_tax_squares_.resize(n);

  // M_i = E_i' G_i E_i per security over the channels (net, traded, tax), where G_i is the
  // block's inverse with its weight row eliminated: (D + alpha ee')^-1, alpha = lambda d + 1/E_s.
  std::vector<BlockSums>& sums = block_sums_;
  sums.resize(n);
  Eigen::VectorXd& net_net = net_net_;
  net_net.resize(n);
  for (int i = 0; i < n; ++i) {
    // Sums over the block's buy (+) and sell (-) variables of D^-1, and of D^-1 g over sells.
    // A block holds its buy, if any, first and then only sells (qp_model.h).
    const int end = m.block_start[i + 1];
    int first_sell = m.block_start[i];
    double buys = 0;
    if (first_sell < end && m.net_sign[first_sell] > 0) buys = inverse_diagonal_[first_sell++];
    double sells = 0, tax_sum = 0, tax_squares = 0;
    for (int p = first_sell; p < end; ++p) {
      const double inv = inverse_diagonal_[p], g = m.tax_coefficient[p];
      sells += inv;
      tax_sum += g * inv;
      tax_squares += g * g * inv;
    }
    // The weighted spread of the sells' tax coefficients, in two passes for accuracy.
    const double mean_tax = sells > 0 ? tax_sum / sells : 0.0;
    double tax_spread = 0;
    for (int p = first_sell; p < end; ++p) {
      const double deviation = m.tax_coefficient[p] - mean_tax;
      tax_spread += inverse_diagonal_[p] * deviation * deviation;
    }
    const double total = buys + sells;
    block_sum_[i] = total;
    block_sum_sign_[i] = buys - sells;
    block_sum_tax_[i] = tax_sum;
    block_sum_tax_squares_[i] = tax_squares;
    const double specific = m.specific[i];
    const double regularization = weight_row_regularization[i];
    block_shrink_[i] = 1.0 / (1.0 + specific * total);
    block_border_[i] = total * block_shrink_[i] + regularization;
    // shrink = 1/(1 + alpha s) and alpha * shrink, without forming alpha = lambda d + 1/E_s.
    double shrink, alpha_shrink;
    if (std::isinf(regularization)) {
      shrink = block_shrink_[i];
      alpha_shrink = specific * shrink;
    } else {
      const double denominator = regularization * (1.0 + specific * total) + total;
      shrink = regularization / denominator;
      alpha_shrink = (specific * regularization + 1.0) / denominator;
    }
    // M = E'D^-1E - alpha shrink q q', written so that no entry is a difference of large
    // numbers (D spans many orders of magnitude near the optimum): with s = buys + sells,
    // e'D^-1 1 = buys - sells and e'D^-1 g = -tax_sum.
    sums[i] = {total * shrink,
               (buys - sells) * shrink,
               -tax_sum * shrink,
               total * shrink + 4 * alpha_shrink * buys * sells,
               tax_sum * (shrink + 2 * alpha_shrink * buys),
               tax_squares * shrink + alpha_shrink * (tax_squares * buys + sells * tax_spread)};
    net_net[i] = sums[i].net_net;
  }

  capacitance_.setZero(r, r);
  if (factor_rows_ > 0) {
    // X M X' as a symmetric rank update of X sqrt(M): half the work of the general product.
    scaled_factor_.noalias() = m.factor * net_net.cwiseSqrt().asDiagonal();
    auto corner = capacitance_.topLeftCorner(factor_rows_, factor_rows_);
    corner.selfadjointView<Eigen::Lower>().rankUpdate(scaled_factor_);
    corner.triangularView<Eigen::StrictlyUpper>() = corner.transpose();
  }
  // Global rows: u = M_i a_i for each security i on row a (a_i its channel coefficients), then
  // the entry of rows a and b is the sum of u . b_i over the securities of the sparser one.
  row_products_.resize(row_entry_start_.back());
  for (int a = 0; a < global_rows_; ++a) {
    int k = row_entry_start_[a];
    for (const ChannelCoefficients& c : m.rows[a].channels) {
      const BlockSums& s = sums[c.security];
      row_products_[k++] = {s.net_net * c.on_net + s.net_traded * c.on_traded + s.net_tax * c.on_tax,
                            s.net_traded * c.on_net + s.traded_traded * c.on_traded + s.traded_tax * c.on_tax,
                            s.net_tax * c.on_net + s.traded_tax * c.on_traded + s.tax_tax * c.on_tax};
    }
  }
  if (factor_rows_ > 0 && global_rows_ > 0) {
    // X u over the row's own securities only: a group row touches a few of them.
    for (int a = 0; a < global_rows_; ++a) {
      auto column = capacitance_.col(factor_rows_ + a).head(factor_rows_);
      int k = row_entry_start_[a];
      for (const ChannelCoefficients& c : m.rows[a].channels) {
        column += m.factor.col(c.security) * row_products_[k++].net;
      }
    }
    capacitance_.bottomLeftCorner(global_rows_, factor_rows_) =
        capacitance_.topRightCorner(factor_rows_, global_rows_).transpose();
  }
  for (int a = 0; a < global_rows_; ++a) {
    for (int b = a; b < global_rows_; ++b) {
      // Symmetric: run over the row with fewer securities against the other's coefficients.
      const int sparse = m.rows[a].channels.size() < m.rows[b].channels.size() ? a : b;
      const int other = sparse == a ? b : a;
      double sum = 0;
      int k = row_entry_start_[sparse];
      for (const ChannelCoefficients& c : m.rows[sparse].channels) {
        const RowProduct& u = row_products_[k++];
        sum += u.net * coefficient_net_(c.security, other) +
               u.traded * coefficient_traded_(c.security, other) +
               u.tax * coefficient_tax_(c.security, other);
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

Channels KktSolver::WeightedSums(ConstRef r) const {
  const QpModel& m = model_;
  const int n = m.num_securities();
  Channels sums{Eigen::VectorXd(n), Eigen::VectorXd(n), Eigen::VectorXd(n)};
  for (int i = 0; i < n; ++i) {
    double r_net = 0, r_traded = 0, r_tax = 0;
    for (int p = m.block_start[i]; p < m.block_start[i + 1]; ++p) {
      const double t = inverse_diagonal_[p] * r[p];
      r_net += m.net_sign[p] * t;
      r_traded += t;
      r_tax += m.tax_coefficient[p] * t;
    }
    sums.net[i] = r_net;
    sums.traded[i] = r_traded;
    sums.tax[i] = r_tax;
  }
  return sums;
}

void KktSolver::SolveBlocks(const Channels& r_sums, const Channels* coefficients, const Eigen::VectorXd& r_s,
                            Channels& dz_channels, Eigen::VectorXd& weight_multipliers,
                            Eigen::VectorXd& along) const {
  const QpModel& m = model_;
  const int n = m.num_securities();
  dz_channels = {Eigen::VectorXd(n), Eigen::VectorXd(n), Eigen::VectorXd(n)};
  weight_multipliers = Eigen::VectorXd::Zero(n);
  along.resize(n);
  for (int i = 0; i < n; ++i) {
    // Sums over the block of D^-1 r weighted by e, 1 and g.
    double r_net = r_sums.net[i], r_traded = r_sums.traded[i], r_tax = r_sums.tax[i];
    const double total = block_sum_[i], sign = block_sum_sign_[i], tax = block_sum_tax_[i];
    if (coefficients) {
      const double c_net = coefficients->net[i];
      const double c_traded = coefficients->traded[i];
      const double c_tax = coefficients->tax[i];
      // D^-1 (r + C'c) summed with e, 1 and g.
      r_net += c_net * total + c_traded * sign - c_tax * tax;
      r_traded += c_net * sign + c_traded * total + c_tax * tax;
      r_tax += -c_net * tax + c_traded * tax + c_tax * block_sum_tax_squares_[i];
    }
    // y = B0^-1 r by Sherman-Morrison; w = B0^-1 e = shrink D^-1 e; dz = y + w * multiplier.
    const double shrink = block_shrink_[i];
    const double e_y = r_net * shrink;
    double multiplier = 0;
    if (!std::isinf(weight_row_regularization_[i])) {
      multiplier = (r_s[i] - e_y) / block_border_[i];
      weight_multipliers[i] = multiplier;
    }
    // dz = D^-1 (r + C'c) + along * D^-1 e.
    along[i] = -m.specific[i] * e_y + shrink * multiplier;
    dz_channels.net[i] = r_net + along[i] * total;
    dz_channels.traded[i] = r_traded + along[i] * sign;
    dz_channels.tax[i] = r_tax - along[i] * tax;
  }
}

void KktSolver::ExpandBlocks(ConstRef r, const Channels& coefficients, const Eigen::VectorXd& along,
                             const Eigen::VectorXd& extra_rhs, Eigen::VectorXd& dz) const {
  const QpModel& m = model_;
  dz.resize(m.num_variables);
  for (int i = 0; i < m.num_securities(); ++i) {
    const double net = coefficients.net[i] + along[i];
    const double traded = coefficients.traded[i];
    const double tax = coefficients.tax[i];
    for (int p = m.block_start[i]; p < m.block_start[i + 1]; ++p) {
      dz[p] = inverse_diagonal_[p] * (r[p] + m.net_sign[p] * net + traded + m.tax_coefficient[p] * tax);
    }
  }
  for (int p = m.num_block_variables; p < m.num_variables; ++p) {
    dz[p] = inverse_diagonal_[p] * extra_rhs[p - m.num_block_variables];
  }
}

void KktSolver::ApplyL(const Channels& channels, const Eigen::VectorXd& v, Eigen::VectorXd& out) const {
  out.resize(factor_rows_ + global_rows_);
  if (factor_rows_ > 0) out.head(factor_rows_).noalias() = model_.factor * channels.net;
  out.tail(global_rows_) = GlobalRowValues(model_, channels, v);
}

Channels KktSolver::LTransposed(const Eigen::VectorXd& theta, Eigen::Ref<Eigen::VectorXd> extra_out) const {
  const int n = model_.num_securities();
  Channels c{Eigen::VectorXd::Zero(n), Eigen::VectorXd::Zero(n), Eigen::VectorXd::Zero(n)};
  if (factor_rows_ > 0) c.net.noalias() = model_.factor.transpose() * theta.head(factor_rows_);
  for (int r = 0; r < global_rows_; ++r) {
    const double weight = theta[factor_rows_ + r];
    if (weight == 0) continue;
    for (const ChannelCoefficients& entry : model_.rows[r].channels) {
      c.net[entry.security] += weight * entry.on_net;
      c.traded[entry.security] += weight * entry.on_traded;
      c.tax[entry.security] += weight * entry.on_tax;
    }
    for (const auto& [p, coefficient] : model_.rows[r].extra_variables) {
      extra_out[p - model_.num_block_variables] += weight * coefficient;
    }
  }
  return c;
}

void KktSolver::SolveOnce(ConstRef r_z, const Eigen::VectorXd& r_s, const Eigen::VectorXd& r_t, Step& step,
                          Eigen::VectorXd& theta) const {
  const QpModel& m = model_;
  const int extra = m.num_variables - m.num_block_variables;
  // First G r_z, but only its channel sums (and extra variables) are needed for L G r_z; the
  // extra variables' part goes where dz will be, which ApplyL reads them from.
  const Channels r_sums = WeightedSums(r_z);
  Channels first_channels;
  Eigen::VectorXd first_multipliers, along;
  SolveBlocks(r_sums, nullptr, r_s, first_channels, first_multipliers, along);
  step.dz.resize(m.num_variables);
  for (int p = m.num_block_variables; p < m.num_variables; ++p) step.dz[p] = inverse_diagonal_[p] * r_z[p];
  Eigen::VectorXd l_times;
  ApplyL(first_channels, step.dz, l_times);
  theta = capacitance_factor_.solve(r_t - l_times);
  Eigen::VectorXd extra_rhs = r_z.segment(m.num_block_variables, extra);
  const Channels coefficients = LTransposed(theta, extra_rhs);
  SolveBlocks(r_sums, &coefficients, r_s, step.dz_channels, step.weight_multipliers, along);
  ExpandBlocks(r_z, coefficients, along, extra_rhs, step.dz);
}

void KktSolver::Residuals(const Step& step, const Eigen::VectorXd& theta, ConstRef r_z,
                          const Eigen::VectorXd& r_s, const Eigen::VectorXd& r_t, Eigen::VectorXd& e_z,
                          Eigen::VectorXd& e_s, Eigen::VectorXd& e_t) const {
  const QpModel& m = model_;
  const int n = m.num_securities();
  // e_z = r_z - (B0 dz - A_s' dpi_s - L' theta)
  e_z = r_z.head(m.num_variables) - diagonal_.cwiseProduct(step.dz);
  Channels coefficients = LTransposed(theta, e_z.tail(m.num_variables - m.num_block_variables));
  e_s = Eigen::VectorXd::Zero(n);
  for (int i = 0; i < n; ++i) {
    coefficients.net[i] += -m.specific[i] * step.dz_channels.net[i] + step.weight_multipliers[i];
    if (!std::isinf(weight_row_regularization_[i])) {
      e_s[i] = r_s[i] - (step.dz_channels.net[i] + weight_row_regularization_[i] * step.weight_multipliers[i]);
    }
  }
  AddChannelExpansion(m, coefficients, e_z);
  Eigen::VectorXd l_dz;
  ApplyL(step.dz_channels, step.dz, l_dz);
  e_t = r_t - (l_dz + capacitance_diagonal_.cwiseProduct(theta));
}

void KktSolver::Solve(ConstRef r_z, const Eigen::VectorXd& r_s, const Eigen::VectorXd& r_rows, bool refine,
                      Step& step) const {
  Eigen::VectorXd r_t = Eigen::VectorXd::Zero(factor_rows_ + global_rows_);
  r_t.tail(global_rows_) = r_rows;
  Eigen::VectorXd theta;
  SolveOnce(r_z, r_s, r_t, step, theta);

  // Iterative refinement on the whole system: the capacitance matrix can be badly conditioned
  // near the optimum, and a correction is cheap. Kept only while it reduces the error.
  if (refine) {
    auto error_of = [](ConstRef a, const Eigen::VectorXd& b, const Eigen::VectorXd& c) {
      double e = 0;
      if (a.size()) e = std::max(e, a.lpNorm<Eigen::Infinity>());
      if (b.size()) e = std::max(e, b.lpNorm<Eigen::Infinity>());
      if (c.size()) e = std::max(e, c.lpNorm<Eigen::Infinity>());
      return e;
    };
    const double scale = error_of(r_z.head(model_.num_variables), r_s, r_t);
    Eigen::VectorXd e_z, e_s, e_t;
    Residuals(step, theta, r_z, r_s, r_t, e_z, e_s, e_t);
    double error = error_of(e_z, e_s, e_t);
    for (int round = 0; round < 2 && error > 1e-14 * scale; ++round) {
      Step correction;
      Eigen::VectorXd theta_correction;
      SolveOnce(e_z, e_s, e_t, correction, theta_correction);
      Step refined{step.dz + correction.dz,
                   {step.dz_channels.net + correction.dz_channels.net,
                    step.dz_channels.traded + correction.dz_channels.traded,
                    step.dz_channels.tax + correction.dz_channels.tax},
                   step.weight_multipliers + correction.weight_multipliers,
                   {}};
      const Eigen::VectorXd refined_theta = theta + theta_correction;
      Residuals(refined, refined_theta, r_z, r_s, r_t, e_z, e_s, e_t);
      const double refined_error = error_of(e_z, e_s, e_t);
      if (refined_error >= error) break;
      step = std::move(refined);
      theta = refined_theta;
      error = refined_error;
    }
  }
  step.row_multipliers = theta.tail(global_rows_);
}

}  // namespace arbor::optimize::internal
