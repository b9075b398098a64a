// One account's Taxes Saved or Deferred report (docs/taxes-saved.md), computed from the store
// and printed as text: what `arbor report taxes-saved ACCOUNT` and the demo show.
//
//   TaxesSavedPrices prices(store, Date::FromDays(0), to);
//   Result<report::TaxesSavedDocument> doc = TaxesSavedFor(store, "F000034-TAX", {}, to, prices);
//   PrintTaxesSaved(*doc, std::cout);
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>

#include "adapters/report/taxes_saved_output.h"
#include "adapters/storage/store.h"
#include "adapters/storage/taxes_saved_loader.h"
#include "core/base/date.h"
#include "core/base/status.h"

namespace arbor::cli {

struct TaxesSavedSettings {
  std::optional<Date> from;              // absent: the account's onboarding
  std::string filing_status = "joint";   // joint, single, head or separate
  std::map<int, taxsaved::YearGains> outside_gains;
  double discount_rate = 0.04;
};

Result<report::TaxesSavedDocument> TaxesSavedFor(Store& store, const std::string& account,
                                                 const TaxesSavedSettings& settings, Date to,
                                                 TaxesSavedPrices& prices);

// The yearly table, the split by source and the assumptions.
void PrintTaxesSaved(const report::TaxesSavedDocument& doc, std::ostream& out);

}  // namespace arbor::cli
