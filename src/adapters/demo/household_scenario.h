// The household of the demonstration (docs/household-rebalance.md), on the real data: the
// Parks, two spouses with
//   - a joint taxable account funded in January 2016 with an S&P 500 direct index (a slice of
//     the index's names, bought equal-weighted and then left to drift like a cap-weighted index,
//     which the model's second version, of 2021-04-01, records), so by 2021 it carries large
//     embedded gains;
//   - her traditional IRA, rolled over in January 2021 into bond and REIT ETFs (AGG, TLT, VNQ);
//   - his Roth IRA, funded then with small caps (IWM);
// managed jointly to the template "Household Balanced": 60/40 equity/bonds from 2016, and 70/30
// from 2021-04-01 (the committee's tactical shift). The IRA and Roth are funded so that the
// household sits at 60/40 on the rollover day; a household rebalance on 2021-04-21 implements
// the shift inside the IRA and Roth, with no gain realized in the taxable account.
//
//   StoreHouseholdScenario(*store, master, prices, {});   // prices: the slice's stocks and ETFs
//   LoadHouseholdRebalanceInput(*store, *context, "PARK");
//
// The database must hold the securities and prices (and, for a rebalance, a risk model on the
// review date); this adds the template, the direct index's security model (a version at funding
// and one at the shift), the three accounts, their transactions, the custodian's positions of
// the review date (matching the lots, so the daily review has nothing to suspend) and the
// household.
#pragma once

#include <string>
#include <vector>

#include "adapters/io/market_data.h"
#include "adapters/storage/store.h"
#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/status.h"
#include "core/market/security.h"
#include "core/review/household_rebalance.h"

namespace arbor {

struct HouseholdScenario {
  std::string household = "PARK";
  std::string taxable = "PARK-JOINT";
  std::string ira = "PARK-IRA";
  std::string roth = "PARK-ROTH";
  std::string template_name = "Household Balanced";
  std::string model_name = "SP500-SLICE";
  Date funded = Date::FromYmd(2016, 1, 4).value();    // the taxable account
  Date rollover = Date::FromYmd(2021, 1, 4).value();  // the IRA and Roth
  // The template's 70/30 version and the direct index's second model version.
  Date shift = Date::FromYmd(2021, 4, 1).value();
  Date review = Date::FromYmd(2021, 4, 21).value();   // the household rebalance
  // The direct index: every k-th classified stock with prices on every date above, about this
  // many of them.
  int names = 80;
  Money taxable_deposit = Money::Units(1'000'000);
  std::vector<std::string> bond_funds = {"AGG", "TLT"};  // the template's fixed income
};

// What was stored: the direct index's names and the three accounts' ids.
struct StoredHouseholdScenario {
  std::vector<std::string> names;
  std::vector<std::string> accounts;  // taxable, IRA, Roth
};

// `prices` must hold AGG, TLT, VNQ and IWM and enough classified stocks with prices on the
// scenario's dates.
Result<StoredHouseholdScenario> StoreHouseholdScenario(Store& store, const SecurityMaster& master,
                                                       const std::vector<PriceHistory>& prices,
                                                       const HouseholdScenario& scenario);

// What the demonstration reports and its test checks. The household's weight in `symbols` before the proposal and with its trades applied, as
// fractions of the household's value.
std::pair<double, double> HouseholdWeightOf(const review::HouseholdRebalanceInput& input,
                                            const review::HouseholdProposal& proposal,
                                            const std::vector<std::string>& symbols);
// The account's unrealized gain: market value minus basis over its lots.
Money UnrealizedGain(const review::RebalanceInput& account);

}  // namespace arbor
