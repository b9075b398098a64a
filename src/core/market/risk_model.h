// A statistical-fundamental factor risk model: Sigma = X F X' + diag(d), annualized, estimated
// from daily returns as of a date. The optimizer prices risk with it; the rebalance reports
// the tracking error of a portfolio against its target.
//
//   std::vector<RiskModelSecurity> securities = {{"AAPL", "Information Technology"}, ...};
//   DailyReturns returns = ...;   // dates x securities, NaN where a security has no return
//   Result<RiskModel> model = EstimateRiskModel(as_of, securities, returns);
//   double te = model->TrackingError(portfolio_weights - target_weights);   // 0.031 = 3.1%
//
// The method (docs/risk-model.md has the reasoning):
//  1. Window: the last `window_days` trading days on or before as_of, weighted exponentially
//     with `half_life_days` so that recent days count more.
//  2. Each day's returns are winsorized across securities at median +- `winsor_sigmas`
//     robust standard deviations (1.4826 x MAD), so a bad print or an unflagged corporate
//     action cannot dominate a variance.
//  3. Market and industry factor returns by a daily cross-sectional regression on a column of
//     ones and GICS dummies, with the industry returns constrained to sum to zero
//     (weighted by the number of securities). With equal regression weights its solution is
//     closed form: market = mean return, industry = industry mean - market.
//  4. Statistical factors: principal components of the weighted covariance of the residual
//     returns of step 3 (securities with `min_history_days` returns). Their daily returns
//     come from a cross-sectional regression of the residuals on the components; every
//     security's loadings then from a weighted time-series regression of its residuals on
//     those returns, which for a full history reproduces the component exactly and for a
//     shorter one uses only the days it traded.
//  5. Specific variance: the weighted mean square of the final residuals, shrunk toward the
//     median of its sector as a Bayesian posterior with `specific_prior_days`
//     pseudo-observations of that median (conjugate inverse-gamma prior), so a short history
//     leans on its sector and a long one on itself.
//  6. Factor covariance: the weighted second moment of the factor returns (no mean: daily
//     means are noise), shrunk toward its diagonal with the Ledoit-Wolf intensity, and
//     projected onto the PSD cone.
// Securities with fewer than `min_history_days` returns get the average statistical loadings
// of their sector. Everything is annualized with `periods_per_year`; no output is NaN.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/date.h"
#include "core/base/status.h"

namespace arbor {

enum class IndustryFactors { kNone, kSector, kIndustryGroup };
std::string_view ToString(IndustryFactors level);
Result<IndustryFactors> IndustryFactorsFromString(std::string_view text);

enum class FactorKind { kMarket, kIndustry, kStatistical };
std::string_view ToString(FactorKind kind);
Result<FactorKind> FactorKindFromString(std::string_view text);

struct RiskModelOptions {
  int window_days = 504;        // two years of trading days ending on as_of
  double half_life_days = 126;  // a day's weight halves every half year back
  bool market_factor = true;
  IndustryFactors industry_factors = IndustryFactors::kSector;  // 11 GICS sectors
  int statistical_factors = 8;
  // Fewer returns than this in the window: no own statistical loadings (sector average).
  // Also the shortest window accepted.
  int min_history_days = 63;
  // Daily cross-sectional clip, in robust sigmas: catches bad prints and unflagged corporate
  // actions but keeps earnings jumps, which are real specific risk (at 5 the model
  // underestimated the volatility of jumpy names by a third).
  double winsor_sigmas = 10;
  double specific_prior_days = 30;  // weight of the sector median in the specific variance
  double periods_per_year = 252;    // annualization of daily variances

  // Ok, or a message naming the first option out of range.
  Status Validate() const;
};

struct RiskModelSecurity {
  std::string symbol;
  std::string sector;          // GICS sector; required unless `proxy`
  std::string industry_group;  // GICS industry group; required for kIndustryGroup
  // A fund (or anything outside the stock cross-section): it takes no part in steps 2-6; its
  // loadings come from a weighted time-series regression of its returns on the factor
  // returns, and its specific variance from the residual. Its row follows the stocks' rows.
  bool proxy = false;
};

// Daily total returns of securities on a common trading calendar.
struct DailyReturns {
  std::vector<Date> dates;  // ascending
  Eigen::MatrixXd returns;  // dates.size() x securities; 0.01 = +1%; NaN = no return that day
};

struct RiskFactor {
  std::string name;  // "Market", the GICS sector or industry group, "Statistical 1", ...
  FactorKind kind = FactorKind::kMarket;
};

struct RiskModelWindow {
  Date first;  // first return day used
  Date last;   // last return day used (the last trading day on or before as_of)
  int days = 0;
  double half_life_days = 0;
};

// What the estimation saw, for the summary a user reads to trust the numbers.
struct RiskModelStats {
  double statistical_variance_explained = 0;  // share of residual variance, 0..1
  double factor_covariance_shrinkage = 0;     // intensity toward the diagonal, 0..1
  int short_history_securities = 0;           // fewer than min_history_days returns
  int64_t winsorized_returns = 0;             // security-days clipped in step 2
};

struct RiskModel {
  Date as_of;
  RiskModelWindow window;
  std::vector<RiskFactor> factors;    // K
  std::vector<std::string> symbols;   // n
  Eigen::MatrixXd loadings;           // X, n x K
  Eigen::MatrixXd factor_covariance;  // F, K x K, symmetric PSD, annualized
  Eigen::VectorXd specific_variance;  // d, n, positive, annualized
  RiskModelStats stats;

  // w' Sigma w for weights aligned with `symbols`, as (X'w)' F (X'w) + sum d w^2: O(nK + K^2),
  // never the n x n matrix.
  double Variance(const Eigen::VectorXd& weights) const;
  // Ex-ante tracking error: sqrt(Variance(portfolio - target)).
  double TrackingError(const Eigen::VectorXd& active_weights) const;
};

// Estimates the model from the returns on or before `as_of`; returns.returns has one column per
// security, in the order of `securities`. Errors name the option, the security or the date.
Result<RiskModel> EstimateRiskModel(Date as_of, const std::vector<RiskModelSecurity>& securities,
                                    const DailyReturns& returns,
                                    const RiskModelOptions& options = {});

}  // namespace arbor
