// Households: accounts of one taxpayer or of spouses managed jointly to one target
// (docs/households.md).
//   arbor household create SMITH [--name "Ann & Bob Smith"] [--template "Balanced 60/40"
//       --weight "US Large Cap=0.40" --screen tobacco ...] [--drift-penalty 0.001]
//       [--account SMITH-IRA ...]
//   arbor household add-account SMITH SMITH-ROTH      arbor household remove-account SMITH X
//   arbor household show SMITH [--json]               arbor household list [--json]
//   arbor household location show [--json]
//   arbor household location set --rule "asset_class=Core Bonds: tax_deferred 0.002" ...
//                                | --defaults | --none
//   arbor import households FILE.json|FILE.csv...
// Membership changes are recorded with --user (or $USER) and the UTC time in an append-only log.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "adapters/storage/account_menu_store.h"
#include "adapters/storage/household_store.h"
#include "adapters/storage/review_store.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/customization_options.h"
#include "apps/arbor/output.h"

namespace arbor::cli {
namespace {

using nlohmann::ordered_json;

HouseholdChange ChangeBy(const std::string& user) { return {.user = User(user), .at = Now()}; }

struct CreateOptions {
  std::string id;
  std::optional<std::string> name;
  std::optional<double> drift_penalty;
  CustomizationOptions target;
  std::vector<std::string> accounts;
  std::string user;
};

// A new household, or the stored one with the options given applied.
void RunCreate(const GlobalOptions& global, const CreateOptions& options) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  OrFail(household::ValidateHouseholdId(options.id));
  Result<household::Household> stored = LoadHousehold(*store, options.id);
  if (!stored.ok() && stored.status().code() != StatusCode::kNotFound) Fail(stored.status());
  household::Household h = stored.ok() ? *stored : household::Household{.id = options.id};
  h.members.clear();
  for (const std::string& account : options.accounts) h.members.push_back({.id = account});
  if (options.name) h.name = *options.name;
  if (options.drift_penalty) h.drift_penalty = *options.drift_penalty;
  // The stored target stays unless a new one is given: saving it again would check it against
  // today's catalogue for nothing.
  const models::Customization target = h.target;
  h.target = ParseCustomization(options.id, options.target);
  const CustomizationOptions& choices = options.target;
  if (choices.template_name.empty() && (!choices.removals.empty() || !choices.weights.empty() ||
                                        !choices.products.empty() || !choices.screens.empty())) {
    Fail(
        Status::InvalidArgument("--template: required with --remove, --weight, --product and "
                                "--screen (they customize a template)"));
  }
  // Only joining accounts is audited, and needs to know who acts.
  const HouseholdChange change =
      options.accounts.empty() ? HouseholdChange{} : ChangeBy(options.user);
  const SaveOutcome outcome = OrFail(SaveHousehold(*store, h, change));
  std::cout << "household " << h.id
            << (!stored.ok()                      ? " created"
                : outcome == SaveOutcome::kStored ? " updated"
                                                  : " unchanged");
  const models::Customization& shown = h.target.template_name.empty() ? target : h.target;
  if (!shown.template_name.empty()) {
    std::cout << ": target " << shown.template_name << ", " << DescribeCustomization(shown);
  }
  std::cout << "\n";
  for (const std::string& account : options.accounts) {
    std::cout << "account " << account << " is in household " << h.id << "\n";
  }
}

struct MemberValue {
  double market_value = 0;
  std::string as_of;
};

// The account's value at its latest review, when it has one: cheap, and what the review saw.
std::optional<MemberValue> ReviewedValue(Database* db, const std::string& account) {
  Result<StoredReview> review = LoadStoredReview(db, account, std::nullopt);
  if (!review.ok()) return std::nullopt;
  return MemberValue{review->record.summary.metrics.market_value, review->as_of.ToString()};
}

std::string Joined(const std::vector<std::string>& names, const char* separator) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : separator) + name;
  return text;
}

std::string Movement(const HouseholdAuditEntry& e) {
  if (e.from_household.empty()) return "joined " + e.to_household;
  if (e.to_household.empty()) return "left " + e.from_household;
  return "moved " + e.from_household + " -> " + e.to_household;
}

ordered_json TargetJson(const models::Customization& target) {
  ordered_json removals = ordered_json::array(), weights = ordered_json::object(),
               products = ordered_json::object();
  for (const models::ClassRemoval& r : target.removals) {
    removals.push_back({{"asset_class", r.asset_class},
                        {"rule", models::ToString(r.rule)},
                        {"to_class", r.to_class}});
  }
  for (const models::WeightOverride& w : target.weights) weights[w.asset_class] = w.weight;
  for (const models::ProductChoice& p : target.products) products[p.asset_class] = p.product;
  return {{"template", target.template_name},
          {"removals", removals},
          {"weights", weights},
          {"products", products},
          {"screens", target.screens}};
}

