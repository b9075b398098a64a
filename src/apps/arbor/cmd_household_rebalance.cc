// arbor household rebalance HH [--as-of DATE] [--json] [--trades-csv FILE]: the joint rebalance
// of a household's accounts toward its target (docs/household-rebalance.md).
#include <iostream>
#include <memory>

#include "adapters/storage/household_input_loader.h"
#include "adapters/storage/rebalance_context.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/household_proposal_output.h"
#include "apps/arbor/output.h"
#include "apps/arbor/rebalance_command.h"
#include "core/review/household_rebalance.h"

namespace arbor::cli {
namespace {

struct HouseholdRebalanceCommand {
  std::string household;
  std::string as_of;
  bool json = false;
  std::string trades_csv;
};

void RunHouseholdRebalance(const GlobalOptions& global, const HouseholdRebalanceCommand& options) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  std::unique_ptr<RebalanceContext> context =
      OrFail(RebalanceContext::Load(*store, AsOfOption(options.as_of)));
  const review::HouseholdRebalanceInput input =
      OrFail(LoadHouseholdRebalanceInput(*store, *context, options.household));
  const review::HouseholdProposal proposal = OrFail(review::RebalanceHousehold(input));
  WriteTradesCsv(options.trades_csv,
                 [&](std::ostream* out) { WriteHouseholdTradeList(proposal, out); });
  if (options.json) {
    std::cout << HouseholdProposalJson(input, proposal).dump(2) << "\n";
    return;
  }
  PrintHouseholdProposal(input, proposal, std::cout);
  if (!options.trades_csv.empty()) std::cout << "\nTrade list written to " << options.trades_csv << "\n";
}

}  // namespace

void AddHouseholdRebalanceCommand(CLI::App& app, const GlobalOptions& global) {
  // AddHouseholdCommands, called before this in main(), created `household`.
  CLI::App* household = app.get_subcommand("household");
  auto options = std::make_shared<HouseholdRebalanceCommand>();
  auto* cmd = household->add_subcommand(
      "rebalance",
      "Propose trades for every account of a household at once, toward its target "
      "(docs/household-rebalance.md)");
  cmd->add_option("household", options->household, "household id")->required();
  cmd->add_option("--as-of", options->as_of, "date YYYY-MM-DD (default: the last price date)");
  cmd->add_flag("--json", options->json, "print the full proposal as JSON");
  cmd->add_option("--trades-csv", options->trades_csv,
                  "also write every account's trades (one row per lot sold, one per buy) to this "
                  "CSV file");
  cmd->callback([&global, options] { RunHouseholdRebalance(global, *options); });
}

}  // namespace arbor::cli
