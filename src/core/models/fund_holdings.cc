#include "core/models/fund_holdings.h"

#include <cmath>

#include "core/market/security.h"
#include "core/models/weight_text.h"

namespace arbor::models {
namespace {

constexpr double kSumTolerance = 1e-6;

}  // namespace

Status ValidateFundHoldings(const FundHoldings& holdings) {
  const std::string prefix = "holdings of " + holdings.fund + " on " + holdings.as_of.ToString();
  Status fund = ValidateSymbol(holdings.fund);
  if (!fund.ok()) return Status::InvalidArgument("holdings: fund: " + fund.message());
  double sum = 0;
  ARBOR_RETURN_IF_ERROR(ValidateWeightList(prefix, holdings.weights, &sum));
  if (sum > 1 + kSumTolerance) {
    return Status::InvalidArgument(prefix + ": weights sum to " + WeightText(sum) + ", above 1");
  }
  return Status::Ok();
}

}  // namespace arbor::models
