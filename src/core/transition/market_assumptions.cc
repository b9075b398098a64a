#include "core/transition/market_assumptions.h"

#include <cmath>
#include <string>

namespace arbor::transition {

Status ValidateAssumptions(const CapitalMarketAssumptions& market) {
  if (!(market.expected_return > -1 && market.expected_return < 1)) {
    return Status::InvalidArgument("expected return must be in (-1, 1), got " +
                                   std::to_string(market.expected_return));
  }
  if (!(market.volatility >= 0 && market.volatility < 1)) {
    return Status::InvalidArgument("volatility must be in [0, 1), got " +
                                   std::to_string(market.volatility));
  }
  return Status::Ok();
}

double ExpectedGrowth(const CapitalMarketAssumptions& market, int years) {
  return std::pow(1 + market.expected_return, years);
}

ValueRange OneSigmaRange(const CapitalMarketAssumptions& market, double expected_value, int years) {
  // A lognormal value with log-volatility s over t years has its median at exp(-s^2 t / 2) of
  // the mean; one sigma either side of the median in log space.
  const double spread = market.volatility * std::sqrt(static_cast<double>(years));
  const double median = expected_value * std::exp(-0.5 * spread * spread);
  return {.low = median * std::exp(-spread), .high = median * std::exp(spread)};
}

}  // namespace arbor::transition
