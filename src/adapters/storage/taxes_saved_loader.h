// What the Taxes Saved or Deferred report (core/taxsaved, docs/taxes-saved.md) needs from the
// database for one account: its wash-sale scope's history, the shadow's rules (the account's
// targets on each of its trading days, its restrictions, cost rate and trade sizes), the
// client's tax rates, and the closes to value and trade at.
//
//   TaxesSavedPrices prices(*store);                     // share one across accounts
//   Result<TaxesSavedSource> source = LoadTaxesSavedSource(*store, "SMITH-JOINT", from, to, prices);
//   Result<taxsaved::TaxPaths> paths = taxsaved::ReplayTaxPaths(source->paths);
//   source->rates;   // the client's stored rates (RebalanceSettings)
//
// Targets come from the account's customization, resolved with the template and security-model
// versions in effect on each trading day (screens re-allocated pro rata), else from its target
// list; restrictions are today's list.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/store.h"
#include "core/base/date.h"
#include "core/base/status.h"
#include "core/review/rebalance_input.h"
#include "core/taxsaved/tax_paths.h"

namespace arbor {

// Closes by symbol, read once per symbol over a period and kept (a firm-wide run shares them).
class TaxesSavedPrices {
 public:
  TaxesSavedPrices(Store& store, Date from, Date to) : store_(store), from_(from), to_(to) {}
  // Loads the symbols not yet read.
  Status Load(const std::vector<std::string>& symbols);
  // The last close on or before the date among those loaded.
  std::optional<Price> Close(const std::string& symbol, Date date) const;

 private:
  Store& store_;
  Date from_;
  Date to_;
  std::map<std::string, std::vector<std::pair<Date, Price>>> closes_;
};

struct TaxesSavedSource {
  taxsaved::TaxPathsInput paths;
  review::TaxRates rates;
  std::string targets_from;  // "customization (template T)" or "target list"
};

// Fails for an unknown or tax-deferred account and for one without targets. `from` absent:
// the account's first transaction (onboarding).
Result<TaxesSavedSource> LoadTaxesSavedSource(Store& store, const std::string& account,
                                              std::optional<Date> from, Date to,
                                              TaxesSavedPrices& prices);

}  // namespace arbor
