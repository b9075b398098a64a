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
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/optimize/household_problem.h"
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
std::string Field(std::string_view list, const std::string& name, const char* member = nullptr) {
  return std::string(list) + "[" + name + "]" + (member ? std::string(".") + member : "");
}

// The names of one list seen so far, in an open-addressing table of views: a list of 10,000
// lots is checked on every solve, and a node-based set spent most of the check allocating.
class NameSet {
 public:
  explicit NameSet(size_t expected) { Resize(expected); }
  bool Insert(std::string_view name) {
    if (2 * (count_ + 1) > slots_.size()) {
      const std::vector<std::string_view> old = std::move(slots_);
      Resize(2 * count_ + 1);
      for (std::string_view kept : old) {
        if (kept.data() != nullptr) Place(kept);
      }
    }
    return Place(name);
  }

 private:
  void Resize(size_t expected) {
    size_t capacity = 16;
    while (capacity < 2 * expected) capacity *= 2;
    slots_.assign(capacity, std::string_view());
    mask_ = capacity - 1;
  }
  // Names are non-empty views of live strings, so a null data pointer marks an empty slot.
  bool Place(std::string_view name) {
    for (size_t k = std::hash<std::string_view>{}(name) & mask_;; k = (k + 1) & mask_) {
      if (slots_[k].data() == nullptr) {
        slots_[k] = name;
        ++count_;
        return true;
      }
      if (slots_[k] == name) return false;
    }
  }

  std::vector<std::string_view> slots_;
  size_t mask_ = 0, count_ = 0;
};

