// The rates the taxsaved tests compute by hand: 37% ordinary and 20% long-term federal, 5% state
// and 3.8% NIIT, so 45.8% on short-term gains and 28.8% on long-term gains.
#pragma once

#include "core/taxsaved/capital_gains_tax.h"

namespace arbor::taxsaved {

inline CapitalGainsTaxProfile TestProfile() {
  return {.rates = {.federal_short_term = 0.37, .federal_long_term = 0.20,
                    .state_short_term = 0.05, .state_long_term = 0.05,
                    .net_investment_income = 0.038}};
}

}  // namespace arbor::taxsaved
