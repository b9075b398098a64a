// The central rebalancing group's workbench over a daily review run (docs/workbench.md):
//   arbor workbench fields
//   arbor workbench query [--run N] [--filter TEXT | --saved NAME | --account ID...]
//                         [--sort FIELD] [--desc] [--limit N] [--format table|csv|json]
//   arbor workbench filter save NAME TEXT [--description TEXT] [--replace] | list | show NAME
//                          | delete NAME
//   arbor workbench suspend|approve|review|release (--filter TEXT | --saved NAME | --account ID...)
//                         [--run N] [--user NAME] [--note TEXT]
//   arbor workbench audit [--run N] [--accounts]
//   arbor workbench trades [--run N] --blotter FILE --blocks FILE [--again] [--user NAME]
// Who acts is --user, or $USER; when is the system clock, in UTC. Both are recorded in the
// append-only audit log with every action and export.
#include <iostream>
#include <memory>

#include "adapters/io/trade_files.h"
#include "adapters/storage/store.h"
#include "adapters/storage/workbench_store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/output.h"
#include "apps/arbor/workbench_views.h"

namespace arbor::cli {
namespace {

using workbench::BatchAction;

// Options shared by the commands that pick accounts of a run.
struct SelectionOptions {
  int64_t run = 0;  // 0: the latest
  std::string filter;
  std::string saved;
  std::vector<std::string> accounts;

