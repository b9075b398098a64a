#include "core/models/what_if.h"

#include <algorithm>

namespace arbor::models {
namespace {

// Replaces the entry of the same class, or appends.
template <typename Entry>
void Upsert(std::vector<Entry>& entries, const Entry& entry) {
  auto same = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) {
    return e.asset_class == entry.asset_class;
  });
  if (same == entries.end()) {
    entries.push_back(entry);
  } else {
    *same = entry;
  }
}

}  // namespace

bool CustomizationChange::empty() const {
  return !template_name && removals.empty() && restore_classes.empty() && weights.empty() &&
         products.empty() && add_screens.empty() && remove_screens.empty();
}

Customization ApplyChange(const Customization& base, const CustomizationChange& change) {
  Customization out = base;
  if (change.template_name) out.template_name = *change.template_name;
  for (const std::string& restored : change.restore_classes) {
    std::erase_if(out.removals, [&](const ClassRemoval& r) { return r.asset_class == restored; });
  }
  for (const ClassRemoval& removal : change.removals) {
    Upsert(out.removals, removal);
    // A removed class has no weight or product of its own any more.
    std::erase_if(out.weights, [&](const WeightOverride& w) {
      return w.asset_class == removal.asset_class;
    });
    std::erase_if(out.products, [&](const ProductChoice& p) {
      return p.asset_class == removal.asset_class;
    });
  }
  for (const WeightOverride& weight : change.weights) Upsert(out.weights, weight);
  for (const ProductChoice& product : change.products) Upsert(out.products, product);
  for (const std::string& screen : change.add_screens) out.screens.push_back(screen);
  for (const std::string& screen : change.remove_screens) std::erase(out.screens, screen);
  std::sort(out.screens.begin(), out.screens.end());
  out.screens.erase(std::unique(out.screens.begin(), out.screens.end()), out.screens.end());
  return out;
}

WhatIfSummary SummarizeProposal(const review::Proposal& proposal) {
  WhatIfSummary summary;
  summary.trades = static_cast<int>(proposal.trades.size());
  Money sold, bought;
  for (const review::Trade& trade : proposal.trades) {
    if (trade.side == review::TradeSide::kBuy) {
      bought += trade.amount;
      continue;
    }
    sold += trade.amount;
    for (const review::LotSale& lot : trade.lots) {
      (lot.term == Term::kShort ? summary.short_term_gains : summary.long_term_gains) += lot.Gain();
    }
  }
  if (proposal.account_value > 0) {
    summary.sold_fraction = sold.ToDouble() / proposal.account_value;
    summary.bought_fraction = bought.ToDouble() / proposal.account_value;
  }
  summary.tax = proposal.after.tax;
  summary.cost = proposal.after.cost;
  summary.tracking_error_before = proposal.before.tracking_error;
  summary.tracking_error_after = proposal.after.tracking_error;
  summary.score_dollars = proposal.score.total_dollars;
  return summary;
}

}  // namespace arbor::models
