// Tax lots and realized gains, the two records the ledger keeps exactly.
//
// A Lot is an open holding: `shares` bought together, with a total cost `basis` (not a
// per-share figure, so that splitting a lot never loses a cent: the part sold gets a prorated
// basis and the part kept gets the exact remainder). A Realization is one (sale, lot) pair, the
// row of Form 8949.
#pragma once

#include <cstdint>
#include <string>

#include "core/base/chunked_vector.h"
#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/ledger/holding_period.h"

namespace arbor {

struct Lot {
  std::string lot_id;        // the label given at purchase; sub-lots keep their parent's label
  uint64_t purchase_id = 0;  // identity of the purchase that created it (same-purchase rule)
  uint64_t sequence = 0;     // creation order, the tie-break after dates
  Shares shares;
  Money basis;               // total, including buy fees and wash-sale adjustments
  Date acquired;             // trade date of the purchase (or original date of a transfer)
  Date holding_period_date;  // `acquired`, or earlier when a washed holding period is tacked on
  bool acquired_by_purchase = true;    // transfers-in are not acquisitions within a wash window
  bool absorbed_wash_loss = false;     // a replacement share absorbs at most one loss
  friend bool operator==(const Lot&, const Lot&) = default;
};

struct Realization {
  std::string account;
  std::string symbol;
  std::string lot_id;
  Date sell_date;
  Date acquired;
  Date holding_period_date;
  Shares shares;
  Money proceeds;  // net of the sale's fees, prorated by shares
  Money basis;
  Money wash_disallowed;            // Form 8949 column (g), >= 0; includes the permanent part
  Money wash_disallowed_permanent;  // part washed by a purchase in a tax-deferred account
  bool reportable = true;           // false inside tax-deferred accounts
  uint64_t sale_sequence = 0;

  friend bool operator==(const Realization&, const Realization&) = default;
  Money GainBeforeWash() const { return proceeds - basis; }
  Money Gain() const { return GainBeforeWash() + wash_disallowed; }
  Term term() const { return TermOf(holding_period_date, sell_date); }
};

// Every realized gain of a ledger, in the order realized; appending never moves a record.
using Realizations = ChunkedVector<Realization>;

}  // namespace arbor
