#include "ipopt_oracle.h"

#include <Eigen/Dense>
#include <IpIpoptApplication.hpp>
#include <IpSolveStatistics.hpp>
#include <IpTNLP.hpp>
#include <algorithm>
#include <cmath>
#include <optional>
#include <variant>
#include <vector>

namespace arbor::optimize::testing {
namespace {

using Ipopt::Index;
using Ipopt::Number;

// Ipopt reads bounds at or beyond 1e19 as absent.
Number IpoptBound(double bound) { return std::isinf(bound) ? std::copysign(1e19, bound) : bound; }

class DenseQpNlp : public Ipopt::TNLP {
 public:
  explicit DenseQpNlp(const DenseQp& qp) : qp_(qp) {
    for (const DenseQpRow& row : qp_.rows) {
      jacobian_entries_ += static_cast<Index>(row.terms.size());
    }
    const Index n = qp_.num_securities;
    hessian_entries_ = qp_.is_linear() ? 0 : n * (n + 1) / 2;
  }

  // Ipopt's final point and multipliers.
  const Eigen::VectorXd& x() const { return x_; }
  const Eigen::VectorXd& lower_bound_multipliers() const { return z_lower_; }
  const Eigen::VectorXd& upper_bound_multipliers() const { return z_upper_; }
  const Eigen::VectorXd& row_multipliers() const { return row_multipliers_; }

  bool get_nlp_info(Index& n, Index& m, Index& nnz_jac_g, Index& nnz_h_lag,
                    IndexStyleEnum& index_style) override {
    n = qp_.num_variables();
    m = static_cast<Index>(qp_.rows.size());
    nnz_jac_g = jacobian_entries_;
    nnz_h_lag = hessian_entries_;
    index_style = C_STYLE;
    return true;
  }

  bool get_bounds_info(Index n, Number* x_l, Number* x_u, Index m, Number* g_l,
                       Number* g_u) override {
    for (Index k = 0; k < n; ++k) {
      x_l[k] = IpoptBound(qp_.variable_lower(k));
      x_u[k] = IpoptBound(qp_.variable_upper(k));
    }
    for (Index r = 0; r < m; ++r) {
      g_l[r] = IpoptBound(qp_.rows[r].lower);
      g_u[r] = IpoptBound(qp_.rows[r].upper);
    }
    return true;
  }

  // No trades, weights as held (the weight rows' right-hand sides); Ipopt moves it inside.
  bool get_starting_point(Index n, bool, Number* x, bool, Number*, Number*, Index, bool,
                          Number*) override {
    std::fill(x, x + n, 0.0);
    for (int i = 0; i < qp_.num_securities; ++i) x[qp_.weight(i)] = qp_.rows[i].lower;
    return true;
  }

  bool eval_f(Index n, const Number* x, bool, Number& obj_value) override {
    obj_value = qp_.Objective(Eigen::Map<const Eigen::VectorXd>(x, n));
    return true;
  }

  bool eval_grad_f(Index n, const Number* x, bool, Number* grad_f) override {
    Eigen::Map<Eigen::VectorXd> gradient(grad_f, n);
    gradient = qp_.linear_cost;
    const int w = qp_.weight(0);
    const int securities = qp_.num_securities;
    gradient.segment(w, securities) +=
        qp_.risk_hessian * (Eigen::Map<const Eigen::VectorXd>(x + w, securities) - qp_.targets);
    return true;
  }

  bool eval_g(Index, const Number* x, bool, Index m, Number* g) override {
    for (Index r = 0; r < m; ++r) {
      g[r] = 0;
      for (const auto& [variable, coefficient] : qp_.rows[r].terms) {
        g[r] += coefficient * x[variable];
      }
    }
    return true;
  }

  bool eval_jac_g(Index, const Number*, bool, Index, Index, Index* iRow, Index* jCol,
                  Number* values) override {
    Index entry = 0;
    for (Index r = 0; r < static_cast<Index>(qp_.rows.size()); ++r) {
      for (const auto& [variable, coefficient] : qp_.rows[r].terms) {
        if (values == nullptr) {
          iRow[entry] = r;
          jCol[entry] = variable;
        } else {
          values[entry] = coefficient;
        }
        ++entry;
      }
    }
    return true;
  }

