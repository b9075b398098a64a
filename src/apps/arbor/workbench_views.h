// What `arbor workbench` prints: fields, query results (table, CSV or JSON), batch action
// reports, the audit log and trade exports.
//
//   query.fields = QueryFields("score_bps", "table");
//   PrintQuery(OrFail(QueryReview(db, query)), "table", std::cout);
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/io/trade_files.h"
#include "adapters/storage/workbench_store.h"

namespace arbor::cli {

void PrintFields(std::ostream& out);
void PrintFilters(const std::vector<SavedFilter>& filters, std::ostream& out);
// The fields a query shows in `format`: for a table, the key metrics and the sort field; for
// csv and json, every field (empty).
std::vector<std::string> QueryFields(std::string_view sort, std::string_view format);
void PrintQuery(const ReviewQueryResult& result, std::string_view format, std::ostream& out);
void PrintBatchReport(const BatchReport& report, workbench::BatchAction action,
                      const std::string& user, std::ostream& out);
// With `accounts`, each entry's account changes are listed under it.
void PrintAudit(const std::vector<AuditEntry>& entries,
                const std::vector<std::vector<AuditAccount>>& accounts, std::ostream& out);
void PrintExport(const TradeExport& result, const TradeFilePaths& paths, std::ostream& out);

}  // namespace arbor::cli
