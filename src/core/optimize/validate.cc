// Input checks for the rebalance core: ValidateProblem against docs/rebalance-problem.md, and the
// solver options. Messages name the field as the problem file does (securities[AAA].price), so the
// JSON reader can pass them on unchanged.
//
// Limits beyond the spec's, and why:
//   target, min and max weights lie in [0, 1]: the core has no leverage and no short positions;
//   cost_rate and tax_rate lie in [0, 1): a rate of 100% or more of the traded dollars or of the
//     gain is a data error, and a negative rate would pay the account for trading;
//   the account value V = balance - withdrawal + holdings must be > 0: weights are fractions of V;
//   factor_covariance must be symmetric and PSD up to a relative 1e-9 of its largest entry or
//     eigenvalue, so that rounding in the file is tolerated but a real negative direction is not.
#include <Eigen/Eigenvalues>
#include <charconv>
#include <cmath>
#include <memory_resource>
#include <string>
#include <set>
#include <string_view>
#include <type_traits>
#include <unordered_set>

#include "core/optimize/solver.h"

namespace arbor::optimize {
namespace {

constexpr double kMatrixRelativeTolerance = 1e-9;
constexpr double kMaxTolerance = 1e-2;

// The shortest text that reads back as the same double: 0.1, -1, 1e+300, inf, nan.
std::string Text(double value) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

// A field is named by a string or by a function that makes one: the checks run for every lot of
// every solve, and the name is only needed when a check fails.
template <typename FieldName>
std::string NameFor(const FieldName& field) {
  if constexpr (std::is_invocable_v<FieldName>) {
    return field();
  } else {
    return std::string(field);
  }
}

template <typename FieldName>
Status FieldError(const FieldName& field, const std::string& message) {
  return Status::InvalidArgument(NameFor(field) + ": " + message);
}

template <typename FieldName>
Status CheckFinite(const FieldName& field, double value) {
  if (std::isfinite(value)) return Status::Ok();
  return FieldError(field, "must be a finite number, got " + Text(value));
}

template <typename FieldName>
Status CheckAtLeast(const FieldName& field, double value, double lower) {
  ARBOR_RETURN_IF_ERROR(CheckFinite(field, value));
  if (value >= lower) return Status::Ok();
  return FieldError(field, "must be >= " + Text(lower) + ", got " + Text(value));
}

template <typename FieldName>
Status CheckPositive(const FieldName& field, double value) {
  ARBOR_RETURN_IF_ERROR(CheckFinite(field, value));
  if (value > 0) return Status::Ok();
  return FieldError(field, "must be > 0, got " + Text(value));
}

// lower <= value <= upper, or value < upper when the upper end is open.
template <typename FieldName>
Status CheckRange(const FieldName& field, double value, double lower, double upper, bool upper_open = false) {
  ARBOR_RETURN_IF_ERROR(CheckFinite(field, value));
  if (value >= lower && (upper_open ? value < upper : value <= upper)) return Status::Ok();
  return FieldError(field, "must be in [" + Text(lower) + ", " + Text(upper) +
                               (upper_open ? ")" : "]") + ", got " + Text(value));
}

// "securities[AAA].price", "lots[L7]": by name, since the name is what the user can find.
std::string Field(const char* list, const std::string& name, const char* member = nullptr) {
  return std::string(list) + "[" + name + "]" + (member ? std::string(".") + member : "");
}

// The names of one list seen so far. Its nodes come from one arena: a list of 10,000 lots is
// checked on every solve, and a heap allocation per name was most of the check's time.
class NameSet {
 public:
  explicit NameSet(size_t expected) : names_(&arena_) { names_.reserve(expected); }
  bool Insert(std::string_view name) { return names_.insert(name).second; }

