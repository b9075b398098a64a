#include "core/ledger/lot_relief.h"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace arbor {
namespace {

bool EarlierAcquired(const Lot& a, const Lot& b) {
  return std::tie(a.acquired, a.sequence) < std::tie(b.acquired, b.sequence);
}

// The tax one share of `lot` would cost if sold at `net_price`; negative for a loss.
double TaxPerShare(const Lot& lot, const ReliefRequest& request) {
  double gain = request.net_price.ToDouble() - lot.basis.ToDouble() / lot.shares.ToDouble();
  double rate = IsLongTerm(lot.holding_period_date, request.sale_date) ? request.long_term_rate
                                                                       : request.short_term_rate;
  return gain * rate;
}

}  // namespace

void LotReliefPlanner::OrderLots(const std::vector<Lot>& lots, const ReliefRequest& request) {
  std::vector<size_t>& order = order_;
  order.resize(lots.size());
  std::iota(order.begin(), order.end(), 0);
  auto fifo = [&](size_t a, size_t b) { return EarlierAcquired(lots[a], lots[b]); };
  switch (request.method) {
    case LotMethod::kFifo:
    case LotMethod::kSpecific:
      std::stable_sort(order.begin(), order.end(), fifo);
      break;
    case LotMethod::kLifo:
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return fifo(b, a); });
      break;
    case LotMethod::kHifo:
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        // Compare basis per share exactly: basis_a * shares_b vs basis_b * shares_a.
        __int128 left = static_cast<__int128>(lots[a].basis.micros()) * lots[b].shares.micros();
        __int128 right = static_cast<__int128>(lots[b].basis.micros()) * lots[a].shares.micros();
        return left != right ? left > right : fifo(a, b);
      });
      break;
    case LotMethod::kTaxOptimal: {
      std::vector<double>& tax = tax_;
      tax.resize(lots.size());
      for (size_t i = 0; i < lots.size(); ++i) tax[i] = TaxPerShare(lots[i], request);
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return tax[a] != tax[b] ? tax[a] < tax[b] : fifo(a, b);
      });
      break;
    }
  }
}

Status LotReliefPlanner::PlanSpecific(const std::vector<Lot>& lots, const ReliefRequest& request,
                                      std::vector<ReliefPiece>* plan) {
  if (request.selections.empty()) {
    return Status::InvalidArgument("lot_method specific needs 'lots' naming the lots to sell");
  }
  std::vector<Shares>& remaining = remaining_;
  remaining.resize(lots.size());
  for (size_t i = 0; i < lots.size(); ++i) remaining[i] = lots[i].shares;
  const std::vector<size_t>& fifo_order = order_;
  Shares total;
  for (const LotSelection& selection : request.selections) {
    if (!selection.shares.is_positive()) {
      return Status::InvalidArgument("lots: shares for lot '" + selection.lot_id +
                                     "' must be positive");
    }
    Shares wanted = selection.shares;
    bool found = false;
    // A label may name several sub-lots (after a wash-sale split): relieve them oldest first.
    for (size_t index : fifo_order) {
      if (lots[index].lot_id != selection.lot_id) continue;
      found = true;
      Shares take = std::min(wanted, remaining[index]);
      if (!take.is_positive()) continue;
      plan->push_back({index, take});
      remaining[index] -= take;
      wanted -= take;
      if (wanted.is_zero()) break;
    }
    if (!found) return Status::NotFound("unknown lot '" + selection.lot_id + "'");
    if (wanted.is_positive()) {
      return Status::InvalidArgument("lot '" + selection.lot_id + "' holds fewer than " +
                                     selection.shares.ToShortString() + " shares");
    }
    total += selection.shares;
  }
  if (total != request.shares) {
    return Status::InvalidArgument("the selected lots add up to " + total.ToShortString() +
                                   " shares but the sale is for " + request.shares.ToShortString());
  }
  return Status::Ok();
}

Status LotReliefPlanner::Plan(const std::vector<Lot>& lots, const ReliefRequest& request,
                              std::vector<ReliefPiece>* plan) {
  plan->clear();
  if (!request.shares.is_positive()) {
    return Status::InvalidArgument("shares: must be positive");
  }
  Shares held;
  for (const Lot& lot : lots) held += lot.shares;
  if (request.shares > held) {
    return Status::FailedPrecondition("selling " + request.shares.ToShortString() +
                                      " shares, more than held (" + held.ToShortString() + ")");
  }
  OrderLots(lots, request);
  if (request.method == LotMethod::kSpecific) return PlanSpecific(lots, request, plan);

  Shares wanted = request.shares;
  for (size_t index : order_) {
    if (wanted.is_zero()) break;
    Shares take = std::min(wanted, lots[index].shares);
    plan->push_back({index, take});
    wanted -= take;
  }
  return Status::Ok();
}

}  // namespace arbor
