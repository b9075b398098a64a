#include "core/market/risk_model.h"

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>
#include <set>

#include "core/base/enum_names.h"

namespace arbor {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr EnumNames<IndustryFactors, 3> kIndustryFactorNames = {{
    {IndustryFactors::kNone, "none"},
    {IndustryFactors::kSector, "sector"},
    {IndustryFactors::kIndustryGroup, "industry_group"},
}};

constexpr EnumNames<FactorKind, 3> kFactorKindNames = {{
    {FactorKind::kMarket, "market"},
    {FactorKind::kIndustry, "industry"},
    {FactorKind::kStatistical, "statistical"},
}};

// 1.4826 x the median absolute deviation estimates the standard deviation of normal data.
constexpr double kMadToSigma = 1.4826;
// Floor of an annualized specific variance (a 0.01% volatility): keeps d positive for a
// security that is alone in its industry, whose residual is zero by construction.
constexpr double kMinSpecificVariance = 1e-8;

bool IsMissing(double value) { return std::isnan(value); }

// Reorders `values`.
double Median(std::vector<double>& values) {
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  return (upper + *std::max_element(values.begin(), values.begin() + mid)) / 2;
}

// Labels as indices into their sorted distinct values.
struct Grouping {
  std::vector<std::string> names;
  std::vector<int> of;  // per security
};

Grouping GroupBy(const std::vector<RiskModelSecurity>& securities,
                 std::string RiskModelSecurity::*label) {
  std::map<std::string, int> index;
  for (const RiskModelSecurity& s : securities) index.emplace(s.*label, 0);
  Grouping grouping;
  for (auto& [name, i] : index) {
    i = static_cast<int>(grouping.names.size());
    grouping.names.push_back(name);
  }
  for (const RiskModelSecurity& s : securities) grouping.of.push_back(index.at(s.*label));
  return grouping;
}

Status ValidateInput(Date as_of, const std::vector<RiskModelSecurity>& securities,
                     const DailyReturns& returns, const RiskModelOptions& options) {
  ARBOR_RETURN_IF_ERROR(options.Validate());
  const std::string context = "risk model as of " + as_of.ToString();
  if (returns.returns.rows() != static_cast<Index>(returns.dates.size()) ||
      returns.returns.cols() != static_cast<Index>(securities.size())) {
    return Status::InvalidArgument(
        context + ": returns is " + std::to_string(returns.returns.rows()) + " x " +
        std::to_string(returns.returns.cols()) + ", expected dates x securities = " +
        std::to_string(returns.dates.size()) + " x " + std::to_string(securities.size()));
  }
  for (size_t t = 1; t < returns.dates.size(); ++t) {
    if (returns.dates[t] <= returns.dates[t - 1]) {
      return Status::InvalidArgument(context + ": dates must ascend, but " +
                                     returns.dates[t].ToString() + " follows " +
                                     returns.dates[t - 1].ToString());
    }
  }
  std::set<std::string_view> symbols;
  for (size_t i = 0; i < securities.size(); ++i) {
    const RiskModelSecurity& s = securities[i];
    const std::string where =
        context + ": securities[" + std::to_string(i) + "] (" + s.symbol + ")";
    if (s.symbol.empty()) return Status::InvalidArgument(where + ": symbol is empty");
    if (!symbols.insert(s.symbol).second) {
      return Status::InvalidArgument(where + ": symbol appears twice");
    }
    if (s.proxy) continue;
    if (s.sector.empty()) return Status::InvalidArgument(where + ": sector is empty");
    if (options.industry_factors == IndustryFactors::kIndustryGroup && s.industry_group.empty()) {
      return Status::InvalidArgument(where + ": industry_group is empty");
    }
  }
  return Status::Ok();
}

// Step 1: weights summing to one, halving every half-life back from the last day.
VectorXd ExponentialWeights(Index days, double half_life_days) {
  VectorXd weights(days);
  for (Index t = 0; t < days; ++t) {
    weights[t] = std::exp2(-static_cast<double>(days - 1 - t) / half_life_days);
  }
  return weights / weights.sum();
}

// Step 2, in place. Returns the number of returns clipped.
int64_t WinsorizeEachDay(MatrixXd& returns, double sigmas) {
  int64_t clipped = 0;
  std::vector<double> day, deviations;
  for (Index t = 0; t < returns.rows(); ++t) {
    day.clear();
    for (Index i = 0; i < returns.cols(); ++i) {
      if (!IsMissing(returns(t, i))) day.push_back(returns(t, i));
    }
    if (day.size() < 3) continue;
    const double median = Median(day);
    deviations.clear();
    for (double r : day) deviations.push_back(std::abs(r - median));
    const double limit = sigmas * kMadToSigma * Median(deviations);
    if (limit <= 0) continue;
    for (Index i = 0; i < returns.cols(); ++i) {
      double& r = returns(t, i);
      if (IsMissing(r) || std::abs(r - median) <= limit) continue;
      r = std::clamp(r, median - limit, median + limit);
      ++clipped;
    }
  }
  return clipped;
}

// Step 3. Factor returns (days x [market] + groups); `residual` gets the returns less their
// fitted market and industry parts (NaN where missing).
MatrixXd RegressOnMarketAndIndustries(const MatrixXd& returns, bool market, const Grouping& groups,
                                      MatrixXd* residual) {
  const int group_count = static_cast<int>(groups.names.size());
  const int first_group = market ? 1 : 0;
  MatrixXd factor_returns = MatrixXd::Zero(returns.rows(), first_group + group_count);
  *residual = returns;
  std::vector<double> group_sum(group_count), group_count_today(group_count);
  for (Index t = 0; t < returns.rows(); ++t) {
    std::fill(group_sum.begin(), group_sum.end(), 0.0);
    std::fill(group_count_today.begin(), group_count_today.end(), 0.0);
    double sum = 0, count = 0;
    for (Index i = 0; i < returns.cols(); ++i) {
      const double r = returns(t, i);
      if (IsMissing(r)) continue;
      sum += r;
      ++count;
      if (group_count > 0) {
        group_sum[groups.of[i]] += r;
        ++group_count_today[groups.of[i]];
      }
    }
    if (count == 0) continue;
    const double market_return = market ? sum / count : 0;
    if (market) factor_returns(t, 0) = market_return;
    for (int g = 0; g < group_count; ++g) {
      if (group_count_today[g] > 0) {
        factor_returns(t, first_group + g) = group_sum[g] / group_count_today[g] - market_return;
      }
    }
    for (Index i = 0; i < returns.cols(); ++i) {
      if (IsMissing(returns(t, i))) continue;
      double fitted = market_return;
      if (group_count > 0) fitted += factor_returns(t, first_group + groups.of[i]);
      (*residual)(t, i) -= fitted;
    }
  }
  return factor_returns;
}

struct PrincipalComponents {
  MatrixXd vectors;  // columns: unit eigenvectors, largest eigenvalue first
  VectorXd values;
  double total_variance = 0;  // trace: the sum of all eigenvalues
};

// The top `k` eigenpairs of Z'Z, through the smaller of Z'Z and ZZ' (same nonzero
// eigenvalues), so the cost follows min(days, securities)^3.
PrincipalComponents TopPrincipalComponents(const MatrixXd& z, int k) {
  const bool by_securities = z.cols() <= z.rows();
  MatrixXd gram = by_securities ? MatrixXd(z.transpose() * z) : MatrixXd(z * z.transpose());
  Eigen::SelfAdjointEigenSolver<MatrixXd> eigen(gram);
  PrincipalComponents pcs;
  pcs.total_variance = gram.trace();
  pcs.vectors = MatrixXd::Zero(z.cols(), k);
  pcs.values = VectorXd::Zero(k);
  for (int j = 0; j < k; ++j) {
    const Index source = gram.rows() - 1 - j;  // eigenvalues ascend
    const double value = std::max(0.0, eigen.eigenvalues()[source]);
    pcs.values[j] = value;
    if (by_securities) {
      pcs.vectors.col(j) = eigen.eigenvectors().col(source);
    } else if (value > 0) {
      pcs.vectors.col(j) = z.transpose() * eigen.eigenvectors().col(source) / std::sqrt(value);
    }
  }
  return pcs;
}

// Minimum-norm least squares, so a degenerate day or a flat component yields zeros, not NaN.
VectorXd SolveNormalEquations(const MatrixXd& gram, const VectorXd& moment) {
  return gram.completeOrthogonalDecomposition().solve(moment);
}

struct StatisticalFactors {
  MatrixXd loadings;  // securities x k; rows of short-history securities are zero
  MatrixXd returns;   // days x k
  double variance_explained = 0;
};

// Step 4.
StatisticalFactors EstimateStatisticalFactors(const MatrixXd& residual, const VectorXd& weights,
                                              const std::vector<Index>& long_history, int k) {
  const Index days = residual.rows();
  const Index m = static_cast<Index>(long_history.size());
  MatrixXd z(days, m);
  for (Index j = 0; j < m; ++j) {
    for (Index t = 0; t < days; ++t) {
      const double e = residual(t, long_history[j]);
      z(t, j) = IsMissing(e) ? 0 : std::sqrt(weights[t]) * e;
    }
  }
  const PrincipalComponents pcs = TopPrincipalComponents(z, k);
  // Scaled to unit mean square across securities, so loadings read like exposures.
  const MatrixXd components = pcs.vectors * std::sqrt(static_cast<double>(m));

  StatisticalFactors out;
  out.variance_explained = pcs.total_variance > 0 ? pcs.values.sum() / pcs.total_variance : 0;
  out.returns = MatrixXd::Zero(days, k);
  for (Index t = 0; t < days; ++t) {
    MatrixXd gram = MatrixXd::Zero(k, k);
    VectorXd moment = VectorXd::Zero(k);
    int observed = 0;
    for (Index j = 0; j < m; ++j) {
      const double e = residual(t, long_history[j]);
      if (IsMissing(e)) continue;
      gram.noalias() += components.row(j).transpose() * components.row(j);
      moment += components.row(j).transpose() * e;
      ++observed;
    }
    if (observed <= k) continue;
    out.returns.row(t) = SolveNormalEquations(gram, moment).transpose();
  }

  out.loadings = MatrixXd::Zero(residual.cols(), k);
  for (Index i : long_history) {
    MatrixXd gram = MatrixXd::Zero(k, k);
    VectorXd moment = VectorXd::Zero(k);
    for (Index t = 0; t < days; ++t) {
      const double e = residual(t, i);
      if (IsMissing(e)) continue;
      gram.noalias() += weights[t] * out.returns.row(t).transpose() * out.returns.row(t);
      moment += weights[t] * e * out.returns.row(t).transpose();
    }
    out.loadings.row(i) = SolveNormalEquations(gram, moment).transpose();
  }
  return out;
}

// Short-history securities take the mean loadings of their sector's long-history securities
// (of all long-history securities when the sector has none).
void FillSectorAverageLoadings(const Grouping& sectors, const std::vector<bool>& has_long_history,
                               MatrixXd* loadings) {
  const int k = static_cast<int>(loadings->cols());
  MatrixXd sector_sum = MatrixXd::Zero(sectors.names.size(), k);
  VectorXd sector_count = VectorXd::Zero(sectors.names.size());
  for (Index i = 0; i < loadings->rows(); ++i) {
    if (!has_long_history[i]) continue;
    sector_sum.row(sectors.of[i]) += loadings->row(i);
    ++sector_count[sectors.of[i]];
  }
  const VectorXd overall = sector_sum.colwise().sum().transpose() / sector_count.sum();
  for (Index i = 0; i < loadings->rows(); ++i) {
    if (has_long_history[i]) continue;
    const int s = sectors.of[i];
    loadings->row(i) =
        sector_count[s] > 0 ? VectorXd(sector_sum.row(s).transpose() / sector_count[s]) : overall;
  }
}

// Removes loadings x factor returns from the observed residuals.
void SubtractFittedReturns(const MatrixXd& loadings, const MatrixXd& factor_returns,
                           MatrixXd* residual) {
  for (Index i = 0; i < residual->cols(); ++i) {
    for (Index t = 0; t < residual->rows(); ++t) {
      if (!IsMissing((*residual)(t, i))) {
        (*residual)(t, i) -= loadings.row(i).dot(factor_returns.row(t));
      }
    }
  }
}

// The market column of ones and the industry dummies, in the factor order of step 3.
MatrixXd IndicatorLoadings(Index n, bool market, const Grouping& industries) {
  const Index first_industry = market ? 1 : 0;
  MatrixXd loadings = MatrixXd::Zero(n, first_industry + industries.names.size());
  for (Index i = 0; i < n; ++i) {
    if (market) loadings(i, 0) = 1;
    if (!industries.names.empty()) loadings(i, first_industry + industries.of[i]) = 1;
  }
  return loadings;
}

// Step 5: daily specific variances.
VectorXd ShrunkSpecificVariances(const MatrixXd& residual, const VectorXd& weights,
                                 const Grouping& sectors, const std::vector<bool>& has_long_history,
                                 double prior_days) {
  const Index n = residual.cols();
  VectorXd raw = VectorXd::Zero(n), effective_days = VectorXd::Zero(n);
  for (Index i = 0; i < n; ++i) {
    double weight = 0, weight_squared = 0, sum = 0;
    for (Index t = 0; t < residual.rows(); ++t) {
      const double u = residual(t, i);
      if (IsMissing(u)) continue;
      weight += weights[t];
      weight_squared += weights[t] * weights[t];
      sum += weights[t] * u * u;
    }
    if (weight <= 0) continue;
    raw[i] = sum / weight;
    effective_days[i] = weight * weight / weight_squared;
  }
  std::vector<std::vector<double>> by_sector(sectors.names.size());
  std::vector<double> all;
  for (Index i = 0; i < n; ++i) {
    if (!has_long_history[i]) continue;
    by_sector[sectors.of[i]].push_back(raw[i]);
    all.push_back(raw[i]);
  }
  const double overall_median = Median(all);  // the caller ensures a long-history security
  std::vector<double> prior(sectors.names.size());
  for (size_t s = 0; s < prior.size(); ++s) {
    prior[s] = by_sector[s].empty() ? overall_median : Median(by_sector[s]);
  }
  VectorXd shrunk(n);
  for (Index i = 0; i < n; ++i) {
    const double p = prior[sectors.of[i]];
    const double denominator = effective_days[i] + prior_days;
    shrunk[i] = denominator > 0 ? (effective_days[i] * raw[i] + prior_days * p) / denominator : p;
  }
  return shrunk;
}

// Step 6: Ledoit-Wolf shrinkage of the weighted second moment toward its diagonal. The
// intensity is the estimated variance of the off-diagonal entries over their squared size
// (clamped to [0, 1]): noisy correlations are shrunk more.
MatrixXd ShrunkFactorCovariance(const MatrixXd& factor_returns, const VectorXd& weights,
                                double* intensity) {
  const Index k = factor_returns.cols();
  const MatrixXd sample = factor_returns.transpose() * weights.asDiagonal() * factor_returns;
  double noise = 0, signal = 0;
  for (Index a = 0; a < k; ++a) {
    for (Index b = 0; b < k; ++b) {
      if (a == b) continue;
      signal += sample(a, b) * sample(a, b);
      for (Index t = 0; t < factor_returns.rows(); ++t) {
        const double deviation = factor_returns(t, a) * factor_returns(t, b) - sample(a, b);
        noise += weights[t] * weights[t] * deviation * deviation;
      }
    }
  }
  *intensity = signal > 0 ? std::clamp(noise / signal, 0.0, 1.0) : 0.0;
  MatrixXd shrunk = (1 - *intensity) * sample;
  shrunk.diagonal() = sample.diagonal();
  // A weighted sum of outer products is PSD in exact arithmetic; clip the rounding.
  Eigen::SelfAdjointEigenSolver<MatrixXd> eigen(shrunk);
  const VectorXd clipped = eigen.eigenvalues().cwiseMax(0.0);
  MatrixXd psd = eigen.eigenvectors() * clipped.asDiagonal() * eigen.eigenvectors().transpose();
  return (psd + psd.transpose()) / 2;
}

}  // namespace

