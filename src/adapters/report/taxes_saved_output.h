// The Taxes Saved or Deferred report as files: CSV (one row a year and a total), JSON, and a
// client-ready PDF (cover summary, yearly table, chart of cumulative saved vs deferred,
// sources, assumptions), for one account; and the firm-wide summary as CSV, JSON and text.
// Every format prints every assumption (docs/taxes-saved.md).
//
//   TaxesSavedDocument doc{.account = "SMITH-JOINT", .from = from, .to = to,
//                          .assumptions = assumptions, .report = report};
//   WriteTaxesSavedCsv(doc, std::cout);
//   Status written = WriteTaxesSavedPdf(doc, "smith.pdf");
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "core/base/date.h"
#include "core/base/status.h"
#include "core/taxsaved/firm_summary.h"
#include "core/taxsaved/taxes_saved.h"

namespace arbor::report {

// What the figures assumed, as the report prints it.
struct TaxesSavedAssumptions {
  taxsaved::CapitalGainsTaxProfile profile;
  std::string filing_status;  // "married filing jointly", ...
  std::map<int, taxsaved::YearGains> outside;
  double discount_rate = 0;
  std::string targets_from;   // where the shadow's targets came from
  double cost_rate = 0;
  double min_trade = 0;
  size_t restrictions = 0;
  size_t review_days = 0;
  size_t shadow_trades = 0;
  double shadow_costs = 0;
};

// (label, text) lines, in the order every format prints them.
std::vector<std::pair<std::string, std::string>> AssumptionLines(const TaxesSavedAssumptions& a);

struct TaxesSavedDocument {
  std::string account;
  std::string account_name;  // the client's name when stored
  Date from;
  Date to;
  TaxesSavedAssumptions assumptions;
  taxsaved::TaxesSavedReport report;
  std::vector<taxsaved::PathYear> account_years;  // realized and values, per year
  std::vector<taxsaved::PathYear> shadow_years;
};

void WriteTaxesSavedCsv(const TaxesSavedDocument& doc, std::ostream& out);
nlohmann::json TaxesSavedJson(const TaxesSavedDocument& doc);
Status WriteTaxesSavedPdf(const TaxesSavedDocument& doc, const std::string& path);

struct FirmTaxesSaved {
  Date to;
  std::vector<taxsaved::AccountSaving> accounts;
  std::vector<std::pair<std::string, std::string>> skipped;  // (account, why)
  taxsaved::FirmSummary summary;
};

void WriteFirmTaxesSavedCsv(const FirmTaxesSaved& firm, std::ostream& out);
nlohmann::json FirmTaxesSavedJson(const FirmTaxesSaved& firm);
void WriteFirmTaxesSavedText(const FirmTaxesSaved& firm, std::ostream& out);

}  // namespace arbor::report
