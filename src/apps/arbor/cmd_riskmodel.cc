// arbor riskmodel build --as-of DATE: estimates the factor risk model (core/market/risk_model.h)
// from the database's daily prices, splits and dividends, stores it and prints what a user
// needs to trust it. arbor riskmodel show [--as-of DATE]: the stored model on or before a date.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "adapters/io/risk_returns.h"
#include "adapters/storage/risk_model_store.h"
#include "adapters/storage/risk_universe.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/output.h"
#include "core/market/risk_model.h"

namespace arbor::cli {
namespace {

struct RiskModelCommandOptions {
  std::string db_path;  // overrides the global --db when given after the subcommand
  std::string as_of;
  std::string format = "text";
  RiskModelOptions model;
  std::string industry_factors = "sector";
  bool no_market = false;
  std::vector<std::string> symbols;  // show: exposures of these
};

std::string Percent(double fraction, int decimals = 1) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f%%", decimals, 100 * fraction);
  return buf;
}

std::string Count(double n) { return FormatDollars(n, 0); }

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// A numbered step on stdout ("[2/4] building daily returns ... 504 days (0.1 s)"); silent when
// the output is JSON, so that stdout stays one document.
class Progress {
 public:
  Progress(int steps, bool quiet) : steps_(steps), quiet_(quiet) {}
  void Begin(const std::string& what) {
    start_ = std::chrono::steady_clock::now();
    ++done_;
    if (!quiet_) {
      std::cout << "[" << done_ << "/" << steps_ << "] " << what << " ... " << std::flush;
    }
  }
  void Note(const std::string& text) {
    if (!quiet_) std::cout << text << std::flush;
  }
  void End(const std::string& result) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, " (%.1f s)", Seconds(start_));
    if (!quiet_) std::cout << result << seconds << "\n";
  }

 private:
  int steps_;
  bool quiet_;
  int done_ = 0;
  std::chrono::steady_clock::time_point start_;
};

// Figures a user can check against intuition, computed through the model in O(nK).
struct SanityFigures {
  double equal_weight_volatility = 0;
  double sample_tracking_error = 0;  // 50 names, equal-weighted, vs all names equal-weighted
  std::string largest_industry;
  double industry_tracking_error = 0;  // its names equal-weighted vs all names
  double median_specific_volatility = 0;
  double low_specific_volatility = 0;   // 10th percentile
  double high_specific_volatility = 0;  // 90th percentile
};

SanityFigures ComputeSanityFigures(const RiskModel& model) {
  const Eigen::Index n = static_cast<Eigen::Index>(model.symbols.size());
  SanityFigures figures;
  const Eigen::VectorXd equal = Eigen::VectorXd::Constant(n, 1.0 / n);
  figures.equal_weight_volatility = std::sqrt(model.Variance(equal));

  const Eigen::Index sample_size = std::min<Eigen::Index>(50, n);
  Eigen::VectorXd sample = Eigen::VectorXd::Zero(n);
  for (Eigen::Index j = 0; j < sample_size; ++j) sample[j * n / sample_size] = 1.0 / sample_size;
  figures.sample_tracking_error = model.TrackingError(sample - equal);

  Eigen::Index largest = -1;
  double members = 0;
  for (size_t j = 0; j < model.factors.size(); ++j) {
    if (model.factors[j].kind != FactorKind::kIndustry) continue;
    const double count = model.loadings.col(static_cast<Eigen::Index>(j)).sum();
    if (count > members) {
      largest = static_cast<Eigen::Index>(j);
      members = count;
    }
  }
  if (largest >= 0) {
    figures.largest_industry = model.factors[largest].name;
    figures.industry_tracking_error =
        model.TrackingError(model.loadings.col(largest) / members - equal);
  }

  std::vector<double> vols(model.specific_variance.data(), model.specific_variance.data() + n);
  std::sort(vols.begin(), vols.end());
  auto quantile = [&](double q) { return std::sqrt(vols[static_cast<size_t>(q * (n - 1))]); };
  figures.median_specific_volatility = quantile(0.5);
  figures.low_specific_volatility = quantile(0.1);
  figures.high_specific_volatility = quantile(0.9);
  return figures;
}

std::string FactorCounts(const RiskModel& model) {
  int market = 0, industry = 0, statistical = 0;
  for (const RiskFactor& f : model.factors) {
    market += f.kind == FactorKind::kMarket;
    industry += f.kind == FactorKind::kIndustry;
    statistical += f.kind == FactorKind::kStatistical;
  }
  return std::to_string(model.factors.size()) + " (market " + std::to_string(market) +
         ", industry " + std::to_string(industry) + ", statistical " + std::to_string(statistical) +
         ")";
}