std::string_view ToString(IndustryFactors level) { return NameOf(kIndustryFactorNames, level); }

Result<IndustryFactors> IndustryFactorsFromString(std::string_view text) {
  if (auto level = ParseName(kIndustryFactorNames, text)) return *level;
  return Status::InvalidArgument("unknown industry factors '" + std::string(text) +
                                 "' (expected none, sector or industry_group)");
}

std::string_view ToString(FactorKind kind) { return NameOf(kFactorKindNames, kind); }

Result<FactorKind> FactorKindFromString(std::string_view text) {
  if (auto kind = ParseName(kFactorKindNames, text)) return *kind;
  return Status::InvalidArgument("unknown factor kind '" + std::string(text) +
                                 "' (expected market, industry or statistical)");
}

Status RiskModelOptions::Validate() const {
  auto invalid = [](const std::string& what) {
    return Status::InvalidArgument("risk model options: " + what);
  };
  if (min_history_days < 2) return invalid("min_history_days must be at least 2");
  if (window_days < min_history_days) {
    return invalid("window_days (" + std::to_string(window_days) +
                   ") must be at least min_history_days (" + std::to_string(min_history_days) +
                   ")");
  }
  if (!(half_life_days > 0)) return invalid("half_life_days must be positive");
  if (statistical_factors < 0 || statistical_factors >= min_history_days) {
    return invalid("statistical_factors must be in [0, min_history_days)");
  }
  if (!market_factor && industry_factors == IndustryFactors::kNone && statistical_factors == 0) {
    return invalid("no factors: enable the market, industry or statistical factors");
  }
  if (!(winsor_sigmas > 0)) return invalid("winsor_sigmas must be positive");
  if (!(specific_prior_days >= 0)) return invalid("specific_prior_days must not be negative");
  if (!(periods_per_year > 0)) return invalid("periods_per_year must be positive");
  return Status::Ok();
}

