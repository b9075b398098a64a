// Screen re-allocation by the risk model: a security model without the screened names is the
// fully invested long-only portfolio of its remaining names with the least ex-ante tracking
// error to the unscreened model, so a screened oil major's weight goes mostly to other energy
// names and to what moves like them, not pro rata to the whole index.
//
//   RiskModelReallocator reallocator(risk_model, master);
//   Result<SecurityModel> screened = reallocator.Reallocate(sp500, {"MO", "PM", "XOM"});
//
// Names the risk model does not cover get their sector's mean loadings and median specific
// variance (as in core/review/risk_rows.h).
//
// TrackingProblem is the optimization underneath, shared with the sampled index models of
// index_construction.h: the rebalance QP of docs/rebalance-problem.md for an all-cash account
// whose targets are the benchmark's weights, with no taxes or costs, cash pinned to zero (fully
// invested) and buys only of the allowed names, so its optimum is the least tracking error.
//
//   Result<TrackingProblem> problem = TrackingProblem::Create(sp500, risk_model, master);
//   std::vector<bool> allowed(problem->symbols().size(), true);
//   allowed[0] = false;                                   // without the benchmark's first name
//   Result<TrackingSolution> best = problem->Solve(allowed);
//   best->weights, best->tracking_error;                  // aligned with problem->symbols()
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "core/market/risk_model.h"
#include "core/market/security.h"
#include "core/models/resolution.h"

namespace arbor::models {

struct TrackingSolution {
  Eigen::VectorXd weights;  // aligned with TrackingProblem::symbols(); sum 1, >= 0
  double tracking_error = 0;
  int iterations = 0;
};

class TrackingProblem {
 public:
  // The benchmark's names (in its order) are the universe. Errors: an empty benchmark, a
  // negative weight.
  static Result<TrackingProblem> Create(const SecurityModel& benchmark, const RiskModel& risk,
                                        const SecurityMaster& master);

  const std::vector<std::string>& symbols() const { return symbols_; }
  const Eigen::VectorXd& benchmark() const { return benchmark_; }
  // Names priced by sector proxies because the risk model does not cover them.
  const std::vector<std::string>& proxied() const { return proxied_; }

  // The least tracking-error portfolio holding only names with allowed[i]. Errors: no name
  // allowed, a solve that ends other than optimal (its summary in the message).
  Result<TrackingSolution> Solve(const std::vector<bool>& allowed) const;

  // sqrt((w - b)' Sigma (w - b)) for weights aligned with symbols().
  double TrackingError(const Eigen::VectorXd& weights) const;
  // Sigma (w - b): d TE^2 / dw_i / 2. At an optimum every held name has the same value (the
  // budget's multiplier); an excluded name with a smaller one would lower the tracking error.
  Eigen::VectorXd Marginal(const Eigen::VectorXd& weights) const;

 private:
  std::vector<std::string> symbols_;
  Eigen::VectorXd benchmark_;
  Eigen::MatrixXd loadings_;
  Eigen::MatrixXd factor_covariance_;
  Eigen::VectorXd specific_variance_;
  std::vector<std::string> proxied_;
};

class RiskModelReallocator : public ScreenReallocator {
 public:
  // `risk_model` and `master` must outlive the reallocator.
  RiskModelReallocator(const RiskModel& risk_model, const SecurityMaster& master);

  Result<SecurityModel> Reallocate(const SecurityModel& model,
                                   const std::vector<std::string>& excluded) const override;
  std::string Describe() const override;  // "risk-model reallocation (model of 2021-04-21)"

 private:
  const RiskModel& risk_model_;
  const SecurityMaster& master_;
};

}  // namespace arbor::models
