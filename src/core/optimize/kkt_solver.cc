#include "core/optimize/kkt_solver.h"

#include <algorithm>
#include <cmath>

namespace arbor::optimize::internal {
KktSolver::KktSolver(const QpModel& model)
    : model_(model),
      factor_rows_(static_cast<int>(model.factor.rows())),
      global_rows_(static_cast<int>(model.rows.size())) {
  const int segments = model.num_segments();
  row_entry_start_.assign(1, 0);
  std::vector<int> entries_of_segment(segments + 1, 0);
  for (const GlobalRow& row : model.rows) {
    row_entry_start_.push_back(row_entry_start_.back() + static_cast<int>(row.channels.size()));
    for (const ChannelCoefficients& c : row.channels) ++entries_of_segment[c.segment + 1];
  }
  // The rows' entries again, grouped by segment (rows in order within a segment).
  segment_entry_start_.assign(segments + 1, 0);
  for (int s = 0; s < segments; ++s) {
    segment_entry_start_[s + 1] = segment_entry_start_[s] + entries_of_segment[s + 1];
  }
  segment_entries_.resize(row_entry_start_.back());
  std::vector<int> next(segment_entry_start_.begin(), segment_entry_start_.end() - 1);
  for (int a = 0; a < global_rows_; ++a) {
    int k = row_entry_start_[a];
    for (const ChannelCoefficients& c : model.rows[a].channels) {
      segment_entries_[next[c.segment]++] = {c.segment, a, k++, &c};
    }
  }
  // Every pair of rows (first <= second) sharing an extra variable.
  std::vector<std::vector<std::pair<int, double>>> rows_of_extra(model.num_variables - model.num_block_variables);
  for (int a = 0; a < global_rows_; ++a) {
    for (const auto& [p, coefficient] : model.rows[a].extra_variables) {
      rows_of_extra[p - model.num_block_variables].emplace_back(a, coefficient);
    }
  }
  for (size_t e = 0; e < rows_of_extra.size(); ++e) {
    const auto& rows = rows_of_extra[e];
    for (size_t x = 0; x < rows.size(); ++x) {
      for (size_t y = x; y < rows.size(); ++y) {
        const auto [first, second] = std::minmax(rows[x].first, rows[y].first);
        extra_shares_.push_back({first, second, model.num_block_variables + static_cast<int>(e),
                                 rows[x].second * rows[y].second});
      }
    }
  }
}

void KktSolver::Factor(const Eigen::VectorXd& diagonal, double proximal,
                       const Eigen::VectorXd& weight_row_regularization,
                       const Eigen::VectorXd& row_regularization) {
  const QpModel& m = model_;
  const int n = m.num_securities();
  const int accounts = m.num_accounts;
  const int segments = m.num_segments();
  const int r = factor_rows_ + global_rows_;
  diagonal_ = diagonal.head(m.num_variables).array() + proximal;
  inverse_diagonal_ = diagonal_.cwiseInverse();
  weight_row_regularization_ = weight_row_regularization;
  for (Eigen::VectorXd* block : {&block_shrink_, &block_border_, &block_net_net_, &block_bordered_shrink_,
                                 &block_alpha_shrink_}) {
    block->resize(n);
  }
  for (Eigen::VectorXd* segment : {&segment_sum_, &segment_sum_sign_, &segment_sum_tax_, &segment_sum_tax_squares_,
                                   &segment_buys_, &segment_sells_, &segment_tax_spread_}) {
    segment->resize(segments);
  }

  // Per segment, sums over its buy (+) and sell (-) variables of D^-1, and of D^-1 g over sells.
  // A segment holds its buy, if any, first and then only sells (qp_model.h).
  for (int s = 0; s < segments; ++s) {
    const int end = m.segment_start[s + 1];
    int first_sell = m.segment_start[s];
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
    segment_sum_[s] = buys + sells;
    segment_sum_sign_[s] = buys - sells;
    segment_sum_tax_[s] = tax_sum;
    segment_sum_tax_squares_[s] = tax_squares;
    segment_buys_[s] = buys;
    segment_sells_[s] = sells;
    segment_tax_spread_[s] = tax_spread;
  }

  // M_ss = E_s' G_i E_s per segment over the channels (net, traded, tax), where G_i is the
  // block's inverse with its weight row eliminated: (D + alpha ee')^-1, alpha = lambda d + 1/E_s.
  std::vector<BlockSums>& sums = block_sums_;
  sums.resize(segments);
  for (int i = 0; i < n; ++i) {
    const int first = i * accounts;
    double total = 0;
    for (int s = first; s < first + accounts; ++s) total += segment_sum_[s];
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
    block_net_net_[i] = total * shrink;
    block_bordered_shrink_[i] = shrink;
    block_alpha_shrink_[i] = alpha_shrink;
    for (int s = first; s < first + accounts; ++s) {
      // M_ss = S_s - alpha shrink t_s t_s', written so that no entry is a difference of large
      // numbers (D spans many orders of magnitude near the optimum): with `rest` the other
      // segments' share of e'D^-1e, the factor shrink (1 + alpha rest) collects the net terms,
      // and e'D^-1 1 = buys - sells, e'D^-1 g = -tax_sum.
      double rest = 0;
      for (int other = first; other < first + accounts; ++other) {
        if (other != s) rest += segment_sum_[other];
      }
      const double f = shrink + alpha_shrink * rest;
      const double segment_total = segment_sum_[s], buys = segment_buys_[s], sells = segment_sells_[s];
      const double tax_sum = segment_sum_tax_[s], tax_squares = segment_sum_tax_squares_[s];
      sums[s] = {segment_total * f,
                 (buys - sells) * f,
                 -tax_sum * f,
                 segment_total * f + 4 * alpha_shrink * buys * sells,
                 tax_sum * (f + 2 * alpha_shrink * buys),
                 tax_squares * f + alpha_shrink * (tax_squares * buys + sells * segment_tax_spread_[s])};
    }
  }

  capacitance_.setZero(r, r);
  if (factor_rows_ > 0) {
    // X M X' as a symmetric rank update of X sqrt(M): half the work of the general product.
    scaled_factor_.noalias() = m.factor * block_net_net_.cwiseSqrt().asDiagonal();
    auto corner = capacitance_.topLeftCorner(factor_rows_, factor_rows_);
    corner.selfadjointView<Eigen::Lower>().rankUpdate(scaled_factor_);
    corner.triangularView<Eigen::StrictlyUpper>() = corner.transpose();
  }
  // Global rows: u = M_ss a_s for each segment s on row a (a_s its channel coefficients) and the
  // projection t_s . a_s; then the entry of rows a and b is the sum of u . b_s over the segments
  // of the sparser one, plus the coupling of different segments of one block.
  row_products_.resize(row_entry_start_.back());
  for (int a = 0; a < global_rows_; ++a) {
    int k = row_entry_start_[a];
    for (const ChannelCoefficients& c : m.rows[a].channels) {
      const BlockSums& s = sums[c.segment];
      row_products_[k++] = {
          s.net_net * c.on_net + s.net_traded * c.on_traded + s.net_tax * c.on_tax,
          s.net_traded * c.on_net + s.traded_traded * c.on_traded + s.traded_tax * c.on_tax,
          s.net_tax * c.on_net + s.traded_tax * c.on_traded + s.tax_tax * c.on_tax,
          segment_sum_[c.segment] * c.on_net + segment_sum_sign_[c.segment] * c.on_traded -
              segment_sum_tax_[c.segment] * c.on_tax};
    }
  }
  if (factor_rows_ > 0 && global_rows_ > 0) {
    // X (e' G a) over the row's own segments only: e' G_i a = shrink_i t . a per block.
    for (int a = 0; a < global_rows_; ++a) {
      auto column = capacitance_.col(factor_rows_ + a).head(factor_rows_);
      int k = row_entry_start_[a];
      for (const ChannelCoefficients& c : m.rows[a].channels) {
        const int i = c.segment / accounts;
        column += m.factor.col(i) * (block_bordered_shrink_[i] * row_products_[k++].projection);
      }
    }
    capacitance_.bottomLeftCorner(global_rows_, factor_rows_) =
        capacitance_.topRightCorner(factor_rows_, global_rows_).transpose();
  }
  // Rows against rows: the entry of rows a and b is the sum over the segments both touch of
  // u_a . b_s, so one pass over each segment's own rows fills the whole block.
  auto rows_block = capacitance_.bottomRightCorner(global_rows_, global_rows_);
  for (int s = 0; s < segments; ++s) {
    for (int x = segment_entry_start_[s]; x < segment_entry_start_[s + 1]; ++x) {
      const RowProduct& u = row_products_[segment_entries_[x].product];
      const int a = segment_entries_[x].row;
      for (int y = x; y < segment_entry_start_[s + 1]; ++y) {
        const ChannelCoefficients& b = *segment_entries_[y].coefficients;
        rows_block(a, segment_entries_[y].row) += u.net * b.on_net + u.traded * b.on_traded + u.tax * b.on_tax;
      }
    }
  }
  if (accounts > 1) {
    // Segments s != s' of one block couple through -alpha shrink (t_s . a_s)(t_s' . b_s'): per
    // block, the product of the rows' block projections less each segment's own products.
    for (int i = 0; i < n; ++i) {
      const int first = segment_entry_start_[i * accounts];
      const int last = segment_entry_start_[(i + 1) * accounts];
      const double coupling = block_alpha_shrink_[i];
      for (int x = first; x < last; ++x) {
        const int a = segment_entries_[x].row;
        const double projection_a = row_products_[segment_entries_[x].product].projection;
        const int segment_x = segment_entries_[x].segment;
        for (int y = first; y < last; ++y) {
          const int b = segment_entries_[y].row;
          if (b < a || segment_entries_[y].segment == segment_x) continue;
          rows_block(a, b) -= coupling * projection_a * row_products_[segment_entries_[y].product].projection;
        }
      }
    }
  }
  // The extra variables (group and drift deviations) shared by two rows.
  for (const ExtraShare& share : extra_shares_) {
    rows_block(share.row_a, share.row_b) += share.product * inverse_diagonal_[share.variable];
  }
  rows_block.triangularView<Eigen::StrictlyLower>() = rows_block.transpose();
  capacitance_diagonal_.resize(r);
  capacitance_diagonal_.head(factor_rows_).setOnes();
  capacitance_diagonal_.tail(global_rows_) = row_regularization;
  capacitance_.diagonal() += capacitance_diagonal_;
  capacitance_factor_.compute(capacitance_);
}

Channels KktSolver::WeightedSums(ConstRef r) const {
  const QpModel& m = model_;
  const int segments = m.num_segments();
  Channels sums{Eigen::VectorXd(segments), Eigen::VectorXd(segments), Eigen::VectorXd(segments)};
  for (int s = 0; s < segments; ++s) {
    double r_net = 0, r_traded = 0, r_tax = 0;
    for (int p = m.segment_start[s]; p < m.segment_start[s + 1]; ++p) {
      const double t = inverse_diagonal_[p] * r[p];
      r_net += m.net_sign[p] * t;
      r_traded += t;
      r_tax += m.tax_coefficient[p] * t;
    }
    sums.net[s] = r_net;
    sums.traded[s] = r_traded;
    sums.tax[s] = r_tax;
  }
  return sums;
}

void KktSolver::SolveBlocks(const Channels& r_sums, const Channels* coefficients, const Eigen::VectorXd& r_s,
                            Channels& dz_channels, Eigen::VectorXd& weight_multipliers,
                            Eigen::VectorXd& along) const {
  const QpModel& m = model_;
  const int n = m.num_securities();
  const int accounts = m.num_accounts;
  const int segments = m.num_segments();
  dz_channels = {Eigen::VectorXd(segments), Eigen::VectorXd(segments), Eigen::VectorXd(segments)};
  weight_multipliers = Eigen::VectorXd::Zero(n);
  along.resize(n);
  for (int i = 0; i < n; ++i) {
    const int first = i * accounts;
    double block_net = 0;
    for (int s = first; s < first + accounts; ++s) {
      // Sums over the segment of D^-1 r weighted by e, 1 and g.
      double r_net = r_sums.net[s], r_traded = r_sums.traded[s], r_tax = r_sums.tax[s];
      if (coefficients) {
        const double total = segment_sum_[s], sign = segment_sum_sign_[s], tax = segment_sum_tax_[s];
        const double c_net = coefficients->net[s];
        const double c_traded = coefficients->traded[s];
        const double c_tax = coefficients->tax[s];
        // D^-1 (r + C'c) summed with e, 1 and g.
        r_net += c_net * total + c_traded * sign - c_tax * tax;
        r_traded += c_net * sign + c_traded * total + c_tax * tax;
        r_tax += -c_net * tax + c_traded * tax + c_tax * segment_sum_tax_squares_[s];
      }
      dz_channels.net[s] = r_net;
      dz_channels.traded[s] = r_traded;
      dz_channels.tax[s] = r_tax;
      block_net += r_net;
    }
    // y = B0^-1 r by Sherman-Morrison; w = B0^-1 e = shrink D^-1 e; dz = y + w * multiplier.
    const double shrink = block_shrink_[i];
    const double e_y = block_net * shrink;
    double multiplier = 0;
    if (!std::isinf(weight_row_regularization_[i])) {
      multiplier = (r_s[i] - e_y) / block_border_[i];
      weight_multipliers[i] = multiplier;
    }
    // dz = D^-1 (r + C'c) + along * D^-1 e.
    along[i] = -m.specific[i] * e_y + shrink * multiplier;
    for (int s = first; s < first + accounts; ++s) {
      dz_channels.net[s] += along[i] * segment_sum_[s];
      dz_channels.traded[s] += along[i] * segment_sum_sign_[s];
      dz_channels.tax[s] -= along[i] * segment_sum_tax_[s];
    }
  }
}

void KktSolver::ExpandBlocks(ConstRef r, const Channels& coefficients, const Eigen::VectorXd& along,
                             const Eigen::VectorXd& extra_rhs, Eigen::VectorXd& dz) const {
  const QpModel& m = model_;
  const int accounts = m.num_accounts;
  dz.resize(m.num_variables);
  for (int s = 0; s < m.num_segments(); ++s) {
    const double net = coefficients.net[s] + along[s / accounts];
    const double traded = coefficients.traded[s];
    const double tax = coefficients.tax[s];
    for (int p = m.segment_start[s]; p < m.segment_start[s + 1]; ++p) {
      dz[p] = inverse_diagonal_[p] * (r[p] + m.net_sign[p] * net + traded + m.tax_coefficient[p] * tax);
    }
  }
  for (int p = m.num_block_variables; p < m.num_variables; ++p) {
    dz[p] = inverse_diagonal_[p] * extra_rhs[p - m.num_block_variables];
  }
}

void KktSolver::ApplyL(const Channels& channels, const Eigen::VectorXd& v, Eigen::VectorXd& out) const {
  out.resize(factor_rows_ + global_rows_);
  if (factor_rows_ > 0) out.head(factor_rows_).noalias() = model_.factor * SecurityNet(model_, channels.net);
  out.tail(global_rows_) = GlobalRowValues(model_, channels, v);
}

Channels KktSolver::LTransposed(const Eigen::VectorXd& theta, Eigen::Ref<Eigen::VectorXd> extra_out) const {
  const int segments = model_.num_segments();
  const int accounts = model_.num_accounts;
  Channels c{Eigen::VectorXd::Zero(segments), Eigen::VectorXd::Zero(segments), Eigen::VectorXd::Zero(segments)};
  if (factor_rows_ > 0) {
    const Eigen::VectorXd on_security = model_.factor.transpose() * theta.head(factor_rows_);
    if (accounts == 1) {
      c.net = on_security;
    } else {
      for (int s = 0; s < segments; ++s) c.net[s] = on_security[s / accounts];
    }
  }
  for (int r = 0; r < global_rows_; ++r) {
    const double weight = theta[factor_rows_ + r];
    if (weight == 0) continue;
    for (const ChannelCoefficients& entry : model_.rows[r].channels) {
      c.net[entry.segment] += weight * entry.on_net;
      c.traded[entry.segment] += weight * entry.on_traded;
      c.tax[entry.segment] += weight * entry.on_tax;
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
  const int accounts = m.num_accounts;
  // e_z = r_z - (B0 dz - A_s' dpi_s - L' theta)
  e_z = r_z.head(m.num_variables) - diagonal_.cwiseProduct(step.dz);
  Channels coefficients = LTransposed(theta, e_z.tail(m.num_variables - m.num_block_variables));
  const Eigen::VectorXd dz_net = SecurityNet(m, step.dz_channels.net);
  e_s = Eigen::VectorXd::Zero(n);
  for (int i = 0; i < n; ++i) {
    const double on_net = -m.specific[i] * dz_net[i] + step.weight_multipliers[i];
    for (int s = i * accounts; s < (i + 1) * accounts; ++s) coefficients.net[s] += on_net;
    if (!std::isinf(weight_row_regularization_[i])) {
      e_s[i] = r_s[i] - (dz_net[i] + weight_row_regularization_[i] * step.weight_multipliers[i]);
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
