// The Taxes Saved or Deferred figures of one account (docs/taxes-saved.md): each year's tax on
// the account's realized gains against the tax of its tax-blind shadow, split into what was
// deferred (the change in the deferred tax liability against the shadow's), what is saved even
// after liquidating both at the end, the time value of the deferral, and the sources of the
// saving (a Shapley split that adds up to the cent).
//
//   TaxesSavedInput input{.profile = {.rates = rates}, .account = a, .fifo = f, .shadow = s};
//   Result<TaxesSavedReport> report = ComputeTaxesSaved(input);
//   report->years[0].saved_or_deferred;   // shadow tax - account tax, that year
//
// The three paths come from tax_paths.h: the account as it traded, the account's own trades
// with FIFO relief (what lot selection changed), and the shadow.
#pragma once

#include <array>
#include <map>
#include <string_view>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/status.h"
#include "core/taxsaved/capital_gains_tax.h"

namespace arbor::taxsaved {

// One year of one path: realized gains and losses (losses as positive amounts) and, at the
// year's end (or the period's), the unrealized gains a liquidation would realize.
struct PathYear {
  int year = 0;
  Date end;  // the last day of the year inside the period
  double short_term_gains = 0;
  double short_term_losses = 0;
  double long_term_gains = 0;
  double long_term_losses = 0;
  YearGains unrealized;
  double end_value = 0;  // market value of the portfolio at `end`

  YearGains Net() const {
    return {short_term_gains - short_term_losses, long_term_gains - long_term_losses};
  }
};

// Where the saving came from. Each is the tax effect of moving one kind of realized amount
// from the shadow's to the account's, averaged over the orders of moving them (Shapley).
enum class SavingSource { kLossesHarvested, kShortTermGainsAvoided, kLongTermGainsDeferred,
                          kLotSelection };
constexpr int kSavingSources = 4;
std::string_view ToString(SavingSource source);  // "losses_harvested", ...
std::string_view Label(SavingSource source);     // "Losses harvested", ...

struct TaxesSavedInput {
  CapitalGainsTaxProfile profile;
  Date from;                          // first day of the period
  std::map<int, YearGains> outside;   // the client's other net gains, by year (both paths)
  double discount_rate = 0.04;        // a year, for the time value of deferral
  // One entry per year of the period, the same years in the same order in all three.
  std::vector<PathYear> account;
  std::vector<PathYear> fifo;    // the account's own trades, relieved FIFO
  std::vector<PathYear> shadow;
};

struct TaxesSavedYear {
  int year = 0;
  Money account_tax;          // on the account's realized gains (and the outside gains)
  Money shadow_tax;
  Money saved_or_deferred;    // shadow_tax - account_tax; negative in a year it cost tax
  Money deferred;             // change in (account liability - shadow liability)
  Money saved_after_liquidation;  // saved_or_deferred - deferred
  Money time_value;           // the deferral balance at the start of the year, invested
  std::array<Money, kSavingSources> sources;  // sums to saved_or_deferred exactly
  Money account_liability;    // tax of liquidating the account at `end`
  Money shadow_liability;
  LossCarryforward account_carry_out;
  LossCarryforward shadow_carry_out;
};

struct TaxesSavedReport {
  std::vector<TaxesSavedYear> years;
  TaxesSavedYear total;  // sums over the years; liabilities and carryforwards of the last year
};

// Fails when the three paths do not cover the same years.
Result<TaxesSavedReport> ComputeTaxesSaved(const TaxesSavedInput& input);

}  // namespace arbor::taxsaved