// Names must be non-empty and unique within their list.
Status CheckName(std::string_view list, const char* member, size_t index, const std::string& name, NameSet& seen) {
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

// Every check of ValidateLots but the name's, as plain comparisons: 10,000 lots are checked on
// every solve, and the checks' statuses cost more than the comparisons.
bool PlainlyValid(const LotInput& lot, int num_securities) {
  return lot.security >= 0 && lot.security < num_securities && std::isfinite(lot.shares) && lot.shares > 0 &&
         std::isfinite(lot.cost_basis_per_share) && lot.cost_basis_per_share >= 0 && std::isfinite(lot.tax_rate) &&
         lot.tax_rate >= 0 && lot.tax_rate < 1 && !(lot.must_sell && !lot.sellable);
}

// `prefix` names the account in a household ("accounts[IRA]."), empty for one account.
Status ValidateLots(const std::vector<LotInput>& lots, int num_securities, const std::string& prefix) {
  const std::string list = prefix + "lots";
  NameSet ids(lots.size());
  for (size_t j = 0; j < lots.size(); ++j) {
    const LotInput& lot = lots[j];
    ARBOR_RETURN_IF_ERROR(CheckName(list, "id", j, lot.id, ids));
    if (PlainlyValid(lot, num_securities)) continue;  // the checks below find nothing to say
    auto field = [&](const char* member) { return [&lot, &list, member] { return Field(list, lot.id, member); }; };
    if (lot.security < 0 || lot.security >= num_securities) {
      return FieldError(field("symbol"), "security index " + std::to_string(lot.security) +
                                             " out of range (" + std::to_string(num_securities) +
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

Status ValidateCash(const CashInput& cash, const std::string& prefix) {
  ARBOR_RETURN_IF_ERROR(CheckFinite(prefix + "cash.balance", cash.balance));
  ARBOR_RETURN_IF_ERROR(CheckAtLeast(prefix + "cash.withdrawal", cash.withdrawal, 0));
  if (cash.min) ARBOR_RETURN_IF_ERROR(CheckFinite(prefix + "cash.min", *cash.min));
  if (cash.max) ARBOR_RETURN_IF_ERROR(CheckFinite(prefix + "cash.max", *cash.max));
  if (cash.min && cash.max && *cash.min > *cash.max) {
    return FieldError(prefix + "cash.min", "must be <= cash.max (" + Text(*cash.max) + "), got " +
                                               Text(*cash.min));
  }
  return Status::Ok();
}

// balance - withdrawal + holdings; runs after the securities and lots are known to be valid, so
// it is finite.
double ValueOf(const CashInput& cash, const std::vector<LotInput>& lots,
               const std::vector<SecurityInput>& securities) {
  double value = cash.balance - cash.withdrawal;
  for (const LotInput& lot : lots) value += securities[lot.security].price * lot.shares;
  return value;
}

Status CheckValuePositive(const std::string& field, double value) {
  if (value > 0) return Status::Ok();
  return FieldError(field, "the account value after the withdrawal (balance - withdrawal + "
                           "holdings) must be > 0, got " + Text(value));
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

Status ValidateRisk(const RiskInput& risk, const std::vector<SecurityInput>& securities) {
  const int n = static_cast<int>(securities.size());
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
    const std::string& symbol = securities[i].symbol;
    for (Eigen::Index k = 0; k < factors; ++k) {
      auto entry = [&symbol, k] { return Field("risk.loadings", symbol) + "[" + std::to_string(k) + "]"; };
      ARBOR_RETURN_IF_ERROR(CheckFinite(entry, risk.loadings(i, k)));
    }
    auto specific = [&symbol] { return Field("risk.specific_variance", symbol); };
    ARBOR_RETURN_IF_ERROR(CheckAtLeast(specific, risk.specific_variance[i], 0));
  }
  return Status::Ok();
}

Status ValidateGroups(const std::vector<GroupInput>& groups, const std::vector<SecurityInput>& securities) {
  const int n = static_cast<int>(securities.size());
  NameSet names(groups.size());
  for (size_t g = 0; g < groups.size(); ++g) {
    const GroupInput& group = groups[g];
    ARBOR_RETURN_IF_ERROR(CheckName("groups", "name", g, group.name, names));
    const std::string field = Field("groups", group.name);
    std::vector<char> member_seen(n, 0);
    for (int member : group.members) {
      if (member < 0 || member >= n) {
        return FieldError(field, "member index " + std::to_string(member) + " out of range (" +
                                     std::to_string(n) + " securities)");
      }
      if (std::exchange(member_seen[member], 1)) {
        return FieldError(field, securities[member].symbol + " is a member twice");
      }
    }
    ARBOR_RETURN_IF_ERROR(CheckAtLeast(field + ".penalty", group.penalty, 0));
    if (group.max_active) {
      ARBOR_RETURN_IF_ERROR(CheckAtLeast(field + ".max_active", *group.max_active, 0));
    }
  }
  return Status::Ok();
}

// What one account and a household share: securities, risk, groups, budget and cap.
Status ValidateShared(const std::vector<SecurityInput>& securities, const RiskInput& risk,
                      const std::vector<GroupInput>& groups, const std::optional<double>& tax_budget,
                      const std::optional<double>& turnover_max) {
  ARBOR_RETURN_IF_ERROR(ValidateRisk(risk, securities));
  ARBOR_RETURN_IF_ERROR(ValidateGroups(groups, securities));
  if (tax_budget) ARBOR_RETURN_IF_ERROR(CheckFinite("tax_budget", *tax_budget));
  if (turnover_max) ARBOR_RETURN_IF_ERROR(CheckAtLeast("turnover_max", *turnover_max, 0));
  return Status::Ok();
}

// A per-security vector of an account: empty, or one finite entry per security in [lower, upper).
Status ValidatePerSecurity(const std::string& field, const std::vector<double>& values,
                           const std::vector<SecurityInput>& securities, double lower, double upper) {
  if (values.empty()) return Status::Ok();
  if (values.size() != securities.size()) {
    return FieldError(field, "must have one entry per security (" + std::to_string(securities.size()) +
                                 "), got " + std::to_string(values.size()));
  }
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string entry = Field(field, securities[i].symbol);
    ARBOR_RETURN_IF_ERROR(CheckFinite(entry, values[i]));
    ARBOR_RETURN_IF_ERROR(CheckRange(entry, values[i], lower, upper, true));
  }
  return Status::Ok();
}

Status ValidateAccount(const HouseholdAccountInput& account, const std::vector<SecurityInput>& securities) {
  const std::string prefix = Field("accounts", account.id) + ".";
  ARBOR_RETURN_IF_ERROR(ValidateLots(account.lots, static_cast<int>(securities.size()), prefix));
  ARBOR_RETURN_IF_ERROR(ValidateCash(account.cash, prefix));
  std::vector<char> allowed(securities.size(), 0);
  for (int i : account.allowed.value_or(std::vector<int>{})) {
    if (i < 0 || i >= static_cast<int>(securities.size())) {
      return FieldError(prefix + "allowed", "security index " + std::to_string(i) + " out of range (" +
                                                std::to_string(securities.size()) + " securities)");
    }
    if (std::exchange(allowed[i], 1)) {
      return FieldError(prefix + "allowed", securities[i].symbol + " is listed twice");
    }
  }
  ARBOR_RETURN_IF_ERROR(ValidatePerSecurity(prefix + "cost_rates", account.cost_rates, securities, 0, 1));
  const double unbounded = std::numeric_limits<double>::infinity();
  ARBOR_RETURN_IF_ERROR(ValidatePerSecurity(prefix + "location", account.location, securities, -unbounded, unbounded));
  ARBOR_RETURN_IF_ERROR(CheckAtLeast(prefix + "drift_penalty", account.drift_penalty, 0));
  if (account.drift_penalty > 0) {
    ARBOR_RETURN_IF_ERROR(CheckValuePositive(prefix + "cash", ValueOf(account.cash, account.lots, securities)));
  }
  return Status::Ok();
}

}  // namespace

Status ValidateProblem(const Problem& problem) {
  ARBOR_RETURN_IF_ERROR(ValidateSecurities(problem.securities));
  ARBOR_RETURN_IF_ERROR(ValidateLots(problem.lots, problem.num_securities(), ""));
  ARBOR_RETURN_IF_ERROR(ValidateCash(problem.cash, ""));
  ARBOR_RETURN_IF_ERROR(CheckValuePositive("cash", ValueOf(problem.cash, problem.lots, problem.securities)));
  return ValidateShared(problem.securities, problem.risk, problem.groups, problem.tax_budget, problem.turnover_max);
}

Status ValidateHouseholdProblem(const HouseholdProblem& problem) {
  ARBOR_RETURN_IF_ERROR(ValidateSecurities(problem.securities));
  if (problem.accounts.empty()) return FieldError("accounts", "a household needs at least one account");
  NameSet ids(problem.accounts.size());
  double value = 0;
  for (size_t a = 0; a < problem.accounts.size(); ++a) {
    const HouseholdAccountInput& account = problem.accounts[a];
    ARBOR_RETURN_IF_ERROR(CheckName("accounts", "id", a, account.id, ids));
    ARBOR_RETURN_IF_ERROR(ValidateAccount(account, problem.securities));
    value += ValueOf(account.cash, account.lots, problem.securities);
  }
  if (!(value > 0)) {
    return FieldError("accounts", "the household value after withdrawals (all accounts' balance - "
                                  "withdrawal + holdings) must be > 0, got " + Text(value));
  }
  return ValidateShared(problem.securities, problem.risk, problem.groups, problem.tax_budget, problem.turnover_max);
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
