#include "core/optimize/interior_point.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/optimize/kkt_solver.h"

namespace arbor::optimize::internal {
namespace {

// The primal unknowns with bounds, concatenated: the variables z, then the slacks of the
// weight rows, then the slacks of the global inequality rows. Equality rows have no slack.
struct Layout {
  int num_z = 0;
  std::vector<int> weight_row_security;  // per weight-row slack: its security
  std::vector<int> inequality_row;       // per global-row slack: index into model.rows
  std::vector<int> slack_of_row;         // per global row: index in v, or -1 for equalities
  int size() const {
    return num_z + static_cast<int>(weight_row_security.size()) + static_cast<int>(inequality_row.size());
  }
};

Layout MakeLayout(const QpModel& model) {
  Layout layout;
  layout.num_z = model.num_variables;
  for (int i = 0; i < model.num_securities(); ++i) {
    if (model.has_weight_row[i]) layout.weight_row_security.push_back(i);
  }
  layout.slack_of_row.assign(model.rows.size(), -1);
  int next = layout.num_z + static_cast<int>(layout.weight_row_security.size());
  for (size_t r = 0; r < model.rows.size(); ++r) {
    if (model.rows[r].lower == model.rows[r].upper) continue;
    layout.inequality_row.push_back(static_cast<int>(r));
    layout.slack_of_row[r] = next++;
  }
  return layout;
}

// The interior-point state: primal v, bound multipliers, row multipliers.
struct State {
  Eigen::VectorXd v;              // z, weight-row slacks, global-row slacks
  Eigen::VectorXd lower_dual;     // >= 0, 0 where the lower bound is infinite
  Eigen::VectorXd upper_dual;     // >= 0, 0 where the upper bound is infinite
  Eigen::VectorXd weight_dual;    // per weight row
  Eigen::VectorXd row_dual;       // per global row
};

struct Residuals {
  Eigen::VectorXd dual;           // per entry of v
  Eigen::VectorXd weight_primal;  // x_e - y per weight row
  Eigen::VectorXd row_primal;     // A z - y (or - b) per global row
  double complementarity = 0;
  int pairs = 0;
};

class InteriorPoint {
 public:
  InteriorPoint(const QpModel& model, const SolverOptions& options)
      : model_(model), options_(options), layout_(MakeLayout(model)), kkt_(model) {
    const int size = layout_.size();
    lower_.resize(size);
    upper_.resize(size);
    lower_.head(layout_.num_z) = model.lower;
    upper_.head(layout_.num_z) = model.upper;
    int k = layout_.num_z;
    for (int i : layout_.weight_row_security) {
      lower_[k] = model.weight_row_lower[i];
      upper_[k] = model.weight_row_upper[i];
      ++k;
    }
    for (int r : layout_.inequality_row) {
      lower_[k] = model.rows[r].lower;
      upper_[k] = model.rows[r].upper;
      ++k;
    }
    has_lower_ = lower_.array().isFinite();
    has_upper_ = upper_.array().isFinite();
    cost_scale_ = 1.0 + (model.num_variables > 0 ? model.linear_cost.lpNorm<Eigen::Infinity>() : 0.0);
  }

  InteriorPointResult Run(const Eigen::VectorXd& start) {
    InteriorPointResult result;
    State state = InitialState(start);
    int stalled_steps = 0;
    for (int iteration = 0;; ++iteration) {
      const Residuals residuals = ComputeResiduals(state);
      const double objective = ScaledObjective(model_, state.v.head(layout_.num_z));
      result.iterations = iteration;
      result.primal_residual = PrimalResidual(residuals);
      result.dual_residual = residuals.dual.size() ? residuals.dual.lpNorm<Eigen::Infinity>() / cost_scale_ : 0.0;
      result.gap = residuals.complementarity / std::max(std::abs(objective), 1e-2);
      result.objective = objective;
      result.z = state.v.head(layout_.num_z);
      if (result.primal_residual <= options_.tolerance && result.dual_residual <= options_.tolerance &&
          result.gap <= options_.tolerance) {
        result.status = SolveStatus::kOptimal;
        return result;
      }
      if (LooksInfeasible(state, result.primal_residual, stalled_steps)) {
        result.status = SolveStatus::kInfeasible;
        result.message = NameConflictingConstraints(state);
        return result;
      }
      if (iteration >= options_.max_iterations) {
        result.status = SolveStatus::kIterationLimit;
        result.message = "no optimal point within " + std::to_string(options_.max_iterations) + " iterations";
        return result;
      }
      const double step = Iterate(state, residuals);
      stalled_steps = step < 1e-6 ? stalled_steps + 1 : 0;
    }
  }

