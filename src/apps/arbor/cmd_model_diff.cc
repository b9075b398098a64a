// arbor model diff NAME [--version N]: what version N of a template or security model changed
// against version N-1, and which accounts and dollars it reaches. Every account with a
// customization is resolved the day before the version takes effect and on the day, so the
// reach counts exactly the accounts whose targets move (a screened or switched-out class is not
// reached), and the dollars are their market values on that day.
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>

#include "adapters/storage/model_store.h"
#include "adapters/storage/risk_model_store.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/ledger_views.h"
#include "apps/arbor/model_diff_report.h"
#include "apps/arbor/output.h"
#include "core/models/model_diff.h"
#include "core/models/resolution.h"
#include "core/models/risk_reallocator.h"
#include "core/models/weight_text.h"

namespace arbor::cli {
namespace {

using models::WeightText;

std::string SignedWeight(double change) {
  return (change > 0 ? "+" : change < 0 ? "-" : "") + WeightText(std::abs(change));
}

template <typename Version>
std::pair<const Version*, const Version*> PickPair(const std::vector<Version>* history,
                                                   const std::string& name, int version) {
  const int latest = static_cast<int>(history->size());
  const int to = version == 0 ? latest : version;
  if (to < 1 || to > latest) {
    Fail(Status::NotFound(name + " has versions 1.." + std::to_string(latest) + ", not " +
                          std::to_string(to)));
  }
  if (to == 1) Fail(Status::FailedPrecondition(name + " v1 has no earlier version to compare"));
  return {&(*history)[to - 2], &(*history)[to - 1]};
}

void PrintSecurityModelDiff(const models::SecurityModel& from, const models::SecurityModel& to) {
  const models::SecurityModelDiff diff = models::DiffSecurityModels(from, to);
  std::cout << to.name << " v" << from.version << " (" << from.effective.ToString() << ", "
            << from.weights.size() << " names) -> v" << to.version << " ("
            << to.effective.ToString() << ", " << to.weights.size() << " names): "
            << diff.changes.size() << " weights changed, " << diff.added << " added, "
            << diff.removed << " removed; one-way turnover " << FormatPercent(diff.turnover, 1)
            << " of the sleeve\n\n";
  TextTable table({"symbol", "before", "after", "change"},
                  {Align::kLeft, Align::kRight, Align::kRight, Align::kRight});
  for (size_t i = 0; i < diff.changes.size() && i < 15; ++i) {
    const models::WeightChange& c = diff.changes[i];
    table.AddRow({c.name, WeightText(c.before), WeightText(c.after), SignedWeight(c.after - c.before)});
  }
  table.Print(std::cout);
  if (diff.changes.size() > 15) std::cout << "the 15 largest of " << diff.changes.size() << "\n";
}

void PrintTemplateDiff(const models::Template& from, const models::Template& to) {
  const models::TemplateDiff diff = models::DiffTemplates(from, to);
  std::cout << to.name << " v" << from.version << " (" << from.effective.ToString() << ") -> v"
            << to.version << " (" << to.effective.ToString() << "): " << diff.changes.size()
            << " classes changed; one-way turnover " << FormatPercent(diff.turnover, 1) << "\n";
  if (!to.description.empty()) std::cout << "v" << to.version << ": " << to.description << "\n";
  std::cout << "\n";
  TextTable table({"class", "before", "after", "change", "default product"},
                  {Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kLeft});
  for (const models::ClassChange& c : diff.changes) {
    const std::string product = c.product_before == c.product_after
                                    ? c.product_after
                                    : (c.product_before.empty() ? "-" : c.product_before) + " -> " +
                                          (c.product_after.empty() ? "-" : c.product_after);
    table.AddRow({c.asset_class, WeightText(c.before), WeightText(c.after),
                  SignedWeight(c.after - c.before), product});
  }
  table.Print(std::cout);
}

struct Reach {
  std::string account;
  double value = 0;
  double moved = 0;  // fraction of the account
};

// Every customized account whose targets differ between the day before `effective` and the day.
std::vector<Reach> ReachOf(Store& store, const models::ModelBook& book, Date effective,
                           size_t* customized) {
  SecurityMaster master = OrFail(store.LoadSecurities());
  Result<RiskModel> risk = LoadRiskModel(store.database(), effective);
  models::ProRataReallocator pro_rata;
  std::unique_ptr<models::RiskModelReallocator> by_risk;
  if (risk.ok()) by_risk = std::make_unique<models::RiskModelReallocator>(*risk, master);
  const models::ScreenReallocator* reallocator =
      by_risk ? static_cast<const models::ScreenReallocator*>(by_risk.get()) : &pro_rata;
  models::Resolver resolver(book, master, reallocator);
  std::vector<Reach> reached;
  *customized = 0;
  for (const Account& account : OrFail(store.LoadAccounts())) {
    std::optional<models::Customization> c = OrFail(LoadCustomization(store, account.id));
    if (!c) continue;
    ++*customized;
    Result<models::Resolution> before = resolver.Resolve(*c, effective.AddDays(-1));
    Result<models::Resolution> after = resolver.Resolve(*c, effective);
    if (!after.ok()) {
      std::cout << "note: " << account.id << " does not resolve under the new version: "
                << after.status().message() << "\n";
      continue;
    }
    if (!before.ok()) continue;  // not on this catalogue before: nothing changes for it
    const double moved = models::TargetTurnover(*before, *after);
    if (moved < 1e-9) continue;
    LotsView view = OrFail(LoadLotsView(store, account.id, effective));
    reached.push_back({account.id, (view.market_value_total + view.cash).ToDouble(), moved});
  }
  std::stable_sort(reached.begin(), reached.end(), [](const Reach& a, const Reach& b) {
    return a.value * a.moved > b.value * b.moved;
  });
  return reached;
}

void PrintReach(Store& store, const models::ModelBook& book, Date effective) {
  size_t customized = 0;
  const std::vector<Reach> reached = ReachOf(store, book, effective, &customized);
  double value = 0, moved = 0;
  for (const Reach& r : reached) {
    value += r.value;
    moved += r.value * r.moved;
  }
  std::cout << "\nReach at the first review on or after " << effective.ToString() << ": "
            << reached.size() << " of " << customized << " customized accounts, "
            << FormatDollars(value, 0) << " in all";
  if (value > 0) {
    std::cout << "; following it moves " << FormatDollars(moved, 0) << " ("
              << FormatPercent(moved / value, 1) << " of their value) before tax-aware deferral";
  }
  std::cout << "\n";
  if (reached.empty()) return;
  std::cout << "\n";
  TextTable table({"account", "value", "targets moved", "dollars"},
                  {Align::kLeft, Align::kRight, Align::kRight, Align::kRight});
  for (size_t i = 0; i < reached.size() && i < 10; ++i) {
    const Reach& r = reached[i];
    table.AddRow({r.account, FormatDollars(r.value, 0), FormatPercent(r.moved, 1),
                  FormatDollars(r.value * r.moved, 0)});
  }
  table.Print(std::cout);
  if (reached.size() > 10) std::cout << "the 10 moving the most dollars\n";
}

}  // namespace

void ReportModelDiff(Store& store, const std::string& name, int version) {
  const models::ModelBook book = OrFail(LoadModelBook(store));
  if (const std::vector<models::Template>* history = book.TemplateHistory(name)) {
    auto [from, to] = PickPair(history, "template " + name, version);
    PrintTemplateDiff(*from, *to);
    PrintReach(store, book, to->effective);
    return;
  }
  if (const std::vector<models::SecurityModel>* history = book.SecurityModelHistory(name)) {
    auto [from, to] = PickPair(history, "security model " + name, version);
    PrintSecurityModelDiff(*from, *to);
    PrintReach(store, book, to->effective);
    return;
  }
  Fail(Status::NotFound("no template or security model named '" + name +
                        "'; see `arbor template list` and `arbor model list`"));
}

void AddModelDiffCommand(CLI::App& app, const GlobalOptions& global) {
  // AddModelCatalogueCommands, called before this in main(), created `model`.
  CLI::App* group = app.get_subcommand("model");
  auto* diff = group->add_subcommand(
      "diff", "What a template or security model version changed, and the accounts it reaches");
  auto name = std::make_shared<std::string>();
  auto version = std::make_shared<int>(0);
  diff->add_option("name", *name, "template or security model name")->required();
  diff->add_option("--version", *version, "the version to compare with the one before (default: latest)");
  diff->callback([&global, name, version] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    ReportModelDiff(*store, *name, *version);
  });
}

}  // namespace arbor::cli