void RunShow(const GlobalOptions& global, const std::string& id, bool json) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  const household::Household h = OrFail(LoadHousehold(*store, id));
  const std::vector<HouseholdAuditEntry> audit = OrFail(LoadHouseholdAudit(*store, id));
  const std::vector<std::string> taxpayers = household::Taxpayers(h);
  // Members an accounts import put together are shown as they are, with what breaks the rule.
  const Status valid = household::ValidateHousehold(h);
  std::vector<std::optional<MemberValue>> values;
  std::vector<std::optional<AccountMenu>> menus;  // a 401k's funds
  for (const Account& member : h.members) {
    values.push_back(ReviewedValue(store->database(), member.id));
    menus.push_back(OrFail(LoadAccountMenu(store->database(), member.id)));
  }

  if (json) {
    ordered_json members = ordered_json::array();
    for (size_t k = 0; k < h.members.size(); ++k) {
      const Account& a = h.members[k];
      members.push_back(
          {{"account", a.id},
           {"type", ToString(a.type)},
           {"tax_treatment", household::ToString(household::TaxTreatmentOf(a.type))},
           {"taxpayers", a.taxpayers},
           {"name", a.name},
           {"market_value", values[k] ? ordered_json(values[k]->market_value) : ordered_json()},
           {"value_as_of", values[k] ? ordered_json(values[k]->as_of) : ordered_json()},
           {"menu", menus[k] ? ordered_json(menus[k]->symbols) : ordered_json()}});
    }
    ordered_json changes = ordered_json::array();
    for (const HouseholdAuditEntry& e : audit) {
      changes.push_back({{"at", e.at},
                         {"user", e.user},
                         {"account", e.account},
                         {"from", e.from_household},
                         {"to", e.to_household},
                         {"note", e.note}});
    }
    ordered_json out = {
        {"id", h.id},
        {"name", h.name},
        {"taxpayers", taxpayers},
        {"drift_penalty", h.drift_penalty},
        {"target", h.target.template_name.empty() ? ordered_json() : TargetJson(h.target)},
        {"members", members},
        {"audit", changes},
        {"problem", valid.ok() ? ordered_json() : ordered_json(valid.message())}};
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::cout << "household " << h.id << (h.name.empty() ? "" : ": " + h.name) << "\n"
            << "taxpayers: " << (taxpayers.empty() ? "none yet" : Joined(taxpayers, ", "))
            << (taxpayers.size() == 2 ? " (spouses: one wash-sale scope)" : "") << "\n"
            << "target: "
            << (h.target.template_name.empty()
                    ? "none yet (set one with `arbor household create " + h.id +
                          " --template NAME`)"
                    : h.target.template_name + ", " + DescribeCustomization(h.target))
            << "\n"
            << "drift penalty per account: " << h.drift_penalty
            << (h.drift_penalty == 0 ? " (the household is managed as one)" : "") << "\n";
  if (!valid.ok()) std::cout << "problem: " << valid.message() << "\n";
  std::cout << "\n";
  if (h.members.empty()) {
    std::cout << "no accounts yet: add one with `arbor household add-account " << h.id
              << " ACCOUNT`\n";
  } else {
    TextTable table({"account", "type", "treatment", "taxpayers", "value", "as of", "name"},
                    {Align::kLeft, Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight,
                     Align::kLeft, Align::kLeft});
    double total = 0;
    size_t valued = 0;
    for (size_t k = 0; k < h.members.size(); ++k) {
      const Account& a = h.members[k];
      if (values[k]) {
        total += values[k]->market_value;
        ++valued;
      }
      table.AddRow({a.id, std::string(ToString(a.type)),
                    std::string(household::ToString(household::TaxTreatmentOf(a.type))),
                    Joined(a.taxpayers, ";"),
                    values[k] ? FormatDollars(values[k]->market_value) : "-",
                    values[k] ? values[k]->as_of : "not reviewed", a.name});
    }
    table.AddRule();
    // A member never reviewed has no value: the total says so rather than count it as zero.
    if (valued == 0) {
      table.AddRow({"total", "", "", "", "-", "not reviewed", ""});
    } else {
      table.AddRow({"total", "", "", "", FormatDollars(total),
                    valued < h.members.size() ? "reviewed members only" : "", ""});
    }
    table.Print(std::cout);
    for (size_t k = 0; k < h.members.size(); ++k) {
      if (!menus[k]) continue;
      std::cout << "fund menu of " << h.members[k].id << ": " << Joined(menus[k]->symbols, ", ")
                << " (buys nothing else)\n";
    }
  }
  std::cout << "\nmembership changes:" << (audit.empty() ? " none\n" : "\n");
  if (audit.empty()) return;
  TextTable changes({"at", "by", "account", "change"},
                    {Align::kLeft, Align::kLeft, Align::kLeft, Align::kLeft});
  for (const HouseholdAuditEntry& e : audit) {
    changes.AddRow({e.at, e.user.empty() ? "(" + e.note + ")" : e.user, e.account, Movement(e)});
  }
  changes.Print(std::cout);
}