 private:
  State InitialState(const Eigen::VectorXd& start) const {
    State s;
    const int size = layout_.size();
    s.v.resize(size);
    const int n = model_.num_securities();
    const double neutral_buy = 1.0 / std::max(n, 1);
    for (int p = 0; p < layout_.num_z; ++p) {
      const double width = upper_[p] - lower_[p];
      double guess;
      if (start.size() == layout_.num_z) {
        guess = start[p];
      } else if (p < model_.num_block_variables && model_.net_sign[p] > 0) {
        guess = neutral_buy;
      } else {
        guess = std::isfinite(width) ? 0.5 * width : 0.01;
      }
      s.v[p] = Interior(guess, lower_[p], upper_[p]);
    }
    const Eigen::VectorXd z = s.v.head(layout_.num_z);
    const Channels channels = ChannelSums(model_, z);
    const Eigen::VectorXd row_values = GlobalRowValues(model_, channels, z);
    int k = layout_.num_z;
    for (int i : layout_.weight_row_security) {
      s.v[k] = Interior(channels.net[i], lower_[k], upper_[k]);
      ++k;
    }
    for (int r : layout_.inequality_row) {
      s.v[k] = Interior(row_values[r], lower_[k], upper_[k]);
      ++k;
    }
    const double initial_mu = 0.1 * cost_scale_;
    s.lower_dual = Eigen::VectorXd::Zero(size);
    s.upper_dual = Eigen::VectorXd::Zero(size);
    for (int p = 0; p < size; ++p) {
      if (has_lower_[p]) s.lower_dual[p] = initial_mu / (s.v[p] - lower_[p]);
      if (has_upper_[p]) s.upper_dual[p] = initial_mu / (upper_[p] - s.v[p]);
    }
    s.weight_dual = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(layout_.weight_row_security.size()));
    s.row_dual = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(model_.rows.size()));
    return s;
  }

  // A point strictly inside [lower, upper], as close to `guess` as a safe margin allows.
  static double Interior(double guess, double lower, double upper) {
    const double width = upper - lower;
    const double margin = std::isfinite(width) ? std::min(0.5 * width, std::max(0.05 * width, 1e-4)) : 1e-2;
    if (std::isfinite(lower)) guess = std::max(guess, lower + margin);
    if (std::isfinite(upper)) guess = std::min(guess, upper - margin);
    return guess;
  }

