// arbor backtest: the tax-alpha backtest on real prices (docs/backtest.md). Loads the market
// from ../shared/data, replays it day by day through the rebalance and the ledger beside the
// tax-blind index portfolio and the plain monthly rule, shows progress, prints the tables, and
// writes --json / --csv files.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "adapters/backtest/backtest_market.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/output.h"
#include "core/backtest/backtest.h"
#include "core/backtest/taxes_saved_vs_index.h"

namespace arbor::cli {
namespace {

using backtest::BacktestOptions;
using backtest::BacktestResult;
using backtest::GainRates;
using backtest::StrategyMetrics;
using backtest::StrategyResult;
using backtest::YearMetrics;

struct BacktestCommandOptions {
  std::string data_dir = ARBOR_SHARED_DATA_DIR;
  std::string from = "2013-01-02";
  std::string to = "2021-04-21";
  std::string frequency = "daily";
  double initial_cash = 1'000'000;
  int top = 0;
  std::string rates = "0.408,0.238";
  double cost_bps = 5;
  double risk_aversion = 50;
  int risk_model_months = 3;
  std::string json_path, csv_path;
  bool quiet = false;
};

Date ParseDate(const std::string& text, const char* option) {
  Result<Date> date = Date::Parse(text);
  if (!date.ok()) Fail(date.status().WithContext(option));
  return *date;
}

GainRates ParseRates(const std::string& text) {
  const size_t comma = text.find(',');
  try {
    if (comma != std::string::npos) {
      GainRates rates{.short_term = std::stod(text.substr(0, comma)),
                      .long_term = std::stod(text.substr(comma + 1))};
      if (rates.short_term >= 0 && rates.short_term < 1 && rates.long_term >= 0 &&
          rates.long_term < 1) {
        return rates;
      }
    }
  } catch (const std::exception&) {
  }
  Fail(Status::InvalidArgument("--rates: '" + text +
                               "' is not SHORT,LONG as fractions in [0, 1), e.g. 0.408,0.238"));
}

std::string Duration(double seconds) {
  char buf[32];
  const int s = static_cast<int>(seconds + 0.5);
  if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%dm%02ds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ds", s);
  }
  return buf;
}

std::string Rates(const GainRates& r) {
  return FormatPercent(r.short_term, 1) + " ST / " + FormatPercent(r.long_term, 1) + " LT";
}

nlohmann::ordered_json YearJson(const YearMetrics& y) {
  const backtest::YearTally& t = y.tally;
  return {{"year", y.year},
          {"pre_tax_return", y.pre_tax_return},
          {"tracking_error", y.tracking_error},
          {"turnover", y.turnover},
          {"harvest_yield", y.harvest_yield},
          {"short_term_gains", t.short_term_gains.ToDouble()},
          {"short_term_losses", t.short_term_losses.ToDouble()},
          {"long_term_gains", t.long_term_gains.ToDouble()},
          {"long_term_losses", t.long_term_losses.ToDouble()},
          {"losses_harvested", t.harvested.ToDouble()},
          {"wash_sale_disallowed", t.wash_disallowed.ToDouble()},
          {"bought", t.bought.ToDouble()},
          {"sold", t.sold.ToDouble()},
          {"trading_costs", t.costs.ToDouble()},
          {"tax_alpha_pre_liquidation_reference", y.tax_alpha_pre_reference},
          {"tax_alpha_after_liquidation_reference", y.tax_alpha_post_reference},
          {"tax_alpha_pre_liquidation_client", y.tax_alpha_pre_client},
          {"tax_alpha_after_liquidation_client", y.tax_alpha_post_client}};
}

nlohmann::ordered_json ResultJson(const BacktestResult& r, const BacktestOptions& o,
                                  const BacktestCommandOptions& c, double seconds) {
  nlohmann::ordered_json out = {
      {"from", r.from.ToString()},
      {"to", r.to.ToString()},
      {"trading_days", r.days},
      {"frequency", std::string(ToString(o.frequency))},
      {"reviews", r.reviews},
      {"names", r.names},
      {"top", c.top},
      {"initial_cash", o.initial_cash.ToDouble()},
      {"cost_rate", o.cost_rate},
      {"risk_aversion", o.risk_aversion},
      {"risk_model_months", o.risk_model_months},
      {"risk_models", r.risk_models},
      {"reference_rates",
       {{"short_term", o.reference_rates.short_term}, {"long_term", o.reference_rates.long_term}}},
      {"client_rates",
       {{"short_term", o.client_rates.short_term}, {"long_term", o.client_rates.long_term}}},
      {"optimizer",
       {{"rebalances", r.optimizer.rebalances},
        {"trades", r.optimizer.trades},
        {"failures", r.optimizer.failures},
        {"first_failure", r.optimizer.first_failure}}},
      {"monthly_rule_harvests", r.monthly_harvests},
      {"seconds", seconds}};
  nlohmann::ordered_json strategies = nlohmann::ordered_json::array();
  const double index_return = r.strategies[0].metrics.pre_tax_return;
  for (const StrategyResult& s : r.strategies) {
    const StrategyMetrics& m = s.metrics;
    nlohmann::ordered_json years = nlohmann::ordered_json::array();
    for (const YearMetrics& y : m.years) years.push_back(YearJson(y));
    strategies.push_back({{"name", s.name},
                          {"final_value", m.final_value},
                          {"pre_tax_return", m.pre_tax_return},
                          {"tracking_error", m.tracking_error},
                          {"turnover", m.turnover},
                          {"harvest_yield", m.harvest_yield},
                          {"wash_sale_disallowed", m.wash_disallowed.ToDouble()},
                          {"tax_alpha_pre_liquidation_reference", m.tax_alpha_pre_reference},
                          {"tax_alpha_after_liquidation_reference", m.tax_alpha_post_reference},
                          {"tax_alpha_pre_liquidation_client", m.tax_alpha_pre_client},
                          {"tax_alpha_after_liquidation_client", m.tax_alpha_post_client},
                          {"pre_tax_return_minus_index", m.pre_tax_return - index_return},
                          {"years", years}});
  }
  out["strategies"] = strategies;
  return out;
}

std::string ResultCsv(const BacktestResult& r) {
  std::ostringstream out;
  out << "strategy,year,pre_tax_return,tracking_error,turnover,harvest_yield,short_term_net,"
         "long_term_net,losses_harvested,wash_sale_disallowed,trading_costs,"
         "tax_alpha_pre_reference,tax_alpha_after_reference,tax_alpha_pre_client,"
         "tax_alpha_after_client\n";
  for (const StrategyResult& s : r.strategies) {
    for (const YearMetrics& y : s.metrics.years) {
      const backtest::YearTally& t = y.tally;
      out << s.name << "," << y.year << "," << y.pre_tax_return << "," << y.tracking_error << ","
          << y.turnover << "," << y.harvest_yield << "," << t.ShortTermNet().ToDouble() << ","
          << t.LongTermNet().ToDouble() << "," << t.harvested.ToDouble() << ","
          << t.wash_disallowed.ToDouble() << "," << t.costs.ToDouble() << ","
          << y.tax_alpha_pre_reference << "," << y.tax_alpha_post_reference << ","
          << y.tax_alpha_pre_client << "," << y.tax_alpha_post_client << "\n";
    }
  }
  return out.str();
}

void PrintSummary(const BacktestResult& r, const BacktestOptions& o) {
  std::cout << "\nSummary, annualized over "
            << FormatDollars(r.strategies[0].metrics.years_elapsed, 2)
            << " years (tax alpha: after-tax return minus the tax-blind index portfolio's)\n\n";
  TextTable table({"", "index", "optimizer", "monthly rule"},
                  {Align::kLeft, Align::kRight, Align::kRight, Align::kRight});
  auto row = [&](const std::string& name, auto cell) {
    std::vector<std::string> cells = {name};
    for (const StrategyResult& s : r.strategies) cells.push_back(cell(s.metrics));
    table.AddRow(cells);
  };
  auto pct = [](double x) { return FormatPercent(x, 2); };
  row("final value", [](const StrategyMetrics& m) { return FormatDollars(m.final_value, 0); });
  row("pre-tax return", [&](const StrategyMetrics& m) { return pct(m.pre_tax_return); });
  // Part of any tax alpha is this difference, which tracking error makes luck or drag.
  const double index_return = r.strategies[0].metrics.pre_tax_return;
  row("  minus the index's",
      [&](const StrategyMetrics& m) { return pct(m.pre_tax_return - index_return); });
  row("tracking error vs index", [&](const StrategyMetrics& m) { return pct(m.tracking_error); });
  row("turnover a year", [&](const StrategyMetrics& m) { return pct(m.turnover); });
  row("harvesting yield a year", [&](const StrategyMetrics& m) { return pct(m.harvest_yield); });
  row("losses disallowed (IRC 1091)",
      [](const StrategyMetrics& m) { return FormatDollars(m.wash_disallowed.ToDouble(), 0); });
  table.AddRule();
  const std::string ref = " (" + Rates(o.reference_rates) + ")";
  const std::string client = " (" + Rates(o.client_rates) + ")";
  // Each tax alpha, then the part of it that the taxes made: net of the pre-tax difference.
  auto alpha = [&](const std::string& name, double StrategyMetrics::*field) {
    row(name, [&](const StrategyMetrics& m) { return pct(m.*field); });
    row("  net of the pre-tax difference", [&](const StrategyMetrics& m) {
      return pct(m.*field - (m.pre_tax_return - index_return));
    });
  };
  alpha("tax alpha, CBL rates" + ref + ", before liquidation",
        &StrategyMetrics::tax_alpha_pre_reference);
  alpha("tax alpha, CBL rates, after liquidation", &StrategyMetrics::tax_alpha_post_reference);
  alpha("tax alpha, client's rates" + client + ", before liquidation",
        &StrategyMetrics::tax_alpha_pre_client);
  alpha("tax alpha, client's rates, after liquidation", &StrategyMetrics::tax_alpha_post_client);
  table.Print(std::cout);
}

void PrintYears(const StrategyResult& s) {
  std::cout << "\nBy year: " << s.name
            << " (tax alpha before liquidation: that year; after: annualized from the start)\n\n";
  TextTable table({"year", "return", "TE", "turnover", "harvested", "yield", "ST net", "LT net",
                   "alpha CBL", "after liq.", "alpha client", "after liq."},
                  std::vector<Align>(12, Align::kRight));
  auto pct = [](double x) { return FormatPercent(x, 2); };
  for (const YearMetrics& y : s.metrics.years) {
    table.AddRow({std::to_string(y.year), pct(y.pre_tax_return), pct(y.tracking_error),
                  pct(y.turnover), FormatDollars(y.tally.harvested.ToDouble(), 0),
                  pct(y.harvest_yield), FormatDollars(y.tally.ShortTermNet().ToDouble(), 0),
                  FormatDollars(y.tally.LongTermNet().ToDouble(), 0),
                  pct(y.tax_alpha_pre_reference), pct(y.tax_alpha_post_reference),
                  pct(y.tax_alpha_pre_client), pct(y.tax_alpha_post_client)});
  }
  table.Print(std::cout);
}

// The taxes-saved report's figures (docs/taxes-saved.md) of each strategy, the index
// portfolio as the tax-blind shadow, at the client's rates.
struct StrategyTaxesSaved {
  std::string name;
  taxsaved::TaxesSavedReport report;
};

std::vector<StrategyTaxesSaved> TaxesSaved(const std::vector<Date>& days, const BacktestResult& r,
                                           const BacktestOptions& o) {
  std::vector<StrategyTaxesSaved> out;
  for (size_t s = 1; s < r.strategies.size(); ++s) {
    out.push_back({r.strategies[s].name,
                   OrFail(backtest::TaxesSavedAgainstIndex(days, r.strategies[s].path,
                                                           r.strategies[0].path, o.client_rates))});
  }
  return out;
}

void PrintTaxesSaved(const std::vector<StrategyTaxesSaved>& saved) {
  for (const StrategyTaxesSaved& s : saved) {
    std::cout << "\nTaxes saved or deferred: " << s.name
              << " against the index portfolio as its tax-blind shadow (client's rates, "
                 "$3,000 offset and carryforwards; docs/taxes-saved.md)\n\n";
    TextTable table({"year", "tax paid", "index's tax", "saved or deferred", "of which deferred",
                     "saved after liquidation"},
                    std::vector<Align>(6, Align::kRight));
    auto add = [&](const std::string& label, const taxsaved::TaxesSavedYear& y) {
      table.AddRow({label, FormatDollars(y.account_tax.ToDouble(), 0),
                    FormatDollars(y.shadow_tax.ToDouble(), 0),
                    FormatDollars(y.saved_or_deferred.ToDouble(), 0),
                    FormatDollars(y.deferred.ToDouble(), 0),
                    FormatDollars(y.saved_after_liquidation.ToDouble(), 0)});
    };
    for (const taxsaved::TaxesSavedYear& y : s.report.years) add(std::to_string(y.year), y);
    table.AddRule();
    add("total", s.report.total);
    table.Print(std::cout);
  }
}

nlohmann::ordered_json TaxesSavedJson(const std::vector<StrategyTaxesSaved>& saved) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  auto year_json = [](const taxsaved::TaxesSavedYear& y) {
    return nlohmann::ordered_json{{"tax_paid", y.account_tax.ToDouble()},
                                  {"index_tax", y.shadow_tax.ToDouble()},
                                  {"saved_or_deferred", y.saved_or_deferred.ToDouble()},
                                  {"deferred", y.deferred.ToDouble()},
                                  {"saved_after_liquidation", y.saved_after_liquidation.ToDouble()}};
  };
  for (const StrategyTaxesSaved& s : saved) {
    nlohmann::ordered_json years = nlohmann::ordered_json::array();
    for (const taxsaved::TaxesSavedYear& y : s.report.years) {
      nlohmann::ordered_json row = year_json(y);
      row["year"] = y.year;
      years.push_back(row);
    }
    out.push_back({{"strategy", s.name}, {"total", year_json(s.report.total)}, {"years", years}});
  }
  return out;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) Fail(Status::Internal("cannot write " + path));
}

