// arbor whatif ACCOUNT [--as-of DATE] --add-screen tobacco [--remove CLASS] [--product C=ID] ...
// What a customization change would do, computed by the real rebalance: the account is
// rebalanced twice, as it is and with the change (nothing is stored), and the two proposals are
// compared — the share of the portfolio sold, the gains realized and their tax, the tracking
// error before and after.
#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "adapters/storage/model_store.h"
#include "adapters/storage/rebalance_input_loader.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/customization_options.h"
#include "apps/arbor/output.h"
#include "apps/arbor/whatif_report.h"
#include "core/models/what_if.h"
#include "core/review/rebalance.h"

namespace arbor::cli {
namespace {

struct WhatIfOptions {
  std::string account;
  std::string as_of;
  std::string template_name;
  std::vector<std::string> add_screens, remove_screens, removals, restores, weights, products;
  RestrictionOptions restrictions;
  bool json = false;
};

models::CustomizationChange ParseChange(const WhatIfOptions& options) {
  models::CustomizationChange change{.restore_classes = options.restores,
                                     .add_screens = options.add_screens,
                                     .remove_screens = options.remove_screens};
  if (!options.template_name.empty()) change.template_name = options.template_name;
  for (const std::string& text : options.removals) change.removals.push_back(ParseRemovalOption(text));
  for (const std::string& text : options.weights) change.weights.push_back(ParseWeightOption(text));
  for (const std::string& text : options.products) change.products.push_back(ParseProductOption(text));
  return change;
}

std::string Usd(Money money) { return FormatDollars(money.ToDouble(), 0); }

nlohmann::ordered_json SummaryJson(const models::WhatIfSummary& s) {
  return {{"trades", s.trades},
          {"sold_fraction", s.sold_fraction},
          {"bought_fraction", s.bought_fraction},
          {"short_term_gains", s.short_term_gains.ToDouble()},
          {"long_term_gains", s.long_term_gains.ToDouble()},
          {"tax", s.tax.ToDouble()},
          {"cost", s.cost.ToDouble()},
          {"tracking_error_before", s.tracking_error_before},
          {"tracking_error_after", s.tracking_error_after},
          {"score_dollars", s.score_dollars}};
}

// The largest sales the change adds, by symbol.
void PrintChangedSales(const review::Proposal& now, const review::Proposal& then,
                       std::ostream& out) {
  std::map<std::string, Money> sold_now;
  for (const review::Trade& t : now.trades) {
    if (t.side == review::TradeSide::kSell) sold_now[t.symbol] += t.amount;
  }
  std::vector<std::pair<Money, const review::Trade*>> added;
  for (const review::Trade& t : then.trades) {
    if (t.side != review::TradeSide::kSell) continue;
    const Money extra = t.amount - sold_now[t.symbol];
    if (extra.is_positive()) added.push_back({extra, &t});
  }
  if (added.empty()) return;
  std::stable_sort(added.begin(), added.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  out << "\nLargest sales the change adds\n\n";
  TextTable table({"symbol", "more sold", "sold in all", "lots", "gain", "why"},
                  {Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight,
                   Align::kLeft});
  for (size_t i = 0; i < added.size() && i < 8; ++i) {
    const review::Trade& t = *added[i].second;
    Money gain;
    for (const review::LotSale& lot : t.lots) gain += lot.Gain();
    table.AddRow({t.symbol, Usd(added[i].first), Usd(t.amount), std::to_string(t.lots.size()),
                  Usd(gain), t.why});
  }
  table.Print(out);
  if (added.size() > 8) out << "and " << added.size() - 8 << " more\n";
}

}  // namespace

void ReportWhatIf(Store& store, const WhatIfRequest& request, std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  std::optional<models::Customization> current = OrFail(LoadCustomization(store, request.account));
  if (!current) {
    Fail(Status::FailedPrecondition("account " + request.account +
                                    " has no customization to change; set one with `arbor "
                                    "account customize " + request.account + " --template NAME`"));
  }
  if (request.change.empty() && request.restrictions.empty()) {
    Fail(Status::InvalidArgument("nothing to try: give a change such as --add-screen tobacco, "
                                 "--remove CLASS, --product CLASS=ID or --no-buy SYMBOL"));
  }
  const models::Customization proposed = models::ApplyChange(*current, request.change);
  review::RebalanceInput now_input =
      OrFail(LoadRebalanceInput(store, request.account, request.as_of));
  review::RebalanceInput then_input = OrFail(LoadRebalanceInput(
      store, request.account, now_input.as_of,
      {.customization = proposed, .restrictions = request.restrictions}));
  const review::Proposal now = OrFail(review::Rebalance(now_input));
  const review::Proposal then = OrFail(review::Rebalance(then_input));
  const models::WhatIfSummary a = models::SummarizeProposal(now);
  const models::WhatIfSummary b = models::SummarizeProposal(then);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (request.json) {
    nlohmann::ordered_json json = {{"account", request.account},
                                   {"as_of", now.as_of.ToString()},
                                   {"account_value", now.account_value},
                                   {"current", DescribeCustomization(*current)},
                                   {"proposed", DescribeCustomization(proposed)},
                                   {"now", SummaryJson(a)},
                                   {"with_change", SummaryJson(b)},
                                   {"seconds", seconds}};
    out << json.dump(2) << "\n";
    return;
  }
  out << "What-if for " << request.account << " as of " << now.as_of.ToString()
      << " (account value " << FormatDollars(now.account_value, 0) << ")\n"
      << "  now:         " << DescribeCustomization(*current) << "\n"
      << "  with change: " << DescribeCustomization(proposed) << "\n";
  for (const SecurityRestriction& r : request.restrictions) {
    out << "               " << ToString(r.restriction) << " " << r.symbol << "\n";
  }
  out << "\nThe next rebalance, as the account is and with the change\n\n";
  TextTable table({"", "now", "with change", "difference"},
                  {Align::kLeft, Align::kRight, Align::kRight, Align::kRight});
  table.AddRow({"trades", std::to_string(a.trades), std::to_string(b.trades),
                std::to_string(b.trades - a.trades)});
  table.AddRow({"sold, % of the account", FormatPercent(a.sold_fraction), FormatPercent(b.sold_fraction),
                FormatPercent(b.sold_fraction - a.sold_fraction)});
  table.AddRow({"bought, % of the account", FormatPercent(a.bought_fraction), FormatPercent(b.bought_fraction),
                FormatPercent(b.bought_fraction - a.bought_fraction)});
  table.AddRow({"short-term gains realized", Usd(a.short_term_gains), Usd(b.short_term_gains),
                Usd(b.short_term_gains - a.short_term_gains)});
  table.AddRow({"long-term gains realized", Usd(a.long_term_gains), Usd(b.long_term_gains),
                Usd(b.long_term_gains - a.long_term_gains)});
  table.AddRow({"tax on them", Usd(a.tax), Usd(b.tax), Usd(b.tax - a.tax)});
  table.AddRow({"trading cost", Usd(a.cost), Usd(b.cost), Usd(b.cost - a.cost)});
  table.AddRow({"tracking error before trading", FormatPercent(a.tracking_error_before),
                FormatPercent(b.tracking_error_before), FormatPercent(b.tracking_error_before - a.tracking_error_before)});
  table.AddRow({"tracking error after", FormatPercent(a.tracking_error_after), FormatPercent(b.tracking_error_after),
                FormatPercent(b.tracking_error_after - a.tracking_error_after)});
  table.Print(out);
  out << "(tracking error against each column's own targets; gains and tax are those the "
         "proposal realizes)\n";
  PrintChangedSales(now, then, out);
  for (const std::string& note : then.notes) {
    if (note.rfind("screened", 0) == 0) out << "note: " << note << "\n";
  }
  char timing[96];
  std::snprintf(timing, sizeof timing, "\nComputed by two full rebalances in %.2f s; nothing was stored.\n",
                seconds);
  out << timing;
}

namespace {

void RunWhatIf(const GlobalOptions& global, const WhatIfOptions& options) {
  WhatIfRequest request{.account = options.account,
                        .change = ParseChange(options),
                        .restrictions = ToRestrictions(options.restrictions),
                        .json = options.json};
  if (!options.as_of.empty()) {
    Result<Date> parsed = Date::Parse(options.as_of);
    if (!parsed.ok()) Fail(parsed.status().WithContext("--as-of"));
    request.as_of = *parsed;
  }
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  ReportWhatIf(*store, request, std::cout);
}

}  // namespace

void AddWhatIfCommand(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<WhatIfOptions>();
  auto* cmd = app.add_subcommand(
      "whatif", "What a customization change would trade and cost, before making it");
  cmd->add_option("account", options->account, "account id")->required();
  cmd->add_option("--as-of", options->as_of, "review date YYYY-MM-DD (default: the last price date)");
  cmd->add_option("--add-screen", options->add_screens, "add a values screen");
  cmd->add_option("--remove-screen", options->remove_screens, "drop one of the account's screens");
  cmd->add_option("--remove", options->removals,
                  "drop a class: CLASS, CLASS=pro_rata or CLASS=to:OTHER_CLASS");
  cmd->add_option("--restore", options->restores, "undo the removal of a class");
  cmd->add_option("--weight", options->weights, "a class's weight: CLASS=0.40");
  cmd->add_option("--product", options->products, "a class's product: CLASS=PRODUCT_ID");
  cmd->add_option("--template", options->template_name, "move the account to another template");
  AddRestrictionOptions(cmd, &options->restrictions);
  cmd->add_flag("--json", options->json, "print the comparison as JSON");
  cmd->callback([&global, options] { RunWhatIf(global, *options); });
}

}  // namespace arbor::cli