  Residuals ComputeResiduals(const State& s) const {
    Residuals r;
    const Eigen::VectorXd z = s.v.head(layout_.num_z);
    const Channels channels = ChannelSums(model_, z);
    const Eigen::VectorXd row_values = GlobalRowValues(model_, channels, z);

    r.dual = s.upper_dual - s.lower_dual;
    Eigen::VectorXd dual_z = HessianTimes(model_, z) + model_.linear_cost;
    // - A_s' pi_s - A_g' pi_g
    Channels weight_coefficients{Eigen::VectorXd::Zero(model_.num_securities()),
                                 Eigen::VectorXd::Zero(model_.num_securities()),
                                 Eigen::VectorXd::Zero(model_.num_securities())};
    for (size_t k = 0; k < layout_.weight_row_security.size(); ++k) {
      weight_coefficients.net[layout_.weight_row_security[k]] = -s.weight_dual[static_cast<Eigen::Index>(k)];
    }
    AddChannelExpansion(model_, weight_coefficients, dual_z);
    AddGlobalRowsTransposed(model_, -s.row_dual, dual_z);
    r.dual.head(layout_.num_z) += dual_z;

    const int weight_rows = static_cast<int>(layout_.weight_row_security.size());
    r.weight_primal.resize(weight_rows);
    for (int k = 0; k < weight_rows; ++k) {
      const int slack = layout_.num_z + k;
      r.dual[slack] += s.weight_dual[k];
      r.weight_primal[k] = channels.net[layout_.weight_row_security[k]] - s.v[slack];
    }
    r.row_primal.resize(static_cast<Eigen::Index>(model_.rows.size()));
    for (size_t row = 0; row < model_.rows.size(); ++row) {
      const int slack = layout_.slack_of_row[row];
      const auto index = static_cast<Eigen::Index>(row);
      if (slack >= 0) {
        r.dual[slack] += s.row_dual[index];
        r.row_primal[index] = row_values[index] - s.v[slack];
      } else {
        r.row_primal[index] = row_values[index] - model_.rows[row].lower;
      }
    }
    for (int p = 0; p < layout_.size(); ++p) {
      if (has_lower_[p]) {
        r.complementarity += (s.v[p] - lower_[p]) * s.lower_dual[p];
        ++r.pairs;
      }
      if (has_upper_[p]) {
        r.complementarity += (upper_[p] - s.v[p]) * s.upper_dual[p];
        ++r.pairs;
      }
    }
    return r;
  }

  static double PrimalResidual(const Residuals& r) {
    double worst = 0;
    if (r.weight_primal.size()) worst = std::max(worst, r.weight_primal.lpNorm<Eigen::Infinity>());
    if (r.row_primal.size()) worst = std::max(worst, r.row_primal.lpNorm<Eigen::Infinity>());
    return worst;
  }

  struct Direction {
    Eigen::VectorXd v, lower_dual, upper_dual, weight_dual, row_dual;
  };

  // Solves the Newton system for complementarity target mu_target with the corrector terms
  // (products of the affine direction's primal and dual changes) when given.
  Direction NewtonDirection(const State& s, const Residuals& r, double mu_target, const Direction* affine) {
    const int size = layout_.size();
    Eigen::VectorXd kappa = Eigen::VectorXd::Zero(size);
    Eigen::VectorXd lower_target = Eigen::VectorXd::Zero(size), upper_target = Eigen::VectorXd::Zero(size);
    for (int p = 0; p < size; ++p) {
      if (has_lower_[p]) {
        const double slack = s.v[p] - lower_[p];
        double target = mu_target - slack * s.lower_dual[p];
        if (affine) target -= affine->v[p] * affine->lower_dual[p];
        lower_target[p] = target;
        kappa[p] -= target / slack;
      }
      if (has_upper_[p]) {
        const double slack = upper_[p] - s.v[p];
        double target = mu_target - slack * s.upper_dual[p];
        if (affine) target -= -affine->v[p] * affine->upper_dual[p];
        upper_target[p] = target;
        kappa[p] += target / slack;
      }
    }
    const Eigen::VectorXd rho = -r.dual - kappa;

    // Weight rows go into the blocks: alpha_i = lambda d_i + D_slack.
    Eigen::VectorXd rank_one = model_.specific;
    Eigen::VectorXd r_z = rho.head(layout_.num_z);
    Channels weight_push{Eigen::VectorXd::Zero(model_.num_securities()), Eigen::VectorXd::Zero(model_.num_securities()),
                         Eigen::VectorXd::Zero(model_.num_securities())};
    for (size_t k = 0; k < layout_.weight_row_security.size(); ++k) {
      const int slack = layout_.num_z + static_cast<int>(k);
      const int i = layout_.weight_row_security[k];
      rank_one[i] += diagonal_[slack];
      weight_push.net[i] = rho[slack] + diagonal_[slack] * -r.weight_primal[static_cast<Eigen::Index>(k)];
    }
    AddChannelExpansion(model_, weight_push, r_z);

    Eigen::VectorXd r_rows(static_cast<Eigen::Index>(model_.rows.size()));
    for (size_t row = 0; row < model_.rows.size(); ++row) {
      const auto index = static_cast<Eigen::Index>(row);
      const int slack = layout_.slack_of_row[row];
      r_rows[index] = -r.row_primal[index] + (slack >= 0 ? rho[slack] / diagonal_[slack] : 0.0);
    }
    if (!factored_) {
      kkt_.Factor(diagonal_.head(layout_.num_z), rank_one, row_regularization_);
      factored_ = true;
    }

    Direction d;
    d.v.resize(size);
    Eigen::VectorXd dz;
    kkt_.Solve(r_z, r_rows, dz, d.row_dual);
    d.v.head(layout_.num_z) = dz;
    const Channels channels = ChannelSums(model_, dz);
    const Eigen::VectorXd row_values = GlobalRowValues(model_, channels, dz);
    d.weight_dual.resize(static_cast<Eigen::Index>(layout_.weight_row_security.size()));
    for (size_t k = 0; k < layout_.weight_row_security.size(); ++k) {
      const int slack = layout_.num_z + static_cast<int>(k);
      const auto index = static_cast<Eigen::Index>(k);
      d.v[slack] = channels.net[layout_.weight_row_security[k]] + r.weight_primal[index];
      d.weight_dual[index] = rho[slack] - diagonal_[slack] * d.v[slack];
    }
    for (size_t row = 0; row < model_.rows.size(); ++row) {
      const int slack = layout_.slack_of_row[row];
      if (slack >= 0) d.v[slack] = row_values[static_cast<Eigen::Index>(row)] + r.row_primal[static_cast<Eigen::Index>(row)];
    }
    d.lower_dual = Eigen::VectorXd::Zero(size);
    d.upper_dual = Eigen::VectorXd::Zero(size);
    for (int p = 0; p < size; ++p) {
      if (has_lower_[p]) d.lower_dual[p] = (lower_target[p] - s.lower_dual[p] * d.v[p]) / (s.v[p] - lower_[p]);
      if (has_upper_[p]) d.upper_dual[p] = (upper_target[p] + s.upper_dual[p] * d.v[p]) / (upper_[p] - s.v[p]);
    }
    return d;
  }

