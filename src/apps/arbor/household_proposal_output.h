// A household's rebalance proposal (core/review/household_rebalance.h) for people (text), for
// programs (JSON) and for the trading desk (the trade list of `arbor rebalance --trades-csv`,
// every account's rows in one file).
//
//   PrintHouseholdProposal(input, proposal, std::cout);
//   std::cout << HouseholdProposalJson(input, proposal).dump(2);
//   WriteHouseholdTradeList(proposal, &file);
//
// The text starts with the household: its value, tracking error and cash before and after, the
// proposal's tax and trading cost, the location benefit and the cost-benefit score by component;
// then the asset-class and sector drift, the wash-sale directions fixed across the household, and
// each account: its trades (sells versus their lots) and, for a taxable account, what the
// proposal realizes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>

#include "core/review/household_rebalance.h"

namespace arbor::cli {

struct HouseholdPrintOptions {
  size_t max_trades_per_account = SIZE_MAX;
  size_t max_wash_sale_notes = SIZE_MAX;
  bool notes = true;  // the loader's and the rebalance's notes
};

// `input` is the one the proposal was made from (it says which accounts are taxable).
void PrintHouseholdProposal(const review::HouseholdRebalanceInput& input,
                            const review::HouseholdProposal& proposal, std::ostream& out,
                            const HouseholdPrintOptions& options = {});
nlohmann::ordered_json HouseholdProposalJson(const review::HouseholdRebalanceInput& input,
                                             const review::HouseholdProposal& proposal);
void WriteHouseholdTradeList(const review::HouseholdProposal& proposal, std::ostream* out);

// The proposal's realized gains in one account: after minus before (the tax year so far).
review::RealizedGains RealizedByProposal(const review::Proposal& account);

}  // namespace arbor::cli
