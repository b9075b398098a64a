// The IPC's catalogue (docs/import-formats.md, "Investment models"):
//   arbor template import FILE.json... | template list | template show NAME [--version N]
//   arbor model import FILE.csv... --name SP500 | model list | model show NAME [--version N]
//   arbor screen import FILE... | screen list | screen show NAME
// Imports are all-or-nothing; a new version reaches every account on the template (or using the
// model) at its next review on or after the version's effective date.
#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "adapters/io/model_files.h"
#include "adapters/storage/model_store.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/output.h"
#include "core/models/screen.h"
#include "core/models/template_tree.h"
#include "core/models/weight_text.h"

namespace arbor::cli {
namespace {

using models::WeightText;

std::string Join(const std::vector<std::string>& names, const std::string& separator = ", ") {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : separator) + name;
  return text;
}

void PrintImport(const GlobalOptions& global, const std::string& kind,
                 const ImportSummary& summary) {
  std::cout << "imported " << kind << " into " << global.db_path << ": " << summary.rows_read
            << " read, " << summary.inserted << " stored, " << summary.unchanged << " unchanged\n";
}

// `import` subcommand of a group: FILE... through `function`, then `after` (may be null) to
// report on the imported files.
void AddImport(
    CLI::App* group, const GlobalOptions& global, const std::string& kind,
    const std::string& description,
    std::function<Result<ImportSummary>(Store&, const std::vector<std::string>&)> function,
    std::function<void(Store&, const std::vector<std::string>&)> after = nullptr) {
  auto* cmd = group->add_subcommand("import", description);
  auto files = std::make_shared<std::vector<std::string>>();
  cmd->add_option("files", *files, "files (all are imported together, or none)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->callback([&global, files, function, after, kind] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    PrintImport(global, kind, OrFail(function(*store, *files)));
    if (after) after(*store, *files);
  });
}

// The version asked for, or the latest; NotFound naming what exists.
template <typename T>
const T& PickVersion(const std::vector<T>* history, const std::string& what,
                     const std::string& name, int version) {
  if (history == nullptr) {
    Fail(Status::NotFound("unknown " + what + " '" + name + "'; `arbor " + what +
                          " list` shows the stored ones"));
  }
  if (version == 0) return history->back();
  for (const T& item : *history) {
    if (item.version == version) return item;
  }
  Fail(Status::NotFound(what + " '" + name + "' has no version " + std::to_string(version) +
                        " (versions 1 to " + std::to_string(history->back().version) + ")"));
}

std::string VersionList(int count) {
  return std::to_string(count) + (count == 1 ? " version" : " versions");
}

// ---- templates ----

// Who a template import reaches: for each template in the files, its latest version and the
// accounts on it, which take that version at their first review on or after its date.
void PrintTemplateReach(Store& store, const std::vector<std::string>& files) {
  std::map<std::string, const models::Template*> latest;
  std::vector<std::vector<Placed<models::Template>>> read;
  for (const std::string& file : files) read.push_back(OrFail(ReadTemplatesJson(file)));
  for (const auto& templates : read) {
    for (const Placed<models::Template>& placed : templates) {
      const models::Template*& t = latest[placed.value.name];
      if (t == nullptr || t->version < placed.value.version) t = &placed.value;
    }
  }
  for (const auto& [name, tmpl] : latest) {
    std::vector<std::string> accounts = OrFail(AccountsUsingTemplate(store, name));
    std::cout << name << " v" << tmpl->version << " (effective " << tmpl->effective.ToString()
              << ") reaches " << accounts.size()
              << (accounts.size() == 1 ? " account" : " accounts")
              << ", each at its first review on or after that date\n";
  }
}

