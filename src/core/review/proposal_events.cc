#include "core/review/proposal_events.h"

#include <algorithm>

namespace arbor::review {

std::vector<Event> ProposalEvents(const Proposal& proposal) {
  std::vector<Event> events;
  for (TradeSide side : {TradeSide::kSell, TradeSide::kBuy}) {
    for (const Trade& trade : proposal.trades) {
      if (trade.side != side) continue;
      Event event{.date = proposal.as_of,
                  .account = proposal.account,
                  .action = side == TradeSide::kSell ? EventAction::kSell : EventAction::kBuy,
                  .symbol = trade.symbol,
                  .shares = trade.shares,
                  .price = trade.price};
      if (side == TradeSide::kSell) {
        event.lot_method = LotMethod::kSpecific;
        // Sub-lots of one label form one selection: the ledger relieves them oldest first.
        for (const LotSale& sale : trade.lots) {
          auto same_label =
              std::find_if(event.lots.begin(), event.lots.end(),
                           [&](const LotSelection& s) { return s.lot_id == sale.lot_id; });
          if (same_label != event.lots.end()) {
            same_label->shares += sale.shares;
          } else {
            event.lots.push_back({.lot_id = sale.lot_id, .shares = sale.shares});
          }
        }
      }
      events.push_back(std::move(event));
    }
  }
  return events;
}

}  // namespace arbor::review
