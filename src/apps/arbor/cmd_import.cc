// arbor init | arbor import securities|prices|accounts|lots|transactions FILE...
#include <iostream>
#include <memory>

#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/output.h"

namespace arbor::cli {
namespace {

using ImportFunction = Result<ImportSummary> (Store::*)(const std::vector<std::string>&);

void AddImportKind(CLI::App* import, const GlobalOptions& global, const std::string& kind,
                   const std::string& description, ImportFunction function) {
  auto* cmd = import->add_subcommand(kind, description);
  auto files = std::make_shared<std::vector<std::string>>();
  cmd->add_option("files", *files, "CSV files (all are imported together, or none)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->callback([&global, files, function, kind] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    ImportSummary summary = OrFail(((*store).*function)(*files));
    std::cout << "imported " << kind << " into " << global.db_path << ": " << summary.rows_read
              << " rows read, " << summary.inserted << " inserted, " << summary.updated
              << " updated, " << summary.unchanged << " unchanged";
    if (summary.corporate_actions_inserted > 0) {
      std::cout << ", " << summary.corporate_actions_inserted << " corporate actions";
    }
    std::cout << "\n";
  });
}

}  // namespace

void AddStoreCommands(CLI::App& app, const GlobalOptions& global) {
  auto* init = app.add_subcommand("init", "Create (or migrate) the database");
  init->callback([&global] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    StoreCounts counts = OrFail(store->Counts());
    std::cout << "database " << global.db_path << " is ready: " << counts.securities
              << " securities, " << counts.prices << " prices, " << counts.accounts
              << " accounts, " << counts.transactions << " transactions\n";
  });

  auto* import = app.add_subcommand(
      "import", "Import CSV files; each call is all-or-nothing (formats: docs/import-formats.md)");
  import->require_subcommand(1);
  AddImportKind(import, global, "securities",
                "symbol,name,type,sector,...; or the S&P 500 constituents files as they are",
                &Store::ImportSecurities);
  AddImportKind(import, global, "prices",
                "symbol,date,close; or AlphaVantage daily files (splits and dividends too)",
                &Store::ImportPrices);
  AddImportKind(import, global, "accounts", "id,type,taxpayers,household,name",
                &Store::ImportAccounts);
  AddImportKind(import, global, "lots",
                "account,symbol,lot_id,shares,basis,acquired[,acquired_for_holding_period]",
                &Store::ImportLots);
  AddImportKind(import, global, "transactions",
                "id,date,account,action,symbol,shares,price,fees,amount,lot_id,lot_method,lots",
                &Store::ImportTransactions);
}

}  // namespace arbor::cli