// `realized_equal_weight_volatility`: when the returns are at hand (build), shown beside the
// ex-ante figure it should be close to.
void PrintSummary(const RiskModel& model, std::optional<double> realized_equal_weight_volatility,
                  std::ostream& out) {
  const SanityFigures figures = ComputeSanityFigures(model);
  out << "Risk model as of " << model.as_of.ToString() << ": daily returns "
      << model.window.first.ToString() << ".." << model.window.last.ToString() << " ("
      << model.window.days << " days, half-life " << model.window.half_life_days
      << " days), annualized\n\n";
  std::vector<std::pair<std::string, std::string>> summary;
  summary.push_back({"securities", Count(static_cast<double>(model.symbols.size())) + " (" +
                                       std::to_string(model.stats.short_history_securities) +
                                       " with a short history: sector-average loadings)"});
  summary.push_back({"factors", FactorCounts(model)});
  summary.push_back(
      {"statistical factors explain", Percent(model.stats.statistical_variance_explained) +
                                          " of the variance left by market and industry"});
  summary.push_back({"factor covariance shrinkage",
                     Percent(model.stats.factor_covariance_shrinkage) + " toward the diagonal"});
  summary.push_back(
      {"returns winsorized", Count(static_cast<double>(model.stats.winsorized_returns))});
  summary.push_back({"specific volatility",
                     "median " + Percent(figures.median_specific_volatility) +
                         ", 10th-90th percentile " + Percent(figures.low_specific_volatility) +
                         " - " + Percent(figures.high_specific_volatility)});
  std::string equal_weight = "volatility " + Percent(figures.equal_weight_volatility);
  if (realized_equal_weight_volatility) {
    equal_weight += " (realized over the window, same day weights: " +
                    Percent(*realized_equal_weight_volatility) + ")";
  }
  summary.push_back({"equal-weighted portfolio", equal_weight});
  summary.push_back({"50 names vs all", "tracking error " + Percent(figures.sample_tracking_error) +
                                            " (every n/50-th name, both equal-weighted)"});
  if (!figures.largest_industry.empty()) {
    summary.push_back(
        {figures.largest_industry + " vs all",
         "tracking error " + Percent(figures.industry_tracking_error) + " (both equal-weighted)"});
  }
  size_t width = 0;
  for (const auto& [label, value] : summary) width = std::max(width, label.size());
  for (const auto& [label, value] : summary) {
    out << label << std::string(width + 2 - label.size(), ' ') << value << "\n";
  }

  out << "\n";
  TextTable factors({"factor", "kind", "volatility"}, {Align::kLeft, Align::kLeft, Align::kRight});
  for (size_t j = 0; j < model.factors.size(); ++j) {
    const double variance =
        model.factor_covariance(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(j));
    factors.AddRow({model.factors[j].name, std::string(ToString(model.factors[j].kind)),
                    Percent(std::sqrt(variance))});
  }
  factors.Print(out);
}

nlohmann::ordered_json SummaryJson(const RiskModel& model) {
  const SanityFigures figures = ComputeSanityFigures(model);
  nlohmann::ordered_json factors = nlohmann::ordered_json::array();
  for (size_t j = 0; j < model.factors.size(); ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    factors.push_back({{"name", model.factors[j].name},
                       {"kind", ToString(model.factors[j].kind)},
                       {"volatility", std::sqrt(model.factor_covariance(jj, jj))}});
  }
  return {{"as_of", model.as_of.ToString()},
          {"window",
           {{"first", model.window.first.ToString()},
            {"last", model.window.last.ToString()},
            {"days", model.window.days},
            {"half_life_days", model.window.half_life_days}}},
          {"securities", model.symbols.size()},
          {"short_history_securities", model.stats.short_history_securities},
          {"statistical_variance_explained", model.stats.statistical_variance_explained},
          {"factor_covariance_shrinkage", model.stats.factor_covariance_shrinkage},
          {"winsorized_returns", model.stats.winsorized_returns},
          {"median_specific_volatility", figures.median_specific_volatility},
          {"equal_weight_volatility", figures.equal_weight_volatility},
          {"sample_50_tracking_error", figures.sample_tracking_error},
          {"largest_industry", figures.largest_industry},
          {"largest_industry_tracking_error", figures.industry_tracking_error},
          {"factors", factors}};
}

// The equal-weighted portfolio's realized volatility over the window, with the model's
// weights: what its ex-ante figure should be close to.
double RealizedEqualWeightVolatility(const DailyReturns& returns, const RiskModel& model,
                                     double periods_per_year) {
  const auto end = std::upper_bound(returns.dates.begin(), returns.dates.end(), model.as_of) -
                   returns.dates.begin();
  double weighted = 0, total_weight = 0;
  for (Eigen::Index t = end - model.window.days; t < end; ++t) {
    double sum = 0, count = 0;
    for (Eigen::Index i = 0; i < returns.returns.cols(); ++i) {
      if (std::isnan(returns.returns(t, i))) continue;
      sum += returns.returns(t, i);
      ++count;
    }
    if (count == 0) continue;
    const double weight =
        std::exp2(-static_cast<double>(end - 1 - t) / model.window.half_life_days);
    weighted += weight * (sum / count) * (sum / count);
    total_weight += weight;
  }
  return std::sqrt(periods_per_year * weighted / total_weight);
}