void ShowTemplate(const GlobalOptions& global, const std::string& name, int version) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  models::ModelBook book = OrFail(LoadModelBook(*store));
  const std::vector<models::Template>* history = book.TemplateHistory(name);
  const models::Template& tmpl = PickVersion(history, "template", name, version);
  models::TemplateTree tree = OrFail(models::BuildTemplateTree(tmpl));
  std::cout << tmpl.name << " v" << tmpl.version << ", effective " << tmpl.effective.ToString()
            << " (" << VersionList(static_cast<int>(history->size())) << ")";
  if (!tmpl.description.empty()) std::cout << ": " << tmpl.description;
  std::cout << "\n\n";
  TextTable table(
      {"class", "weight", "absolute", "band", "removable", "products (* default)"},
      {Align::kLeft, Align::kRight, Align::kRight, Align::kLeft, Align::kLeft, Align::kLeft});
  std::function<void(int, int)> add = [&](int c, int depth) {
    const models::AssetClass& asset_class = tmpl.classes[c];
    std::vector<std::string> products;
    for (const models::ProductOption& p : asset_class.products) {
      products.push_back((p.id == asset_class.default_product ? "*" : "") + p.id + " (" +
                         std::string(models::ToString(p.kind)) +
                         (p.reference.empty() ? "" : " " + p.reference) + ")");
    }
    const bool leaf = tree.IsLeaf(c);
    table.AddRow({std::string(2 * depth, ' ') + asset_class.name, WeightText(asset_class.weight),
                  WeightText(tree.absolute[c]),
                  leaf ? "[" + WeightText(asset_class.min_weight) + ", " +
                             WeightText(asset_class.max_weight) + "]"
                       : "",
                  asset_class.removable ? "yes" : "no", Join(products)});
    for (int child : tree.children[c]) add(child, depth + 1);
  };
  for (int c : tree.top) add(c, 0);
  table.Print(std::cout);
  std::vector<std::string> accounts = OrFail(AccountsUsingTemplate(*store, name));
  std::cout << "\naccounts on " << name << ": " << accounts.size();
  // A firm has thousands; the first few show what the ids look like.
  constexpr size_t kShown = 8;
  if (accounts.size() > kShown) {
    const size_t more = accounts.size() - kShown;
    accounts.resize(kShown);
    std::cout << " (" << Join(accounts) << " and " << more << " more)";
  } else if (!accounts.empty()) {
    std::cout << " (" << Join(accounts) << ")";
  }
  std::cout << "\n";
}

void AddTemplateCommands(CLI::App& app, const GlobalOptions& global) {
  auto* group =
      app.add_subcommand("template", "The IPC's asset-allocation templates, every version kept");
  group->require_subcommand(1);
  AddImport(group, global, "templates",
            "Import templates from JSON (name, version, effective, classes; "
            "docs/import-formats.md)",
            &ImportTemplates, &PrintTemplateReach);

  auto* list = group->add_subcommand("list", "Every template with its latest version");
  list->callback([&global] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    std::vector<TemplateSummary> templates = OrFail(ListTemplates(*store));
    if (templates.empty()) {
      std::cout << "no templates; import some with `arbor template import FILE.json`\n";
      return;
    }
    TextTable table(
        {"template", "versions", "latest", "effective", "accounts", "description"},
        {Align::kLeft, Align::kRight, Align::kRight, Align::kLeft, Align::kRight, Align::kLeft});
    for (const TemplateSummary& t : templates) {
      table.AddRow({t.name, std::to_string(t.versions), "v" + std::to_string(t.latest_version),
                    t.latest_effective.ToString(), std::to_string(t.accounts), t.description});
    }
    table.Print(std::cout);
  });

  auto* show = group->add_subcommand("show", "A template's tree: weights, bands, products");
  auto name = std::make_shared<std::string>();
  auto version = std::make_shared<int>(0);
  show->add_option("name", *name, "template name")->required();
  show->add_option("--version", *version, "version (default: the latest)")
      ->check(CLI::PositiveNumber);
  show->callback([&global, name, version] { ShowTemplate(global, *name, *version); });
}

// ---- security models ----

