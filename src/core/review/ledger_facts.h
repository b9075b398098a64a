// The parts of a RebalanceInput that come from the tax-lot ledger: the account's open lots, the
// taxpayer's purchases and loss sales of the last 30 days in every account of the wash-sale
// scope (IRAs included), and the gains realized so far in the tax year.
//
//   Ledger ledger = BuildLedger(store->LoadLedgerInput("A", as_of)).value();  // events <= as_of
//   Result<LedgerFacts> facts = ReadLedgerFacts(ledger, master, "A", as_of);
//   input.lots = facts->lots;  ...
//
// Recent purchases are the open lots acquired by purchase in the window that have not yet
// absorbed a washed loss: exactly the shares the ledger's matcher would take as replacements
// (docs/tax-lots.md). Loss sales are the reportable realizations below their basis.
#pragma once

#include <string>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/status.h"
#include "core/ledger/ledger.h"
#include "core/market/security.h"
#include "core/review/rebalance_input.h"

namespace arbor::review {

struct LedgerFacts {
  bool tax_deferred = false;
  Money cash;
  std::vector<RebalanceLot> lots;  // in the ledger's relief order (oldest first per symbol)
  std::vector<RecentPurchase> recent_purchases;
  std::vector<RecentLossSale> recent_loss_sales;
  RealizedGains realized_this_year;
};

// An open lot of the ledger as the rebalance sees it (id, shares, basis, dates).
RebalanceLot ToRebalanceLot(const OpenLot& open);

// `ledger` holds the account's wash-sale scope replayed up to `as_of`; `master` gives the wash-
// sale groups (a symbol it does not know is its own group).
Result<LedgerFacts> ReadLedgerFacts(const Ledger& ledger, const SecurityMaster& master,
                                    const std::string& account, Date as_of);

}  // namespace arbor::review
