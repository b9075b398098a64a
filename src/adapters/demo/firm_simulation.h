// The past of one planned household (firm_plan.h), simulated on the real prices: its accounts
// are funded, then reviewed on the household's review days until as_of, with dividends,
// splits, fees, contributions and withdrawals in between, every event applied to a core Ledger
// of the household. firm_generator.h describes what a review does.
//
//   SimulationContext context = MakeSimulationContext(tape, targets, master, options);
//   HouseholdHistory history = SimulateHousehold(plan.households[0], context).value();
//
// Households are independent (a wash-sale scope never spans two), so they may be simulated on
// several threads at once; nothing here is random.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "adapters/demo/firm_plan.h"
#include "adapters/demo/firm_targets.h"
#include "adapters/demo/market_tape.h"
#include "adapters/storage/custodian_positions_store.h"
#include "core/ledger/event.h"
#include "core/market/security.h"
#include "core/review/cash_policy.h"

namespace arbor::firm_internal {

struct SimulationContext {
  const MarketTape* tape = nullptr;
  const TargetBook* targets = nullptr;
  const FirmOptions* options = nullptr;
  int as_of_day = 0;
  std::vector<int> wash_group;  // per tape symbol: substantially identical symbols share one
  // Per tape symbol: what a harvest may swap it for, the GICS sector of a stock or the asset
  // class of a fund (-1: none); and whether it is a fund.
  std::vector<int> peer_group;
  std::vector<bool> is_fund;
  std::vector<std::vector<int>> funds_by_peer;  // the funds of each peer group
  std::vector<std::pair<std::string, std::string>> ledger_wash_groups;  // symbol -> group
};

SimulationContext MakeSimulationContext(const MarketTape& tape, const TargetBook& targets,
                                        const SecurityMaster& master, const FirmOptions& options);

struct HouseholdHistory {
  std::vector<Event> events;                 // in the order applied (dates ascending)
  std::vector<CustodianPosition> positions;  // every open position at as_of, from the ledger
  // Per account of the plan: the one-off withdrawals it paid, and its cash at as_of.
  std::vector<std::vector<review::WithdrawalRequest>> paid_requests;
  std::vector<Money> cash;
};

Result<HouseholdHistory> SimulateHousehold(const HouseholdPlan& plan,
                                           const SimulationContext& context);

}  // namespace arbor::firm_internal
