#include "adapters/batch/account_review.h"

#include <chrono>
#include <exception>
#include <map>

#include "adapters/storage/custodian_positions_store.h"
#include "adapters/storage/rebalance_input_loader.h"
#include "core/review/data_checks.h"
#include "core/review/rebalance.h"

namespace arbor {
namespace {

// What the data checks look at: the held securities as the lots and the context see them, and
// the custodian's latest report.
Result<review::AccountData> DataOf(Store& store, const RebalanceContext& context,
                                   const AccountSnapshot& snapshot) {
  review::AccountData data{.as_of = context.as_of(), .cash = snapshot.facts.cash};
  std::map<std::string, Shares> held;
  for (const review::RebalanceLot& lot : snapshot.facts.lots) held[lot.symbol] += lot.shares;
  for (const auto& [symbol, shares] : held) {
    const std::pair<Date, Price>* close = context.LastClose(symbol);
    data.held.push_back({.symbol = symbol,
                         .shares = shares,
                         .known = context.master().Find(symbol) != nullptr,
                         .last_close = close ? std::optional<Date>(close->first) : std::nullopt,
                         .pending_split = context.PendingSplit(symbol)});
  }
  Result<std::optional<CustodianSnapshot>> custodian =
      LoadCustodianPositions(store.database(), snapshot.account.id, context.as_of());
  if (!custodian.ok()) return custodian.status();
  if (custodian->has_value()) {
    data.custodian_as_of = (*custodian)->as_of;
    for (const CustodianPosition& position : (*custodian)->positions) {
      data.custodian.push_back({.symbol = position.symbol,
                                .shares = position.shares,
                                .known = context.master().Find(position.symbol) != nullptr});
    }
  }
  return data;
}

// The failure goes first, before any data warnings: it is what the group must act on.
void Fail(review::ReviewRecord& record, const std::string& what) {
  record.outcome = review::ReviewOutcome::kFailed;
  record.reasons.insert(record.reasons.begin(), what);
}

// The data checks of a loaded account: false when it is suspended (or its data unreadable).
bool CheckSnapshot(Store& store, const RebalanceContext& context, const AccountSnapshot& snapshot,
                   review::ReviewRecord& record) {
  Result<review::AccountData> data = DataOf(store, context, snapshot);
  if (!data.ok()) {
    Fail(record, data.status().message());
    return false;
  }
  const std::vector<review::DataProblem> problems = review::CheckAccountData(*data);
  for (const review::DataProblem& problem : problems) {
    if (problem.suspends) record.reasons.push_back(problem.text);
  }
  for (const review::DataProblem& problem : problems) {
    if (!problem.suspends) record.reasons.push_back("warning: " + problem.text);
    record.warnings += !problem.suspends;
  }
  if (review::Suspends(problems)) {
    record.outcome = review::ReviewOutcome::kSuspended;
    return false;
  }
  return true;
}

void Review(Store& store, const RebalanceContext& context, const Account& account,
            const review::ReviewThresholds& thresholds, review::ReviewRecord& record) {
  Result<AccountSnapshot> snapshot = LoadAccountSnapshot(store, context, account.id);
  if (!snapshot.ok()) return Fail(record, snapshot.status().message());
  if (!CheckSnapshot(store, context, *snapshot, record)) return;
  Result<review::RebalanceInput> input =
      BuildRebalanceInput(store, context, std::move(snapshot).value());
  if (!input.ok()) return Fail(record, input.status().message());
  Result<review::Proposal> proposal = review::Rebalance(*input);
  if (!proposal.ok()) return Fail(record, proposal.status().message());
  record.summary = review::SummarizeReview(*input, *proposal, thresholds);
  record.outcome =
      proposal->trades.empty() ? review::ReviewOutcome::kNoTrade : review::ReviewOutcome::kProposed;
  record.notes = std::move(proposal->notes);  // the input's notes, which the proposal carries
  record.trades = std::move(proposal->trades);
}

}  // namespace

review::ReviewRecord EmptyRecord(const Account& account) {
  return {.account = account.id,
          .household = account.household,
          .advisor = account.advisor,
          .account_type = std::string(ToString(account.type))};
}

std::optional<AccountSnapshot> CheckAccountData(Store& store, const RebalanceContext& context,
                                                const Account& account,
                                                review::ReviewRecord& record) {
  Result<AccountSnapshot> snapshot = LoadAccountSnapshot(store, context, account.id);
  if (!snapshot.ok()) {
    Fail(record, snapshot.status().message());
    return std::nullopt;
  }
  if (!CheckSnapshot(store, context, *snapshot, record)) return std::nullopt;
  return std::move(snapshot).value();
}

review::ReviewRecord ReviewAccount(Store& store, const RebalanceContext& context,
                                   const Account& account,
                                   const review::ReviewThresholds& thresholds) {
  const auto start = std::chrono::steady_clock::now();
  review::ReviewRecord record = EmptyRecord(account);
  try {
    Review(store, context, account, thresholds, record);
  } catch (const std::exception& e) {
    // The batch's last line of defence (ORE's "failed trade"): record it, keep the run going.
    record = EmptyRecord(account);
    Fail(record, std::string("internal error: ") + e.what());
  }
  record.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return record;
}

}  // namespace arbor
