// The what-if comparison of `arbor whatif`, for the command and for the demo: the account
// rebalanced as it is and with a customization change (nothing stored), side by side.
//
//   ReportWhatIf(*store, {.account = "C0007-TAX", .change = {.add_screens = {"tobacco"}}},
//                std::cout);
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/rebalance_settings_store.h"
#include "adapters/storage/store.h"
#include "core/base/date.h"
#include "core/models/what_if.h"

namespace arbor::cli {

struct WhatIfRequest {
  std::string account;
  std::optional<Date> as_of;  // default: the last price date
  models::CustomizationChange change;
  std::vector<SecurityRestriction> restrictions;
  bool json = false;
};

// Ends the command with a message when the account has no customization or nothing changes.
void ReportWhatIf(Store& store, const WhatIfRequest& request, std::ostream& out);

}  // namespace arbor::cli
