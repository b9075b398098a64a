#include "apps/arbor/csv_import_command.h"

#include <iostream>
#include <memory>

#include "apps/arbor/output.h"

namespace arbor::cli {

void AddCsvImport(CLI::App* import, const GlobalOptions& global, const std::string& kind,
                  const std::string& description, CsvImport function) {
  auto* cmd = import->add_subcommand(kind, description);
  auto files = std::make_shared<std::vector<std::string>>();
  cmd->add_option("files", *files, "CSV files (all are imported together, or none)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->callback([&global, files, function, kind] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    ImportSummary summary = OrFail(function(store->database(), *files));
    std::cout << "imported " << kind << " into " << global.db_path << ": " << summary.rows_read
              << " rows read, " << summary.inserted << " inserted, " << summary.updated
              << " updated, " << summary.unchanged << " unchanged\n";
  });
}

}  // namespace arbor::cli
