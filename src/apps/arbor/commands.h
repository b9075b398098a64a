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
void AddStoreCommands(CLI::App& app, const GlobalOptions& global);      // init, import
void AddLedgerReportCommands(CLI::App& app, const GlobalOptions& global);  // lots, gains
void AddDemoCommand(CLI::App& app);
void AddRiskModelCommands(CLI::App& app, const GlobalOptions& global);  // riskmodel build, show
// rebalance, and import targets|restrictions|rebalance-settings (after AddStoreCommands)
void AddRebalanceCommands(CLI::App& app, const GlobalOptions& global);

}  // namespace arbor::cli
