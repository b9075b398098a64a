// arbor: tax-managed portfolio rebalancing. `arbor --help` lists the commands.
#include <CLI/CLI.hpp>
#include <cstdlib>

#include "apps/arbor/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Arbor: exact tax lots, wash sales and tax-aware rebalancing"};
  app.require_subcommand(1);
  arbor::cli::GlobalOptions global;
  if (const char* db = std::getenv("ARBOR_DB")) global.db_path = db;
  app.add_option("--db", global.db_path, "SQLite database file (default arbor.db or $ARBOR_DB)")
      ->capture_default_str();
  arbor::cli::AddDemoCommand(app);
  arbor::cli::AddStoreCommands(app, global);
  arbor::cli::AddLedgerReportCommands(app, global);
  arbor::cli::AddLedgerCheckpointCommand(app, global);
  arbor::cli::AddReplayCommand(app);
  arbor::cli::AddRiskModelCommands(app, global);
  arbor::cli::AddRebalanceCommands(app, global);
  arbor::cli::AddModelCatalogueCommands(app, global);
  arbor::cli::AddAccountCommands(app, global);
  arbor::cli::AddAccountMenuCommands(app, global);
  arbor::cli::AddWhatIfCommand(app, global);
  arbor::cli::AddModelDiffCommand(app, global);
  arbor::cli::AddFundHoldingsImport(app, global);
  arbor::cli::AddWorkbenchCommands(app, global);
  arbor::cli::AddReviewCommands(app, global);  // after AddStoreCommands: import positions
  arbor::cli::AddCashCommands(app, global);    // after AddStoreCommands: import cash-policies
  arbor::cli::AddTransitionCommand(app, global);
  arbor::cli::AddReportCommands(app, global);
  arbor::cli::AddHouseholdCommands(app, global);  // after AddStoreCommands: import households
  arbor::cli::AddHouseholdRebalanceCommand(app, global);  // household rebalance
  arbor::cli::AddSolveCommand(app);
  arbor::cli::AddBacktestCommand(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