// How far a model update reaches: the template versions offering the model and the accounts on
// those templates (the ones implementing the class with it take its newest version at their
// next review on or after the version's effective date).
void PrintModelReach(Store& store, const std::string& model) {
  std::vector<TemplateVersionRef> users = OrFail(TemplatesUsingSecurityModel(store, model));
  std::vector<std::string> places;
  std::set<std::string> accounts;
  for (const TemplateVersionRef& ref : users) {
    places.push_back(ref.name + " v" + std::to_string(ref.version) + " (" + ref.asset_class + ")");
    for (const std::string& account : OrFail(AccountsUsingTemplate(store, ref.name))) {
      accounts.insert(account);
    }
  }
  std::cout << model << " is a product of " << (places.empty() ? "no template" : Join(places))
            << "; accounts on those templates: " << accounts.size() << "\n";
}

void ShowModel(const GlobalOptions& global, const std::string& name, int version, size_t top,
               bool all) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  models::ModelBook book = OrFail(LoadModelBook(*store));
  const std::vector<models::SecurityModel>* history = book.SecurityModelHistory(name);
  const models::SecurityModel& model = PickVersion(history, "model", name, version);
  std::cout << model.name << " v" << model.version << ", effective " << model.effective.ToString()
            << " (" << VersionList(static_cast<int>(history->size()))
            << "): " << model.weights.size() << " securities";
  if (!model.description.empty()) std::cout << "; " << model.description;
  std::cout << "\n\n";
  std::vector<models::ModelWeight> weights = model.weights;
  std::stable_sort(weights.begin(), weights.end(),
                   [](const auto& a, const auto& b) { return a.weight > b.weight; });
  const size_t shown = all ? weights.size() : std::min(top, weights.size());
  TextTable table({"symbol", "weight"}, {Align::kLeft, Align::kRight});
  double shown_weight = 0;
  for (size_t i = 0; i < shown; ++i) {
    table.AddRow({weights[i].symbol, WeightText(weights[i].weight)});
    shown_weight += weights[i].weight;
  }
  table.Print(std::cout);
  if (shown < weights.size()) {
    std::cout << "top " << shown << " of " << weights.size() << " (" << WeightText(shown_weight)
              << " of the model); --all lists every one\n";
  }
  std::cout << "\n";
  PrintModelReach(*store, name);
}

void AddModelCommands(CLI::App& app, const GlobalOptions& global) {
  auto* group = app.add_subcommand(
      "model", "Security models (direct indexes, active and third-party models), every version");
  group->require_subcommand(1);
  auto* import_cmd = group->add_subcommand(
      "import", "Import security models from CSV symbol,weight,effective_date[,model]");
  auto files = std::make_shared<std::vector<std::string>>();
  auto name = std::make_shared<std::string>();
  import_cmd->add_option("files", *files, "CSV files (all are imported together, or none)")
      ->required()
      ->check(CLI::ExistingFile);
  import_cmd->add_option("--name", *name, "the model's name, for files without a model column");
  import_cmd->callback([&global, files, name] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    PrintImport(global, "security model versions",
                OrFail(ImportSecurityModels(*store, *files, *name)));
    if (!name->empty()) PrintModelReach(*store, *name);
  });

  auto* list = group->add_subcommand("list", "Every security model with its latest version");
  list->callback([&global] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    std::vector<SecurityModelSummary> summaries = OrFail(ListSecurityModels(*store));
    if (summaries.empty()) {
      std::cout << "no security models; import one with `arbor model import FILE.csv --name "
                   "NAME`\n";
      return;
    }
    TextTable table(
        {"model", "versions", "latest", "effective", "securities", "description"},
        {Align::kLeft, Align::kRight, Align::kRight, Align::kLeft, Align::kRight, Align::kLeft});
    for (const SecurityModelSummary& m : summaries) {
      table.AddRow({m.name, std::to_string(m.versions), "v" + std::to_string(m.latest_version),
                    m.latest_effective.ToString(), std::to_string(m.securities), m.description});
    }
    table.Print(std::cout);
  });

  auto* show = group->add_subcommand("show", "A security model's top weights");
  auto show_name = std::make_shared<std::string>();
  auto version = std::make_shared<int>(0);
  auto top = std::make_shared<size_t>(20);
  auto all = std::make_shared<bool>(false);
  show->add_option("name", *show_name, "model name")->required();
  show->add_option("--version", *version, "version (default: the latest)")
      ->check(CLI::PositiveNumber);
  show->add_option("--top", *top, "how many of the largest weights to list")->capture_default_str();
  show->add_flag("--all", *all, "list every security");
  show->callback([&global, show_name, version, top, all] {
    ShowModel(global, *show_name, *version, *top, *all);
  });
}  // namespace

