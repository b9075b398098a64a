// arbor init | arbor import securities|prices|accounts|lots|transactions FILE...
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

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
  auto format = std::make_shared<std::string>("text");
  cmd->add_option("files", *files, "CSV files (all are imported together, or none)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--format", *format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([&global, files, format, function, kind] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    ImportSummary summary = OrFail(((*store).*function)(*files));
    if (*format == "json") {
      nlohmann::ordered_json out = {{"kind", kind},
                                    {"rows_read", summary.rows_read},
                                    {"inserted", summary.inserted},
                                    {"updated", summary.updated},
                                    {"unchanged", summary.unchanged},
                                    {"corporate_actions_inserted",
                                     summary.corporate_actions_inserted}};
      std::cout << out.dump(2) << "\n";
      return;
    }
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
  auto format = std::make_shared<std::string>("text");
  init->add_option("--format", *format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  init->callback([&global, format] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    StoreCounts counts = OrFail(store->Counts());
    if (*format == "json") {
      nlohmann::ordered_json out = {{"database", global.db_path},
                                    {"securities", counts.securities},
                                    {"prices", counts.prices},
                                    {"corporate_actions", counts.corporate_actions},
                                    {"accounts", counts.accounts},
                                    {"transactions", counts.transactions}};
      std::cout << out.dump(2) << "\n";
      return;
    }
    std::cout << "database " << global.db_path << " is ready: " << counts.securities
              << " securities, " << counts.prices << " prices, " << counts.accounts
              << " accounts, " << counts.transactions << " transactions\n";
  });

  auto* import = app.add_subcommand(
      "import", "Import CSV (and JSON) files; each call is all-or-nothing (formats: docs/import-formats.md)");
  import->require_subcommand(1);
  AddImportKind(import, global, "securities",
                "symbol,name,type,sector,...; or the S&P 500 constituents files as they are",
                &Store::ImportSecurities);
  AddImportKind(import, global, "prices",
                "symbol,date,close; or AlphaVantage daily files (splits and dividends too)",
                &Store::ImportPrices);
  AddImportKind(import, global, "accounts", "id,type,taxpayers,household,name[,advisor]",
                &Store::ImportAccounts);
  AddImportKind(import, global, "lots",
                "account,symbol,lot_id,shares,basis,acquired[,acquired_for_holding_period]",
                &Store::ImportLots);
  AddImportKind(import, global, "transactions",
                "id,date,account,action,symbol,shares,price,fees,amount,lot_id,lot_method,lots",
                &Store::ImportTransactions);
}

}  // namespace arbor::cli
