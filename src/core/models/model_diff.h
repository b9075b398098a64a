// What an IPC change changes: between two versions of a security model (names added, removed,
// reweighted; one-way turnover) or of a template (each leaf's absolute weight and default
// product), and how far one account's targets move.
//
//   SecurityModelDiff d = DiffSecurityModels(*book.SecurityModelHistory("SP500") ... v2, v3);
//   d.turnover;   // 0.043: 4.3% of the sleeve changes hands
//   double moved = TargetTurnover(before, after);   // of an account's resolved targets
#pragma once

#include <string>
#include <vector>

#include "core/models/asset_class_template.h"
#include "core/models/resolution.h"
#include "core/models/security_model.h"

namespace arbor::models {

struct WeightChange {
  std::string name;  // a symbol, or an asset class
  double before = 0;
  double after = 0;
};

struct SecurityModelDiff {
  std::vector<WeightChange> changes;  // every symbol whose weight differs, largest change first
  int added = 0;                      // before == 0
  int removed = 0;                    // after == 0
  double turnover = 0;                // half the sum of |after - before|
};
SecurityModelDiff DiffSecurityModels(const SecurityModel& from, const SecurityModel& to);

struct ClassChange {
  std::string asset_class;
  double before = 0;  // absolute leaf weight; 0 when the class is new
  double after = 0;   // 0 when the class is gone
  std::string product_before;  // default product ids
  std::string product_after;
};
struct TemplateDiff {
  std::vector<ClassChange> changes;  // leaves whose weight or default product differs
  double turnover = 0;               // at the leaf level, half the sum of |after - before|
};
TemplateDiff DiffTemplates(const Template& from, const Template& to);

// Half the sum over symbols (and cash) of |after - before|: the share of the account that
// trades to follow the change, before any tax-aware deferral.
double TargetTurnover(const Resolution& before, const Resolution& after);

}  // namespace arbor::models
