// Each group of `arbor` subcommands registers itself on the root app. A command's callback
// throws CLI::RuntimeError(exit_code) after printing its own error, so that main() stays the
// one place that turns failures into exit codes.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace arbor::cli {

struct GlobalOptions {
  std::string db_path = "arbor.db";
};

void AddReplayCommand(CLI::App& app);
void AddSolveCommand(CLI::App& app);
void AddBacktestCommand(CLI::App& app);  // the tax-alpha backtest on real prices
void AddStoreCommands(CLI::App& app, const GlobalOptions& global);      // init, import
void AddLedgerReportCommands(CLI::App& app, const GlobalOptions& global);  // lots, gains
void AddLedgerCheckpointCommand(CLI::App& app, const GlobalOptions& global);  // ledger checkpoint
void AddDemoCommand(CLI::App& app);
void AddRiskModelCommands(CLI::App& app, const GlobalOptions& global);  // riskmodel build, show
// rebalance, and import targets|restrictions|rebalance-settings (after AddStoreCommands)
void AddRebalanceCommands(CLI::App& app, const GlobalOptions& global);
// template, model and screen: import, list, show
void AddModelCatalogueCommands(CLI::App& app, const GlobalOptions& global);
// account customize|show, and import customizations (after AddStoreCommands)
void AddAccountCommands(CLI::App& app, const GlobalOptions& global);
// account menu set|show|clear and import menus (after AddAccountCommands): a 401k's fund menu
void AddAccountMenuCommands(CLI::App& app, const GlobalOptions& global);
// whatif: a customization change tried by the real rebalance, nothing stored
void AddWhatIfCommand(CLI::App& app, const GlobalOptions& global);
// model diff (after AddModelCatalogueCommands) and import fund-holdings (after AddStoreCommands)
void AddModelDiffCommand(CLI::App& app, const GlobalOptions& global);
void AddFundHoldingsImport(CLI::App& app, const GlobalOptions& global);
// workbench: fields, query, filter save|list|show|delete, suspend|approve|review|release, audit,
// trades
void AddWorkbenchCommands(CLI::App& app, const GlobalOptions& global);

// review (the daily review of every account), review show, and import positions (after
// AddStoreCommands)
void AddReviewCommands(CLI::App& app, const GlobalOptions& global);
// withdrawal request|schedule|list|cancel|paid, cash show, and import cash-policies|
// scheduled-withdrawals (after AddStoreCommands)
void AddCashCommands(CLI::App& app, const GlobalOptions& global);
// report taxes-saved ACCOUNT|--all (docs/taxes-saved.md)
void AddReportCommands(CLI::App& app, const GlobalOptions& global);
// transition: a prospect's legacy lots moved to a target under yearly tax or gains budgets
void AddTransitionCommand(CLI::App& app, const GlobalOptions& global);

void AddHouseholdCommands(CLI::App& app, const GlobalOptions& global);  // docs/households.md
void AddHouseholdRebalanceCommand(CLI::App& app, const GlobalOptions& global);  // after it

}  // namespace arbor::cli
