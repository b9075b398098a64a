#include "core/models/security_model.h"

#include <cmath>
#include <set>

#include "core/market/security.h"
#include "core/models/weight_text.h"

namespace arbor::models {
namespace {

// Imported models carry weights rounded to a few decimals; 1e-6 forgives that, not a missing name.
constexpr double kSumTolerance = 1e-6;

}  // namespace

Status ValidateWeightList(const std::string& prefix, const std::vector<ModelWeight>& weights,
                          double* sum) {
  std::set<std::string_view> symbols;
  *sum = 0;
  for (const ModelWeight& w : weights) {
    const std::string field = prefix + ": weights[" + w.symbol + "]";
    Status symbol = ValidateSymbol(w.symbol);
    if (!symbol.ok()) return Status::InvalidArgument(field + ": " + symbol.message());
    if (!symbols.insert(w.symbol).second) {
      return Status::InvalidArgument(field + ": appears twice");
    }
    if (!std::isfinite(w.weight) || w.weight <= 0) {
      return Status::InvalidArgument(field + ".weight: " + WeightText(w.weight) +
                                     " must be positive");
    }
    *sum += w.weight;
  }
  return Status::Ok();
}

Status ValidateSecurityModel(const SecurityModel& model) {
  const std::string prefix = "security model " + model.name + " v" + std::to_string(model.version);
  if (model.name.empty()) return Status::InvalidArgument("security model: name must not be empty");
  if (model.version < 1) {
    return Status::InvalidArgument(prefix + ": version: " + std::to_string(model.version) +
                                   " is below 1");
  }
  if (model.weights.empty()) return Status::InvalidArgument(prefix + ": weights: no securities");
  double sum = 0;
  ARBOR_RETURN_IF_ERROR(ValidateWeightList(prefix, model.weights, &sum));
  if (std::abs(sum - 1) > kSumTolerance) {
    return Status::InvalidArgument(prefix + ": weights sum to " + WeightText(sum) + ", not 1");
  }
  return Status::Ok();
}

}  // namespace arbor::models
