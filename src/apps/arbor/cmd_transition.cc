// arbor transition --lots FILE (--model NAME | --template NAME ... | --targets FILE) [...]: the
// tax-sensitive transition of a prospect's legacy portfolio (docs/transition.md): the first
// trades and a multi-year projection under several yearly budgets side by side, as a terminal
// summary, CSV, JSON and a PDF. Nothing is stored.
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "adapters/storage/rebalance_context.h"
#include "adapters/storage/store.h"
#include "adapters/transition/legacy_lots.h"
#include "adapters/transition/prospect_input.h"
#include "adapters/transition/transition_target.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/customization_options.h"
#include "apps/arbor/output.h"
#include "apps/arbor/transition_report.h"
#include "core/transition/transition_plan.h"

namespace arbor::cli {
namespace {

struct TransitionCommand {
  std::string lots;
  std::string as_of;
  std::string model, template_name, targets;
  std::vector<std::string> products, removals, weights, screens;
  std::string cash = "0";
  std::string budgets = "0,25000,100000,liquidation";
  std::string budget_kind = "gains";
  transition::TransitionOptions plan;
  std::optional<double> short_term_rate, long_term_rate, risk_aversion;
  size_t detail = 0;  // 1-based; 0: the first budget with dollars to spend
  std::string csv, trades_csv, pdf;
  bool json = false;
};

std::vector<transition::TransitionBudget> ParseBudgets(const TransitionCommand& options) {
  transition::BudgetKind kind = transition::BudgetKind::kGains;
  if (options.budget_kind == "tax") {
    kind = transition::BudgetKind::kTax;
  } else if (options.budget_kind != "gains") {
    Fail(Status::InvalidArgument("--budget-kind: expected gains or tax, got '" +
                                 options.budget_kind + "'"));
  }
  std::vector<transition::TransitionBudget> budgets;
  std::stringstream list(options.budgets);
  for (std::string item; std::getline(list, item, ',');) {
    if (item == "liquidation") {
      budgets.push_back({.kind = transition::BudgetKind::kLiquidation});
      continue;
    }
    Result<Money> dollars = Money::Parse(item);
    if (!dollars.ok() || dollars->is_negative()) {
      Fail(Status::InvalidArgument("--budgets: '" + item +
                                   "' is neither a non-negative dollar amount nor 'liquidation'"));
    }
    budgets.push_back({.kind = kind, .dollars = *dollars});
  }
  if (budgets.empty()) Fail(Status::InvalidArgument("--budgets: give at least one budget"));
  return budgets;
}

TransitionTarget LoadTarget(const RebalanceContext& context, const TransitionCommand& options) {
  const int sources =
      !options.model.empty() + !options.template_name.empty() + !options.targets.empty();
  if (sources != 1) {
    Fail(Status::InvalidArgument(
        "give exactly one target: --model NAME, --template NAME or --targets FILE"));
  }
  if (!options.model.empty()) return OrFail(TargetFromModel(context, options.model));
  if (!options.targets.empty()) return OrFail(TargetFromCsv(options.targets, context.master()));
  models::Customization customization{
      .account = "PROSPECT", .template_name = options.template_name, .screens = options.screens};
  for (const std::string& text : options.removals)
    customization.removals.push_back(ParseRemovalOption(text));
  for (const std::string& text : options.weights)
    customization.weights.push_back(ParseWeightOption(text));
  for (const std::string& text : options.products)
    customization.products.push_back(ParseProductOption(text));
  TransitionTarget target = OrFail(TargetFromTemplate(context, customization));
  target.description += " (" + DescribeCustomization(customization) + ")";
  return target;
}

RebalanceSettings Settings(const TransitionCommand& options) {
  RebalanceSettings settings;
  // A total rate given on the command line replaces the federal, state and NIIT parts.
  if (options.short_term_rate) {
    settings.tax_rates.federal_short_term = *options.short_term_rate;
    settings.tax_rates.state_short_term = 0;
  }
  if (options.long_term_rate) {
    settings.tax_rates.federal_long_term = *options.long_term_rate;
    settings.tax_rates.state_long_term = 0;
  }
  if (options.risk_aversion) settings.risk_aversion = *options.risk_aversion;
  if (options.short_term_rate || options.long_term_rate) {
    if (!options.short_term_rate || !options.long_term_rate) {
      Fail(Status::InvalidArgument("give both --short-term-rate and --long-term-rate"));
    }
    settings.tax_rates.net_investment_income = 0;
  }
  return settings;
}

template <typename Write>
void WriteFile(const std::string& path, Write write) {
  std::ofstream file(path);
  if (!file) Fail(Status::FailedPrecondition("cannot write " + path));
  write(&file);
  file.close();
  if (!file) Fail(Status::Internal("writing " + path + " failed"));
}

void RunTransition(const GlobalOptions& global, const TransitionCommand& options) {
  const auto start = std::chrono::steady_clock::now();
  std::optional<Date> as_of;
  if (!options.as_of.empty()) {
    Result<Date> parsed = Date::Parse(options.as_of);
    if (!parsed.ok()) Fail(parsed.status().WithContext("--as-of"));
    as_of = *parsed;
  }
  Result<Money> cash = Money::Parse(options.cash);
  if (!cash.ok() || cash->is_negative())
    Fail(Status::InvalidArgument("--cash: '" + options.cash + "' is not a dollar amount >= 0"));
  const std::vector<transition::TransitionBudget> budgets = ParseBudgets(options);
  OrFail(transition::ValidateTransitionOptions(options.plan));
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  std::unique_ptr<RebalanceContext> context = OrFail(RebalanceContext::Load(*store, as_of));
  const TransitionTarget target = LoadTarget(*context, options);
  const LegacyLots legacy =
      OrFail(ReadLegacyLots(options.lots, context->master(), context->as_of()));
  const RebalanceSettings settings = Settings(options);
  const review::RebalanceInput input =
      OrFail(BuildProspectInput(*context, legacy, *cash, target, settings));

  TransitionReport report{.plan = OrFail(transition::PlanTransition(input, budgets, options.plan)),
                          .target = target.description,
                          .legacy_file = options.lots,
                          .legacy_lots = legacy.lots.size(),
                          .tax_rates = input.tax_rates,
                          .risk_aversion = input.risk_aversion,
                          .notes = input.notes};
  std::set<std::string> positions;
  for (const review::RebalanceLot& lot : legacy.lots) positions.insert(lot.symbol);
  report.legacy_positions = positions.size();
  if (options.detail > budgets.size()) {
    Fail(Status::InvalidArgument("--detail: there are only " + std::to_string(budgets.size()) +
                                 " budgets"));
  }
  report.detailed_budget = options.detail > 0 ? options.detail - 1 : 0;
  for (size_t b = 0; options.detail == 0 && b < budgets.size(); ++b) {
    if (budgets[b].dollars.is_positive()) {
      report.detailed_budget = b;
      break;
    }
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (!options.csv.empty())
    WriteFile(options.csv, [&](std::ostream* out) { WriteTransitionYearsCsv(report.plan, out); });
  if (!options.trades_csv.empty()) {
    WriteFile(options.trades_csv,
              [&](std::ostream* out) { WriteFirstTradesCsv(report.plan, out); });
  }
  if (!options.pdf.empty()) OrFail(WriteTransitionPdf(report, options.pdf));
  if (options.json) {
    std::cout << TransitionJson(report).dump(2) << "\n";
    return;
  }
  PrintTransitionSummary(report, std::cout);
  for (const std::string* written : {&options.csv, &options.trades_csv, &options.pdf}) {
    if (!written->empty()) std::cout << "Written: " << *written << "\n";
  }
}

}  // namespace

void AddTransitionCommand(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<TransitionCommand>();
  auto* cmd = app.add_subcommand(
      "transition",
      "Plan the tax-sensitive move of a prospect's legacy lots to a target: the first trades and "
      "a multi-year projection under several yearly budgets (docs/transition.md)");
  cmd->add_option("--lots", options->lots,
                  "legacy lots CSV: [account,]symbol,[lot_id,]shares,basis,acquired[,...]")
      ->required();
  cmd->add_option("--as-of", options->as_of, "plan date YYYY-MM-DD (default: the last price date)");
  cmd->add_option("--model", options->model, "target: a security model, e.g. SP500");
  cmd->add_option("--template", options->template_name, "target: a template of the catalogue");
  cmd->add_option("--product", options->products,
                  "with --template: a class's product, CLASS=PRODUCT_ID");
  cmd->add_option("--remove", options->removals,
                  "with --template: remove a class, CLASS[=to:OTHER]");
  cmd->add_option("--weight", options->weights, "with --template: a class's weight, CLASS=0.40");
  cmd->add_option("--screen", options->screens, "with --template: a values screen");
  cmd->add_option("--targets", options->targets, "target: a CSV file symbol,weight");
  cmd->add_option("--cash", options->cash, "cash the prospect brings besides the lots (default 0)");
  cmd->add_option("--budgets", options->budgets,
                  "yearly budgets, comma-separated dollars or 'liquidation'")
      ->capture_default_str();
  cmd->add_option("--budget-kind", options->budget_kind,
                  "gains (net realized gains) or tax (net tax)")
      ->capture_default_str();
  cmd->add_option("--years", options->plan.years, "yearly reviews projected")
      ->capture_default_str();
  cmd->add_option("--goal-te", options->plan.goal_tracking_error,
                  "tracking error counted as 'at the target'")
      ->capture_default_str();
  cmd->add_option("--expected-return", options->plan.market.expected_return,
                  "expected price return a year, every security")
      ->capture_default_str();
  cmd->add_option("--volatility", options->plan.market.volatility, "annual volatility of the value")
      ->capture_default_str();
  cmd->add_option("--short-term-rate", options->short_term_rate,
                  "total short-term tax rate (default 40.8%)");
  cmd->add_option("--long-term-rate", options->long_term_rate,
                  "total long-term tax rate (default 23.8%)");
  cmd->add_option(
      "--risk-aversion", options->risk_aversion,
      "lambda of the rebalance: higher trades more tax for less tracking error (default 50)");
  cmd->add_option("--detail", options->detail, "list the first trades of budget N (1-based)");
  cmd->add_option("--csv", options->csv, "write every budget's years as CSV");
  cmd->add_option("--trades-csv", options->trades_csv, "write every budget's first trades as CSV");
  cmd->add_option("--pdf", options->pdf, "write a client-ready PDF with the tracking-error chart");
  cmd->add_flag("--json", options->json, "print the plan as JSON");
  cmd->callback([&global, options] { RunTransition(global, *options); });
}

}  // namespace arbor::cli
