#include "core/taxsaved/capital_gains_tax.h"

#include <algorithm>

namespace arbor::taxsaved {

YearTax ComputeYearTax(const CapitalGainsTaxProfile& profile, YearGains gains,
                       LossCarryforward carry_in) {
  double short_term = gains.short_term - carry_in.short_term;
  double long_term = gains.long_term - carry_in.long_term;
  // Netting (Pub. 550, "Figuring net gain or loss"): a net loss of one character first
  // reduces a net gain of the other; what remains of a loss keeps its character.
  double short_loss = 0, long_loss = 0;
  YearTax out;
  if (short_term >= 0 && long_term >= 0) {
    out.taxable_short_term = short_term;
    out.taxable_long_term = long_term;
  } else if (short_term < 0 && long_term >= 0) {
    double net = long_term + short_term;
    if (net >= 0) out.taxable_long_term = net;
    else short_loss = -net;
  } else if (long_term < 0 && short_term >= 0) {
    double net = short_term + long_term;
    if (net >= 0) out.taxable_short_term = net;
    else long_loss = -net;
  } else {
    short_loss = -short_term;
    long_loss = -long_term;
  }
  // IRC 1211(b) offset; IRC 1212(b)(2): the offset uses the short-term loss first.
  out.ordinary_offset = std::min(profile.loss_offset_limit, short_loss + long_loss);
  out.carry_out.short_term = std::max(0.0, short_loss - out.ordinary_offset);
  out.carry_out.long_term = long_loss - std::max(0.0, out.ordinary_offset - short_loss);
  const review::TaxRates& r = profile.rates;
  // The offset saves ordinary federal and state tax, and NIIT on other investment income
  // (Treas. Reg. 1.1411-4(d)(2) lets the 1211(b) loss reduce net investment income).
  out.tax = out.taxable_short_term * r.ShortTerm() + out.taxable_long_term * r.LongTerm() -
            out.ordinary_offset * r.ShortTerm();
  return out;
}

double LiquidationTax(const CapitalGainsTaxProfile& profile, YearGains realized,
                      YearGains unrealized, LossCarryforward carry_in) {
  YearGains all{realized.short_term + unrealized.short_term,
                realized.long_term + unrealized.long_term};
  return ComputeYearTax(profile, all, carry_in).tax -
         ComputeYearTax(profile, realized, carry_in).tax;
}

}  // namespace arbor::taxsaved
