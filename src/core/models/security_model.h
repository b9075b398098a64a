// A security model: target weights of individual securities that implement one product (a direct
// index such as the S&P 500 or a sampled 100-name version of it, a manager's active model, or a
// third-party model imported from CSV). Versioned like templates.
//
//   SecurityModel m{.name = "SP500", .version = 3, .effective = *Date::Parse("2021-04-01")};
//   m.weights = {{"AAPL", 0.061}, {"MSFT", 0.054}, ...};
//   Status ok = ValidateSecurityModel(m);   // weights positive, symbols unique, sum to 1
#pragma once

#include <string>
#include <vector>

#include "core/base/date.h"
#include "core/base/status.h"

namespace arbor::models {

struct ModelWeight {
  std::string symbol;
  double weight = 0;  // fraction of the product's sleeve
};

struct SecurityModel {
  std::string name;
  int version = 1;
  Date effective;
  std::string description;  // e.g. "cap-weighted S&P 500 from IVV holdings of 2024-04-04"
  std::vector<ModelWeight> weights;  // symbols unique; weights > 0 summing to 1 (within 1e-6)
};

Status ValidateSecurityModel(const SecurityModel& model);

// Each symbol valid and listed once, each weight finite and positive; `sum` gets their total.
// Errors read "<prefix>: weights[AAPL].weight: ...". Shared with fund holdings.
Status ValidateWeightList(const std::string& prefix, const std::vector<ModelWeight>& weights,
                          double* sum);

}  // namespace arbor::models
