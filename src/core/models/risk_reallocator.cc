#include "core/models/risk_reallocator.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "core/optimize/solver.h"
#include "core/review/risk_rows.h"

namespace arbor::models {
namespace {

// The QP is posed for a notional account: weights do not depend on its size, and a million
// keeps every dollar figure of the solver's summary readable.
constexpr double kNotionalValue = 1e6;
// The objective is (aversion / 2) V TE^2 and has no other term, so any positive aversion gives
// the same optimum; 1 keeps the objective on the scale of V TE^2.
constexpr double kRiskAversion = 1;
// An interior-point optimum leaves names at their zero bound with weights of about the
// solver's tolerance; below this they are treated as not held.
constexpr double kNegligibleWeight = 1e-7;

std::string ModelLabel(const SecurityModel& model) {
  return "security model '" + model.name + "' v" + std::to_string(model.version);
}

}  // namespace

Result<TrackingProblem> TrackingProblem::Create(const SecurityModel& benchmark,
                                                const RiskModel& risk,
                                                const SecurityMaster& master) {
  if (benchmark.weights.empty()) {
    return Status::InvalidArgument(ModelLabel(benchmark) + ": no weights to track");
  }
  TrackingProblem problem;
  problem.benchmark_.resize(static_cast<Eigen::Index>(benchmark.weights.size()));
  for (size_t i = 0; i < benchmark.weights.size(); ++i) {
    const ModelWeight& w = benchmark.weights[i];
    if (!std::isfinite(w.weight) || w.weight < 0) {
      return Status::InvalidArgument(ModelLabel(benchmark) + ": weights[" + w.symbol +
                                     "]: must be a finite number >= 0, got " +
                                     std::to_string(w.weight));
    }
    problem.symbols_.push_back(w.symbol);
    problem.benchmark_[static_cast<Eigen::Index>(i)] = w.weight;
  }
  review::RiskRows rows = review::RiskRowsFor(risk, master, problem.symbols_, &problem.proxied_);
  problem.loadings_ = std::move(rows.loadings);
  problem.factor_covariance_ = std::move(rows.factor_covariance);
  problem.specific_variance_ = std::move(rows.specific_variance);
  return problem;
}

Result<TrackingSolution> TrackingProblem::Solve(const std::vector<bool>& allowed) const {
  if (allowed.size() != symbols_.size() ||
      std::none_of(allowed.begin(), allowed.end(), [](bool a) { return a; })) {
    return Status::InvalidArgument("tracking problem: no name may be held");
  }
  optimize::Problem qp;
  qp.securities.reserve(symbols_.size());
  for (size_t i = 0; i < symbols_.size(); ++i) {
    qp.securities.push_back({.symbol = symbols_[i],
                             .price = 1,
                             .target_weight = benchmark_[static_cast<Eigen::Index>(i)],
                             .may_buy = allowed[i]});
  }
  qp.cash = {.balance = kNotionalValue, .withdrawal = 0, .min = 0.0, .max = 0.0};
  qp.risk = {.aversion = kRiskAversion,
             .loadings = loadings_,
             .factor_covariance = factor_covariance_,
             .specific_variance = specific_variance_};
  Result<optimize::Solution> solved = optimize::Solve(qp);
  if (!solved.ok()) return solved.status().WithContext("tracking problem");
  const optimize::Summary& summary = solved->summary;
  if (summary.status != optimize::SolveStatus::kOptimal) {
    return Status::FailedPrecondition(std::string("tracking problem: the solver stopped ") +
                                      optimize::NameOf(summary.status) + " after " +
                                      std::to_string(summary.iterations) + " iterations" +
                                      (summary.message.empty() ? "" : ": " + summary.message));
  }
  TrackingSolution solution;
  solution.weights = solved->evaluation.weights;
  for (Eigen::Index i = 0; i < solution.weights.size(); ++i) {
    if (!allowed[static_cast<size_t>(i)] || solution.weights[i] < kNegligibleWeight) {
      solution.weights[i] = 0;
    }
  }
  solution.weights /= solution.weights.sum();
  solution.tracking_error = TrackingError(solution.weights);
  solution.iterations = summary.iterations;
  return solution;
}

Eigen::VectorXd TrackingProblem::Marginal(const Eigen::VectorXd& weights) const {
  const Eigen::VectorXd active = weights - benchmark_;
  const Eigen::VectorXd exposure = loadings_.transpose() * active;
  return loadings_ * (factor_covariance_ * exposure) + specific_variance_.cwiseProduct(active);
}

double TrackingProblem::TrackingError(const Eigen::VectorXd& weights) const {
  const Eigen::VectorXd active = weights - benchmark_;
  return std::sqrt(std::max(0.0, active.dot(Marginal(weights))));
}

RiskModelReallocator::RiskModelReallocator(const RiskModel& risk_model,
                                           const SecurityMaster& master)
    : risk_model_(risk_model), master_(master) {}

Result<SecurityModel> RiskModelReallocator::Reallocate(
    const SecurityModel& model, const std::vector<std::string>& excluded) const {
  std::vector<bool> allowed;
  int screened = 0;
  for (const ModelWeight& w : model.weights) {
    const bool out = std::binary_search(excluded.begin(), excluded.end(), w.symbol);
    allowed.push_back(!out);
    screened += out;
  }
  if (screened == 0) return model;
  if (screened == static_cast<int>(model.weights.size())) {
    return Status::InvalidArgument(ModelLabel(model) + ": the screens exclude every name");
  }
  Result<TrackingProblem> problem = TrackingProblem::Create(model, risk_model_, master_);
  if (!problem.ok()) return problem.status();
  Result<TrackingSolution> solution = problem->Solve(allowed);
  if (!solution.ok()) return solution.status().WithContext(ModelLabel(model));

  SecurityModel result = model;
  result.weights.clear();
  for (size_t i = 0; i < model.weights.size(); ++i) {
    const double weight = solution->weights[static_cast<Eigen::Index>(i)];
    if (weight > 0) result.weights.push_back({model.weights[i].symbol, weight});
  }
  char note[160];
  std::snprintf(note, sizeof note,
                "%s%d screened names re-allocated by the risk model of %s (ex-ante TE %.2f%%)",
                model.description.empty() ? "" : "; ", screened,
                risk_model_.as_of.ToString().c_str(), 100 * solution->tracking_error);
  result.description += note;
  return result;
}

std::string RiskModelReallocator::Describe() const {
  return "risk-model reallocation (model of " + risk_model_.as_of.ToString() + ")";
}

}  // namespace arbor::models
