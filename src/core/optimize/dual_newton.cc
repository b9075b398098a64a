#include "core/optimize/dual_newton.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <Eigen/Cholesky>

namespace arbor::optimize::internal {
namespace {

// A multiplier of the dual: one side of a global row, a row's equality, or a penalized group's
// drift. It adds sign * itself to the multiplier y of `row` (and of `second_row`: a penalized
// group's bound moves its drift row's multiplier too, since the two rows share u+/-).
struct DualVariable {
  double lower = -kInfinity, upper = kInfinity;
  double linear = 0;  // its coefficient in the dual objective
  int row = -1;
  double sign = 0;
  int second_row = -1;
  double second_sign = 0;
};

// One global row's coefficients on one security's channels.
struct RowEntry {
  int row = 0;
  double on_net = 0, on_traded = 0, on_tax = 0;
};

// What one security does at a dual point: the minimizer of its one-dimensional problem.
struct SecurityState {
  double net = 0, traded = 0, tax = 0;
  double cost = 0;  // the model's linear cost of the variables, sum c z
  // Inside a piece, the net trade moves with the multipliers through one variable: its sign e
  // and tax coefficient g. At a breakpoint or a wall it does not move.
  bool free = false;
  double sign = 0, tax_coefficient = 0;
  double wall_multiplier = 0;  // positive where the weight minimum binds, negative the maximum
  // Where it stands among its pieces: the first `kept_lots` lots (in un-selling order) kept,
  // `kept_part` of the next one kept and the rest of the lots sold, and `bought` bought.
  int kept_lots = 0;
  double kept_part = 0, bought = 0;
};

// The dual's value and gradient at a point, with the primal point it determines.
struct DualPoint {
  double dual = 0;
  double primal = 0;
  double primal_residual = 0;  // largest row violation, weights of V
  Eigen::VectorXd gradient;
  Eigen::VectorXd row_channels;  // per global row, its value over the securities' channels
};

class DualNewton {
 public:
  explicit DualNewton(const QpModel& model) : m_(model) { applies_ = Prepare(); }

  std::optional<InteriorPointResult> Run(const SolverOptions& options) {
    if (!applies_) return std::nullopt;
    Eigen::VectorXd point = StartingPoint();
    DualPoint current;
    Evaluate(point, current);
    int extra_iterations = 0;
    for (int iteration = 0; iteration <= kMaxIterations; ++iteration) {
      if (!std::isfinite(current.dual) || !std::isfinite(current.primal)) return std::nullopt;
      const double scale = std::max(std::abs(current.primal), 1e-4);
      const double gap = std::abs(current.primal - current.dual);
      if (current.primal_residual <= options.tolerance && gap <= options.tolerance * scale) {
        // The interior point's rule: also 1e-7 dollars or 1e-8 of the objective, or three more tries.
        const bool negligible = gap <= std::max(1e-7 / m_.normalizer, 1e-8 * std::abs(current.primal));
        if (negligible || extra_iterations++ >= 3) return Finish(current, iteration);
      }
      if (iteration == kMaxIterations) break;
      if (!Step(point, current)) break;
    }
    return std::nullopt;
  }

 private:
  static constexpr int kMaxIterations = 60;
  static constexpr double kDampingGrowth = 4;  // after a step the model did not predict

  // The factor exposures of trading to the target (x = -offset), and zero multipliers: a
  // rebalance mostly closes its active weights, and from there the first steps are shorter.
  // (Starting a re-solve from the last solution's multipliers took more steps, not fewer: the
  // discrete rules' re-solves change whole groups' permissions.)
  Eigen::VectorXd StartingPoint() const {
    Eigen::VectorXd point = Eigen::VectorXd::Zero(factors_ + static_cast<Eigen::Index>(variables_.size()));
    if (factors_ > 0) point.head(factors_) = -(m_.factor * m_.offset);
    ProjectInPlace(point);
    return point;
  }

