// The demo's householding step (docs/household-rebalance.md): the Park household
// (adapters/demo/household_scenario.h) added to the demo database, and its joint rebalance on
// 2021-04-21, when the household template's tactical shift from 60/40 to 70/30 is implemented
// inside the IRA and the Roth with no gain realized in the taxable direct index.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "adapters/demo/household_scenario.h"
#include "adapters/io/market_data.h"
#include "adapters/storage/store.h"
#include "core/market/security.h"
#include "core/review/household_rebalance.h"

namespace arbor::cli {

struct DemoHousehold {
  HouseholdScenario scenario;
  review::HouseholdRebalanceInput input;
  review::HouseholdProposal proposal;
  double bonds_before = 0;  // fixed income, fraction of the household
  double bonds_after = 0;
  double bonds_target = 0;
  Money embedded_gain;      // the taxable account's unrealized gain before the proposal
  Money realized_gains;     // the gains the proposal realizes in the taxable account
  std::string Summary() const;  // one line for the demo's step
};

// Stores the household in the demo database (which holds `prices` and a risk model on the review
// date) and rebalances it; fails the command on an error.
DemoHousehold RunDemoHousehold(Store& store, const SecurityMaster& master,
                               const std::vector<PriceHistory>& prices);

void PrintDemoHousehold(const DemoHousehold& household, std::ostream& out);

}  // namespace arbor::cli
