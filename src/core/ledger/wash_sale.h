// The wash-sale rule (IRC 1091; Treas. Reg. 1.1091-1 and -2; IRS Pub. 550, "Wash Sales"),
// applied within one site: one scope (the accounts of one taxpayer, spouses together) and one
// group of substantially identical securities, numbered by the Ledger. The Ledger owns one matcher and calls it at every loss
// sale and every purchase, in date order.
//
//   matcher.MatchSale(site, sale_date, losses, candidates, &realized);  // replacements bought
//                                                                        // in the 30 days before
//   matcher.MatchPurchase(site, trade_date, lots, index, deferred, &realized);  // ... and after
//
// Matching order (Reg. 1.1091-1(b)-(c)): loss sales in order of disposition, and within one sale
// in order of the sold shares' acquisition; replacement shares earliest-acquired first, before
// or after the sale alike; each replacement share absorbs at most one loss. A replacement must
// be held when it is matched: shares sold in the loss sale itself are never replacements, nor
// are shares of the same purchase as the shares sold. The disallowed loss is added to the
// replacement's basis and the washed holding period is tacked on (Reg. 1.1091-2); a replacement
// in a tax-deferred account disallows the loss permanently (Rev. Rul. 2008-5).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/ledger/lot.h"

namespace arbor {

inline constexpr int kWashSaleWindowDays = 30;

// The loss on the shares of one lot relieved by one sale.
struct WashLoss {
  size_t realization = 0;  // index into the ledger's realizations
  Shares shares;           // shares sold at a loss
  Money loss;              // positive: basis - proceeds
  uint64_t purchase_id = 0;
  Date acquired;
  uint64_t lot_sequence = 0;
  Date holding_period_date;
  Date sale_date;
  Shares matched;          // shares already washed
  Money disallowed;        // loss already disallowed (prorated on `matched`)
  friend bool operator==(const WashLoss&, const WashLoss&) = default;
};

// Open lots that may replace a loss: one position of the scope and group.
struct ReplacementCandidates {
  std::vector<Lot>* lots;
  bool tax_deferred;
};

class WashSaleMatcher {
 public:
  // `losses` are one sale's loss pieces (any order; sorted in place). Matches them against open lots acquired
  // by purchase in [sale_date - 30, sale_date]; what is left waits for later purchases.
  void MatchSale(size_t site, Date sale_date, std::vector<WashLoss>& losses,
                 const std::vector<ReplacementCandidates>& candidates,
                 Realizations* realized);

  // A purchase just created lots[index]: washes pending losses of the last 30 days with it.
  void MatchPurchase(size_t site, Date trade_date, std::vector<Lot>* lots, size_t index,
                     bool tax_deferred, Realizations* realized);

  // Restates pending losses of `site` in post-split shares.
  void ApplySplit(size_t site, int64_t numerator, int64_t denominator);

  size_t pending_count() const;
  // Per site, the losses still open to replacement: what a saved ledger state keeps.
  const std::vector<std::vector<WashLoss>>& pending() const { return pending_; }
  void RestorePending(std::vector<std::vector<WashLoss>> pending) { pending_ = std::move(pending); }

 private:
  // Washes as much of `loss` as lots[index] can replace; returns the shares used. Splits the
  // lot when only part of it is needed (the remainder is appended to `lots`).
  Shares Absorb(WashLoss* loss, std::vector<Lot>* lots, size_t index, bool tax_deferred,
                Realizations* realized);

  // Per site (one scope and group, numbered by the Ledger): losses still open to replacement,
  // in order of disposition.
  std::vector<std::vector<WashLoss>> pending_;

  struct ReplacementSite {
    size_t candidate;
    size_t lot;
  };
  std::vector<ReplacementSite> sites_;  // scratch for MatchSale
};

}  // namespace arbor
