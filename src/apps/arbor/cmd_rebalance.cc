// arbor rebalance ACCOUNT [--as-of DATE] [--json] [--trades-csv FILE]: the full rebalance of one
// account (docs/rebalance.md), and arbor import targets|restrictions|rebalance-settings FILE...
// for its settings (docs/import-formats.md).
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "adapters/storage/rebalance_input_loader.h"
#include "adapters/storage/rebalance_settings_store.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/csv_import_command.h"
#include "apps/arbor/output.h"
#include "apps/arbor/proposal_output.h"
#include "apps/arbor/rebalance_command.h"
#include "core/review/rebalance.h"

namespace arbor::cli {
namespace {

struct RebalanceCommand {
  std::string account;
  std::string as_of;
  bool json = false;
  std::string trades_csv;
};

void RunRebalance(const GlobalOptions& global, const RebalanceCommand& options) {
  const std::optional<Date> as_of = AsOfOption(options.as_of);
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  review::RebalanceInput input = OrFail(LoadRebalanceInput(*store, options.account, as_of));
  review::Proposal proposal = OrFail(review::Rebalance(input));
  WriteTradesCsv(options.trades_csv, [&](std::ostream* out) { WriteTradeList(proposal, out); });
  if (options.json) {
    std::cout << ProposalJson(proposal).dump(2) << "\n";
  } else {
    PrintProposal(proposal, std::cout);
    if (!options.trades_csv.empty())
      std::cout << "\nTrade list written to " << options.trades_csv << "\n";
  }
}

}  // namespace

void AddRebalanceCommands(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<RebalanceCommand>();
  auto* cmd = app.add_subcommand(
      "rebalance",
      "Propose tax-aware trades for an account: harvests, drift, cash (docs/rebalance.md)");
  cmd->add_option("account", options->account, "account id")->required();
  cmd->add_option("--as-of", options->as_of, "date YYYY-MM-DD (default: the last price date)");
  cmd->add_flag("--json", options->json, "print the full proposal as JSON");
  cmd->add_option("--trades-csv", options->trades_csv,
                  "also write the trade list (one row per lot sold, one per buy) to this CSV file");
  cmd->callback([&global, options] { RunRebalance(global, *options); });

  // AddStoreCommands, called before this in main(), created `import`.
  CLI::App* import = app.get_subcommand("import");
  AddCsvImport(import, global, "targets",
                    "account,symbol,weight: each account's whole target list",
                    &ImportSecurityTargets);
  AddCsvImport(import, global, "restrictions",
                    "account,symbol,restriction (no_buy, no_sell, hold, must_sell, none)",
                    &ImportSecurityRestrictions);
  AddCsvImport(import, global, "rebalance-settings",
                    "account,federal_short_term_rate,...,cash_min,min_trade,risk_aversion,...",
                    &ImportRebalanceSettings);
}

}  // namespace arbor::cli
