#include "core/review/data_checks.h"

#include <algorithm>
#include <map>

namespace arbor::review {

std::string_view ToString(DataProblemKind kind) {
  switch (kind) {
    case DataProblemKind::kUnknownSecurity: return "unknown_security";
    case DataProblemKind::kMissingPrice: return "missing_price";
    case DataProblemKind::kStalePrice: return "stale_price";
    case DataProblemKind::kPendingCorporateAction: return "pending_corporate_action";
    case DataProblemKind::kPositionMismatch: return "position_mismatch";
    case DataProblemKind::kNegativeCash: return "negative_cash";
    case DataProblemKind::kNoCustodianPositions: return "no_custodian_positions";
    case DataProblemKind::kOldCustodianPositions: return "old_custodian_positions";
  }
  return "unknown";
}

namespace {

void CheckHeld(const AccountData& data, const DataCheckOptions& options,
               std::vector<DataProblem>& problems) {
  for (const HeldSecurity& held : data.held) {
    if (!held.known) {
      problems.push_back({DataProblemKind::kUnknownSecurity, true,
                          held.symbol + ": held but not in the security master"});
      continue;
    }
    if (!held.last_close) {
      problems.push_back({DataProblemKind::kMissingPrice, true,
                          held.symbol + ": no price on or before " + data.as_of.ToString()});
    } else if (data.as_of - *held.last_close > options.stale_price_days) {
      problems.push_back({DataProblemKind::kStalePrice, true,
                          held.symbol + ": last price " + held.last_close->ToString() + ", " +
                              std::to_string(data.as_of - *held.last_close) +
                              " days before the review"});
    }
    if (held.pending_split) {
      problems.push_back({DataProblemKind::kPendingCorporateAction, true,
                          held.symbol + ": split with ex-date " + held.pending_split->ToString() +
                              " pending; trade after it is booked"});
    }
  }
}

void CheckCustodian(const AccountData& data, std::vector<DataProblem>& problems) {
  if (!data.custodian_as_of) {
    problems.push_back({DataProblemKind::kNoCustodianPositions, false,
                        "no custodian positions to reconcile the lots with"});
    return;
  }
  if (*data.custodian_as_of < data.as_of) {
    problems.push_back({DataProblemKind::kOldCustodianPositions, false,
                        "custodian positions are from " + data.custodian_as_of->ToString() +
                            "; lots not reconciled on the review date"});
    return;
  }
  std::map<std::string, std::pair<Shares, Shares>> shares;  // symbol -> (lots, custodian)
  for (const HeldSecurity& held : data.held) shares[held.symbol].first = held.shares;
  for (const CustodianHolding& position : data.custodian) {
    if (!position.known) {
      problems.push_back({DataProblemKind::kUnknownSecurity, true,
                          position.symbol + ": reported by the custodian (" +
                              position.shares.ToShortString() +
                              " shares) but not in the security master"});
      continue;
    }
    shares[position.symbol].second = position.shares;
  }
  for (const auto& [symbol, pair] : shares) {
    const auto& [lots, custodian] = pair;
    if (lots == custodian) continue;
    problems.push_back({DataProblemKind::kPositionMismatch, true,
                        symbol + ": lots hold " + lots.ToShortString() + " shares, the custodian " +
                            custodian.ToShortString()});
  }
}

}  // namespace

std::vector<DataProblem> CheckAccountData(const AccountData& data,
                                          const DataCheckOptions& options) {
  std::vector<DataProblem> problems;
  CheckHeld(data, options, problems);
  CheckCustodian(data, problems);
  if (data.cash.is_negative()) {
    problems.push_back({DataProblemKind::kNegativeCash, true,
                        "cash is " + data.cash.ToString(2) + " before any trade"});
  }
  return problems;
}

bool Suspends(const std::vector<DataProblem>& problems) {
  return std::any_of(problems.begin(), problems.end(),
                     [](const DataProblem& problem) { return problem.suspends; });
}

}  // namespace arbor::review
