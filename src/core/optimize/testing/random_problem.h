// Deterministic random instances of the rebalance problem (docs/rebalance-problem.md section 1),
// for tests and benchmarks of the optimizer.
//
//   RandomProblemShape shape{.num_securities = 40, .num_groups = 5, .group_bounds = true};
//   Problem problem = RandomProblem(shape, /*seed=*/7);   // same seed, same problem, anywhere
//
// Every RandomProblem is feasible by construction: a random trade list (the witness) is drawn
// first and every bound is then placed on the far side of it, some with no room to spare. The
// InfeasibleProblem variants are infeasible in one known way, so that detection can be tested.
//
// The numbers come from std::mt19937_64 (whose output sequence the standard fixes) through
// distributions written here: std::uniform_real_distribution and friends differ between
// standard libraries, which would make a seed mean different problems on different machines.
#pragma once

#include <cstdint>
#include <string>

#include "core/optimize/household_problem.h"
#include "core/optimize/problem.h"

namespace arbor::optimize::testing {

// Which side of the price the lots' cost bases fall on.
enum class BasisMix { kGainsAndLosses, kGainsOnly, kLossesOnly };

struct RandomProblemShape {
  int num_securities = 20;
  // Each security gets a number of lots drawn from this range; a security with none is not held.
  int min_lots_per_security = 0;
  int max_lots_per_security = 4;
  int num_factors = 3;  // K, may be 0
  // Rank of the factor covariance; below num_factors makes it singular (still PSD).
  int factor_covariance_rank = -1;  // -1: full rank
  double min_account_value = 50e3;
  double max_account_value = 20e6;

