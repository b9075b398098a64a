// The random half of the firm generator (firm_generator.h): who the clients are and what they
// asked for, drawn from the seed before any trading is simulated. Households, their accounts
// and taxpayers, advisors, target sizes, funding dates, customizations, legacy lots,
// restrictions, fees, contributions, withdrawals, tax rates, cash policies and the accounts
// given a data problem. The simulation (firm_simulation.h) then needs no randomness at all.
//
//   FirmPlan plan = PlanFirm(catalogue, master, tape, options).value();
//   plan.households[0].accounts[0].customization;
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/demo/demo_models.h"
#include "adapters/demo/firm_generator.h"
#include "adapters/demo/market_tape.h"
#include "core/ledger/account.h"
#include "core/ledger/event.h"
#include "core/models/customization.h"
#include "core/review/cash_policy.h"

namespace arbor::firm_internal {

// A one-off withdrawal the advisor asked for and a past review paid.
struct PastRequest {
  int review = 0;    // index into the household's review days
  double share = 0;  // of the account's value then
  int entered_days_before = 0;
};

struct AccountPlan {
  Account account;
  models::Customization customization;
  int family = 0;  // TargetBook family
  bool taxable = true;
  int funding_day = 0;  // tape day index
  Money deposit;
  std::vector<Event> legacy;  // lots transferred in at funding, with their original basis
  std::vector<SecurityRestriction> restrictions;
  double fee_rate = 0.01;  // a year of the account's value
  Money yearly_contribution;
  std::vector<review::ScheduledWithdrawal> schedules;
  std::vector<PastRequest> past_requests;
  std::vector<review::WithdrawalRequest> pending_requests;  // due after as_of
  Money reserve_cap;
  Money accumulate_target;
  int accumulate_reviews = 0;
  RebalanceSettings settings;
  std::optional<review::DataProblemKind> problem;
};

struct HouseholdPlan {
  std::string id;
  std::vector<int> review_days;  // tape day indices, ascending, all before as_of
  std::vector<AccountPlan> accounts;
};

struct FirmPlan {
  std::vector<HouseholdPlan> households;
  std::vector<std::string> advisors;
  std::optional<int> stale_symbol;  // a stock whose prices end well before as_of
};

Result<FirmPlan> PlanFirm(const DemoCatalogue& catalogue, const SecurityMaster& master,
                          const MarketTape& tape, const FirmOptions& options);

}  // namespace arbor::firm_internal