double RiskModel::Variance(const VectorXd& weights) const {
  assert(weights.size() == loadings.rows());
  const VectorXd exposure = loadings.transpose() * weights;
  return exposure.dot(factor_covariance * exposure) +
         (specific_variance.array() * weights.array().square()).sum();
}

double RiskModel::TrackingError(const VectorXd& active_weights) const {
  return std::sqrt(std::max(0.0, Variance(active_weights)));
}

namespace {

// The model of the cross-section (no proxies) and what proxy rows are regressed on.
struct CrossSectionEstimate {
  RiskModel model;
  MatrixXd factor_returns;  // window days x K
  VectorXd weights;         // per window day
  Index begin = 0;          // first window row in the returns
};

Result<CrossSectionEstimate> EstimateCrossSection(Date as_of,
                                                  const std::vector<RiskModelSecurity>& securities,
                                                  const DailyReturns& returns,
                                                  const RiskModelOptions& options) {
  const std::string context = "risk model as of " + as_of.ToString();
  const Index end =
      std::upper_bound(returns.dates.begin(), returns.dates.end(), as_of) - returns.dates.begin();
  const Index days = std::min<Index>(end, options.window_days);
  if (days < options.min_history_days) {
    return Status::FailedPrecondition(context + ": only " + std::to_string(days) +
                                      " trading days of returns on or before " + as_of.ToString() +
                                      "; at least min_history_days = " +
                                      std::to_string(options.min_history_days) + " are needed");
  }
  const Index begin = end - days;
  const Index n = static_cast<Index>(securities.size());
  MatrixXd window = returns.returns.middleRows(begin, days);
  for (Index i = 0; i < n; ++i) {
    for (Index t = 0; t < days; ++t) {
      if (std::isinf(window(t, i))) {
        return Status::InvalidArgument(context + ": return of " + securities[i].symbol + " on " +
                                       returns.dates[begin + t].ToString() + " is infinite");
      }
    }
  }

  const VectorXd weights = ExponentialWeights(days, options.half_life_days);
  RiskModel model;
  model.as_of = as_of;
  model.window = {.first = returns.dates[begin],
                  .last = returns.dates[end - 1],
                  .days = static_cast<int>(days),
                  .half_life_days = options.half_life_days};
  model.stats.winsorized_returns = WinsorizeEachDay(window, options.winsor_sigmas);

  const Grouping sectors = GroupBy(securities, &RiskModelSecurity::sector);
  Grouping industries;
  if (options.industry_factors == IndustryFactors::kSector) industries = sectors;
  if (options.industry_factors == IndustryFactors::kIndustryGroup) {
    industries = GroupBy(securities, &RiskModelSecurity::industry_group);
  }
  MatrixXd residual;
  const MatrixXd structural_returns =
      RegressOnMarketAndIndustries(window, options.market_factor, industries, &residual);
  if (options.market_factor) model.factors.push_back({"Market", FactorKind::kMarket});
  for (const std::string& name : industries.names) {
    model.factors.push_back({name, FactorKind::kIndustry});
  }

  std::vector<bool> has_long_history(n);
  std::vector<Index> long_history;
  for (Index i = 0; i < n; ++i) {
    has_long_history[i] = window.col(i).array().isNaN().count() <= days - options.min_history_days;
    if (has_long_history[i]) long_history.push_back(i);
  }
  const int k = options.statistical_factors;
  if (static_cast<Index>(long_history.size()) <= k) {
    return Status::FailedPrecondition(
        context + ": " + std::to_string(long_history.size()) + " securities have at least " +
        std::to_string(options.min_history_days) + " returns in the window " +
        model.window.first.ToString() + ".." + model.window.last.ToString() + "; " +
        std::to_string(k + 1) + " are needed for statistical_factors = " + std::to_string(k));
  }
  model.stats.short_history_securities = static_cast<int>(n - long_history.size());

  StatisticalFactors statistical;
  if (k > 0) {
    statistical = EstimateStatisticalFactors(residual, weights, long_history, k);
    FillSectorAverageLoadings(sectors, has_long_history, &statistical.loadings);
    model.stats.statistical_variance_explained = statistical.variance_explained;
    SubtractFittedReturns(statistical.loadings, statistical.returns, &residual);
    for (int j = 0; j < k; ++j) {
      model.factors.push_back({"Statistical " + std::to_string(j + 1), FactorKind::kStatistical});
    }
  }

  const Index structural = structural_returns.cols();
  const Index factor_count = structural + k;
  MatrixXd factor_returns(days, factor_count);
  factor_returns.leftCols(structural) = structural_returns;
  if (k > 0) factor_returns.rightCols(k) = statistical.returns;
  model.loadings = MatrixXd::Zero(n, factor_count);
  model.loadings.leftCols(structural) = IndicatorLoadings(n, options.market_factor, industries);
  if (k > 0) model.loadings.rightCols(k) = statistical.loadings;

  model.factor_covariance =
      options.periods_per_year *
      ShrunkFactorCovariance(factor_returns, weights, &model.stats.factor_covariance_shrinkage);
  model.specific_variance = (options.periods_per_year *
                             ShrunkSpecificVariances(residual, weights, sectors, has_long_history,
                                                     options.specific_prior_days))
                                .cwiseMax(kMinSpecificVariance);
  for (const RiskModelSecurity& s : securities) model.symbols.push_back(s.symbol);
  return CrossSectionEstimate{std::move(model), std::move(factor_returns), weights, begin};
}

// A proxy's loadings by weighted least squares of its returns on the factor returns over the
// days it traded; its specific variance is the weighted mean square residual. Too short a
// history gets zero loadings and its own weighted variance as specific: a known risk with no
// assumed link to the market.
void RegressProxy(const CrossSectionEstimate& fit, const VectorXd& returns,
                  const RiskModelOptions& options, VectorXd* loadings, double* specific) {
  const Index days = fit.factor_returns.rows();
  const Index k = fit.factor_returns.cols();
  MatrixXd gram = MatrixXd::Zero(k, k);
  VectorXd moment = VectorXd::Zero(k);
  double total_weight = 0;
  int observed = 0;
  for (Index t = 0; t < days; ++t) {
    const double r = returns[fit.begin + t];
    if (IsMissing(r)) continue;
    gram.noalias() += fit.weights[t] * fit.factor_returns.row(t).transpose() * fit.factor_returns.row(t);
    moment += fit.weights[t] * r * fit.factor_returns.row(t).transpose();
    total_weight += fit.weights[t];
    ++observed;
  }
  *loadings = VectorXd::Zero(k);
  if (observed >= options.min_history_days) *loadings = SolveNormalEquations(gram, moment);
  double square = 0;
  for (Index t = 0; t < days; ++t) {
    const double r = returns[fit.begin + t];
    if (IsMissing(r)) continue;
    const double e = r - fit.factor_returns.row(t).dot(*loadings);
    square += fit.weights[t] * e * e;
  }
  const double variance = total_weight > 0 ? square / total_weight : 0;
  *specific = std::max(kMinSpecificVariance, options.periods_per_year * variance);
}

}  // namespace

