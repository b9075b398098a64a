// A certified lower bound on the optimum of a problem that differs from a solved one only in
// which securities may be bought and which lots may be sold, without solving it. The discrete
// layer of the rebalance asks "could this change of directions beat what I have?" many times;
// when the bound says no, the solve is skipped.
//
//   Solution solved = Solve(problem).value();
//   Problem changed = problem;
//   changed.securities[3].may_buy = true;           // open a buy, close a lot, ...
//   double bound = ObjectiveLowerBound(changed, problem, solved);   // dollars, <= optimum
//
// Why it holds (weak duality). With the multipliers y of the solved problem (signed as its rows
// need), min over the changed problem's variable box of the Lagrangian f(z) - y'(Az - b) is at
// most the changed problem's optimum. f is the quadratic objective; expanding it at the solved
// point z* and keeping only the specific-variance part of its curvature (the factor part
// X F X' is positive semidefinite, so dropping it only lowers the expansion) leaves a function
// that separates by security: per security, a linear function of its trades plus
// (lambda d_i / 2) (net trade)^2, minimized exactly over the box by sorting the trades' unit
// prices (a piecewise-linear function of the net trade plus a parabola). The bound is valid for
// any point and any multipliers of the right sign; the solved problem's make it tight for the
// securities that did not change, so what is left is the cost of the changed ones.
//
// TradeChangeBound does the same for many changed problems against one solved problem: the
// expansion at the solved point is prepared once, over a model in which every security may be
// bought and every lot sold (each changed box is a sub-box of it), and each changed problem then
// costs a comparison of its permissions plus the blocks of the securities whose permissions
// changed. The discrete layer's flips change one wash-sale group at a time.
#pragma once

#include <vector>

#include "core/optimize/problem.h"
#include "core/optimize/solver.h"

namespace arbor::optimize {

class TradeChangeBound {
 public:
  // `solved` must outlive the bound.
  TradeChangeBound(const Problem& solved, const Solution& solution);

  // A lower bound in dollars on the optimum of `changed`, as ObjectiveLowerBound.
  double Of(const Problem& changed) const;

 private:
  // The least of security i's expansion over its box, with `open(p)` saying which of its
  // variables may move off zero.
  template <typename Open>
  double BlockMinimum(int security, const Open& open) const;

  const Problem& solved_;
  bool informative_ = false;
  // The model's variables: blocks per security, each variable's reduced price in the
  // Lagrangian at the solved point, its sign, its value there and its upper bound.
  std::vector<int> block_start_;
  std::vector<double> reduced_, sign_, at_, upper_, specific_;
  // Per variable: the security's index into the buys (lot -1) or the lot's index (buy -1).
  std::vector<int> buy_of_, lot_of_;
  double base_ = 0;                       // everything but the blocks, in the model's scale
  std::vector<double> solved_minimum_;    // per security, its block under the solved problem
  double solved_total_ = 0;               // their sum
  double normalizer_ = 0;
};

// A lower bound in dollars on the optimum of `changed` from `solution`, a solution of `solved`.
// The two problems must differ only in SecurityInput::may_buy and LotInput::sellable; otherwise,
// or when `changed` is infeasible on its face, the result is -infinity (no information).
double ObjectiveLowerBound(const Problem& changed, const Problem& solved, const Solution& solution);

}  // namespace arbor::optimize