void RunList(const GlobalOptions& global, bool json) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  const std::vector<HouseholdSummary> households = OrFail(ListHouseholds(*store));
  if (json) {
    ordered_json out = ordered_json::array();
    for (const HouseholdSummary& h : households) {
      out.push_back({{"id", h.id},
                     {"name", h.name},
                     {"accounts", h.accounts},
                     {"template", h.template_name},
                     {"drift_penalty", h.drift_penalty},
                     {"created", h.created}});
    }
    std::cout << out.dump(2) << "\n";
    return;
  }
  if (households.empty()) {
    std::cout << "no households yet: `arbor household create ID` or `arbor import households`\n";
    return;
  }
  TextTable table({"household", "name", "accounts", "target", "drift penalty"},
                  {Align::kLeft, Align::kLeft, Align::kRight, Align::kLeft, Align::kRight});
  for (const HouseholdSummary& h : households) {
    std::ostringstream penalty;
    penalty << h.drift_penalty;
    table.AddRow({h.id, h.name, std::to_string(h.accounts),
                  h.template_name.empty() ? "-" : h.template_name, penalty.str()});
  }
  table.Print(std::cout);
}

// A yearly benefit as basis points a year, "20 bps" for 0.002; blank for none.
std::string Bps(double benefit) {
  if (benefit == 0) return "";
  std::ostringstream text;
  text << benefit * 10'000 << " bps";
  return text.str();
}

void RunLocationShow(const GlobalOptions& global, bool json) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  const StoredLocationPolicy stored = OrFail(LoadLocationPolicy(*store));
  if (json) {
    ordered_json rules = ordered_json::array();
    for (const household::LocationRule& r : stored.policy.rules) {
      rules.push_back({{"match", household::ToString(r.match)},
                       {"value", r.value},
                       {"taxable", r.taxable},
                       {"tax_deferred", r.tax_deferred},
                       {"tax_exempt", r.tax_exempt}});
    }
    ordered_json out = {{"defaults", stored.defaults},
                        {"saved_by", stored.saved_by},
                        {"saved_at", stored.saved_at},
                        {"rules", rules}};
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::cout << "asset location: "
            << (stored.defaults
                    ? "Arbor's defaults (the firm has not set its own)"
                    : "the firm's rules, set by " + stored.saved_by + " at " + stored.saved_at)
            << "\n";
  if (stored.policy.rules.empty()) {
    std::cout << "no rules: asset location is off\n";
    return;
  }
  std::cout << "yearly benefit of holding it there, as a fraction of its value; the first rule "
               "that matches a security applies\n\n";
  TextTable table(
      {"#", "match", "value", "taxable", "tax_deferred", "tax_exempt"},
      {Align::kRight, Align::kLeft, Align::kLeft, Align::kRight, Align::kRight, Align::kRight});
  for (size_t k = 0; k < stored.policy.rules.size(); ++k) {
    const household::LocationRule& r = stored.policy.rules[k];
    table.AddRow({std::to_string(k + 1), std::string(household::ToString(r.match)), r.value,
                  Bps(r.taxable), Bps(r.tax_deferred), Bps(r.tax_exempt)});
  }
  table.Print(std::cout);
}

struct LocationSetOptions {
  std::vector<std::string> rules;
  bool defaults = false;
  bool none = false;
  std::string user;
};

void RunLocationSet(const GlobalOptions& global, const LocationSetOptions& options) {
  if (options.rules.empty() && !options.defaults && !options.none) {
    Fail(Status::InvalidArgument("give the rules (--rule, repeatable), --defaults or --none"));
  }
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  if (options.defaults) {
    OrFail(ResetLocationPolicy(*store));
    std::cout << "asset location: back to Arbor's defaults\n";
    return;
  }
  household::LocationPolicy policy;
  for (const std::string& text : options.rules) {
    policy.rules.push_back(OrFail(household::ParseLocationRule(text)));
  }
  OrFail(SaveLocationPolicy(*store, policy, ChangeBy(options.user)));
  std::cout << "asset location: " << policy.rules.size() << " rule"
            << (policy.rules.size() == 1 ? "" : "s") << " saved"
            << (policy.rules.empty() ? " (asset location is off)" : "") << "\n";
}