void RunCommand(const BacktestCommandOptions& c) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  BacktestOptions options;
  Result<backtest::ReviewFrequency> frequency = backtest::ReviewFrequencyFromString(c.frequency);
  if (!frequency.ok()) Fail(frequency.status().WithContext("--frequency"));
  options.frequency = *frequency;
  if (c.initial_cash <= 0) Fail(Status::InvalidArgument("--initial-cash: must be positive"));
  options.initial_cash = Money::FromDouble(c.initial_cash).RoundedToCents();
  options.client_rates = ParseRates(c.rates);
  options.cost_rate = c.cost_bps / 1e4;
  options.risk_aversion = c.risk_aversion;
  options.risk_model_months = c.risk_model_months;
  if (c.top < 0) Fail(Status::InvalidArgument("--top: must be 0 (all) or more"));
  if (c.cost_bps < 0) Fail(Status::InvalidArgument("--cost-bps: must not be negative"));
  if (c.risk_aversion < 0) Fail(Status::InvalidArgument("--risk-aversion: must not be negative"));
  if (c.risk_model_months < 1)
    Fail(Status::InvalidArgument("--risk-model-months: must be 1 or more"));
  const Date from = ParseDate(c.from, "--from");
  const Date to = ParseDate(c.to, "--to");
  if (to <= from) Fail(Status::InvalidArgument("--to: must be after --from"));

  backtest::BacktestMarket market = OrFail(LoadBacktestMarket(
      c.data_dir, {.from = from, .to = to, .top = c.top, .risk = options.risk_model},
      [&](std::string_view step) {
        if (!c.quiet) std::cerr << "[" << Duration(elapsed()) << "] " << step << "\n";
      }));
  const double loaded = elapsed();
  if (!c.quiet) {
    std::cerr << "[" << Duration(loaded) << "] replaying " << market.day_count()
              << " trading days, " << ToString(options.frequency) << " reviews\n";
  }
  double last_print = 0;
  BacktestResult result =
      OrFail(backtest::RunBacktest(market, options, [&](const backtest::BacktestProgress& p) {
        const double now = elapsed();
        if (c.quiet || (now - last_print < 0.5 && p.day < p.days)) return;
        last_print = now;
        const double rate = p.day / std::max(1e-9, now - loaded);
        std::fprintf(stderr, "\r  day %d/%d (%s), %.1f days/s, %d rebalances, ETA %s   ", p.day,
                     p.days, market.days[p.day - 1].ToString().c_str(), rate, p.rebalances,
                     Duration((p.days - p.day) / std::max(rate, 1e-9)).c_str());
        if (p.day == p.days) std::fprintf(stderr, "\n");
      }));
  const double seconds = elapsed();

  std::cout << "Backtest of the S&P 500 direct index, " << result.from.ToString() << ".."
            << result.to.ToString() << ": " << result.days << " trading days, "
            << ToString(options.frequency) << " reviews (" << result.reviews << ")\n"
            << result.names << " names on day 1" << (c.top > 0 ? " (--top)" : "")
            << "; each portfolio funded with " << FormatDollars(c.initial_cash, 0)
            << " in cash; trading cost " << FormatDollars(c.cost_bps, 1)
            << " bps a side; risk aversion " << FormatDollars(options.risk_aversion, 0)
            << "; risk model re-estimated every " << options.risk_model_months << " months ("
            << result.risk_models << " estimates)\n"
            << "Optimizer: " << result.optimizer.rebalances << " full rebalances, "
            << result.optimizer.trades << " orders, " << result.optimizer.failures << " failed"
            << (result.optimizer.failures > 0 ? " (first: " + result.optimizer.first_failure + ")"
                                              : "")
            << "; monthly rule: " << result.monthly_harvests << " harvests of a name\n"
            << "Run time " << Duration(seconds) << " (" << Duration(loaded) << " loading; "
            << FormatDollars(1e3 * (seconds - loaded) / result.days, 1)
            << " ms per simulated day)\n";
  PrintSummary(result, options);
  for (size_t s = 1; s < result.strategies.size(); ++s) PrintYears(result.strategies[s]);
  PrintYears(result.strategies[0]);
  const std::vector<StrategyTaxesSaved> saved = TaxesSaved(market.days, result, options);
  PrintTaxesSaved(saved);
  if (!c.json_path.empty()) {
    nlohmann::ordered_json json = ResultJson(result, options, c, seconds);
    json["taxes_saved"] = TaxesSavedJson(saved);
    WriteFile(c.json_path, json.dump(2) + "\n");
    std::cout << "\nWrote " << c.json_path << "\n";
  }
  if (!c.csv_path.empty()) {
    WriteFile(c.csv_path, ResultCsv(result));
    std::cout << "Wrote " << c.csv_path << "\n";
  }
}

}  // namespace

void AddBacktestCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "backtest",
      "Tax-alpha backtest on real prices: the optimizer's direct index vs the tax-blind index "
      "and the plain monthly harvesting rule (docs/backtest.md)");
  auto c = std::make_shared<BacktestCommandOptions>();
  cmd->add_option("--data-dir", c->data_dir, "the shared market data")->capture_default_str();
  cmd->add_option("--from", c->from, "funding day (YYYY-MM-DD)")->capture_default_str();
  cmd->add_option("--to", c->to, "last day")->capture_default_str();
  cmd->add_option("--frequency", c->frequency, "reviews: daily, weekly or monthly")
      ->capture_default_str();
  cmd->add_option("--initial-cash", c->initial_cash, "dollars each portfolio is funded with")
      ->capture_default_str();
  cmd->add_option("--top", c->top, "only the N largest names of the first index (0: all)")
      ->capture_default_str();
  cmd->add_option("--rates", c->rates,
                  "the client's short- and long-term rates (the optimizer's), SHORT,LONG")
      ->capture_default_str();
  cmd->add_option("--cost-bps", c->cost_bps, "trading cost, basis points of each trade")
      ->capture_default_str();
  cmd->add_option("--risk-aversion", c->risk_aversion, "the rebalance's risk aversion")
      ->capture_default_str();
  cmd->add_option("--risk-model-months", c->risk_model_months,
                  "re-estimate the risk model this often")
      ->capture_default_str();
  cmd->add_option("--json", c->json_path, "write the full result as JSON to this file");
  cmd->add_option("--csv", c->csv_path, "write the yearly figures as CSV to this file");
  cmd->add_flag("--quiet", c->quiet, "no progress on stderr");
  cmd->callback([c] { RunCommand(*c); });
}

}  // namespace arbor::cli
