// Capital-market assumptions of a transition projection (docs/transition.md): what prices are
// expected to do between the yearly reviews of the plan. They are assumptions to show a client,
// not forecasts; the command line prints them on every report.
//
//   CapitalMarketAssumptions market{.expected_return = 0.07, .volatility = 0.16};
//   ARBOR_RETURN_IF_ERROR(ValidateAssumptions(market));
//   double grown = ExpectedGrowth(market, /*years=*/3);      // 1.07^3
//   ValueRange range = OneSigmaRange(market, 1e6, 3);        // the value's 68% band after 3 years
#pragma once

#include "core/base/status.h"

namespace arbor::transition {

struct CapitalMarketAssumptions {
  // Expected price return a year (dividends excluded: they are paid out), the same for every
  // security, so expected prices keep the weights where the trades left them. 7% is about the
  // S&P 500's long-run price return.
  double expected_return = 0.07;
  // Annual volatility of the account's value, for the one-sigma range of the projected value.
  // 16% is about the S&P 500's long-run annual volatility.
  double volatility = 0.16;
};

// expected_return in (-1, 1), volatility in [0, 1).
Status ValidateAssumptions(const CapitalMarketAssumptions& market);

// The expected price after `years` years, per dollar today.
double ExpectedGrowth(const CapitalMarketAssumptions& market, int years);

// The band a lognormal value falls in with about 68% probability, around its expectation.
struct ValueRange {
  double low = 0;
  double high = 0;
};
ValueRange OneSigmaRange(const CapitalMarketAssumptions& market, double expected_value, int years);

}  // namespace arbor::transition
