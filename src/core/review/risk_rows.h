// The rows of a risk model for the securities of one rebalance, in their order.
//
//   std::vector<std::string> missing;
//   RiskRows rows = RiskRowsFor(model, master, {"AAPL", "NEWCO"}, &missing);   // missing: NEWCO
//
// A security the model does not cover (listed after the model's date, say) gets the mean
// loadings of the model's securities in its GICS sector and their median specific variance;
// without a sector, or with no model security in it, the means over the whole model. Pricing it
// as riskless instead would make the optimizer treat it like cash.
#pragma once

#include <string>
#include <vector>

#include "core/market/risk_model.h"
#include "core/market/security.h"
#include "core/review/rebalance_input.h"

namespace arbor::review {

RiskRows RiskRowsFor(const RiskModel& model, const SecurityMaster& master,
                     const std::vector<std::string>& symbols, std::vector<std::string>* missing);

}  // namespace arbor::review