  // The Lagrangian's Hessian is the objective's (the rows are linear): obj_factor * H on the
  // weight block, lower triangle.
  bool eval_h(Index, const Number*, bool, Number obj_factor, Index, const Number*, bool, Index,
              Index* iRow, Index* jCol, Number* values) override {
    if (hessian_entries_ == 0) return true;  // an LP
    Index entry = 0;
    for (int r = 0; r < qp_.num_securities; ++r) {
      for (int c = 0; c <= r; ++c) {
        if (values == nullptr) {
          iRow[entry] = qp_.weight(r);
          jCol[entry] = qp_.weight(c);
        } else {
          values[entry] = obj_factor * qp_.risk_hessian(r, c);
        }
        ++entry;
      }
    }
    return true;
  }

  void finalize_solution(Ipopt::SolverReturn, Index n, const Number* x, const Number* z_L,
                         const Number* z_U, Index m, const Number*, const Number* lambda, Number,
                         const Ipopt::IpoptData*, Ipopt::IpoptCalculatedQuantities*) override {
    x_ = Eigen::Map<const Eigen::VectorXd>(x, n);
    z_lower_ = Eigen::Map<const Eigen::VectorXd>(z_L, n);
    z_upper_ = Eigen::Map<const Eigen::VectorXd>(z_U, n);
    row_multipliers_ = Eigen::Map<const Eigen::VectorXd>(lambda, m);
  }