  std::optional<int64_t> Run() const { return run > 0 ? std::optional(run) : std::nullopt; }
  Selection ToSelection() const { return {filter, saved, accounts}; }
};

void AddRunOption(CLI::App* cmd, int64_t* run) {
  cmd->add_option("--run", *run, "review run id (default: the latest)")->check(CLI::PositiveNumber);
}

void AddSelectionOptions(CLI::App* cmd, SelectionOptions* options) {
  AddRunOption(cmd, &options->run);
  auto* filter = cmd->add_option("--filter", options->filter,
                                 "filter text, e.g. \"must_trade and not suspended\"");
  auto* saved = cmd->add_option("--saved", options->saved, "a saved filter's name");
  auto* accounts = cmd->add_option("--account", options->accounts, "account ids");
  filter->excludes(saved)->excludes(accounts);
  saved->excludes(accounts);
}

std::unique_ptr<Store> OpenStore(const GlobalOptions& global) {
  return OrFail(Store::Open(global.db_path));
}

void AddQuery(CLI::App* group, const GlobalOptions& global) {
  struct Options {
    SelectionOptions selection;
    std::string sort = "account";
    bool descending = false;
    int64_t limit = 0;
    std::string format = "table";
  };
  auto options = std::make_shared<Options>();
  auto* cmd = group->add_subcommand("query", "The accounts of a review run a filter selects");
  AddSelectionOptions(cmd, &options->selection);
  cmd->add_option("--sort", options->sort, "field to sort by (default account)");
  cmd->add_flag("--desc", options->descending, "largest first");
  cmd->add_option("--limit", options->limit, "show at most N rows")->check(CLI::PositiveNumber);
  cmd->add_option("--format", options->format, "table (key metrics), csv or json (every field)")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  cmd->callback([&global, options] {
    std::unique_ptr<Store> store = OpenStore(global);
    ReviewQuery query{.run = options->selection.Run(),
                      .selection = options->selection.ToSelection(),
                      .sort = options->sort,
                      .descending = options->descending,
                      .fields = QueryFields(options->sort, options->format)};
    if (options->limit > 0) query.limit = options->limit;
    PrintQuery(OrFail(QueryReview(store->database(), query)), options->format, std::cout);
  });
}

void AddFilterCommands(CLI::App* group, const GlobalOptions& global) {
  auto* filter = group->add_subcommand("filter", "Saved named filters");
  filter->require_subcommand(1);

  struct SaveOptions {
    std::string name, text, description, user;
    bool replace = false;
  };
  auto save_options = std::make_shared<SaveOptions>();
  auto* save = filter->add_subcommand("save", "Check a filter and save it under a name");
  save->add_option("name", save_options->name, "letters, digits, '_', '-', '.'")->required();
  save->add_option("text", save_options->text, "the filter, e.g. \"score_bps >= 25\"")->required();
  save->add_option("--description", save_options->description, "what it is for");
  save->add_flag("--replace", save_options->replace, "overwrite a filter of that name");
  save->add_option("--user", save_options->user, "who saves it (default $USER)");
  save->callback([&global, save_options] {
    std::unique_ptr<Store> store = OpenStore(global);
    OrFail(SaveFilter(store->database(),
                      {.name = save_options->name,
                       .text = save_options->text,
                       .description = save_options->description,
                       .created_by = User(save_options->user),
                       .created_at = Now()},
                      save_options->replace));
    std::cout << "saved filter " << save_options->name << ": "
              << OrFail(LoadFilter(store->database(), save_options->name)).text << "\n";
  });

  filter->add_subcommand("list", "Every saved filter")->callback([&global] {
    std::unique_ptr<Store> store = OpenStore(global);
    PrintFilters(OrFail(ListFilters(store->database())), std::cout);
  });

  auto name = std::make_shared<std::string>();
  auto* show = filter->add_subcommand("show", "One saved filter");
  show->add_option("name", *name, "its name")->required();
  show->callback([&global, name] {
    std::unique_ptr<Store> store = OpenStore(global);
    PrintFilters({OrFail(LoadFilter(store->database(), *name))}, std::cout);
  });

  auto* remove = filter->add_subcommand("delete", "Delete a saved filter");
  remove->add_option("name", *name, "its name")->required();
  remove->callback([&global, name] {
    std::unique_ptr<Store> store = OpenStore(global);
    OrFail(DeleteFilter(store->database(), *name));
    std::cout << "deleted filter " << *name << "\n";
  });
}

void AddBatchAction(CLI::App* group, const GlobalOptions& global, BatchAction action,
                    const std::string& description) {
  struct Options {
    SelectionOptions selection;
    std::string user;
    std::string note;
  };
  auto options = std::make_shared<Options>();
  auto* cmd = group->add_subcommand(std::string(ToString(action)), description);
  AddSelectionOptions(cmd, &options->selection);
  cmd->add_option("--user", options->user, "who acts, for the audit log (default $USER)");
  cmd->add_option("--note", options->note, "why, for the audit log");
  cmd->callback([&global, options, action] {
    const SelectionOptions& s = options->selection;
    if (s.filter.empty() && s.saved.empty() && s.accounts.empty()) {
      Fail(Status::InvalidArgument(std::string(ToString(action)) +
                                   " needs --filter TEXT, --saved NAME or --account ID..."));
    }
    const std::string user = User(options->user);
    std::unique_ptr<Store> store = OpenStore(global);
    const BatchReport report =
        OrFail(ApplyBatchAction(store->database(), {.action = action,
                                                    .run = s.Run(),
                                                    .selection = s.ToSelection(),
                                                    .user = user,
                                                    .at = Now(),
                                                    .note = options->note}));
    PrintBatchReport(report, action, user, std::cout);
  });
}

void AddAudit(CLI::App* group, const GlobalOptions& global) {
  struct Options {
    int64_t run = 0;
    bool accounts = false;
  };
  auto options = std::make_shared<Options>();
  auto* cmd = group->add_subcommand("audit", "The append-only log of actions and exports");
  cmd->add_option("--run", options->run, "only this review run's entries")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--accounts", options->accounts, "each entry's accounts, from and to status");
  cmd->callback([&global, options] {
    std::unique_ptr<Store> store = OpenStore(global);
    const std::vector<AuditEntry> entries = OrFail(ListAudit(
        store->database(), options->run > 0 ? std::optional(options->run) : std::nullopt));
    std::vector<std::vector<AuditAccount>> accounts;
    if (options->accounts) {
      for (const AuditEntry& e : entries) {
        accounts.push_back(OrFail(ListAuditAccounts(store->database(), e.id)));
      }
    }
    PrintAudit(entries, accounts, std::cout);
  });
}

void AddTrades(CLI::App* group, const GlobalOptions& global) {
  struct Options {
    int64_t run = 0;
    TradeFilePaths paths;
    bool again = false;
    std::string user;
  };
  auto options = std::make_shared<Options>();
  auto* cmd = group->add_subcommand(
      "trades", "Write the released proposals' blotter and block orders for the trading desk");
  AddRunOption(cmd, &options->run);
  cmd->add_option("--blotter", options->paths.blotter, "CSV: one row per account trade")
      ->required();
  cmd->add_option("--blocks", options->paths.blocks,
                  "CSV: one block per security and side, a row per account allocation")
      ->required();
  cmd->add_flag("--again", options->again,
                "include accounts an earlier export of the run already wrote");
  cmd->add_option("--user", options->user, "who exports, for the audit log (default $USER)");
  cmd->callback([&global, options] {
    const std::string user = User(options->user);
    std::unique_ptr<Store> store = OpenStore(global);
    const TradeFilePaths& paths = options->paths;
    const TradeExport result = OrFail(
        ExportReleasedTrades(store->database(),
                             {.run = options->run > 0 ? std::optional(options->run) : std::nullopt,
                              .again = options->again,
                              .user = user,
                              .at = Now(),
                              .detail = "blotter " + paths.blotter + ", blocks " + paths.blocks},
                             [&](const TradeExport& e) {
                               return WriteTradeFiles(paths, e.run, e.audit_id, e.trades, e.blocks);
                             }));
    PrintExport(result, paths, std::cout);
  });
}

}  // namespace

void AddWorkbenchCommands(CLI::App& app, const GlobalOptions& global) {
  auto* group = app.add_subcommand(
      "workbench", "The rebalancing group's workbench over a review run (docs/workbench.md)");
  group->require_subcommand(1);
  group->add_subcommand("fields", "The fields a filter may use")->callback([] {
    PrintFields(std::cout);
  });
  AddQuery(group, global);
  AddFilterCommands(group, global);
  AddBatchAction(group, global, BatchAction::kSuspend,
                 "Hold accounts back from trading (pending, approved or review)");
  AddBatchAction(group, global, BatchAction::kApprove,
                 "Approve proposals to trade (pending or review, outcome proposed)");
  AddBatchAction(group, global, BatchAction::kReview,
                 "Send accounts to review by a person (pending, approved or suspended)");
  AddBatchAction(group, global, BatchAction::kRelease,
                 "Release approved proposals to the trading desk");
  AddAudit(group, global);
  AddTrades(group, global);
}

}  // namespace arbor::cli
