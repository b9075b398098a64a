// The target of a transition plan, as security weights on the plan date, from one of three
// sources: a template of the store's catalogue with the advisor's choices (the same resolution
// as an account's, core/models/resolution.h), a security model (e.g. the S&P 500 direct index),
// or a CSV file `symbol,weight`.
//
//   models::Customization c{.account = "PROSPECT", .template_name = "Growth 80/20"};
//   TransitionTarget t = TargetFromTemplate(context, c).value();
//   TransitionTarget m = TargetFromModel(context, "SP500").value();     // version effective then
//   TransitionTarget f = TargetFromCsv("target.csv", context.master()).value();
#pragma once

#include <map>
#include <string>
#include <vector>

#include "adapters/storage/rebalance_context.h"
#include "core/base/status.h"
#include "core/models/customization.h"

namespace arbor {

struct TransitionTarget {
  std::string description;                // "security model SP500 v2 (effective 2021-01-04)"
  std::map<std::string, double> weights;  // by symbol, fractions of the account summing to <= 1
  std::vector<std::string> screened;      // symbols the customization's screens exclude
  std::vector<std::string> notes;
};

Result<TransitionTarget> TargetFromTemplate(const RebalanceContext& context,
                                            const models::Customization& customization);
Result<TransitionTarget> TargetFromModel(const RebalanceContext& context, const std::string& name);
// Weights in [0, 1] summing to at most 1 (the rest is cash), each symbol a known security once.
Result<TransitionTarget> TargetFromCsv(const std::string& path, const SecurityMaster& master);

}  // namespace arbor
