// Holding periods (IRS Pub. 550, "Holding Period"): the period starts the day after the
// acquisition (or tacked holding-period) date, and property held more than one year is
// long-term. Counted in calendar months, never as 365 days.
//
//   IsLongTerm(*Date::Parse("2023-02-05"), *Date::Parse("2024-02-05"));   // false
//   IsLongTerm(*Date::Parse("2023-02-05"), *Date::Parse("2024-02-06"));   // true
#pragma once

#include <string_view>

#include "core/base/date.h"

namespace arbor {

enum class Term { kShort, kLong };

std::string_view ToString(Term term);

// The first sale date that is long-term: the anniversary of (holding_period_date + 1 day);
// a Feb 29 anniversary in a common year rolls to Mar 1.
Date FirstLongTermDate(Date holding_period_date);

inline bool IsLongTerm(Date holding_period_date, Date sale_date) {
  return sale_date >= FirstLongTermDate(holding_period_date);
}

inline Term TermOf(Date holding_period_date, Date sale_date) {
  return IsLongTerm(holding_period_date, sale_date) ? Term::kLong : Term::kShort;
}

// Pub. 550 / Reg. 1.1091-2(a): the replacement's holding period includes the period the washed
// shares were held, so its holding-period date moves back by that many days.
inline Date TackedHoldingPeriodDate(Date replacement_acquired, Date loss_sale_date,
                                    Date washed_holding_period_date) {
  return replacement_acquired.AddDays(-(loss_sale_date - washed_holding_period_date));
}

}  // namespace arbor
