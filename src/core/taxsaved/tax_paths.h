// The three histories the Taxes Saved or Deferred report compares (docs/taxes-saved.md),
// replayed on core Ledgers of the account's whole wash-sale scope:
//   account  the account as it traded;
//   fifo     the same trades with every sale relieved FIFO (what lot selection changed);
//   shadow   a persistent tax-blind twin: from `from` it holds the account's own lots, gets the
//            account's cash flows, dividends and transfers, and on each of the account's review
//            days (the days it traded) trades to the account's targets of that day: it sells
//            what is above target (FIFO, never a restricted name), then buys what is below with
//            the cash above the targets' cash weight, paying the same cost rate, skipping trades
//            under the minimum. No harvesting; wash sales apply through the ledger.
// Other accounts of the scope (a spouse's IRA) keep their real events in all three, so a wash
// sale across accounts counts in the shadow as it does in the account.
//
//   TaxPathsInput input{.accounts = scope.accounts, .wash_sale_groups = scope.groups,
//                       .events = scope.events, .account = "SMITH-JOINT", .from = from,
//                       .to = to, .shadow = rules, .close = closes};
//   Result<TaxPaths> paths = ReplayTaxPaths(input);
//   paths->shadow[0].short_term_gains;   // the shadow's first year
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/status.h"
#include "core/ledger/account.h"
#include "core/ledger/event.h"
#include "core/review/rebalance_input.h"
#include "core/taxsaved/taxes_saved.h"

namespace arbor::taxsaved {

// The last close of a symbol on or before a date; nullopt when there is none.
using CloseLookup = std::function<std::optional<Price>(const std::string& symbol, Date date)>;

// Target weights (summing to at most 1; the rest is cash) effective from a date.
struct TargetChange {
  Date effective;
  std::map<std::string, double> weights;
};

struct ShadowRules {
  // Ascending by date; before the first change the first one applies.
  std::vector<TargetChange> targets;
  // The account's restrictions: no_sell and hold are never sold, no_buy and hold never
  // bought, must_sell sold in full.
  std::map<std::string, review::Restriction> restrictions;
  double cost_rate = 0.0005;  // of traded dollars, each side, charged as fees
  Money min_trade = Money::Units(50);
  Shares share_increment = Shares::FromMicros(1000);
};

struct TaxPathsInput {
  std::vector<Account> accounts;  // the account's wash-sale scope
  std::vector<std::pair<std::string, std::string>> wash_sale_groups;  // (symbol, group)
  // Every event of the scope in ledger order (splits before a date's transactions), at least
  // through `to`; splits of the symbols in the shadow's targets must be among them.
  std::vector<Event> events;
  std::string account;
  Date from;
  Date to;
  ShadowRules shadow;
  CloseLookup close;
};

struct TaxPaths {
  // One PathYear per calendar year from from.year() to to.year().
  std::vector<PathYear> account;
  std::vector<PathYear> fifo;
  std::vector<PathYear> shadow;
  std::vector<Date> review_dates;   // the account's trading days in the period
  std::vector<Event> shadow_trades;  // what the shadow bought and sold
  Money shadow_costs;                // fees of those trades
};

Result<TaxPaths> ReplayTaxPaths(const TaxPathsInput& input);

}  // namespace arbor::taxsaved