 private:
  const DenseQp& qp_;
  Index jacobian_entries_ = 0;
  Index hessian_entries_ = 0;
  Eigen::VectorXd x_;
  Eigen::VectorXd z_lower_;
  Eigen::VectorXd z_upper_;
  Eigen::VectorXd row_multipliers_;
};

const char* NameOf(Ipopt::ApplicationReturnStatus status) {
  switch (status) {
    case Ipopt::Solve_Succeeded:
      return "Solve_Succeeded";
    case Ipopt::Solved_To_Acceptable_Level:
      return "Solved_To_Acceptable_Level";
    case Ipopt::Infeasible_Problem_Detected:
      return "Infeasible_Problem_Detected";
    case Ipopt::Search_Direction_Becomes_Too_Small:
      return "Search_Direction_Becomes_Too_Small";
    case Ipopt::Diverging_Iterates:
      return "Diverging_Iterates";
    case Ipopt::Maximum_Iterations_Exceeded:
      return "Maximum_Iterations_Exceeded";
    case Ipopt::Restoration_Failed:
      return "Restoration_Failed";
    case Ipopt::Error_In_Step_Computation:
      return "Error_In_Step_Computation";
    case Ipopt::Not_Enough_Degrees_Of_Freedom:
      return "Not_Enough_Degrees_Of_Freedom";
    case Ipopt::Invalid_Problem_Definition:
      return "Invalid_Problem_Definition";
    default:
      return "other Ipopt failure";
  }
}

// Active-set polishing. An interior point stops a little inside the feasible set, which leaves
// its objective up to (#constraints * barrier parameter) above the optimum: too much for a 1e-7
// relative check of a small objective. The optimum itself solves the KKT equations of the
// constraints active there; those equations are linear for a QP, so once the active set is known
// the optimum follows to machine precision, and checking primal feasibility and the multipliers'
// signs proves it optimal.
enum class Side : int8_t { kFree, kLower, kUpper };

struct ActiveSet {
  std::vector<Side> variables;
  std::vector<Side> rows;
};

constexpr double kPrimalTolerance = 1e-12;  // fractions of V
constexpr double kDualTolerance = 1e-11;    // objective (dollars / V) per unit of a variable or row

double RowValue(const DenseQpRow& row, const Eigen::VectorXd& x) {
  double value = 0;
  for (const auto& [variable, coefficient] : row.terms) value += coefficient * x(variable);
  return value;
}

// A bound is taken as active when the point is closer to it than its multiplier is to zero
// (at an interior point, slack * multiplier is the small barrier parameter).
Side GuessSide(double value, double lower, double upper, double lower_multiplier,
               double upper_multiplier) {
  if (lower == upper) return Side::kLower;
  const double lower_slack = value - lower;
  const double upper_slack = upper - value;
  if (std::isfinite(lower) && lower_slack < std::abs(lower_multiplier) &&
      lower_slack <= upper_slack) {
    return Side::kLower;
  }
  if (std::isfinite(upper) && upper_slack < std::abs(upper_multiplier)) return Side::kUpper;
  return Side::kFree;
}

ActiveSet GuessActiveSet(const DenseQp& qp, const DenseQpNlp& nlp) {
  ActiveSet active;
  for (int k = 0; k < qp.num_variables(); ++k) {
    active.variables.push_back(GuessSide(nlp.x()(k), qp.variable_lower(k), qp.variable_upper(k),
                                         nlp.lower_bound_multipliers()(k),
                                         nlp.upper_bound_multipliers()(k)));
  }
  for (size_t r = 0; r < qp.rows.size(); ++r) {
    const double multiplier = nlp.row_multipliers()(r);
    active.rows.push_back(GuessSide(RowValue(qp.rows[r], nlp.x()), qp.rows[r].lower,
                                    qp.rows[r].upper, multiplier, multiplier));
  }
  return active;
}

// A constraint that breaks optimality, by how many tolerances, and where it should go.
struct Breach {
  bool is_row = false;
  int index = -1;
  Side side = Side::kFree;  // where it should go
  double amount = 0;
};

// When the KKT equations of an active set have no solution, the guess pinned too much: in the
// equation that fails worst, unpin the bound the interior point was furthest from.
Breach InconsistencyBreach(const DenseQp& qp, const ActiveSet& active,
                           const Eigen::VectorXd& interior_point, const Eigen::VectorXd& residual,
                           const std::vector<int>& free_index, int num_free,
                           const std::vector<int>& active_rows) {
  Eigen::Index equation = 0;
  residual.cwiseAbs().maxCoeff(&equation);
  Breach breach;
  if (equation < num_free) {  // a free variable's gradient nothing can balance: pin it
    const int k = static_cast<int>(std::find(free_index.begin(), free_index.end(), equation) -
                                   free_index.begin());
    const double lower_slack = interior_point(k) - qp.variable_lower(k);
    const double upper_slack = qp.variable_upper(k) - interior_point(k);
    if (std::isinf(lower_slack) && std::isinf(upper_slack)) return breach;
    return {false, k, lower_slack <= upper_slack ? Side::kLower : Side::kUpper, 1};
  }
  const int r = active_rows[equation - num_free];
  double furthest = -1;
  for (const auto& [variable, coefficient] : qp.rows[r].terms) {
    const Side side = active.variables[variable];
    if (side == Side::kFree || qp.variable_lower(variable) == qp.variable_upper(variable)) continue;
    const double bound =
        side == Side::kLower ? qp.variable_lower(variable) : qp.variable_upper(variable);
    const double slack = std::abs(interior_point(variable) - bound);
    if (slack > furthest) {
      furthest = slack;
      breach = {false, variable, Side::kFree, 1};
    }
  }
  if (breach.index < 0 && qp.rows[r].lower != qp.rows[r].upper) breach = {true, r, Side::kFree, 1};
  return breach;
}

// Solves the KKT equations of `active` and returns the point if it is optimal; otherwise the
// breaches of primal feasibility (a free variable or inactive row out of bounds) and of dual
// feasibility (an active constraint whose multiplier says it wants to leave), worst first, or
// none when there is no way forward.
std::variant<Eigen::VectorXd, std::vector<Breach>> SolveActiveSet(
    const DenseQp& qp, const ActiveSet& active, const Eigen::VectorXd& interior_point) {
  const int num_variables = qp.num_variables();
  const int w = qp.weight(0);
  const int n = qp.num_securities;
  std::vector<int> free_index(num_variables, -1);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(num_variables);
  int num_free = 0;
  for (int k = 0; k < num_variables; ++k) {
    if (active.variables[k] == Side::kFree) {
      free_index[k] = num_free++;
    } else {
      x(k) = active.variables[k] == Side::kLower ? qp.variable_lower(k) : qp.variable_upper(k);
    }
  }
  std::vector<int> active_rows;
  for (int r = 0; r < static_cast<int>(qp.rows.size()); ++r) {
    if (active.rows[r] != Side::kFree) active_rows.push_back(r);
  }
  // Gradient = Q x + linear, with Q = H on the weight block and zero elsewhere.
  Eigen::VectorXd linear = qp.linear_cost;
  linear.segment(w, n) -= qp.risk_hessian * qp.targets;

  const int size = num_free + static_cast<int>(active_rows.size());
  Eigen::MatrixXd kkt = Eigen::MatrixXd::Zero(size, size);
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(size);
  for (int k = 0; k < num_variables; ++k) {
    if (free_index[k] < 0) continue;
    rhs(free_index[k]) = -linear(k);
    if (k < w || k >= w + n) continue;
    for (int i = 0; i < n; ++i) {
      if (free_index[w + i] >= 0) {
        kkt(free_index[k], free_index[w + i]) = qp.risk_hessian(k - w, i);
      } else {
        rhs(free_index[k]) -= qp.risk_hessian(k - w, i) * x(w + i);
      }
    }
  }
  for (int a = 0; a < static_cast<int>(active_rows.size()); ++a) {
    const DenseQpRow& row = qp.rows[active_rows[a]];
    const int equation = num_free + a;
    rhs(equation) = active.rows[active_rows[a]] == Side::kLower ? row.lower : row.upper;
    for (const auto& [variable, coefficient] : row.terms) {
      if (free_index[variable] >= 0) {
        kkt(equation, free_index[variable]) += coefficient;
        kkt(free_index[variable], equation) += coefficient;
      } else {
        rhs(equation) -= coefficient * x(variable);
      }
    }
  }
  const Eigen::VectorXd unknowns = kkt.completeOrthogonalDecomposition().solve(rhs);
  if ((kkt * unknowns - rhs).lpNorm<Eigen::Infinity>() >
      1e-12 * (1 + rhs.lpNorm<Eigen::Infinity>())) {
    const Breach breach = InconsistencyBreach(qp, active, interior_point, kkt * unknowns - rhs,
                                              free_index, num_free, active_rows);
    if (breach.index < 0) return std::vector<Breach>{};
    return std::vector<Breach>{breach};
  }
  for (int k = 0; k < num_variables; ++k) {
    if (free_index[k] >= 0) x(k) = unknowns(free_index[k]);
  }

  std::vector<Breach> breaches;
  auto consider = [&](bool is_row, int index, Side side, double amount) {
    if (amount > 1) breaches.push_back({is_row, index, side, amount});
  };
  // Primal: free variables and inactive rows inside their bounds.
  for (int k = 0; k < num_variables; ++k) {
    if (active.variables[k] != Side::kFree) continue;
    consider(false, k, Side::kLower, (qp.variable_lower(k) - x(k)) / kPrimalTolerance);
    consider(false, k, Side::kUpper, (x(k) - qp.variable_upper(k)) / kPrimalTolerance);
  }
  for (int r = 0; r < static_cast<int>(qp.rows.size()); ++r) {
    if (active.rows[r] != Side::kFree) continue;
    const double value = RowValue(qp.rows[r], x);
    consider(true, r, Side::kLower, (qp.rows[r].lower - value) / kPrimalTolerance);
    consider(true, r, Side::kUpper, (value - qp.rows[r].upper) / kPrimalTolerance);
  }
  // Dual: gradient + A' y = bound multipliers z, with z >= 0 at a lower bound and <= 0 at an
  // upper one; a row at its lower bound needs y <= 0, at its upper bound y >= 0.
  Eigen::VectorXd reduced_gradient = linear;
  reduced_gradient.segment(w, n) += qp.risk_hessian * x.segment(w, n);
  for (int a = 0; a < static_cast<int>(active_rows.size()); ++a) {
    const int r = active_rows[a];
    const double y = unknowns(num_free + a);
    for (const auto& [variable, coefficient] : qp.rows[r].terms) {
      reduced_gradient(variable) += coefficient * y;
    }
    if (qp.rows[r].lower == qp.rows[r].upper) continue;
    consider(true, r, Side::kFree, (active.rows[r] == Side::kLower ? y : -y) / kDualTolerance);
  }
  for (int k = 0; k < num_variables; ++k) {
    if (active.variables[k] == Side::kFree || qp.variable_lower(k) == qp.variable_upper(k)) {
      continue;
    }
    const double z = reduced_gradient(k);
    consider(false, k, Side::kFree,
             (active.variables[k] == Side::kLower ? -z : z) / kDualTolerance);
  }
  if (breaches.empty()) return x;
  std::sort(breaches.begin(), breaches.end(),
            [](const Breach& a, const Breach& b) { return a.amount > b.amount; });
  return breaches;
}

// Polishes Ipopt's point: solves the guessed active set's KKT equations and, while the result
// breaks primal or dual feasibility, moves offenders in or out of the active set. Moving all of
// them at once fixes a guess that is wrong in many places quickly but can cycle; moving only the
// worst is slow but steadier. The first few rounds do the former, then (and in a second try
// from the same guess) the latter.
std::optional<Eigen::VectorXd> Polish(const DenseQp& qp, const DenseQpNlp& nlp) {
  constexpr int kAttempts = 60;
  for (int wholesale_attempts : {10, 0}) {
    ActiveSet active = GuessActiveSet(qp, nlp);
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
      auto result = SolveActiveSet(qp, active, nlp.x());
      if (const Eigen::VectorXd* x = std::get_if<Eigen::VectorXd>(&result)) return *x;
      const std::vector<Breach>& breaches = std::get<std::vector<Breach>>(result);
      if (breaches.empty()) break;
      for (size_t b = 0; b < (attempt < wholesale_attempts ? breaches.size() : 1); ++b) {
        const Breach& breach = breaches[b];
        (breach.is_row ? active.rows : active.variables)[breach.index] = breach.side;
      }
    }
  }
  return std::nullopt;
}

DenseQpSolution SolveDenseQp(const DenseQp& qp) {
  Ipopt::SmartPtr<DenseQpNlp> nlp = new DenseQpNlp(qp);
  Ipopt::SmartPtr<Ipopt::IpoptApplication> app = IpoptApplicationFactory();
  Ipopt::OptionsList& options = *app->Options();
  options.SetIntegerValue("print_level", 0);
  options.SetStringValue("sb", "yes");  // no banner
  options.SetNumericValue("tol", 1e-10);
  options.SetNumericValue("constr_viol_tol", 1e-10);
  options.SetNumericValue("dual_inf_tol", 1e-10);
  options.SetNumericValue("compl_inf_tol", 1e-10);
  // Ipopt by default relaxes every bound by 1e-8 (relative) and rescales the problem; the
  // formulation is already in units of V, and a relaxed bound could look like a better optimum.
  options.SetNumericValue("bound_relax_factor", 0.0);
  options.SetStringValue("nlp_scaling_method", "none");
  options.SetStringValue("mu_strategy", "adaptive");
  options.SetIntegerValue("max_iter", 3000);
  options.SetStringValue("hessian_constant", "yes");
  options.SetStringValue("jac_c_constant", "yes");
  options.SetStringValue("jac_d_constant", "yes");

  DenseQpSolution solution;
  Ipopt::ApplicationReturnStatus status = app->Initialize();
  if (status == Ipopt::Solve_Succeeded) status = app->OptimizeTNLP(nlp);
  solution.status = NameOf(status);
  solution.proven_infeasible = status == Ipopt::Infeasible_Problem_Detected;
  if (Ipopt::SmartPtr<Ipopt::SolveStatistics> statistics = app->Statistics();
      Ipopt::IsValid(statistics)) {
    solution.iterations = statistics->IterationCount();
  }
  if (nlp->x().size() != qp.num_variables()) return solution;
  Interpret(qp, nlp->x(), solution);
  if (solution.proven_infeasible) return solution;
  // Polishing solves its equations densely: beyond this many variables and rows it would take
  // minutes and gigabytes.
  constexpr size_t kLargestPolished = 4000;
  if (qp.num_variables() + qp.rows.size() > kLargestPolished) {
    solution.status += ", too large to polish";
    return solution;
  }
  // The polished point's KKT conditions hold to rounding: for a convex QP that is the certificate.
  if (std::optional<Eigen::VectorXd> polished = Polish(qp, *nlp)) {
    Interpret(qp, *polished, solution);
    solution.certified_optimal = true;
    solution.status += ", polished";
  } else {
    solution.status += ", polishing failed";
  }
  return solution;
}

}  // namespace

DenseQpSolution SolveWithIpopt(const Problem& problem) {
  return SolveDenseQp(FormulateDenseQp(problem));
}

DenseQpSolution SolveWithIpopt(const HouseholdProblem& problem) {
  return SolveDenseQp(FormulateDenseQp(problem));
}

}  // namespace arbor::optimize::testing
