// Realized gains in the layout of IRS Form 8949: Part I (short-term) and Part II (long-term),
// columns (a) description, (b) date acquired, (c) date sold, (d) proceeds, (e) cost basis,
// (f) code, (g) adjustment, (h) gain = (d) - (e) + (g).
//
//   Form8949 form = BuildForm8949(ledger.realized(), [](const Realization& r) {
//     return r.account == "A" && r.sell_date.year() == 2024;
//   });
//   form.net_total;   // Schedule D netting of both parts
//
// The form wants whole cents: each of (d), (e) and (g) is rounded half away from zero and (h)
// is computed from the rounded figures so that every row and total adds up as printed.
// Only reportable realizations (taxable accounts) are included.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/base/fixed.h"
#include "core/ledger/lot.h"

namespace arbor {

struct Form8949Row {
  const Realization* realization;
  std::string description;  // "100 sh XYZ"
  Money proceeds;           // (d), cents
  Money basis;              // (e), cents
  std::string code;         // (f): "W" when a wash-sale loss is disallowed
  Money adjustment;         // (g), cents, positive
  Money gain_before_wash;   // (d) - (e)
  Money gain;               // (h)
};

struct Form8949Part {
  std::vector<Form8949Row> rows;
  Money proceeds;
  Money basis;
  Money adjustment;
  Money gain;
};

struct Form8949 {
  Form8949Part short_term;  // Part I
  Form8949Part long_term;   // Part II
  Money net_short_term;
  Money net_long_term;
  Money net_total;
  Money wash_disallowed_total;              // all of column (g)
  Money wash_disallowed_permanent_total;    // washed by purchases in tax-deferred accounts
};

Form8949Row MakeForm8949Row(const Realization& realization);

Form8949 BuildForm8949(const Realizations& realized,
                       const std::function<bool(const Realization&)>& include);

}  // namespace arbor
