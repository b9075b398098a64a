// An account's customization of its template, and the targets it resolves to:
//   arbor account customize SMITH --template "Balanced 60/40" --remove "Real Estate"
//       --remove "Emerging Markets=to:Intl Developed" --weight "US Large Cap=0.40"
//       --product "US Large Cap=SP500-DI" --screen tobacco --hold AAPL --no-buy IBM
//   arbor account show SMITH [--as-of DATE] [--top N | --all]
//   arbor import customizations FILE.json...
// A customization names classes and products, not versions, so it is kept through every IPC
// change; one the IPC's bands do not allow is rejected with the bound it breaks.
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>

#include "adapters/storage/account_menu_store.h"
#include "adapters/storage/account_targets.h"
#include "adapters/storage/model_store.h"
#include "adapters/storage/rebalance_settings_store.h"
#include "adapters/storage/risk_model_store.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/customization_options.h"
#include "apps/arbor/output.h"
#include "core/base/join_some.h"
#include "core/models/weight_text.h"

namespace arbor::cli {
namespace {

using models::WeightText;

struct CustomizeOptions {
  std::string account;
  CustomizationOptions customization;
  RestrictionOptions restrictions;
  bool clear_restrictions = false;
};

void RunCustomize(const GlobalOptions& global, const CustomizeOptions& options) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  const models::Customization customization =
      ParseCustomization(options.account, options.customization);
  const std::vector<SecurityRestriction> restrictions = ToRestrictions(options.restrictions);
  const bool replace_restrictions = options.clear_restrictions || !restrictions.empty();
  // The customization and the restrictions together, or neither.
  Transaction txn = OrFail(Transaction::Begin(store->database()));
  if (replace_restrictions) {
    OrFail(SaveSecurityRestrictions(store->database(), customization.account, restrictions));
  }
  SaveOutcome outcome = OrFail(SaveCustomization(*store, customization));
  OrFail(txn.Commit());
  std::cout << "account " << customization.account << " on " << customization.template_name
            << ": " << DescribeCustomization(customization)
            << (outcome == SaveOutcome::kStored ? "" : " (unchanged)") << "\n";
  if (replace_restrictions) {
    std::cout << "restrictions: " << (restrictions.empty() ? "none" : "");
    for (size_t k = 0; k < restrictions.size(); ++k) {
      std::cout << (k ? ", " : "") << ToString(restrictions[k].restriction) << " "
                << restrictions[k].symbol;
    }
    std::cout << "\n";
  }
}

void RunShow(const GlobalOptions& global, const std::string& account, const std::string& as_of_text,
             size_t top, bool all) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  std::optional<models::Customization> customization = OrFail(LoadCustomization(*store, account));
  if (!customization) {
    Fail(Status::NotFound("account " + account +
                          " has no customization; set one with `arbor account customize " +
                          account + " --template NAME`"));
  }
  Date as_of;
  if (as_of_text.empty()) {
    as_of = OrFail(DefaultReviewDate(*store));
  } else {
    Result<Date> parsed = Date::Parse(as_of_text);
    if (!parsed.ok()) Fail(parsed.status().WithContext("--as-of"));
    as_of = *parsed;
  }
  SecurityMaster master = OrFail(store->LoadSecurities());
  Result<RiskModel> risk_model = LoadRiskModel(store->database(), as_of);
  if (!risk_model.ok() && risk_model.status().code() != StatusCode::kNotFound) {
    Fail(risk_model.status());
  }
  models::Resolution resolution = OrFail(ResolveAccountTargets(
      *store, *customization, as_of, master, risk_model.ok() ? &*risk_model : nullptr));

  std::cout << "account " << account << ": template " << resolution.template_name << " v"
            << resolution.template_version << " as of " << as_of.ToString() << "\n"
            << "customization: " << DescribeCustomization(*customization) << "\n\n";
  TextTable classes({"class", "weight", "product", "rule"},
                    {Align::kLeft, Align::kRight, Align::kLeft, Align::kLeft});
  for (const models::ResolvedClass& c : resolution.classes) {
    classes.AddRow({c.asset_class, WeightText(c.weight), c.product, c.rule});
  }
  classes.AddRule();
  classes.AddRow({"cash", WeightText(resolution.cash_weight), "", ""});
  classes.Print(std::cout);

