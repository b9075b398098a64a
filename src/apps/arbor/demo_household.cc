#include "apps/arbor/demo_household.h"

#include <memory>
#include <tuple>

#include "adapters/storage/household_input_loader.h"
#include "adapters/storage/rebalance_context.h"
#include "apps/arbor/household_proposal_output.h"
#include "apps/arbor/output.h"

namespace arbor::cli {

std::string DemoHousehold::Summary() const {
  return std::to_string(proposal.accounts.size()) + " accounts, fixed income " +
         FormatPercent(bonds_before, 1) + " -> " + FormatPercent(bonds_after, 1) +
         ", gains realized in the taxable account " + FormatDollars(realized_gains.ToDouble(), 0);
}

DemoHousehold RunDemoHousehold(Store& store, const SecurityMaster& master,
                               const std::vector<PriceHistory>& prices) {
  DemoHousehold demo;
  const HouseholdScenario& s = demo.scenario;
  OrFail(StoreHouseholdScenario(store, master, prices, s));
  std::unique_ptr<RebalanceContext> context = OrFail(RebalanceContext::Load(store, s.review));
  demo.input = OrFail(LoadHouseholdRebalanceInput(store, *context, s.household));
  demo.proposal = OrFail(review::RebalanceHousehold(demo.input));
  std::tie(demo.bonds_before, demo.bonds_after) =
      HouseholdWeightOf(demo.input, demo.proposal, s.bond_funds);
  // Members come in id order.
  size_t t = 0;
  while (t + 1 < demo.input.accounts.size() && demo.input.accounts[t].account != s.taxable) ++t;
  const review::RebalanceInput& taxable = demo.input.accounts[t];
  for (size_t i = 0; i < taxable.securities.size(); ++i) {
    for (const std::string& bond : s.bond_funds) {
      if (taxable.securities[i].symbol == bond) demo.bonds_target += demo.input.targets[i];
    }
  }
  demo.embedded_gain = UnrealizedGain(taxable);
  const review::RealizedGains realized = RealizedByProposal(demo.proposal.accounts[t]);
  demo.realized_gains = realized.short_term_gains + realized.long_term_gains;
  return demo;
}

void PrintDemoHousehold(const DemoHousehold& demo, std::ostream& out) {
  const HouseholdScenario& s = demo.scenario;
  out << "\nThe " << s.household << " household: a joint taxable account holding an S&P 500 direct "
      << "index since " << s.funded.ToString() << "\n(embedded gain "
      << FormatDollars(demo.embedded_gain.ToDouble(), 0) << "), a traditional IRA in bond and REIT "
      << "ETFs and a Roth IRA in small caps.\nIts template \"" << s.template_name
      << "\" moved from 60/40 to 70/30 on " << s.shift.ToString() << ". One joint solve\nmoves the "
      << "household from " << FormatPercent(demo.bonds_before, 1) << " to "
      << FormatPercent(demo.bonds_after, 1) << " fixed income (target "
      << FormatPercent(demo.bonds_target, 1) << ") inside the IRA and the Roth,\nrealizing "
      << FormatDollars(demo.realized_gains.ToDouble(), 0) << " of gains in the taxable account.\n\n";
  PrintHouseholdProposal(demo.input, demo.proposal, out,
                         {.max_trades_per_account = 6, .max_wash_sale_notes = 4, .notes = false});
}

}  // namespace arbor::cli
