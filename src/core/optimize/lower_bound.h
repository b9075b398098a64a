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
#pragma once

#include "core/optimize/problem.h"
#include "core/optimize/solver.h"

namespace arbor::optimize {

// A lower bound in dollars on the optimum of `changed` from `solution`, a solution of `solved`.
// The two problems must differ only in SecurityInput::may_buy and LotInput::sellable; otherwise,
// or when `changed` is infeasible on its face, the result is -infinity (no information).
double ObjectiveLowerBound(const Problem& changed, const Problem& solved, const Solution& solution);

}  // namespace arbor::optimize
