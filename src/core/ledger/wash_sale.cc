#include "core/ledger/wash_sale.h"

#include <algorithm>
#include <tuple>

#include "core/ledger/holding_period.h"

namespace arbor {
namespace {

bool FullyMatched(const WashLoss& loss) { return loss.matched == loss.shares; }

}  // namespace

Shares WashSaleMatcher::Absorb(WashLoss* loss, std::vector<Lot>* lots, size_t index,
                               bool tax_deferred, Realizations* realized) {
  Shares used = std::min(loss->shares - loss->matched, (*lots)[index].shares);
  if (used < (*lots)[index].shares) {
    Lot remainder = (*lots)[index];
    remainder.shares = (*lots)[index].shares - used;
    Money used_basis = (*lots)[index].basis.Prorate(used, (*lots)[index].shares);
    remainder.basis = (*lots)[index].basis - used_basis;
    (*lots)[index].shares = used;
    (*lots)[index].basis = used_basis;
    lots->push_back(std::move(remainder));
  }
  Lot& replacement = (*lots)[index];
  // Prorate on the cumulative match so that a fully washed loss is disallowed to the micro-cent.
  loss->matched += used;
  Money cumulative = loss->loss.Prorate(loss->matched, loss->shares);
  Money disallowed = cumulative - loss->disallowed;
  loss->disallowed = cumulative;

  Realization& realization = (*realized)[loss->realization];
  realization.wash_disallowed += disallowed;
  if (tax_deferred) {
    realization.wash_disallowed_permanent += disallowed;
  } else {
    replacement.basis += disallowed;
    replacement.holding_period_date = TackedHoldingPeriodDate(
        replacement.acquired, loss->sale_date, loss->holding_period_date);
  }
  replacement.absorbed_wash_loss = true;
  return used;
}

void WashSaleMatcher::MatchSale(size_t site, Date sale_date, std::vector<WashLoss>& losses,
                                const std::vector<ReplacementCandidates>& candidates,
                                Realizations* realized) {
  std::sort(losses.begin(), losses.end(), [](const WashLoss& a, const WashLoss& b) {
    return std::tie(a.acquired, a.lot_sequence) < std::tie(b.acquired, b.lot_sequence);
  });
  const Date window_start = sale_date.AddDays(-kWashSaleWindowDays);
  for (WashLoss& loss : losses) {
    std::vector<ReplacementSite>& sites = sites_;
    sites.clear();
    for (size_t c = 0; c < candidates.size(); ++c) {
      const std::vector<Lot>& lots = *candidates[c].lots;
      for (size_t l = 0; l < lots.size(); ++l) {
        const Lot& lot = lots[l];
        if (lot.acquired_by_purchase && !lot.absorbed_wash_loss && lot.acquired >= window_start &&
            lot.acquired <= sale_date && lot.purchase_id != loss.purchase_id &&
            lot.shares.is_positive()) {
          sites.push_back({c, l});
        }
      }
    }
    std::sort(sites.begin(), sites.end(), [&](const ReplacementSite& a, const ReplacementSite& b) {
      const Lot& x = (*candidates[a.candidate].lots)[a.lot];
      const Lot& y = (*candidates[b.candidate].lots)[b.lot];
      return std::tie(x.acquired, x.sequence) < std::tie(y.acquired, y.sequence);
    });
    for (const ReplacementSite& site : sites) {
      if (FullyMatched(loss)) break;
      Absorb(&loss, candidates[site.candidate].lots, site.lot,
             candidates[site.candidate].tax_deferred, realized);
    }
    if (!FullyMatched(loss)) {
      if (pending_.size() <= site) pending_.resize(site + 1);
      pending_[site].push_back(loss);
    }
  }
}

void WashSaleMatcher::MatchPurchase(size_t site, Date trade_date, std::vector<Lot>* lots,
                                    size_t index, bool tax_deferred,
                                    Realizations* realized) {
  if (site >= pending_.size() || pending_[site].empty()) return;
  std::vector<WashLoss>& queue = pending_[site];
  size_t done = 0;  // losses fully washed or out of their window, all at the front
  for (; done < queue.size(); ++done) {
    WashLoss& loss = queue[done];
    // Losses are queued in date order, so once one is in its window the rest are too.
    if (loss.sale_date.AddDays(kWashSaleWindowDays) < trade_date) continue;
    size_t size_before = lots->size();
    Absorb(&loss, lots, index, tax_deferred, realized);
    if (!FullyMatched(loss)) break;           // the purchase is used up
    if (lots->size() == size_before) {        // both used up exactly
      ++done;
      break;
    }
    index = lots->size() - 1;  // continue with the unmatched remainder of the purchase
  }
  queue.erase(queue.begin(), queue.begin() + done);
}

void WashSaleMatcher::ApplySplit(size_t site, int64_t numerator, int64_t denominator) {
  if (site >= pending_.size()) return;
  for (WashLoss& loss : pending_[site]) {
    auto scale = [&](Shares s) {
      return Shares::FromMicros(
          RoundedDivide(static_cast<__int128>(s.micros()) * numerator, denominator));
    };
    loss.shares = scale(loss.shares);
    loss.matched = std::min(scale(loss.matched), loss.shares);
  }
}

size_t WashSaleMatcher::pending_count() const {
  size_t count = 0;
  for (const std::vector<WashLoss>& queue : pending_) count += queue.size();
  return count;
}

}  // namespace arbor
