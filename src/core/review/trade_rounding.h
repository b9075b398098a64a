// From the optimizer's continuous trades to an exact trade list that can be sent to a broker
// (docs/rebalance-problem.md section 3): whole shares for securities that do not allow
// fractions and the firm's increment for those that do; no order below the minimum trade; no
// lot sold beyond what it holds; the cash minimum kept.
//
//   TradeList trades = RoundTrades(model, Materialize(model, controls), solution.buys,
//                                  solution.sells);
//
// The rules, in order:
//  1. A lot sells a multiple of its security's increment or the whole lot (a lot of 10.4 shares
//     of a whole-share security sells 0..10 shares or all 10.4), whichever is nearest the
//     continuous sale; a must-sell lot sells whole.
//     Sub-lots of one label are then relieved oldest first, as the ledger will relieve them.
//  2. A security's optional sells worth less than the minimum trade are dropped.
//  3. A buy is rounded to the nearest increment and dropped below the minimum trade.
//  4. If a group still buys and sells at a loss (a trade too small to count as a conflict), its
//     buys are dropped: the wash-sale rule is never broken.
//  5. If cash falls below the minimum (never below zero: no proposal overdraws), buys shrink
//     one increment at a time, those rounded up first and then the largest; if that is not
//     enough, partial lot sales grow to their next unit; if that is still not enough, more lots
//     are sold, the least tax per dollar first (losses first), each security's sale at least the
//     minimum trade and no loss lot of a group that buys. What is still missing is reported as
//     cash_shortfall.
// Cash is computed exactly: proceeds and purchases as shares x price, costs as the cost rate
// times the traded dollars rounded to the millionth of a dollar.
#pragma once

#include <Eigen/Core>
#include <vector>

#include "core/base/fixed.h"
#include "core/optimize/problem.h"
#include "core/review/account_model.h"

namespace arbor::review {

struct TradeList {
  std::vector<Shares> buys;   // per security
  std::vector<Shares> sells;  // per lot
  Money cash_after;           // exact, after the withdrawal and costs
  Money cash_shortfall;       // below the cash minimum after rounding (0 almost always)
};

// `problem` is the materialized problem the continuous trades solved (its may_buy, sellable and
// cash minimum are the ones to keep).
TradeList RoundTrades(const AccountModel& model, const optimize::Problem& problem,
                      const Eigen::VectorXd& buys, const Eigen::VectorXd& sells);

// The trading cost of `shares` of security i, rounded to the millionth of a dollar.
Money TradeCost(const AccountModel& model, int security, Shares shares);

}  // namespace arbor::review
