// A rebalance proposal for people (text), for programs (JSON) and for the trading desk (a CSV
// trade list: one row per lot sold "versus purchase", one per buy).
//
//   PrintProposal(proposal, std::cout);
//   std::cout << ProposalJson(proposal).dump(2);
//   WriteTradeList(proposal, &file);
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/review/proposal.h"

namespace arbor::cli {

// Limits for a shorter printout (the demo's); the defaults print everything.
struct ProposalPrintOptions {
  size_t max_trades = SIZE_MAX;
  size_t max_wash_sale_notes = SIZE_MAX;
};
void PrintProposal(const review::Proposal& proposal, std::ostream& out,
                   const ProposalPrintOptions& options = {});
nlohmann::ordered_json ProposalJson(const review::Proposal& proposal);
// Parts of ProposalJson that a household's proposal has too.
nlohmann::ordered_json GroupDriftJson(const std::vector<review::GroupDrift>& groups);
nlohmann::ordered_json RelaxationsJson(const std::vector<review::Relaxation>& relaxations);
nlohmann::ordered_json WashSalesJson(const std::vector<review::WashSaleNote>& notes);
// account,side,symbol,shares,price,amount,lot_id,acquired,term,gain,reason
void WriteTradeList(const review::Proposal& proposal, std::ostream* out);
// One list for several accounts (a household's), one header.
void WriteTradeLists(const std::vector<const review::Proposal*>& proposals, std::ostream* out);
// The trades table alone, each sell with its lots (what PrintProposal starts with).
void PrintTrades(const review::Proposal& proposal, size_t max_trades, std::ostream& out);

}  // namespace arbor::cli