  bool must_sell_lots = false;
  bool unsellable_lots = false;
  bool no_buy_securities = false;
  bool weight_bounds = false;  // min/max weights on some securities
  int num_groups = 0;          // overlapping groups, each with a random drift penalty
  bool group_bounds = false;   // some groups get a max_active bound
  bool tax_budget = false;
  bool turnover_cap = false;
  bool cash_min = true;
  bool cash_max = false;
  bool withdrawal = false;
  bool linear = false;        // risk aversion 0: the problem is an LP
  bool tax_deferred = false;  // every tax rate 0
  BasisMix basis_mix = BasisMix::kGainsAndLosses;
  bool riskless_securities = false;  // some securities with zero specific variance
};

// A problem of the given shape, the same for the same (shape, seed) on every platform.
Problem RandomProblem(const RandomProblemShape& shape, uint64_t seed);

// A shape with every toggle and size drawn from `seed`: many seeds cover the space of shapes.
// Sizes stay at most `max_securities` securities and 6 lots per security.
RandomProblemShape RandomShape(uint64_t seed, int max_securities = 40);

// What an InfeasibleProblem makes impossible. The first kinds break one constraint family on its
// own; the conflicting kinds combine constraints that can each be met alone.
enum class InfeasibleKind {
  kCashMin,                 // cash minimum above what selling every sellable lot raises
  kCashMax,                 // cash maximum below the cash left when nothing may be bought
  kWeightAboveMax,          // max weight below the security's unsellable position
  kWeightBelowMin,          // min weight above the security's position, which may not be bought
  kGroupBound,              // group underweight by more than its bound, its member not buyable
  kTaxBudgetWithMustSell,   // must-sell gains owe more tax than the budget
  kTurnoverWithMustSell,    // must-sell lots trade more than the turnover cap
  kConflictingGroupBounds,  // two overlapping groups whose bounds exclude each other
  kCashAgainstTaxBudget,    // the cash minimum needs sales of gains the tax budget cannot pay for
  kCashAgainstTurnover,     // the cash minimum needs more sales than the turnover cap allows
};
inline constexpr InfeasibleKind kAllInfeasibleKinds[] = {InfeasibleKind::kCashMin,
                                                         InfeasibleKind::kCashMax,
                                                         InfeasibleKind::kWeightAboveMax,
                                                         InfeasibleKind::kWeightBelowMin,
                                                         InfeasibleKind::kGroupBound,
                                                         InfeasibleKind::kTaxBudgetWithMustSell,
                                                         InfeasibleKind::kTurnoverWithMustSell,
                                                         InfeasibleKind::kConflictingGroupBounds,
                                                         InfeasibleKind::kCashAgainstTaxBudget,
                                                         InfeasibleKind::kCashAgainstTurnover};
const char* NameOf(InfeasibleKind kind);

struct InfeasibleInstance {
  Problem problem;
  InfeasibleKind kind;
  // The symbol (weight kinds) or group name (kGroupBound) at fault; empty for the others.
  std::string culprit;
};

// A small random problem made infeasible in the way `kind` says, and in no other.
InfeasibleInstance InfeasibleProblem(InfeasibleKind kind, uint64_t seed);

// The benchmark's account: `num_securities` held securities with `lots_per_security` lots each,
// K factors, 15 overlapping groups with penalties and some bounds, weight bounds, must-sell,
// unsellable and no-buy names, a cash minimum and a tax budget.
Problem BenchmarkAccount(int num_securities = 500, int num_factors = 20, int lots_per_security = 20,
                         uint64_t seed = 1);

// Households (docs/rebalance-problem.md section 4): one taxable account first, then accounts of
// mixed types. Tax-deferred and tax-exempt accounts have zero tax rates; a 401k buys and holds
// only a small menu; other accounts sometimes list what they may buy or have their own cost
// rates. Feasible by construction, as RandomProblem: each account draws a witness trade list and
// every bound (each account's cash, the household's weights, groups, tax budget and turnover)
// is placed on its far side.
struct HouseholdShape {
  int num_securities = 12;
  int num_accounts = 3;
  int min_lots_per_security = 0;  // per account
  int max_lots_per_security = 3;
  int num_factors = 3;
  bool must_sell_lots = false;
  bool unsellable_lots = false;
  bool no_buy_securities = false;
  bool weight_bounds = false;
  int num_groups = 0;
  bool group_bounds = false;
  bool tax_budget = false;
  bool turnover_cap = false;
  bool cash_min = true;
  bool cash_max = false;
  bool withdrawal = false;
  bool linear = false;
  bool location = false;       // asset-location preferences in some accounts
  bool drift_penalty = false;  // per-account drift penalties on some accounts
};

HouseholdProblem RandomHouseholdProblem(const HouseholdShape& shape, uint64_t seed);

// A household shape with 2-5 accounts and every toggle drawn from `seed`.
HouseholdShape RandomHouseholdShape(uint64_t seed, int max_securities = 12);

// What an InfeasibleHousehold makes impossible.
enum class HouseholdInfeasibleKind {
  // One account's cash minimum above what selling all its lots raises, though another account
  // holds that much cash: cash does not move between accounts.
  kAccountCashMin,
  // A security's household weight bound below what the accounts cannot sell.
  kWeightAboveMax,
  // A must-sell lot (in the last account holding lots) trading more than the household's
  // turnover cap.
  kTurnoverWithMustSell,
};
inline constexpr HouseholdInfeasibleKind kAllHouseholdInfeasibleKinds[] = {
    HouseholdInfeasibleKind::kAccountCashMin, HouseholdInfeasibleKind::kWeightAboveMax,
    HouseholdInfeasibleKind::kTurnoverWithMustSell};
const char* NameOf(HouseholdInfeasibleKind kind);

// A small random household made infeasible in the way `kind` says, and in no other.
HouseholdProblem InfeasibleHousehold(HouseholdInfeasibleKind kind, uint64_t seed);

// The benchmark's household: BenchmarkAccount as its taxable account (a direct index), and a
// traditional IRA, a Roth and a 401k of 30%, 10% and 20% of its value holding a few ETFs (VTI,
// VXUS, BND, VNQ, appended to the securities) away from their targets. The IRA may buy anything,
// the Roth and the 401k only the ETFs. The index's targets, weight bounds and group bounds are
// scaled by the taxable account's share of the household, so that the taxable account's witness
// trades with the others holding still meet every bound: the household is feasible.
HouseholdProblem BenchmarkHousehold(int num_securities = 500, int num_factors = 20,
                                    int lots_per_security = 20, uint64_t seed = 1);

}  // namespace arbor::optimize::testing