  // The largest step in (0, 1] that keeps slacks and bound multipliers positive.
  double MaxStep(const State& s, const Direction& d) const {
    double step = 1.0;
    for (int p = 0; p < layout_.size(); ++p) {
      if (has_lower_[p]) {
        if (d.v[p] < 0) step = std::min(step, -(s.v[p] - lower_[p]) / d.v[p]);
        if (d.lower_dual[p] < 0) step = std::min(step, -s.lower_dual[p] / d.lower_dual[p]);
      }
      if (has_upper_[p]) {
        if (d.v[p] > 0) step = std::min(step, (upper_[p] - s.v[p]) / d.v[p]);
        if (d.upper_dual[p] < 0) step = std::min(step, -s.upper_dual[p] / d.upper_dual[p]);
      }
    }
    return step;
  }

  double ComplementarityAfter(const State& s, const Direction& d, double step) const {
    double sum = 0;
    for (int p = 0; p < layout_.size(); ++p) {
      if (has_lower_[p]) sum += (s.v[p] + step * d.v[p] - lower_[p]) * (s.lower_dual[p] + step * d.lower_dual[p]);
      if (has_upper_[p]) sum += (upper_[p] - s.v[p] - step * d.v[p]) * (s.upper_dual[p] + step * d.upper_dual[p]);
    }
    return sum;
  }