  bool Prepare() {
    const QpModel& m = m_;
    if (m.num_accounts != 1) return false;
    n_ = m.num_securities();
    factors_ = static_cast<int>(m.factor.rows());
    lot_start_.assign(n_ + 1, 0);
    buy_.assign(n_, -1);
    for (int i = 0; i < n_; ++i) {
      lot_start_[i] = static_cast<int>(lots_.size());
      const int first = m.block_start[i], end = m.block_start[i + 1];
      if (first == end) continue;
      if (!(m.specific[i] > 0)) return false;  // no curvature: the minimizer is not unique
      for (int p = first; p < end; ++p) {
        if (m.net_sign[p] > 0) {
          buy_[i] = p;
        } else {
          lots_.push_back(p);
        }
      }
      // Un-selling order: the dearest lot first. Within a security the lots' costs differ only
      // by their tax coefficient, so this order holds at every multiplier of the tax budget.
      std::sort(lots_.begin() + lot_start_[i], lots_.end(),
                [&](int a, int b) { return m.linear_cost[a] > m.linear_cost[b]; });
    }
    lot_start_[n_] = static_cast<int>(lots_.size());
    has_walls_.assign(m.has_weight_row.begin(), m.has_weight_row.end());
    sorted_cost_.resize(lots_.size());
    sorted_tax_.resize(lots_.size());
    for (size_t l = 0; l < lots_.size(); ++l) {
      sorted_cost_[l] = m.linear_cost[lots_[l]];
      sorted_tax_[l] = m.tax_coefficient[lots_[l]];
    }
    // Prefix sums over each security's sorted lots, n + #lots entries: security i's run starts
    // at lot_start_[i] + i.
    const int prefix_size = static_cast<int>(lots_.size()) + n_;
    prefix_amount_.assign(prefix_size, 0.0);
    prefix_tax_.assign(prefix_size, 0.0);
    prefix_cost_.assign(prefix_size, 0.0);
    for (int i = 0; i < n_; ++i) {
      int q = lot_start_[i] + i;
      for (int l = lot_start_[i]; l < lot_start_[i + 1]; ++l, ++q) {
        const int p = lots_[l];
        prefix_amount_[q + 1] = prefix_amount_[q] + m.upper[p];
        prefix_tax_[q + 1] = prefix_tax_[q] + m.tax_coefficient[p] * m.upper[p];
        prefix_cost_[q + 1] = prefix_cost_[q] + m.linear_cost[p] * m.upper[p];
      }
    }
    return PrepareRows();
  }

