// The tax rate r_j the optimizer charges on a lot's gain if it were sold on the as-of date, and
// the wash-sale facts behind it (IRS Pub. 550, "Holding Period" and "Wash Sales"; IRC 1091).
//
//   WashWindow window(input);                       // the taxpayer's activity of the last 30 days
//   LotTax tax = ClassifyLot(input, lot, price, window);
//   tax.term;   // Term::kShort unless held more than a year (the ledger's holding-period rule)
//   tax.rate;   // the client's short- or long-term rate; 0 for an IRA, and 0 for a loss that a
//               // purchase of the last 30 days would wash ("worth nothing now")
//
// A loss whose washing purchase sits in a tax-deferred account is lost for good
// (Rev. Rul. 2008-5), not just deferred (kPermanent); either way the rebalance keeps the lot
// (account_model.h, LotFacts::wash_held) rather than trigger a wash sale; after 30 days it can
// harvest.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/ledger/holding_period.h"
#include "core/review/rebalance_input.h"

namespace arbor::review {

enum class WashStatus {
  kClear,      // a loss sold today is deductible now (or the lot is not at a loss)
  kDeferred,   // washed by a purchase in a taxable account: added to that lot's basis
  kPermanent,  // washed by a purchase in a tax-deferred account: never deductible
};
std::string_view ToString(WashStatus status);

// The taxpayer's purchases and loss sales within the 30 days up to the as-of date, by group.
class WashWindow {
 public:
  explicit WashWindow(const RebalanceInput& input);

  // The latest reportable loss sale of the group in the window, or null: while there is one,
  // a purchase in the group would wash it, so nothing of the group may be bought.
  const RecentLossSale* BuyBlocker(const std::string& wash_sale_group) const;
  // The purchase that would wash a loss sale of `lot` today, or null. A purchase in a tax-
  // deferred account is preferred, since it makes the loss permanent. The purchase that created
  // the lot itself never washes it (Rev. Rul. 56-602; docs/tax-lots.md: selling part of a lot at
  // a loss and keeping the rest is not a wash sale).
  const RecentPurchase* WashingPurchase(const RebalanceLot& lot,
                                        const std::string& wash_sale_group) const;

 private:
  std::string account_;
  std::unordered_map<std::string, const RecentLossSale*> latest_loss_sale_;
  std::unordered_map<std::string, std::vector<const RecentPurchase*>> purchases_;
};

struct LotTax {
  Term term = Term::kShort;
  bool loss = false;  // the price is below the lot's basis per share
  WashStatus wash = WashStatus::kClear;
  const RecentPurchase* washing_purchase = nullptr;  // for kDeferred and kPermanent
  double rate = 0;                                   // r_j
};

// `price` is the security's price as of input.as_of; `wash_sale_group` the lot's group;
// `selling_cost_rate` the fraction of the proceeds a sale costs. A sale is at a loss when the
// amount realized, the proceeds less the selling expenses (IRS Pub. 550, "Amount realized"), is
// below the basis: a lot up by less than its trading cost is sold at a loss, and washed like one.
LotTax ClassifyLot(const RebalanceInput& input, const RebalanceLot& lot, Price price, double selling_cost_rate,
                   const std::string& wash_sale_group, const WashWindow& window);

}  // namespace arbor::review