// ---- screens ----

void ShowScreen(const GlobalOptions& global, const std::string& name) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  models::ModelBook book = OrFail(LoadModelBook(*store));
  const models::Screen* screen = book.FindScreen(name);
  if (screen == nullptr) {
    Fail(Status::NotFound("unknown screen '" + name +
                          "'; `arbor screen list` shows the stored ones"));
  }
  SecurityMaster master = OrFail(store->LoadSecurities());
  std::vector<std::string> excluded =
      OrFail(models::ScreenedSymbols({name}, book.screens(), master));
  std::cout << screen->name;
  if (!screen->description.empty()) std::cout << ": " << screen->description;
  std::cout << "\n";
  if (!screen->sub_industries.empty())
    std::cout << "  sub-industries: " << Join(screen->sub_industries) << "\n";
  if (!screen->symbols.empty()) std::cout << "  symbols: " << Join(screen->symbols) << "\n";
  if (!screen->includes.empty()) std::cout << "  includes: " << Join(screen->includes) << "\n";
  std::cout << "\nexcludes " << excluded.size() << " of the " << master.size() << " securities:\n";
  TextTable table({"symbol", "name", "sub-industry"}, {Align::kLeft, Align::kLeft, Align::kLeft});
  for (const std::string& symbol : excluded) {
    const Security* security = master.Find(symbol);
    table.AddRow({symbol, security == nullptr ? "(not in the securities)" : security->name,
                  security == nullptr ? "" : security->gics.sub_industry});
  }
  table.Print(std::cout);
}

void AddScreenCommands(CLI::App& app, const GlobalOptions& global) {
  auto* group = app.add_subcommand(
      "screen", "Values (ESG) screens: by GICS sub-industry, by list, by other screens");
  group->require_subcommand(1);
  AddImport(group, global, "screens",
            "Import screens from JSON (*.json) or CSV screen,sub_industry,symbol,include",
            &ImportScreens);

  auto* list = group->add_subcommand("list", "Every screen and how many securities it excludes");
  list->callback([&global] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    models::ModelBook book = OrFail(LoadModelBook(*store));
    if (book.screens().empty()) {
      std::cout << "no screens; import some with `arbor screen import FILE`\n";
      return;
    }
    SecurityMaster master = OrFail(store->LoadSecurities());
    TextTable table(
        {"screen", "excludes", "sub-industries", "symbols", "includes", "description"},
        {Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kLeft, Align::kLeft});
    for (const models::Screen& screen : book.screens()) {
      std::vector<std::string> excluded =
          OrFail(models::ScreenedSymbols({screen.name}, book.screens(), master));
      table.AddRow({screen.name, std::to_string(excluded.size()),
                    std::to_string(screen.sub_industries.size()),
                    std::to_string(screen.symbols.size()), Join(screen.includes),
                    screen.description});
    }
    table.Print(std::cout);
  });

  auto* show = group->add_subcommand(
      "show", "A screen's definition and the securities it excludes from the current master");
  auto name = std::make_shared<std::string>();
  show->add_option("name", *name, "screen name")->required();
  show->callback([&global, name] { ShowScreen(global, *name); });
}

}  // namespace

void AddModelCatalogueCommands(CLI::App& app, const GlobalOptions& global) {
  AddTemplateCommands(app, global);
  AddModelCommands(app, global);
  AddScreenCommands(app, global);
}

}  // namespace arbor::cli