  // The dual variables of the global rows, and each security's row entries.
  bool PrepareRows() {
    const QpModel& m = m_;
    const int rows = static_cast<int>(m.rows.size());
    entry_start_.assign(n_ + 1, 0);
    for (const GlobalRow& row : m.rows) {
      for (const ChannelCoefficients& c : row.channels) ++entry_start_[c.segment + 1];
    }
    std::partial_sum(entry_start_.begin(), entry_start_.end(), entry_start_.begin());
    entries_.resize(entry_start_[n_]);
    std::vector<int> next(entry_start_.begin(), entry_start_.end() - 1);
    std::vector<int> drift_row_of_group, bound_rows_on_extras;
    drift_row_of_bound_.assign(rows, -1);
    for (int r = 0; r < rows; ++r) {
      const GlobalRow& row = m.rows[r];
      for (const ChannelCoefficients& c : row.channels) {
        entries_[next[c.segment]++] = {r, c.on_net, c.on_traded, c.on_tax};
      }
      switch (row.family) {
        case RowFamily::kCash:
        case RowFamily::kTaxBudget:
        case RowFamily::kTurnover:
          if (!row.extra_variables.empty()) return false;
          AddSides(r);
          break;
        case RowFamily::kGroupBound:
          if (row.channels.empty()) {
            bound_rows_on_extras.push_back(r);  // on a penalized group's u+/-: with its drift row
          } else {
            if (!row.extra_variables.empty()) return false;
            AddSides(r);
          }
          break;
        case RowFamily::kGroupDrift: {
          // sum x - u+ + u- = e with u+/- >= 0 at cost mu: the multiplier lies in [-mu, mu].
          if (row.extra_variables.size() != 2 || row.lower != row.upper) return false;
          const double penalty = m.linear_cost[row.extra_variables[0].first];
          if (m.linear_cost[row.extra_variables[1].first] != penalty) return false;
          if (drift_row_of_group.size() <= static_cast<size_t>(row.group)) {
            drift_row_of_group.resize(row.group + 1, -1);
          }
          drift_row_of_group[row.group] = r;
          variables_.push_back({-penalty, penalty, row.lower, r, 1.0});
          break;
        }
        case RowFamily::kAccountDrift:
          return false;
      }
    }
    // A penalized group's bound -a <= u+ - u- <= a: with y_d = omega + y_b, omega in [-mu, mu]
    // keeps u+/- priced, and each side of the bound moves both rows' multipliers.
    for (int b : bound_rows_on_extras) {
      const GlobalRow& bound = m.rows[b];
      const int group = bound.group;
      if (group < 0 || static_cast<size_t>(group) >= drift_row_of_group.size() || drift_row_of_group[group] < 0) {
        return false;
      }
      const int d = drift_row_of_group[group];
      drift_row_of_bound_[b] = d;
      const double e = m.rows[d].lower;
      if (std::isfinite(bound.lower)) variables_.push_back({0.0, kInfinity, e + bound.lower, d, 1.0, b, 1.0});
      if (std::isfinite(bound.upper)) variables_.push_back({0.0, kInfinity, -e - bound.upper, d, -1.0, b, -1.0});
    }
    // Rows that see the securities' channels, numbered compactly for the Hessian.
    int widest = 0;
    for (int i = 0; i < n_; ++i) widest = std::max(widest, entry_start_[i + 1] - entry_start_[i]);
    entry_value_.resize(widest);
    entry_row_.resize(widest);
    channel_row_.assign(rows, -1);
    for (int r = 0; r < rows; ++r) {
      if (!m.rows[r].channels.empty()) channel_row_[r] = channel_rows_++;
    }
    return true;
  }

  void AddSides(int r) {
    const GlobalRow& row = m_.rows[r];
    if (row.lower == row.upper) {
      variables_.push_back({-kInfinity, kInfinity, row.lower, r, 1.0});
      return;
    }
    if (std::isfinite(row.lower)) variables_.push_back({0.0, kInfinity, row.lower, r, 1.0});
    if (std::isfinite(row.upper)) variables_.push_back({0.0, kInfinity, -row.upper, r, -1.0});
  }

