// What-if for advisors: the proposal a customization change would cause, summarized the way a
// client conversation needs it — how much of the portfolio would be sold, the gains it would
// realize and their tax, and the tracking error before and after.
//
//   Customization proposed = ApplyChange(current, {.add_screens = {"tobacco"}});
//   // the caller rebalances with `proposed` (adapters/storage/rebalance_input_loader.h)
//   WhatIfSummary now = SummarizeProposal(baseline), then = SummarizeProposal(with_change);
//   then.sold_fraction;   // 0.043: 4.3% of the account would be sold
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/base/fixed.h"
#include "core/models/customization.h"
#include "core/review/proposal.h"

namespace arbor::models {

// A change on top of an account's customization. Removals, weights and products replace the
// account's entry for the same class; screens are added or taken away.
struct CustomizationChange {
  std::optional<std::string> template_name;  // switch templates, keeping what still applies
  std::vector<ClassRemoval> removals;
  std::vector<std::string> restore_classes;  // undo a removal
  std::vector<WeightOverride> weights;
  std::vector<ProductChoice> products;
  std::vector<std::string> add_screens;
  std::vector<std::string> remove_screens;

  bool empty() const;
};

Customization ApplyChange(const Customization& base, const CustomizationChange& change);

struct WhatIfSummary {
  int trades = 0;
  double sold_fraction = 0;    // sales / account value
  double bought_fraction = 0;  // purchases / account value
  Money short_term_gains;      // net realized by the proposal (negative: a net loss)
  Money long_term_gains;
  Money tax;   // of the proposal: federal, state and NIIT at the client's rates
  Money cost;  // estimated trading costs
  double tracking_error_before = 0;  // holdings now against the (new) targets
  double tracking_error_after = 0;
  double score_dollars = 0;  // the proposal's cost-benefit score
};

WhatIfSummary SummarizeProposal(const review::Proposal& proposal);

}  // namespace arbor::models