  // One predictor-corrector iteration; returns the step taken.
  double Iterate(State& s, const Residuals& r) {
    const int size = layout_.size();
    diagonal_ = Eigen::VectorXd::Zero(size);
    for (int p = 0; p < size; ++p) {
      if (has_lower_[p]) diagonal_[p] += s.lower_dual[p] / (s.v[p] - lower_[p]);
      if (has_upper_[p]) diagonal_[p] += s.upper_dual[p] / (upper_[p] - s.v[p]);
    }
    row_regularization_.resize(static_cast<Eigen::Index>(model_.rows.size()));
    for (size_t row = 0; row < model_.rows.size(); ++row) {
      const int slack = layout_.slack_of_row[row];
      row_regularization_[static_cast<Eigen::Index>(row)] = slack >= 0 ? 1.0 / diagonal_[slack] : 0.0;
    }
    factored_ = false;

    const double mu = r.pairs ? r.complementarity / r.pairs : 0.0;
    const Direction affine = NewtonDirection(s, r, 0.0, nullptr);
    const double affine_step = MaxStep(s, affine);
    const double affine_mu = r.pairs ? ComplementarityAfter(s, affine, affine_step) / r.pairs : 0.0;
    const double centering = mu > 0 ? std::pow(affine_mu / mu, 3) : 0.0;
    const Direction d = NewtonDirection(s, r, std::min(centering, 1.0) * mu, &affine);
    const double step = std::min(1.0, 0.995 * MaxStep(s, d));

    s.v += step * d.v;
    s.lower_dual += step * d.lower_dual;
    s.upper_dual += step * d.upper_dual;
    s.weight_dual += step * d.weight_dual;
    s.row_dual += step * d.row_dual;
    return step;
  }

  // Infeasible problems make the multipliers of the conflicting rows grow without bound while
  // the primal residual stays put, or the steps shrink to nothing.
  bool LooksInfeasible(const State& s, double primal_residual, int stalled_steps) const {
    if (primal_residual <= 1e3 * options_.tolerance) return false;
    double largest = 0;
    if (s.weight_dual.size()) largest = std::max(largest, s.weight_dual.lpNorm<Eigen::Infinity>());
    if (s.row_dual.size()) largest = std::max(largest, s.row_dual.lpNorm<Eigen::Infinity>());
    return largest > 1e9 * cost_scale_ || stalled_steps >= 5;
  }

  std::string NameConflictingConstraints(const State& s) const {
    double largest = 0;
    if (s.weight_dual.size()) largest = std::max(largest, s.weight_dual.lpNorm<Eigen::Infinity>());
    if (s.row_dual.size()) largest = std::max(largest, s.row_dual.lpNorm<Eigen::Infinity>());
    std::set<std::string> names;
    for (size_t row = 0; row < model_.rows.size(); ++row) {
      if (std::abs(s.row_dual[static_cast<Eigen::Index>(row)]) < 1e-3 * largest) continue;
      switch (model_.rows[row].family) {
        case RowFamily::kCash: names.insert("cash"); break;
        case RowFamily::kTaxBudget: names.insert("tax budget"); break;
        case RowFamily::kTurnover: names.insert("turnover"); break;
        case RowFamily::kGroupDefinition: names.insert("group bound"); break;
      }
    }
    for (Eigen::Index k = 0; k < s.weight_dual.size(); ++k) {
      if (std::abs(s.weight_dual[k]) >= 1e-3 * largest) names.insert("weight bound");
    }
    std::string joined;
    for (const std::string& name : names) joined += (joined.empty() ? "" : " + ") + name;
    if (joined.empty()) joined = "the constraints";
    return joined + ": cannot be met together by any allowed trade list";
  }

  const QpModel& model_;
  const SolverOptions& options_;
  Layout layout_;
  KktSolver kkt_;
  Eigen::VectorXd lower_, upper_;
  Eigen::Array<bool, Eigen::Dynamic, 1> has_lower_, has_upper_;
  double cost_scale_ = 1;
  Eigen::VectorXd diagonal_;            // per entry of v, this iteration
  Eigen::VectorXd row_regularization_;  // 1 / D of each global row's slack (0 for equalities)
  bool factored_ = false;
};

}  // namespace

double ScaledObjective(const QpModel& model, const Eigen::VectorXd& z) {
  if (z.size() == 0) return model.objective_constant;
  return 0.5 * z.dot(HessianTimes(model, z)) + model.linear_cost.dot(z) + model.objective_constant;
}

InteriorPointResult RunInteriorPoint(const QpModel& model, const SolverOptions& options,
                                     const Eigen::VectorXd& start) {
  return InteriorPoint(model, options).Run(start);
}

}  // namespace arbor::optimize::internal
