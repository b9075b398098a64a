#include "core/ledger/holding_period.h"

namespace arbor {

std::string_view ToString(Term term) { return term == Term::kLong ? "long" : "short"; }

Date FirstLongTermDate(Date holding_period_date) {
  return holding_period_date.AddDays(1).AddYears(1);
}

}  // namespace arbor