Result<RiskModel> EstimateRiskModel(Date as_of, const std::vector<RiskModelSecurity>& securities,
                                    const DailyReturns& returns, const RiskModelOptions& options) {
  ARBOR_RETURN_IF_ERROR(ValidateInput(as_of, securities, returns, options));
  std::vector<RiskModelSecurity> cross_section;
  std::vector<Index> cross_columns, proxy_columns;
  for (size_t i = 0; i < securities.size(); ++i) {
    (securities[i].proxy ? proxy_columns : cross_columns).push_back(static_cast<Index>(i));
    if (!securities[i].proxy) cross_section.push_back(securities[i]);
  }
  DailyReturns cross_returns{returns.dates, returns.returns(Eigen::all, cross_columns)};
  Result<CrossSectionEstimate> fit =
      EstimateCrossSection(as_of, cross_section, cross_returns, options);
  if (!fit.ok()) return fit.status();
  if (proxy_columns.empty()) return std::move(fit->model);

  // Proxy rows go after the cross-section's, in input order.
  RiskModel model = std::move(fit->model);
  const Index n = static_cast<Index>(model.symbols.size());
  const Index all = n + static_cast<Index>(proxy_columns.size());
  model.loadings.conservativeResize(all, Eigen::NoChange);
  model.specific_variance.conservativeResize(all);
  for (size_t p = 0; p < proxy_columns.size(); ++p) {
    VectorXd loadings;
    double specific = 0;
    RegressProxy(*fit, returns.returns.col(proxy_columns[p]), options, &loadings, &specific);
    model.loadings.row(n + static_cast<Index>(p)) = loadings.transpose();
    model.specific_variance[n + static_cast<Index>(p)] = specific;
    model.symbols.push_back(securities[proxy_columns[p]].symbol);
  }
  return model;
}

}  // namespace arbor