Date ParseAsOf(const std::string& text) {
  Result<Date> date = Date::Parse(text);
  if (!date.ok()) Fail(date.status().WithContext("--as-of"));
  return *date;
}

void Build(const std::string& db_path, RiskModelCommandOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const bool json = options.format == "json";
  const Date as_of = ParseAsOf(options.as_of);
  options.model.industry_factors = OrFail(IndustryFactorsFromString(options.industry_factors));
  options.model.market_factor = !options.no_market;
  OrFail(options.model.Validate());
  const Date from = RiskWindowStart(as_of, options.model);
  std::unique_ptr<Store> store = OrFail(Store::Open(db_path));
  Progress progress(4, json);

  progress.Begin("loading prices " + from.ToString() + ".." + as_of.ToString() + " from " +
                 db_path);
  RiskUniverse universe = OrFail(LoadRiskUniverse(*store, options.model, from, as_of, [&](size_t loaded) {
    progress.Note(std::to_string(loaded) + " ");
  }));
  if (universe.securities.empty()) {
    Fail(Status::NotFound("no classified stock has prices up to " + as_of.ToString() + " in " +
                          db_path + "; fill the database with `arbor demo` or `arbor import`"));
  }
  const auto funds = std::count_if(universe.securities.begin(), universe.securities.end(),
                                   [](const RiskModelSecurity& s) { return s.proxy; });
  progress.End(Count(static_cast<double>(universe.securities.size() - funds)) +
               " stocks trading, " + Count(static_cast<double>(funds)) +
               " funds (regressed on the factors)");

  progress.Begin("building daily total returns (splits and dividends applied)");
  TotalReturns returns = OrFail(BuildTotalReturns(universe.histories, from, as_of));
  progress.End(Count(static_cast<double>(returns.daily.dates.size())) + " days, " +
               Count(static_cast<double>(returns.split_days)) + " split days, " +
               Count(static_cast<double>(returns.dividend_days)) + " dividend days");

  progress.Begin("estimating the factor model");
  RiskModel model =
      OrFail(EstimateRiskModel(as_of, universe.securities, returns.daily, options.model));
  progress.End(std::to_string(model.factors.size()) + " factors");

  progress.Begin("storing it");
  OrFail(SaveRiskModel(store->database(), model));
  progress.End("saved as of " + model.as_of.ToString());

  const double realized =
      RealizedEqualWeightVolatility(returns.daily, model, options.model.periods_per_year);
  std::erase_if(returns.dropped_returns,
                [&](const DroppedReturn& d) { return d.date < model.window.first; });
  if (json) {
    nlohmann::ordered_json out = SummaryJson(model);
    out["realized_equal_weight_volatility"] = realized;
    nlohmann::ordered_json dropped = nlohmann::ordered_json::array();
    for (const DroppedReturn& d : returns.dropped_returns) {
      dropped.push_back({{"symbol", d.symbol}, {"date", d.date.ToString()}, {"reason", d.reason}});
    }
    out["dropped_returns"] = dropped;
    out["seconds"] = Seconds(start);
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::cout << "\n";
  PrintSummary(model, realized, std::cout);
  if (!returns.dropped_returns.empty()) {
    std::cout << "\nCorporate-action days in the window that have no return (the data cannot "
                 "price them):\n";
  }
  for (const DroppedReturn& d : returns.dropped_returns) {
    std::cout << "  " << d.symbol << " " << d.date.ToString() << ": " << d.reason << "\n";
  }
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", Seconds(start));
  std::cout << "\nDone in " << seconds << " s.\n";
}

// One security's risk as the model sees it, for `show --symbol`.
struct SecurityRisk {
  std::string symbol;
  double volatility = 0;
  double specific_volatility = 0;
  std::vector<std::pair<std::string, double>> exposures;  // nonzero ones, in factor order
};

std::vector<SecurityRisk> SecurityRisks(const RiskModel& model,
                                        const std::vector<std::string>& symbols) {
  std::vector<SecurityRisk> risks;
  for (const std::string& symbol : symbols) {
    const auto it = std::find(model.symbols.begin(), model.symbols.end(), symbol);
    if (it == model.symbols.end()) {
      Fail(Status::NotFound(symbol + " is not in the risk model as of " + model.as_of.ToString()));
    }
    const Eigen::Index i = it - model.symbols.begin();
    SecurityRisk risk{
        .symbol = symbol,
        .volatility = model.TrackingError(Eigen::VectorXd::Unit(model.loadings.rows(), i)),
        .specific_volatility = std::sqrt(model.specific_variance[i])};
    for (size_t j = 0; j < model.factors.size(); ++j) {
      const double exposure = model.loadings(i, static_cast<Eigen::Index>(j));
      if (exposure != 0) risk.exposures.emplace_back(model.factors[j].name, exposure);
    }
    risks.push_back(std::move(risk));
  }
  return risks;
}

void Show(const std::string& db_path, const RiskModelCommandOptions& options) {
  std::optional<Date> as_of;
  if (!options.as_of.empty()) as_of = ParseAsOf(options.as_of);
  std::unique_ptr<Store> store = OrFail(Store::Open(db_path));
  const RiskModel model = OrFail(LoadRiskModel(store->database(), as_of));
  const std::vector<SecurityRisk> risks = SecurityRisks(model, options.symbols);
  if (options.format == "json") {
    nlohmann::ordered_json out = SummaryJson(model);
    nlohmann::ordered_json shown = nlohmann::ordered_json::array();
    for (const SecurityRisk& risk : risks) {
      nlohmann::ordered_json exposures = nlohmann::ordered_json::object();
      for (const auto& [factor, exposure] : risk.exposures) exposures[factor] = exposure;
      shown.push_back({{"symbol", risk.symbol},
                       {"volatility", risk.volatility},
                       {"specific_volatility", risk.specific_volatility},
                       {"exposures", exposures}});
    }
    out["securities_shown"] = shown;
    std::cout << out.dump(2) << "\n";
    return;
  }
  PrintSummary(model, std::nullopt, std::cout);
  for (const SecurityRisk& risk : risks) {
    std::cout << "\n"
              << risk.symbol << ": volatility " << Percent(risk.volatility) << ", specific "
              << Percent(risk.specific_volatility) << "\n";
    TextTable table({"factor", "exposure"}, {Align::kLeft, Align::kRight});
    for (const auto& [factor, exposure] : risk.exposures) {
      char text[32];
      std::snprintf(text, sizeof text, "%.3f", exposure);
      table.AddRow({factor, text});
    }
    table.Print(std::cout);
  }
}

void AddCommonOptions(CLI::App* cmd, RiskModelCommandOptions* options) {
  cmd->add_option("--db", options->db_path, "SQLite database file (default: the global --db)");
  cmd->add_option("--format", options->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
}

}  // namespace

void AddRiskModelCommands(CLI::App& app, const GlobalOptions& global) {
  auto* group = app.add_subcommand("riskmodel", "Build and inspect the factor risk model");
  group->require_subcommand(1);
  auto options = std::make_shared<RiskModelCommandOptions>();
  auto db_path = [&global, options] {
    return options->db_path.empty() ? global.db_path : options->db_path;
  };

  auto* build = group->add_subcommand(
      "build", "Estimate the risk model from the stored daily prices as of a date, and store it");
  build->add_option("--as-of", options->as_of, "date YYYY-MM-DD; returns up to it")->required();
  AddCommonOptions(build, options.get());
  RiskModelOptions& model = options->model;
  build->add_option("--window-days", model.window_days, "trading days of returns")
      ->capture_default_str();
  build->add_option("--half-life-days", model.half_life_days, "weight half-life in trading days")
      ->capture_default_str();
  build->add_flag("--no-market", options->no_market, "leave out the market factor");
  build
      ->add_option("--industry-factors", options->industry_factors,
                   "GICS level of the industry factors: sector, industry_group or none")
      ->capture_default_str();
  build
      ->add_option("--statistical-factors", model.statistical_factors,
                   "principal components of the residual returns")
      ->capture_default_str();
  build
      ->add_option("--min-history-days", model.min_history_days,
                   "fewer returns than this: sector-average loadings")
      ->capture_default_str();
  build
      ->add_option("--winsor-sigmas", model.winsor_sigmas,
                   "clip each day's returns at median +- this many robust sigmas")
      ->capture_default_str();
  build
      ->add_option("--specific-prior-days", model.specific_prior_days,
                   "pseudo-days of the sector median in each specific variance")
      ->capture_default_str();
  build->callback([options, db_path] { Build(db_path(), *options); });

  auto* show = group->add_subcommand("show", "Summarize the stored risk model on or before a date");
  show->add_option("--as-of", options->as_of, "date YYYY-MM-DD (default: the latest model)");
  show->add_option("--symbol", options->symbols,
                   "also show this security's exposures (repeatable)");
  AddCommonOptions(show, options.get());
  show->callback([options, db_path] { Show(db_path(), *options); });
}

}  // namespace arbor::cli