  std::vector<models::ResolvedTarget> targets = resolution.targets;
  std::stable_sort(targets.begin(), targets.end(),
                   [](const auto& a, const auto& b) { return a.weight > b.weight; });
  const size_t shown = all ? targets.size() : std::min(top, targets.size());
  std::cout << "\ntargets: " << targets.size() << " securities";
  if (shown < targets.size()) std::cout << ", the largest " << shown << " (--all for every one)";
  std::cout << "\n";
  TextTable table(
      {"symbol", "weight", "class", "product", "model", "rule"},
      {Align::kLeft, Align::kRight, Align::kLeft, Align::kLeft, Align::kLeft, Align::kLeft});
  for (size_t i = 0; i < shown; ++i) {
    const models::ResolvedTarget& target = targets[i];
    for (size_t k = 0; k < target.sources.size(); ++k) {
      const models::TargetSource& source = target.sources[k];
      table.AddRow({k == 0 ? target.symbol : "", k == 0 ? WeightText(target.weight) : "",
                    source.asset_class, source.product, source.model, source.rule});
    }
  }
  table.Print(std::cout);
  if (!resolution.screened.empty()) {
    std::string screened;
    for (const std::string& s : resolution.screened) screened += (screened.empty() ? "" : ", ") + s;
    std::cout << "\nscreened out (" << resolution.screened.size() << "): " << screened << "\n";
  }
  std::vector<SecurityRestriction> restrictions =
      OrFail(LoadSecurityRestrictions(store->database(), account));
  if (!restrictions.empty()) {
    std::cout << "\nrestrictions:";
    for (const SecurityRestriction& r : restrictions) {
      std::cout << " " << ToString(r.restriction) << " " << r.symbol << ";";
    }
    std::cout << "\n";
  }
  if (std::optional<AccountMenu> menu = OrFail(LoadAccountMenu(store->database(), account))) {
    std::cout << "\nfund menu: " << JoinSome(menu->symbols, menu->symbols.size())
              << " (buys nothing else; `arbor account menu show " << account << "`)\n";
  }
  for (const std::string& note : resolution.notes) std::cout << "note: " << note << "\n";
}

}  // namespace

void AddAccountCommands(CLI::App& app, const GlobalOptions& global) {
  auto* group = app.add_subcommand("account", "An account's customization of its template");
  group->require_subcommand(1);

  auto options = std::make_shared<CustomizeOptions>();
  auto* customize = group->add_subcommand(
      "customize", "Set (replace) the account's customization; rejected when out of bounds");
  customize->add_option("account", options->account, "account id")->required();
  AddCustomizationOptions(customize, &options->customization)->required();
  AddRestrictionOptions(customize, &options->restrictions);
  customize->add_flag("--clear-restrictions", options->clear_restrictions,
                      "lift every restriction (restriction options replace the list; without "
                      "any, the account's restrictions are kept)");
  customize->callback([&global, options] { RunCustomize(global, *options); });

  auto* show = group->add_subcommand(
      "show", "The customization and the resolved targets with their lineage");
  auto account = std::make_shared<std::string>();
  auto as_of = std::make_shared<std::string>();
  auto top = std::make_shared<size_t>(20);
  auto all = std::make_shared<bool>(false);
  show->add_option("account", *account, "account id")->required();
  show->add_option("--as-of", *as_of, "review date YYYY-MM-DD (default: the last price date)");
  show->add_option("--top", *top, "how many of the largest targets to list")->capture_default_str();
  show->add_flag("--all", *all, "list every target");
  show->callback(
      [&global, account, as_of, top, all] { RunShow(global, *account, *as_of, *top, *all); });

  // AddStoreCommands, called before this in main(), created `import`.
  CLI::App* import_group = app.get_subcommand("import");
  auto* customizations = import_group->add_subcommand(
      "customizations",
      "JSON {\"customizations\": [{account, template, removals, weights, products, screens}]}");
  auto files = std::make_shared<std::vector<std::string>>();
  customizations->add_option("files", *files, "JSON files (all are imported together, or none)")
      ->required()
      ->check(CLI::ExistingFile);
  customizations->callback([&global, files] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    ImportSummary summary = OrFail(ImportCustomizations(*store, *files));
    std::cout << "imported customizations into " << global.db_path << ": " << summary.rows_read
              << " read, " << summary.inserted << " stored, " << summary.unchanged
              << " unchanged\n";
  });
}

}  // namespace arbor::cli
