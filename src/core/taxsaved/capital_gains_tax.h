// One tax year's federal, NIIT and state tax on realized capital gains, with the netting of
// short- and long-term results, the ordinary-income offset and loss carryforwards by character
// (IRS Pub. 550 ch. 4 "Capital Losses"; IRC 1211(b), 1212(b), 1411).
//
//   CapitalGainsTaxProfile profile{.rates = settings.tax_rates};   // marginal rates
//   YearTax y = ComputeYearTax(profile, {.short_term = -8000, .long_term = 2000}, {});
//   y.tax;          // -3000 * (ordinary + state + NIIT): the $3,000 offset
//   y.carry_out;    // {.short_term = 3000}: the rest of the net short-term loss
//
// Rates are flat marginal rates (no bracket is crossed), the client above the NIIT threshold
// when its rate is not zero. Amounts are dollars; a loss is negative in YearGains and positive
// in a LossCarryforward.
#pragma once

#include "core/review/rebalance_input.h"

namespace arbor::taxsaved {

struct CapitalGainsTaxProfile {
  review::TaxRates rates;
  // IRC 1211(b): $3,000 a year, $1,500 married filing separately.
  double loss_offset_limit = 3000;
};

// Net realized gains of a year by character (gains minus losses, after wash-sale adjustments).
struct YearGains {
  double short_term = 0;
  double long_term = 0;
};

// Unused net capital losses carried into the next year, keeping their character (>= 0 each).
struct LossCarryforward {
  double short_term = 0;
  double long_term = 0;
};

struct YearTax {
  double taxable_short_term = 0;  // net short-term gain taxed at ordinary rates
  double taxable_long_term = 0;   // net long-term gain taxed at long-term rates
  double ordinary_offset = 0;     // net loss deducted from ordinary income (<= the limit)
  LossCarryforward carry_out;
  double tax = 0;                 // negative when the offset saves ordinary-income tax
};

// The year's tax after using `carry_in` (a carryforward is treated as a loss of the year of
// its character, so it is worth nothing until gains or the offset use it).
YearTax ComputeYearTax(const CapitalGainsTaxProfile& profile, YearGains gains,
                       LossCarryforward carry_in);

// The extra tax of selling every open lot at the year's end: the year's tax with the
// unrealized gains added, minus the year's tax without them (the deferred tax liability).
double LiquidationTax(const CapitalGainsTaxProfile& profile, YearGains realized,
                      YearGains unrealized, LossCarryforward carry_in);

}  // namespace arbor::taxsaved