 private:
  std::pmr::monotonic_buffer_resource arena_;
  std::pmr::unordered_set<std::string_view> names_;
};

// Names must be non-empty and unique within their list.
Status CheckName(const char* list, const char* member, size_t index, const std::string& name, NameSet& seen) {
  if (name.empty()) {
    return FieldError(Field(list, std::to_string(index), member), "must not be empty");
  }
  if (!seen.Insert(name)) {
    return FieldError(Field(list, name, member), "listed more than once");
  }
  return Status::Ok();
}

Status ValidateSecurities(const std::vector<SecurityInput>& securities) {
  NameSet symbols(securities.size());
  for (size_t i = 0; i < securities.size(); ++i) {
    const SecurityInput& security = securities[i];
    ARBOR_RETURN_IF_ERROR(CheckName("securities", "symbol", i, security.symbol, symbols));
    auto field = [&](const char* member) {
      return [&security, member] { return Field("securities", security.symbol, member); };
    };
    ARBOR_RETURN_IF_ERROR(CheckPositive(field("price"), security.price));
    ARBOR_RETURN_IF_ERROR(CheckRange(field("target_weight"), security.target_weight, 0, 1));
    ARBOR_RETURN_IF_ERROR(CheckRange(field("min_weight"), security.min_weight, 0, 1));
    ARBOR_RETURN_IF_ERROR(CheckRange(field("max_weight"), security.max_weight, 0, 1));
    if (security.min_weight > security.max_weight) {
      return FieldError(field("min_weight"), "must be <= max_weight (" +
                                                 Text(security.max_weight) + "), got " +
                                                 Text(security.min_weight));
    }
    ARBOR_RETURN_IF_ERROR(CheckRange(field("cost_rate"), security.cost_rate, 0, 1, true));
  }
  return Status::Ok();
}

Status ValidateLots(const Problem& problem) {
  NameSet ids(problem.lots.size());
  for (size_t j = 0; j < problem.lots.size(); ++j) {
    const LotInput& lot = problem.lots[j];
    ARBOR_RETURN_IF_ERROR(CheckName("lots", "id", j, lot.id, ids));
    auto field = [&](const char* member) { return [&lot, member] { return Field("lots", lot.id, member); }; };
    if (lot.security < 0 || lot.security >= problem.num_securities()) {
      return FieldError(field("symbol"), "security index " + std::to_string(lot.security) +
                                             " out of range (" +
                                             std::to_string(problem.num_securities()) +
                                             " securities)");
    }
    ARBOR_RETURN_IF_ERROR(CheckPositive(field("shares"), lot.shares));
    ARBOR_RETURN_IF_ERROR(CheckAtLeast(field("cost_basis_per_share"), lot.cost_basis_per_share, 0));
    ARBOR_RETURN_IF_ERROR(CheckRange(field("tax_rate"), lot.tax_rate, 0, 1, true));
    if (lot.must_sell && !lot.sellable) {
      return FieldError(field("must_sell"), "the lot must be sold but is not sellable");
    }
  }
  return Status::Ok();
}

Status ValidateCash(const Problem& problem) {
  const CashInput& cash = problem.cash;
  ARBOR_RETURN_IF_ERROR(CheckFinite("cash.balance", cash.balance));
  ARBOR_RETURN_IF_ERROR(CheckAtLeast("cash.withdrawal", cash.withdrawal, 0));
  if (cash.min) ARBOR_RETURN_IF_ERROR(CheckFinite("cash.min", *cash.min));
  if (cash.max) ARBOR_RETURN_IF_ERROR(CheckFinite("cash.max", *cash.max));
  if (cash.min && cash.max && *cash.min > *cash.max) {
    return FieldError("cash.min", "must be <= cash.max (" + Text(*cash.max) + "), got " +
                                      Text(*cash.min));
  }
  // Runs after the securities and lots are known to be valid, so V is finite.
  double value = cash.balance - cash.withdrawal;
  for (const LotInput& lot : problem.lots) {
    value += problem.securities[lot.security].price * lot.shares;
  }
  if (!(value > 0)) {
    return FieldError("cash", "the account value after the withdrawal (balance - withdrawal + "
                              "holdings) must be > 0, got " + Text(value));
  }
  return Status::Ok();
}

Status CheckMatrixFinite(const std::string& field, const Eigen::MatrixXd& matrix) {
  for (Eigen::Index r = 0; r < matrix.rows(); ++r) {
    for (Eigen::Index c = 0; c < matrix.cols(); ++c) {
      const std::string entry = field + "[" + std::to_string(r) + "][" + std::to_string(c) + "]";
      ARBOR_RETURN_IF_ERROR(CheckFinite(entry, matrix(r, c)));
    }
  }
  return Status::Ok();
}

Status ValidateFactorCovariance(const Eigen::MatrixXd& covariance) {
  const std::string field = "risk.factor_covariance";
  if (covariance.rows() != covariance.cols()) {
    return FieldError(field, "must be square, got " + std::to_string(covariance.rows()) + " x " +
                                 std::to_string(covariance.cols()));
  }
  ARBOR_RETURN_IF_ERROR(CheckMatrixFinite(field, covariance));
  if (covariance.size() == 0) return Status::Ok();
  const double largest_entry = covariance.cwiseAbs().maxCoeff();
  for (Eigen::Index r = 0; r < covariance.rows(); ++r) {
    for (Eigen::Index c = r + 1; c < covariance.cols(); ++c) {
      const double asymmetry = std::abs(covariance(r, c) - covariance(c, r));
      if (asymmetry > kMatrixRelativeTolerance * largest_entry) {
        const std::string rc = "[" + std::to_string(r) + "][" + std::to_string(c) + "]";
        const std::string cr = "[" + std::to_string(c) + "][" + std::to_string(r) + "]";
        return FieldError(field, "not symmetric (" + rc + " = " + Text(covariance(r, c)) + ", " +
                                     cr + " = " + Text(covariance(c, r)) + ")");
      }
    }
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(covariance, Eigen::EigenvaluesOnly);
  const Eigen::VectorXd& eigenvalues = eigen.eigenvalues();  // ascending
  const double scale = eigenvalues.cwiseAbs().maxCoeff();
  if (eigenvalues[0] < -kMatrixRelativeTolerance * scale) {
    return FieldError(field, "not positive semidefinite (eigenvalue " + Text(eigenvalues[0]) + ")");
  }
  return Status::Ok();
}

Status ValidateRisk(const Problem& problem) {
  const RiskInput& risk = problem.risk;
  const int n = problem.num_securities();
  ARBOR_RETURN_IF_ERROR(CheckAtLeast("risk.aversion", risk.aversion, 0));
  ARBOR_RETURN_IF_ERROR(ValidateFactorCovariance(risk.factor_covariance));
  const Eigen::Index factors = risk.factor_covariance.rows();
  if (risk.loadings.rows() != n || risk.loadings.cols() != factors) {
    return FieldError("risk.loadings", "must be " + std::to_string(n) + " x " +
                                           std::to_string(factors) +
                                           " (securities x factors), got " +
                                           std::to_string(risk.loadings.rows()) + " x " +
                                           std::to_string(risk.loadings.cols()));
  }
  if (risk.specific_variance.size() != n) {
    return FieldError("risk.specific_variance", "must have one entry per security (" +
                                                    std::to_string(n) + "), got " +
                                                    std::to_string(risk.specific_variance.size()));
  }
  for (int i = 0; i < n; ++i) {
    const std::string& symbol = problem.securities[i].symbol;
    for (Eigen::Index k = 0; k < factors; ++k) {
      auto entry = [&symbol, k] { return Field("risk.loadings", symbol) + "[" + std::to_string(k) + "]"; };
      ARBOR_RETURN_IF_ERROR(CheckFinite(entry, risk.loadings(i, k)));
    }
    auto specific = [&symbol] { return Field("risk.specific_variance", symbol); };
    ARBOR_RETURN_IF_ERROR(CheckAtLeast(specific, risk.specific_variance[i], 0));
  }
  return Status::Ok();
}

Status ValidateGroups(const Problem& problem) {
  NameSet names(problem.groups.size());
  for (size_t g = 0; g < problem.groups.size(); ++g) {
    const GroupInput& group = problem.groups[g];
    ARBOR_RETURN_IF_ERROR(CheckName("groups", "name", g, group.name, names));
    const std::string field = Field("groups", group.name);
    std::set<int> members;
    for (int member : group.members) {
      if (member < 0 || member >= problem.num_securities()) {
        return FieldError(field, "member index " + std::to_string(member) + " out of range (" +
                                     std::to_string(problem.num_securities()) + " securities)");
      }
      if (!members.insert(member).second) {
        return FieldError(field, problem.securities[member].symbol + " is a member twice");
      }
    }
    ARBOR_RETURN_IF_ERROR(CheckAtLeast(field + ".penalty", group.penalty, 0));
    if (group.max_active) {
      ARBOR_RETURN_IF_ERROR(CheckAtLeast(field + ".max_active", *group.max_active, 0));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateProblem(const Problem& problem) {
  ARBOR_RETURN_IF_ERROR(ValidateSecurities(problem.securities));
  ARBOR_RETURN_IF_ERROR(ValidateLots(problem));
  ARBOR_RETURN_IF_ERROR(ValidateCash(problem));
  ARBOR_RETURN_IF_ERROR(ValidateRisk(problem));
  ARBOR_RETURN_IF_ERROR(ValidateGroups(problem));
  if (problem.tax_budget) ARBOR_RETURN_IF_ERROR(CheckFinite("tax_budget", *problem.tax_budget));
  if (problem.turnover_max) {
    ARBOR_RETURN_IF_ERROR(CheckAtLeast("turnover_max", *problem.turnover_max, 0));
  }
  return Status::Ok();
}

Status SolverOptions::Validate() const {
  if (!(tolerance > 0 && tolerance <= kMaxTolerance)) {
    return FieldError("tolerance",
                      "must be in (0, " + Text(kMaxTolerance) + "], got " + Text(tolerance));
  }
  if (max_iterations < 1) {
    return FieldError("max_iterations", "must be >= 1, got " + std::to_string(max_iterations));
  }
  // The sizes depend on the problem, which Solve() checks; here only the values.
  for (Eigen::Index i = 0; i < warm_start_buys.size(); ++i) {
    ARBOR_RETURN_IF_ERROR(
        CheckAtLeast("warm_start_buys[" + std::to_string(i) + "]", warm_start_buys[i], 0));
  }
  for (Eigen::Index j = 0; j < warm_start_sells.size(); ++j) {
    ARBOR_RETURN_IF_ERROR(
        CheckAtLeast("warm_start_sells[" + std::to_string(j) + "]", warm_start_sells[j], 0));
  }
  return Status::Ok();
}

const char* NameOf(SolveStatus status) {
  switch (status) {
    case SolveStatus::kOptimal:
      return "optimal";
    case SolveStatus::kInfeasible:
      return "infeasible";
    case SolveStatus::kUnbounded:
      return "unbounded";
    case SolveStatus::kIterationLimit:
      return "iteration_limit";
  }
  return "unknown";
}

}  // namespace arbor::optimize
