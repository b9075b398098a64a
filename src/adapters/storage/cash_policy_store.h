// Each account's cash policy in the database (schema: the "cash management" migration): the
// reserve cap, the withdrawal lead days and "accumulate cash"; its scheduled withdrawals; and the
// one-off withdrawal requests advisors enter. The minimum and maximum cash stay in the rebalance
// settings. CSV formats in docs/import-formats.md; the rules in docs/cash.md.
//
//   review::CashPolicy policy = LoadCashPolicy(db, "SMITH-JOINT").value();
//   policy.requests.push_back({.id = "R1", .amount = Money::Units(25'000), .due = due,
//                              .entered_by = "jdoe", .entered_at = today});
//   Status saved = SaveCashPolicy(db, "SMITH-JOINT", policy);   // all of it, or nothing
//   ImportSummary s = ImportScheduledWithdrawals(db, {"schedules.csv"}).value();
//
// An account without a policy row gets the defaults of review::CashPolicy (no reserve, 5 lead
// days, not accumulating) with whatever withdrawals it has.
#pragma once

#include <string>
#include <vector>

#include "adapters/storage/sqlite.h"
#include "adapters/storage/store.h"
#include "core/base/status.h"
#include "core/review/cash_policy.h"

namespace arbor {

// Scheduled withdrawals by id; requests by due date, then id.
Result<review::CashPolicy> LoadCashPolicy(Database* db, const std::string& account);

// Replaces the account's policy, scheduled withdrawals and requests with `policy`, in one
// transaction (the caller's, when one is open). An invalid field or an unknown account is an
// error that changes nothing; the message names the field ("scheduled[W1]: amount: ...").
Status SaveCashPolicy(Database* db, const std::string& account, const review::CashPolicy& policy);

// Accounts with a scheduled withdrawal or a withdrawal request, by id.
Result<std::vector<std::string>> AccountsWithWithdrawals(Database* db);

// All files of one call are imported in one transaction, or none of them; the first bad row is
// reported as `file:line: field: what is wrong`.
// account,reserve_cap,withdrawal_lead_days,accumulate_target,accumulate_reviews,accumulate_from:
// each row replaces the account's policy (an empty field is the default).
Result<ImportSummary> ImportCashPolicies(Database* db, const std::vector<std::string>& files);
// account,id,amount,day_of_month,every_months,first_date,last_date: each account named in a file
// gets exactly the file's rows as its schedule (a withdrawal left out is no longer scheduled).
Result<ImportSummary> ImportScheduledWithdrawals(Database* db,
                                                 const std::vector<std::string>& files);

}  // namespace arbor
