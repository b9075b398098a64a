// Which lots a sale relieves, and how many shares of each (a pure plan; nothing is changed).
//
//   ReliefRequest request{.method = LotMethod::kHifo, .shares = Shares::Units(40),
//                         .sale_date = date, .net_price = price};
//   LotReliefPlanner planner;
//   std::vector<ReliefPiece> plan;
//   Status status = planner.Plan(position_lots, request, &plan);
//
// Orders: FIFO and LIFO by acquisition date (then creation order), HIFO by basis per share,
// specific by the caller's lot ids, and tax-optimal by the tax one share of each lot would
// cost at the sale price (short-term and long-term rates from the request), most negative
// first: short-term losses, then long-term losses, then the cheapest gains.
#pragma once

#include <cstddef>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/status.h"
#include "core/ledger/event.h"
#include "core/ledger/lot.h"

namespace arbor {

struct ReliefRequest {
  LotMethod method = LotMethod::kFifo;
  Shares shares;
  std::vector<LotSelection> selections;  // kSpecific only
  Date sale_date;
  Price net_price;  // sale price net of fees per share; ranks lots for kTaxOptimal
  double short_term_rate = 0.35;
  double long_term_rate = 0.15;
};

struct ReliefPiece {
  size_t lot_index;
  Shares shares;
};

// Keeps its scratch buffers between calls: the ledger plans one sale per sell event, and
// allocating per sale showed up in the replay profile.
class LotReliefPlanner {
 public:
  // Fills `plan` (cleared first) with the pieces to relieve, in relief order.
  Status Plan(const std::vector<Lot>& lots, const ReliefRequest& request,
              std::vector<ReliefPiece>* plan);

 private:
  void OrderLots(const std::vector<Lot>& lots, const ReliefRequest& request);
  Status PlanSpecific(const std::vector<Lot>& lots, const ReliefRequest& request,
                      std::vector<ReliefPiece>* plan);

  std::vector<size_t> order_;
  std::vector<double> tax_;
  std::vector<Shares> remaining_;
};

}  // namespace arbor
