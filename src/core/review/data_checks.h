// The daily review's data checks, run on an account before anything is proposed for it: an
// account whose data is wrong is suspended with the reasons, never traded on bad numbers.
//
//   AccountData data{.as_of = as_of, .cash = facts.cash, .held = ..., .custodian = ...};
//   std::vector<DataProblem> problems = CheckAccountData(data);
//   if (Suspends(problems)) ...   // record the reasons, skip the rebalance
//
// Suspending problems: a held security unknown to the security master, one without a price or
// with a stale one, a split pending on a held security, custodian positions that disagree with
// the lots (or name a security we do not know), and negative cash. Warnings (the account is
// still reviewed; the rebalancing group decides): no custodian positions to reconcile against,
// or positions older than the review date.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"

namespace arbor::review {

enum class DataProblemKind {
  kUnknownSecurity,
  kMissingPrice,
  kStalePrice,
  kPendingCorporateAction,
  kPositionMismatch,
  kNegativeCash,
  kNoCustodianPositions,
  kOldCustodianPositions,
};
std::string_view ToString(DataProblemKind kind);

struct DataProblem {
  DataProblemKind kind;
  bool suspends = true;
  std::string text;  // one line for the rebalancing group, naming the security and the numbers
};

// A security the account holds, by its open lots.
struct HeldSecurity {
  std::string symbol;
  Shares shares;                   // the lots' total
  bool known = true;               // in the security master
  std::optional<Date> last_close;  // the date of its last close on or before the review date
  std::optional<Date> pending_split;
};

struct CustodianHolding {
  std::string symbol;
  Shares shares;
  bool known = true;
};

struct AccountData {
  Date as_of;
  Money cash;
  std::vector<HeldSecurity> held;  // by symbol
  // The custodian's latest report on or before the review date, by symbol.
  std::optional<Date> custodian_as_of;
  std::vector<CustodianHolding> custodian;
};

struct DataCheckOptions {
  // A close older than this is stale: the market in the data was never closed longer than four
  // days in a row.
  int stale_price_days = 7;
};

std::vector<DataProblem> CheckAccountData(const AccountData& data,
                                          const DataCheckOptions& options = {});

bool Suspends(const std::vector<DataProblem>& problems);

}  // namespace arbor::review
