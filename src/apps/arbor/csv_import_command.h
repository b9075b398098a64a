// `arbor import KIND FILE...` for the imports that take the database and a list of CSV files,
// all imported in one transaction or none (docs/import-formats.md).
//
//   AddCsvImport(app.get_subcommand("import"), global, "positions",
//                "Custodian positions to reconcile lots with", ImportCustodianPositions);
#pragma once

#include <string>
#include <vector>

#include "adapters/storage/sqlite.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"

namespace arbor::cli {

using CsvImport = Result<ImportSummary> (*)(Database*, const std::vector<std::string>&);

void AddCsvImport(CLI::App* import, const GlobalOptions& global, const std::string& kind,
                  const std::string& description, CsvImport function);

}  // namespace arbor::cli
