#include "core/ledger/form8949.h"

namespace arbor {
namespace {

void AddRow(Form8949Row row, Form8949Part* part) {
  part->proceeds += row.proceeds;
  part->basis += row.basis;
  part->adjustment += row.adjustment;
  part->gain += row.gain;
  part->rows.push_back(std::move(row));
}

}  // namespace

Form8949Row MakeForm8949Row(const Realization& r) {
  Form8949Row row{.realization = &r,
                  .description = r.shares.ToShortString() + " sh " + r.symbol,
                  .proceeds = r.proceeds.RoundedToCents(),
                  .basis = r.basis.RoundedToCents(),
                  .code = r.wash_disallowed.is_positive() ? "W" : "",
                  .adjustment = r.wash_disallowed.RoundedToCents()};
  row.gain_before_wash = row.proceeds - row.basis;
  row.gain = row.gain_before_wash + row.adjustment;
  return row;
}

Form8949 BuildForm8949(const Realizations& realized,
                       const std::function<bool(const Realization&)>& include) {
  Form8949 form;
  for (const Realization& r : realized) {
    if (!r.reportable || !include(r)) continue;
    Form8949Row row = MakeForm8949Row(r);
    form.wash_disallowed_total += row.adjustment;
    form.wash_disallowed_permanent_total += r.wash_disallowed_permanent.RoundedToCents();
    AddRow(std::move(row), r.term() == Term::kLong ? &form.long_term : &form.short_term);
  }
  form.net_short_term = form.short_term.gain;
  form.net_long_term = form.long_term.gain;
  form.net_total = form.net_short_term + form.net_long_term;
  return form;
}

}  // namespace arbor
