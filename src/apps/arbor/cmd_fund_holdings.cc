// arbor import fund-holdings FILE.csv [--skip-unknown]: funds' published holdings (fund,as_of,
// symbol,weight), so that the rebalance prices a fund as the basket it holds (look-through).
#include <iostream>
#include <memory>

#include "adapters/storage/fund_holdings_store.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/output.h"
#include "core/models/weight_text.h"

namespace arbor::cli {

void AddFundHoldingsImport(CLI::App& app, const GlobalOptions& global) {
  // AddStoreCommands, called before this in main(), created `import`.
  CLI::App* import = app.get_subcommand("import");
  auto* cmd = import->add_subcommand(
      "fund-holdings", "fund,as_of,symbol,weight: funds' holdings, for risk look-through");
  auto files = std::make_shared<std::vector<std::string>>();
  auto skip_unknown = std::make_shared<bool>(false);
  cmd->add_option("files", *files, "CSV files (all are imported together, or none)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_flag("--skip-unknown", *skip_unknown,
                "drop holdings whose symbol is not a stored security instead of failing");
  cmd->callback([&global, files, skip_unknown] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    FundHoldingsImportSummary summary =
        OrFail(ImportFundHoldings(*store, *files, {.skip_unknown = *skip_unknown}));
    std::cout << "imported fund holdings into " << global.db_path << ": " << summary.snapshots
              << " snapshots, " << summary.holdings << " holdings";
    if (summary.skipped_unknown > 0) {
      std::cout << "; skipped " << summary.skipped_unknown << " unknown symbols ("
                << models::WeightText(summary.skipped_weight) << " of the funds in all)";
    }
    std::cout << "\n";
  });
}

}  // namespace arbor::cli
