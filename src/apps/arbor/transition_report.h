// The outputs of `arbor transition` (docs/transition.md): a terminal summary, a CSV of every
// budget's years, the first trades as a CSV trade list, JSON, and a client-ready PDF with the
// tracking-error path of each budget.
//
//   TransitionReport report{.plan = plan, .target = "security model SP500 v2", ...};
//   PrintTransitionSummary(report, std::cout);
//   WriteTransitionYearsCsv(report.plan, &file);
//   Status pdf = WriteTransitionPdf(report, "plan.pdf");
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/status.h"
#include "core/review/rebalance_input.h"
#include "core/transition/transition_plan.h"

namespace arbor::cli {

struct TransitionReport {
  transition::TransitionPlan plan;
  std::string target;       // what the plan moves to, e.g. "security model SP500 v2 (...)"
  std::string legacy_file;  // where the lots came from
  size_t legacy_lots = 0;
  size_t legacy_positions = 0;
  review::TaxRates tax_rates;
  double risk_aversion = 0;
  size_t detailed_budget = 0;      // index of the budget whose first trades are listed
  std::vector<std::string> notes;  // the input's (risk model, screens, ...)
  double seconds = 0;
};

void PrintTransitionSummary(const TransitionReport& report, std::ostream& out);
// One row per budget and year.
void WriteTransitionYearsCsv(const transition::TransitionPlan& plan, std::ostream* out);
// The first year's trades of every budget, one row per lot sold and one per buy.
void WriteFirstTradesCsv(const transition::TransitionPlan& plan, std::ostream* out);
nlohmann::ordered_json TransitionJson(const TransitionReport& report);
Status WriteTransitionPdf(const TransitionReport& report, const std::string& path);

}  // namespace arbor::cli