  // The piece structure of security i at the multipliers: `k` lots come before the buy in the
  // order of slopes; piece j's left end (from the all-sold point), right end and slope.
  struct Pieces {
    int first_prefix = 0, lots = 0, k = 0, count = 0;
    const double* cost = nullptr;  // the security's sorted lots' costs and tax coefficients
    const double* tax = nullptr;
    double buy_upper = 0, buy_slope = 0, lot_shift = 0;  // added to every lot's cost: y_net - y_traded
    double tax_multiplier = 0;
  };
  static double LotSlope(const Pieces& s, int l) {
    return -(s.cost[l] + s.lot_shift - s.tax[l] * s.tax_multiplier);
  }
  void PieceAt(const Pieces& s, int j, double& left, double& right, double& slope) const {
    if (j < s.k) {
      left = prefix_amount_[s.first_prefix + j];
      right = prefix_amount_[s.first_prefix + j + 1];
      slope = LotSlope(s, j);
    } else if (j == s.k && s.count > s.lots) {
      left = prefix_amount_[s.first_prefix + s.k];
      right = left + s.buy_upper;
      slope = s.buy_slope;
    } else {
      const int l = s.count > s.lots ? j - 1 : j;
      left = prefix_amount_[s.first_prefix + l] + s.buy_upper;
      right = prefix_amount_[s.first_prefix + l + 1] + s.buy_upper;
      slope = LotSlope(s, l);
    }
  }
  // The first piece whose right end is past t (or reaches it, when !strictly), the last if none.
  int Locate(const Pieces& s, double t, bool strictly) const {
    int low = 0, high = s.count - 1;
    while (low < high) {
      const int mid = (low + high) / 2;
      double left, right, slope;
      PieceAt(s, mid, left, right, slope);
      if (strictly ? right > t : right >= t) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  // Minimizes 1/2 s x^2 + linear x + sum c~ z over security i's variables and weight bounds,
  // where c~ = c - (net sign) y_net - y_traded - g y_tax.
  void SolveSecurity(int i, double linear, double y_net, double y_traded, double y_tax, SecurityState& state) {
    state = SecurityState();
    const QpModel& m = m_;
    Pieces s;
    s.cost = sorted_cost_.data() + lot_start_[i];
    s.tax = sorted_tax_.data() + lot_start_[i];
    s.first_prefix = lot_start_[i] + i;
    s.lots = lot_start_[i + 1] - lot_start_[i];
    s.lot_shift = y_net - y_traded;
    s.tax_multiplier = y_tax;
    const int buy = buy_[i];
    if (buy >= 0) {
      s.buy_upper = m.upper[buy];
      s.buy_slope = m.linear_cost[buy] - y_net - y_traded;
    }
    s.count = s.lots + (buy >= 0 ? 1 : 0);
    if (s.count == 0) return;
    // Lots whose slope is not above the buy's come before it: at a tie, no lot is sold and bought back.
    s.k = s.lots;
    if (buy >= 0) {
      int low = 0, high = s.lots;
      while (low < high) {
        const int mid = (low + high) / 2;
        if (LotSlope(s, mid) <= s.buy_slope) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      s.k = low;
    }
    const double specific = m.specific[i];
    const double all_sold = prefix_amount_[s.first_prefix + s.lots];
    const double least = -all_sold;
    const double total = all_sold + s.buy_upper;
    // The first piece where the derivative at its right end is not negative.
    int low = 0, high = s.count;
    while (low < high) {
      const int mid = (low + high) / 2;
      double left, right, slope;
      PieceAt(s, mid, left, right, slope);
      if (specific * (least + right) + linear + slope >= 0) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    double t;  // position from the all-sold point
    int piece;
    if (low == s.count) {
      t = total;
      piece = s.count - 1;
    } else {
      double left, right, slope;
      PieceAt(s, low, left, right, slope);
      const double candidate = -(linear + slope) / specific - least;
      piece = low;
      if (candidate >= left) {
        t = std::min(candidate, right);
        state.free = true;
      } else {
        t = left;
      }
    }
    // The weight bounds.
    if (has_walls_[i]) {
      const double wall_low = m.weight_row_lower[i] - least, wall_high = m.weight_row_upper[i] - least;
      const bool below = t < wall_low;
      if (below || t > wall_high) {
        t = below ? wall_low : wall_high;
        state.free = false;
        // The multiplier takes the slope on the side the wall blocks: right of a lower wall,
        // left of an upper one.
        piece = Locate(s, t, below);
        double left, right, slope;
        PieceAt(s, piece, left, right, slope);
        const double derivative = specific * (least + t) + linear + slope;
        state.wall_multiplier = below ? std::max(0.0, derivative) : std::min(0.0, derivative);
      }
    }
    // The variables at t: pieces before `piece` taken in full (a lot kept, the buy made), the
    // piece itself in part, the rest not taken (lots sold, no buy).
    double left, right, slope;
    PieceAt(s, piece, left, right, slope);
    const double part = std::clamp(t - left, 0.0, right - left);
    const int buy_piece = buy >= 0 ? s.k : -1;
    double bought = 0;
    int kept_lots;  // lots kept in full
    double kept_part = 0, part_tax = 0, part_cost = 0;
    if (piece == buy_piece) {
      bought = part;
      kept_lots = s.k;
      if (state.free) state.sign = 1;
    } else {
      if (buy_piece >= 0 && piece > buy_piece) bought = s.buy_upper;
      kept_lots = buy_piece >= 0 && piece > buy_piece ? piece - 1 : piece;
      kept_part = part;
      part_tax = s.tax[kept_lots] * part;
      part_cost = s.cost[kept_lots] * part;
      if (state.free) {
        state.sign = -1;
        state.tax_coefficient = s.tax[kept_lots];
      }
    }
    state.kept_lots = kept_lots;
    state.kept_part = kept_part;
    state.bought = bought;
    const int from = s.first_prefix + kept_lots, last = s.first_prefix + s.lots;
    const double sold = prefix_amount_[last] - prefix_amount_[from] - kept_part;
    state.net = bought - sold;
    state.traded = bought + sold;
    state.tax = prefix_tax_[last] - prefix_tax_[from] - part_tax;
    state.cost = prefix_cost_[last] - prefix_cost_[from] - part_cost + (buy >= 0 ? m.linear_cost[buy] * bought : 0.0);
  }

  // Fills e (whose buffers are reused) at `point`.
  void Evaluate(const Eigen::VectorXd& point, DualPoint& e) {
    const QpModel& m = m_;
    const int rows = static_cast<int>(m.rows.size());
    const auto nu = point.head(factors_);
    row_multiplier_.setZero(rows);
    for (size_t k = 0; k < variables_.size(); ++k) {
      const DualVariable& v = variables_[k];
      const double eta = point[factors_ + static_cast<Eigen::Index>(k)];
      row_multiplier_[v.row] += v.sign * eta;
      if (v.second_row >= 0) row_multiplier_[v.second_row] += v.second_sign * eta;
    }
    if (factors_ > 0) {
      exposure_linear_.noalias() = m.factor.transpose() * nu;
    } else {
      exposure_linear_.setZero(n_);
    }
    states_.resize(n_);
    net_.resize(n_);
    e.row_channels.setZero(rows);
    double dual = 0, primal = 0;
    for (int i = 0; i < n_; ++i) {
      double y_net = 0, y_traded = 0, y_tax = 0;
      for (int x = entry_start_[i]; x < entry_start_[i + 1]; ++x) {
        const RowEntry& entry = entries_[x];
        const double y = row_multiplier_[entry.row];
        y_net += y * entry.on_net;
        y_traded += y * entry.on_traded;
        y_tax += y * entry.on_tax;
      }
      SecurityState& s = states_[i];
      SolveSecurity(i, exposure_linear_[i], y_net, y_traded, y_tax, s);
      net_[i] = s.net;
      const double own = 0.5 * m.specific[i] * s.net * s.net + s.cost;
      primal += own;
      dual += own + exposure_linear_[i] * s.net - (y_net * s.net + y_traded * s.traded + y_tax * s.tax);
      for (int x = entry_start_[i]; x < entry_start_[i + 1]; ++x) {
        const RowEntry& entry = entries_[x];
        e.row_channels[entry.row] += entry.on_net * s.net + entry.on_traded * s.traded + entry.on_tax * s.tax;
      }
    }
    e.gradient.resize(point.size());
    if (factors_ > 0) {
      exposure_.noalias() = m.factor * net_;
      e.gradient.head(factors_) = exposure_ - nu;
      primal += 0.5 * exposure_.squaredNorm();
      dual -= 0.5 * nu.squaredNorm();
    }
    for (size_t k = 0; k < variables_.size(); ++k) {
      const DualVariable& v = variables_[k];
      const double eta = point[factors_ + static_cast<Eigen::Index>(k)];
      double g = v.linear - v.sign * e.row_channels[v.row];
      if (v.second_row >= 0) g -= v.second_sign * e.row_channels[v.second_row];
      e.gradient[factors_ + static_cast<Eigen::Index>(k)] = g;
      dual += v.linear * eta;
    }
    // The primal rows, with u+/- of each penalized group set to the drift they must absorb.
    double violation = 0;
    group_drift_.assign(rows, 0.0);
    for (int r = 0; r < rows; ++r) {
      const GlobalRow& row = m.rows[r];
      if (row.family == RowFamily::kGroupDrift) {
        const double drift = e.row_channels[r] - row.lower;  // u+ - u-
        group_drift_[r] = drift;
        primal += m.linear_cost[row.extra_variables[0].first] * std::abs(drift);
      }
    }
    for (int r = 0; r < rows; ++r) {
      const GlobalRow& row = m.rows[r];
      if (row.family == RowFamily::kGroupDrift) continue;  // met exactly by u+/-
      double value = e.row_channels[r];
      if (drift_row_of_bound_[r] >= 0) value = group_drift_[drift_row_of_bound_[r]];  // u+ - u-
      violation = std::max({violation, row.lower - value, value - row.upper});
    }
    e.primal = primal + m.objective_constant;
    e.dual = dual + m.objective_constant;
    e.primal_residual = violation;
  }

  // The projected Newton method's system: multipliers at a bound that the gradient pushes
  // outwards stay, the others move by the regularized generalized Hessian. Fills system_ with the negated generalized Hessian (rows and columns of held multipliers
  // replaced by the identity) and returns the gradient with the held entries zeroed.
  //
  // A security inside a piece moves its net trade by -1/s per unit of its coefficient, which
  // is (Phi_i' nu) plus the piece variable's row coefficients times y: its part of the Hessian
  // is -(1/s) v v' with v = (Phi_i, -e a_r for its rows). The free securities' v / sqrt(s) are
  // the columns of one matrix, whose rank update gives the Hessian over (nu, rows); the dual
  // variables then read it through the rows they move.
  Eigen::VectorXd NewtonSystem(const Eigen::VectorXd& point, const DualPoint& e) {
    const QpModel& m = m_;
    const int size = static_cast<int>(point.size());
    const int duals = static_cast<int>(variables_.size());
    const int height = factors_ + channel_rows_;
    // The factor block is one symmetric rank update of the free securities' scaled loadings;
    // the blocks of the rows, which each security touches only a few of, are summed entry by
    // entry (column-major: column r of the factor-row block is contiguous).
    int free = 0;
    for (int i = 0; i < n_; ++i) free += states_[i].free ? 1 : 0;
    columns_.resize(factors_, free);
    curvature_.setZero(height, height);
    double* const curvature = curvature_.data();
    int column = 0;
    for (int i = 0; i < n_; ++i) {
      const SecurityState& s = states_[i];
      if (!s.free) continue;
      const double inverse = 1.0 / m.specific[i];
      const double* loadings = m.factor.data() + static_cast<Eigen::Index>(i) * factors_;
      if (factors_ > 0) columns_.col(column++) = m.factor.col(i) * std::sqrt(inverse);
      // v_r = -e (the row's coefficient on the piece's variable), per entry of the security.
      const int first = entry_start_[i], count = entry_start_[i + 1] - first;
      for (int x = 0; x < count; ++x) {
        const RowEntry& a = entries_[first + x];
        entry_value_[x] = -s.sign * (a.on_net * s.sign + a.on_traded + a.on_tax * s.tax_coefficient);
        entry_row_[x] = factors_ + channel_row_[a.row];
      }
      for (int x = 0; x < count; ++x) {
        const double weight = entry_value_[x] * inverse;  // v_r / s
        double* cross = curvature + static_cast<Eigen::Index>(entry_row_[x]) * height;
        for (int k = 0; k < factors_; ++k) cross[k] += loadings[k] * weight;
        for (int y = 0; y < count; ++y) cross[entry_row_[y]] += weight * entry_value_[y];
      }
    }
    if (factors_ > 0) {
      auto block = curvature_.topLeftCorner(factors_, factors_);
      block.selfadjointView<Eigen::Lower>().rankUpdate(columns_);
      block.triangularView<Eigen::StrictlyUpper>() = block.transpose();
      curvature_.bottomLeftCorner(channel_rows_, factors_) =
          curvature_.topRightCorner(factors_, channel_rows_).transpose();
    }
    // Over (nu, dual variables): nu reads the factor part as is, a dual variable the rows it moves.
    Eigen::MatrixXd& system = system_;
    system.setZero(size, size);
    system.topLeftCorner(factors_, factors_) = curvature_.topLeftCorner(factors_, factors_);
    system.diagonal().head(factors_).array() += 1.0;
    for (int a = 0; a < duals; ++a) {
      const DualVariable& va = variables_[a];
      const int ra = channel_row_[va.row];
      if (ra < 0) continue;  // moves only rows without channels
      const double sa = va.sign;
      if (factors_ > 0) {
        system.col(factors_ + a).head(factors_) = sa * curvature_.col(factors_ + ra).head(factors_);
        system.row(factors_ + a).head(factors_) = system.col(factors_ + a).head(factors_).transpose();
      }
      for (int b = 0; b < duals; ++b) {
        const int rb = channel_row_[variables_[b].row];
        if (rb >= 0) system(factors_ + a, factors_ + b) = sa * variables_[b].sign * curvature_(factors_ + ra, factors_ + rb);
      }
    }
    // Multipliers held at a bound.
    Eigen::VectorXd rhs = e.gradient;
    const double reach = std::min(1e-8, ProjectedGradientNorm(point, e.gradient));
    for (int k = 0; k < duals; ++k) {
      const DualVariable& v = variables_[k];
      const double eta = point[factors_ + k], g = e.gradient[factors_ + k];
      const bool held = (eta <= v.lower + reach && g <= 0) || (eta >= v.upper - reach && g >= 0);
      if (!held) continue;
      const int a = factors_ + k;
      system.row(a).setZero();
      system.col(a).setZero();
      system(a, a) = 1.0;
      rhs[a] = 0;
    }
    largest_curvature_ = std::max(1.0, system.diagonal().maxCoeff());
    return rhs;
  }

  double ProjectedGradientNorm(const Eigen::VectorXd& point, const Eigen::VectorXd& gradient) const {
    double norm = factors_ > 0 ? gradient.head(factors_).lpNorm<Eigen::Infinity>() : 0.0;
    for (size_t k = 0; k < variables_.size(); ++k) {
      const Eigen::Index a = factors_ + static_cast<Eigen::Index>(k);
      const double moved = std::clamp(point[a] + gradient[a], variables_[k].lower, variables_[k].upper) - point[a];
      norm = std::max(norm, std::abs(moved));
    }
    return norm;
  }

  void ProjectInPlace(Eigen::VectorXd& point) const {
    for (size_t k = 0; k < variables_.size(); ++k) {
      const Eigen::Index a = factors_ + static_cast<Eigen::Index>(k);
      point[a] = std::clamp(point[a], variables_[k].lower, variables_[k].upper);
    }
  }

  // One Levenberg-Marquardt step: the regularized Newton step is tried and the damping raised
  // until the dual increases by a fair share of what the quadratic model predicts; a step that
  // the model predicts well lowers the damping, so the last steps are Newton's own.
  bool Step(Eigen::VectorXd& point, DualPoint& current) {
    const Eigen::VectorXd rhs = NewtonSystem(point, current);
    const double slack = 1e-14 * std::max(std::abs(current.dual), 1e-4);
    if (damping_ < 0) damping_ = 1e-2 * largest_curvature_;
    for (int attempt = 0; attempt < 60; ++attempt) {
      regularized_ = system_;
      regularized_.diagonal().array() += damping_;
      factor_.compute(regularized_);
      if (factor_.info() != Eigen::Success) {
        damping_ *= kDampingGrowth;
        continue;
      }
      trial_ = point + factor_.solve(rhs);
      ProjectInPlace(trial_);
      moved_ = trial_ - point;
      const double predicted = current.gradient.dot(moved_) - 0.5 * moved_.dot(system_ * moved_);
      Evaluate(trial_, next_);
      const double actual = next_.dual - current.dual;
      const double ratio = predicted > 0 ? actual / predicted : (actual >= -slack ? 1.0 : -1.0);
      if (ratio > 1e-4 || (actual >= -slack && predicted <= slack)) {
        // Steps that change nothing at an uncertified point: the dual is stuck on a kink whose
        // primal point it cannot express (ties); the interior point takes over.
        stalled_steps_ = actual <= slack && predicted <= slack ? stalled_steps_ + 1 : 0;
        if (stalled_steps_ >= 3) return false;
        // Less damping the better the model predicted, and next to none once it predicts
        // exactly (the pieces are found and the step is Newton's).
        const double factor = std::abs(ratio - 1) < 1e-3 ? 1e-3 : ratio > 0.75 ? 0.125 : ratio < 0.25 ? 4 : 1;
        damping_ = std::max(damping_ * factor, 1e-15 * largest_curvature_);
        point.swap(trial_);
        std::swap(current, next_);
        return true;
      }
      damping_ *= kDampingGrowth;
    }
    return false;
  }

  InteriorPointResult Finish(const DualPoint& e, int iterations) {
    const QpModel& m = m_;
    // The states are those of the last evaluation, which is e's.
    InteriorPointResult result;
    result.status = SolveStatus::kOptimal;
    result.iterations = iterations;
    result.objective = e.primal;
    result.primal_residual = e.primal_residual;
    result.dual_residual = 0;  // the variables minimize the Lagrangian over their box exactly
    result.gap = std::abs(e.primal - e.dual) / std::max(std::abs(e.primal), 1e-4);
    result.z = Eigen::VectorXd::Zero(m.num_variables);
    for (int i = 0; i < n_; ++i) PlaceVariables(i, result.z);
    for (size_t r = 0; r < m.rows.size(); ++r) {
      const GlobalRow& row = m.rows[r];
      if (row.family != RowFamily::kGroupDrift) continue;
      const double drift = group_drift_[r];
      // u+ carries -1 in the drift row, u- +1: u+ - u- = drift.
      result.z[row.extra_variables[0].first] = std::max(0.0, drift);
      result.z[row.extra_variables[1].first] = std::max(0.0, -drift);
    }
    result.row_dual = row_multiplier_;
    result.weight_dual = Eigen::VectorXd::Zero(n_);
    for (int i = 0; i < n_; ++i) {
      if (m.has_weight_row[i]) result.weight_dual[i] = states_[i].wall_multiplier;
    }
    return result;
  }

  // Security i's variables at its state, exactly on their bounds but for the one in part.
  void PlaceVariables(int i, Eigen::VectorXd& z) const {
    const QpModel& m = m_;
    const SecurityState& s = states_[i];
    if (buy_[i] >= 0) z[buy_[i]] = s.bought;
    for (int l = lot_start_[i] + s.kept_lots; l < lot_start_[i + 1]; ++l) z[lots_[l]] = m.upper[lots_[l]];
    if (s.kept_part > 0) z[lots_[lot_start_[i] + s.kept_lots]] -= s.kept_part;
  }

  const QpModel& m_;
  bool applies_ = false;
  int n_ = 0, factors_ = 0;
  std::vector<int> buy_;                 // per security: its buy variable, or -1
  std::vector<int> lots_;                // lot variables, per security in un-selling order
  std::vector<int> lot_start_;           // per security, into lots_
  std::vector<double> sorted_cost_, sorted_tax_;  // of lots_, in the same order
  std::vector<char> has_walls_;                   // per security: has a weight row
  std::vector<double> prefix_amount_, prefix_tax_, prefix_cost_;
  std::vector<int> entry_start_;
  std::vector<RowEntry> entries_;
  std::vector<DualVariable> variables_;
  std::vector<int> channel_row_;  // per global row: its index among the rows with channels, or -1
  int channel_rows_ = 0;
  // Buffers of the last evaluation.
  Eigen::VectorXd row_multiplier_, exposure_linear_, exposure_, net_;
  Eigen::MatrixXd columns_, curvature_;
  std::vector<double> entry_value_;  // one security's v_r, scratch of NewtonSystem
  std::vector<int> entry_row_;       // and their rows' places in curvature_
  std::vector<SecurityState> states_;
  std::vector<double> group_drift_;
  std::vector<int> drift_row_of_bound_;  // per row: for a penalized group's bound, its drift row
  Eigen::MatrixXd system_, regularized_;
  Eigen::LLT<Eigen::MatrixXd> factor_;
  Eigen::VectorXd trial_, moved_;
  DualPoint next_;  // the trial step's evaluation
  double largest_curvature_ = 1;
  double damping_ = -1;  // of the Levenberg-Marquardt steps; set at the first
  int stalled_steps_ = 0;  // accepted steps in a row that gained nothing
};

}  // namespace

std::optional<InteriorPointResult> RunDualNewton(const QpModel& model, const SolverOptions& options) {
  DualNewton method(model);
  return method.Run(options);
}

}  // namespace arbor::optimize::internal