void AddLocationCommands(CLI::App* group, const GlobalOptions& global) {
  auto* location = group->add_subcommand(
      "location", "The firm's asset-location preferences (which account type holds what)");
  location->require_subcommand(1);
  auto* show = location->add_subcommand("show", "The rules in force, defaults or the firm's");
  auto json = std::make_shared<bool>(false);
  show->add_flag("--json", *json, "print JSON");
  show->callback([&global, json] { RunLocationShow(global, *json); });

  auto options = std::make_shared<LocationSetOptions>();
  auto* set = location->add_subcommand("set", "Replace the firm's rules");
  auto* rules = set->add_option(
      "--rule", options->rules,
      "MATCH=VALUE: TREATMENT BENEFIT[, ...], e.g. \"asset_class=Core Bonds: tax_deferred 0.002\" "
      "(MATCH: symbol, asset_class, sector, type, product; TREATMENT: taxable, tax_deferred, "
      "tax_exempt; BENEFIT: a yearly fraction of value)");
  auto* defaults = set->add_flag("--defaults", options->defaults, "back to Arbor's defaults");
  auto* none = set->add_flag("--none", options->none, "no rules: asset location off");
  rules->excludes(defaults)->excludes(none);
  defaults->excludes(none);
  set->add_option("--user", options->user, "who sets them (default $USER)");
  set->callback([&global, options] { RunLocationSet(global, *options); });
}

}  // namespace

void AddHouseholdCommands(CLI::App& app, const GlobalOptions& global) {
  auto* group = app.add_subcommand(
      "household", "Households: accounts of one taxpayer or spouses managed to one target");
  group->require_subcommand(1);

  auto create_options = std::make_shared<CreateOptions>();
  auto* create = group->add_subcommand(
      "create", "Create a household, or change its name, target or drift penalty");
  create->add_option("id", create_options->id, "household id")->required();
  create->add_option("--name", create_options->name, "the clients' name");
  AddCustomizationOptions(create, &create_options->target);
  create->add_option("--drift-penalty", create_options->drift_penalty,
                     "dollars per dollar of an account's own drift (default 0: managed as one)");
  create->add_option("--account", create_options->accounts, "an account to add (repeatable)");
  create->add_option("--user", create_options->user, "who acts (default $USER)");
  create->callback([&global, create_options] { RunCreate(global, *create_options); });

  auto household = std::make_shared<std::string>();
  auto account = std::make_shared<std::string>();
  auto user = std::make_shared<std::string>();
  auto* add = group->add_subcommand("add-account", "Add an account (audited)");
  auto* remove = group->add_subcommand("remove-account", "Take an account out (audited)");
  for (CLI::App* cmd : {add, remove}) {
    cmd->add_option("household", *household, "household id")->required();
    cmd->add_option("account", *account, "account id")->required();
    cmd->add_option("--user", *user, "who acts (default $USER)");
  }
  add->callback([&global, household, account, user] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    const bool joined =
        OrFail(AddAccountToHousehold(*store, *household, *account, ChangeBy(*user)));
    std::cout << "account " << *account << (joined ? " added to" : " is already in")
              << " household " << *household << "\n";
  });
  remove->callback([&global, household, account, user] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    OrFail(RemoveAccountFromHousehold(*store, *household, *account, ChangeBy(*user)));
    std::cout << "account " << *account << " removed from household " << *household << "\n";
  });

  auto json = std::make_shared<bool>(false);
  auto* show = group->add_subcommand(
      "show", "Members with type and value, the target, and the membership changes");
  show->add_option("household", *household, "household id")->required();
  show->add_flag("--json", *json, "print JSON");
  show->callback([&global, household, json] { RunShow(global, *household, *json); });
  auto* list = group->add_subcommand("list", "Every household");
  list->add_flag("--json", *json, "print JSON");
  list->callback([&global, json] { RunList(global, *json); });

  AddLocationCommands(group, global);

  // AddStoreCommands, called before this in main(), created `import`.
  auto* import = app.get_subcommand("import")->add_subcommand(
      "households",
      "JSON {\"households\": [{id, name, drift_penalty, accounts, target}]} or CSV "
      "household,account[,name,template,drift_penalty]");
  auto files = std::make_shared<std::vector<std::string>>();
  import->add_option("files", *files, "JSON or CSV files (all are imported together, or none)")
      ->required()
      ->check(CLI::ExistingFile);
  import->add_option("--user", *user, "who imports, for the audit log (default $USER)");
  import->callback([&global, files, user] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  const ImportSummary summary = OrFail(ImportHouseholds(*store, *files, ChangeBy(*user)));
  std::cout << "imported households into " << global.db_path << ": " << summary.rows_read
            << " read, " << summary.inserted << " created, " << summary.updated << " updated, "
            << summary.unchanged << " unchanged\n";
});
}  // namespace arbor::cli

}  // namespace arbor::cli
