// A RebalanceInput resolved into the optimizer's terms: the core problem of
// docs/rebalance-problem.md section 1 with every rule that holds whatever the discrete layer
// decides (restrictions, must-sell lots, buys blocked by a recent loss sale, per-lot tax rates
// with wash-sale status), and beside it what the discrete layer needs to know about each
// security, lot and wash-sale group.
//
//   Result<AccountModel> model = BuildAccountModel(input);
//   model->problem;            // solve it as is for the relaxation of the discrete rules
//   model->contested_groups;   // wash-sale groups where a buy and a loss sale are both possible
//
// The exact ledger amounts become doubles here, once: prices and basis per share as the nearest
// double of the exact decimal (basis / shares, which the optimizer only uses for r_j (p - c_j));
// cash and the minimum trade likewise. Nothing is rounded on the way in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/base/status.h"
#include "core/optimize/problem.h"
#include "core/review/lot_tax.h"
#include "core/review/rebalance_input.h"

namespace arbor::review {

// Why the base problem forbids buying a security.
enum class BuyBlock {
  kNone,
  kRestriction,     // no_buy, hold or must_sell
  kRecentLossSale,  // a loss sale of its group in the last 30 days (it would be washed)
  kMustSellLoss,    // a lot of its group must be sold at a loss, so the group may not be bought
};

struct SecurityFacts {
  int wash_group = 0;  // index into AccountModel::wash_groups
  Shares increment;    // the trading unit: 1 share, or the firm's fractional increment
  BuyBlock buy_block = BuyBlock::kNone;
  const RecentLossSale* blocking_sale = nullptr;  // for kRecentLossSale
  bool held = false;
};

struct LotFacts {
  LotTax tax;
  // Counts for wash-sale exclusivity: a sale of it now would report a loss (taxable account).
  bool reportable_loss = false;
  bool restricted = false;  // no_sell or hold: kept unless cash needs come first
  // A loss a recent purchase would wash (kDeferred or kPermanent): kept unless cash needs come
  // first, so that no proposal triggers a wash sale (IRC 1091).
  bool wash_held = false;
};

struct AccountModel {
  const RebalanceInput* input = nullptr;  // not owned; must outlive the model
  optimize::Problem problem;              // securities and lots in the input's order
  std::vector<SecurityFacts> securities;
  std::vector<LotFacts> lots;
  std::vector<std::string> wash_groups;                // names, in order of first appearance
  std::vector<std::vector<int>> wash_group_members;    // security indices
  std::vector<std::vector<int>> wash_group_loss_lots;  // lots with reportable_loss
  // Groups where the rule can bind: some security may be bought and some reportable loss lot
  // sold (no must-sell loss lot, which already forbids the buys).
  std::vector<int> contested_groups;
  std::vector<std::vector<int>> lots_of_security;
  double value = 0;  // V = cash - withdrawal + holdings, dollars
};

Result<AccountModel> BuildAccountModel(const RebalanceInput& input);

}  // namespace arbor::review
