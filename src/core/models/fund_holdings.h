// A fund's published holdings, for look-through: a screen cannot apply to a fund, so the
// resolver tells the advisor how much of a targeted fund is in names the client screens out.
//
//   FundHoldings ivv{.fund = "IVV", .as_of = *Date::Parse("2024-04-04")};
//   ivv.weights = {{"AAPL", 0.0561}, {"MO", 0.0006}, ...};
//   Status ok = ValidateFundHoldings(ivv);   // weights positive, symbols unique, sum <= 1
#pragma once

#include <string>
#include <vector>

#include "core/base/date.h"
#include "core/base/status.h"
#include "core/models/security_model.h"

namespace arbor::models {

struct FundHoldings {
  std::string fund;  // the fund's symbol
  Date as_of;        // the holdings' date; the latest on or before a review date applies
  // Fractions of the fund; they may sum below 1 (cash, futures and other non-equity lines).
  std::vector<ModelWeight> weights;
};

Status ValidateFundHoldings(const FundHoldings& holdings);

}  // namespace arbor::models
