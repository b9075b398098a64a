#include "adapters/batch/household_review.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>

#include "adapters/batch/account_review.h"
#include "adapters/storage/household_input_loader.h"
#include "core/review/household_rebalance.h"

namespace arbor {
namespace {

// Every member fails with the same reason, first, before any data warnings.
void FailAll(std::vector<review::ReviewRecord>& records, const std::string& what) {
  for (review::ReviewRecord& record : records) {
    record.outcome = review::ReviewOutcome::kFailed;
    record.reasons.insert(record.reasons.begin(), what);
  }
}

void Review(Store& store, const RebalanceContext& context, const std::string& household,
            const std::vector<const Account*>& members, const review::ReviewThresholds& thresholds,
            std::vector<review::ReviewRecord>& records) {
  // Data checks of every member first; one suspended (or unreadable) member holds back all. The
  // snapshots they read are the members' inputs, so each member is read once.
  std::vector<std::string> held_back;
  std::vector<bool> sound(members.size(), false);
  std::vector<AccountSnapshot> snapshots;
  for (size_t a = 0; a < members.size(); ++a) {
    std::optional<AccountSnapshot> snapshot =
        CheckAccountData(store, context, *members[a], records[a]);
    sound[a] = snapshot.has_value();
    if (sound[a]) {
      snapshots.push_back(std::move(snapshot).value());
      continue;
    }
    for (const std::string& reason : records[a].reasons) {
      if (reason.rfind("warning: ", 0) != 0) held_back.push_back(members[a]->id + ": " + reason);
    }
  }
  if (!held_back.empty()) {
    for (size_t a = 0; a < members.size(); ++a) {
      review::ReviewRecord& record = records[a];
      std::vector<std::string> others;
      for (const std::string& reason : held_back) {
        if (reason.rfind(record.account + ": ", 0) != 0) {
          others.push_back("household " + household + " is reviewed as one unit: " + reason);
        }
      }
      // A sound member is suspended for the others' reasons, which go first; the others keep
      // their own outcome and reasons, then these.
      auto at = sound[a] ? record.reasons.begin() : record.reasons.end();
      record.reasons.insert(at, others.begin(), others.end());
      if (sound[a]) record.outcome = review::ReviewOutcome::kSuspended;
    }
    return;
  }
  Result<review::HouseholdRebalanceInput> input =
      LoadHouseholdRebalanceInput(store, context, household, std::move(snapshots));
  if (!input.ok()) return FailAll(records, input.status().message());
  Result<review::HouseholdProposal> proposal = review::RebalanceHousehold(*input);
  if (!proposal.ok()) return FailAll(records, proposal.status().message());
  const review::HouseholdFigures figures{
      .joint = true,
      .value = proposal->value,
      .score_usd = proposal->score.total_dollars,
      .score_bps = proposal->score.BasisPoints(proposal->score.total_dollars),
      .tracking_error_before = proposal->before.tracking_error,
      .tracking_error_after = proposal->after.tracking_error,
      .location_benefit_usd = proposal->location_benefit};
  for (size_t a = 0; a < input->accounts.size(); ++a) {
    review::Proposal& own = proposal->accounts[a];
    auto record_of = std::find_if(records.begin(), records.end(),
                                  [&](const review::ReviewRecord& r) { return r.account == own.account; });
    if (record_of == records.end()) continue;  // a member that joined since the scope was read
    review::ReviewRecord& record = *record_of;
    record.summary = review::SummarizeReview(input->accounts[a], own, thresholds);
    record.outcome = own.trades.empty() ? review::ReviewOutcome::kNoTrade : review::ReviewOutcome::kProposed;
    record.notes = std::move(own.notes);
    record.notes.insert(record.notes.end(), proposal->notes.begin(), proposal->notes.end());
    record.trades = std::move(own.trades);
    record.household_figures = figures;
  }
}

}  // namespace

std::vector<review::ReviewRecord> ReviewHousehold(Store& store, const RebalanceContext& context,
                                                  const std::string& household,
                                                  const std::vector<const Account*>& members,
                                                  const review::ReviewThresholds& thresholds) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<review::ReviewRecord> records;
  for (const Account* member : members) records.push_back(EmptyRecord(*member));
  try {
    Review(store, context, household, members, thresholds, records);
  } catch (const std::exception& e) {
    records.clear();
    for (const Account* member : members) records.push_back(EmptyRecord(*member));
    FailAll(records, std::string("internal error: ") + e.what());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (review::ReviewRecord& record : records) {
    record.household_figures.joint = true;
    record.seconds = seconds;
  }
  return records;
}

}  // namespace arbor
