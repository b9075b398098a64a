#include "core/transition/realized.h"

namespace arbor::transition {

Realized RealizedBy(const std::vector<review::Trade>& trades, const review::TaxRates& rates) {
  Realized realized;
  double tax = 0;
  for (const review::Trade& trade : trades) {
    for (const review::LotSale& sale : trade.lots) {
      Money gain = sale.Gain();
      if (gain.is_negative() && sale.wash != review::WashStatus::kClear) gain = Money();
      if (sale.term == Term::kLong) {
        realized.long_term += gain;
        tax += gain.ToDouble() * rates.LongTerm();
      } else {
        realized.short_term += gain;
        tax += gain.ToDouble() * rates.ShortTerm();
      }
    }
  }
  realized.tax = Money::FromDouble(tax);
  return realized;
}

}  // namespace arbor::transition
