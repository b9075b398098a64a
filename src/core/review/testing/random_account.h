// Deterministic random accounts for tests and benchmarks of the full rebalance.
//
//   RebalanceInput input = RandomAccount(RandomAccountShapeFor(seed), seed);
//   RebalanceInput big = LargeAccount(/*securities=*/500, /*lots_per_security=*/20, /*seed=*/1);
//
// An account holds lots at gains and at losses, short- and long-term, some bought in the last
// 30 days; some securities share a wash-sale group; the taxpayer's other accounts (a taxable
// one and an IRA) bought or sold at a loss in some groups within the window; restrictions,
// targets of zero (a model change), a cash minimum and a withdrawal appear at random. The
// numbers come from std::mt19937_64 through distributions written here, so a seed means the
// same account on every platform.
#pragma once

#include <cstdint>

#include "core/review/rebalance_input.h"

namespace arbor::review::testing {

struct RandomAccountShape {
  int num_securities = 8;
  int max_lots_per_security = 3;
  int num_factors = 2;
  bool shared_groups = true;     // some neighbouring securities share a wash-sale group
  bool outside_activity = true;  // purchases and loss sales in the taxpayer's other accounts
  bool restrictions = true;      // no_buy, no_sell, hold and must_sell at random
  bool cash_needs = true;        // a cash minimum and a withdrawal at random
  bool whole_shares = false;     // some securities trade in whole shares only
  double min_trade_dollars = 0;
};

// A shape with its toggles drawn from `seed`, at most `max_securities` securities.
RandomAccountShape RandomAccountShapeFor(uint64_t seed, int max_securities = 12);

RebalanceInput RandomAccount(const RandomAccountShape& shape, uint64_t seed);

// A direct-index-like taxable account: `num_securities` names near equal weight, each held in
// `lots_per_security` lots bought over five years, 20 factors, 11 sector groups with drift
// penalties, a minimum trade of $50, recent activity in a few groups.
RebalanceInput LargeAccount(int num_securities, int lots_per_security, uint64_t seed);

}  // namespace arbor::review::testing
