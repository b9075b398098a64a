// The cash plan of one account's review (core/review/cash_plan.h) from the database: its cash
// policy, its dividends and withdrawals in the ledger since the last withdrawal (for the
// reserve), and how many daily reviews it has had since accumulate_from (review_runs with a
// review_results row for it, on dates before the review's).
//
//   review::CashPlan plan = LoadCashPlan(db, "SMITH-JOINT", as_of, input.cash).value();
//   ARBOR_RETURN_IF_ERROR(ApplyCashPlan(db, input));   // what LoadRebalanceInput does
#pragma once

#include <string>

#include "adapters/storage/sqlite.h"
#include "core/base/date.h"
#include "core/base/status.h"
#include "core/review/cash_plan.h"
#include "core/review/rebalance_input.h"

namespace arbor {

// `settings` holds the cash now and the rebalance settings' minimum, maximum and withdrawal.
Result<review::CashPlan> LoadCashPlan(Database* db, const std::string& account, Date as_of,
                                      const review::CashSettings& settings);

// Replaces input.cash's withdrawal, minimum and maximum (already set from the rebalance
// settings) with the plan's and adds its reasons to the notes. The account must trade exactly
// when input.cash.balance < input.cash.withdrawal + input.cash.min afterwards.
Status ApplyCashPlan(Database* db, review::RebalanceInput& input);

}  // namespace arbor
