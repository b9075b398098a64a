#include "core/review/wash_directions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "core/review/testing/random_account.h"

namespace arbor::review {
namespace {

// Two securities driven by one factor, with little specific risk: AAA is held at a loss.
RebalanceInput TwinsWithALoss() {
  RebalanceInput input;
  input.account = "A";
  input.as_of = *Date::Parse("2024-06-28");
  input.securities = {{.symbol = "AAA",
                       .price = *Price::Parse("50"),
                       .target_weight = 0.48,
                       .wash_sale_group = "AAA",
                       .cost_rate = 0.001},
                      {.symbol = "BBB",
                       .price = *Price::Parse("20"),
                       .target_weight = 0.48,
                       .wash_sale_group = "BBB",
                       .cost_rate = 0.001}};
  input.lots = {{.id = "L1",
                 .symbol = "AAA",
                 .shares = Shares::Units(1000),
                 .basis = Money::Units(80'000),
                 .acquired = *Date::Parse("2024-01-02"),
                 .holding_period_date = *Date::Parse("2024-01-02")},
                {.id = "L2",
                 .symbol = "BBB",
                 .shares = Shares::Units(2500),
                 .basis = Money::Units(30'000),
                 .acquired = *Date::Parse("2020-01-02"),
                 .holding_period_date = *Date::Parse("2020-01-02")}};
  input.cash.balance = Money::Units(4'000);
  input.risk_aversion = 20;
  input.risk.loadings = Eigen::MatrixXd::Ones(2, 1);
  input.risk.factor_covariance = Eigen::MatrixXd::Constant(1, 1, 0.04);
  input.risk.specific_variance = Eigen::VectorXd::Constant(2, 0.002);
  return input;
}

// IRC 1091: selling AAA at a loss and buying AAA back washes the loss. The relaxation does
// exactly that; the resolved proposal sells AAA and keeps the exposure through its twin BBB.
TEST(WashDirectionsTest, HarvestBuysTheCorrelatedTwinInsteadOfTheSameSecurity) {
  const RebalanceInput input = TwinsWithALoss();
  const AccountModel model = BuildAccountModel(input).value();
  ASSERT_EQ(model.contested_groups.size(), 1u);  // only AAA has a loss lot
  Controls controls = InitialControls(model);
  PrioritySolver solver(model, {});
  const DirectionSearch search = ResolveWashSaleConflicts(model, solver, controls, {}).value();
  EXPECT_GT(search.relaxation.sells[0], 900);  // harvests AAA ...
  EXPECT_GT(search.relaxation.buys[0], 100);   // ... and buys it straight back: a wash sale
  ASSERT_EQ(search.decisions.size(), 1u);
  EXPECT_EQ(model.wash_groups[search.decisions[0].group], "AAA");
  EXPECT_EQ(controls.directions[search.decisions[0].group], Direction::kSell);
  EXPECT_NEAR(search.solution.sells[0], 1000, 1e-3);
  EXPECT_LT(search.solution.buys[0], 1e-6);
  EXPECT_GT(search.solution.buys[1] * 20, 30'000);  // BBB stands in for AAA
  EXPECT_LT(search.solution.objective(), -5'000);   // the loss of 30,000 is worth ~12,000 of tax
}

// The direction a group gets decides which trades remain; every assignment of directions to the
// contested groups is a convex problem, so the best of all 2^g of them is the true optimum of
// the rule (a group with neither buys nor loss sales is feasible under both directions, so
// "none" needs no enumeration of its own). On random accounts of at most 12 securities the
// heuristic must come within 0.5% of it (relative to max(|best|, 1e-4 V), since the objective
// can be near zero) on at least 95% of the instances, and never break the rule.
TEST(WashDirectionsTest, HeuristicIsWithinHalfAPercentOfExhaustiveEnumeration) {
  constexpr int kSeeds = 400;
  int instances = 0, within = 0, exact = 0;
  double worst_gap = 0;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const RebalanceInput input = testing::RandomAccount(testing::RandomAccountShapeFor(seed), seed);
    Result<AccountModel> built = BuildAccountModel(input);
    if (!built.ok() || built->contested_groups.empty()) continue;
    const AccountModel& model = *built;
    Controls controls = InitialControls(model);
    PrioritySolver solver(model, {});
    Result<DirectionSearch> search = ResolveWashSaleConflicts(model, solver, controls, {});
    // Enumerate only instances feasible as given: a relaxation changes the problem compared.
    if (!search.ok() || !controls.relaxations.empty()) continue;

    const double negligible = kNegligibleTradeWeight * model.value;
    for (const GroupFlows& flow :
         FlowsByGroup(model, search->solution.buys, search->solution.sells)) {
      EXPECT_FALSE(flow.buys > negligible && flow.loss_sales > negligible) << "seed " << seed;
    }

    const int g = static_cast<int>(model.contested_groups.size());
    double best = std::numeric_limits<double>::infinity();
    Controls assignment = InitialControls(model);
    for (int mask = 0; mask < (1 << g); ++mask) {
      for (int k = 0; k < g; ++k) {
        assignment.directions[model.contested_groups[k]] =
            (mask >> k & 1) ? Direction::kSell : Direction::kBuy;
      }
      const optimize::Solution s = optimize::Solve(Materialize(model, assignment)).value();
      if (s.summary.status == optimize::SolveStatus::kOptimal) best = std::min(best, s.objective());
    }
    ASSERT_TRUE(std::isfinite(best)) << "seed " << seed;
    const double gap =
        (search->solution.objective() - best) / std::max(std::abs(best), 1e-4 * model.value);
    ++instances;
    within += gap <= 0.005;
    exact += gap <= 1e-6;
    worst_gap = std::max(worst_gap, gap);
  }
  const double rate = static_cast<double>(within) / instances;
  std::printf(
      "[ quality  ] %d instances with contested groups: %d within 0.5%% (%.1f%%), %d optimal "
      "(gap <= 1e-6), worst gap %.3f%%\n",
      instances, within, 100 * rate, exact, 100 * worst_gap);
  RecordProperty("instances", instances);
  RecordProperty("within_half_percent", within);
  EXPECT_GE(instances, 150);
  EXPECT_GE(rate, 0.95);
}

// Candidates that a lower bound rules out are not solved, and that changes nothing but the
// number of solves: with a budget that never binds, the search ends at the same directions and
// objective whether every candidate is solved or not.
TEST(WashDirectionsTest, SkippingHopelessCandidatesChangesOnlyTheSolveCount) {
  int solves_all = 0, solves_skipping = 0;
  auto check = [&](const RebalanceInput& input, const std::string& name) {
    Result<AccountModel> built = BuildAccountModel(input);
    if (!built.ok()) return;
    const AccountModel& model = *built;
    DirectionSearch searches[2];
    Controls controls[2] = {InitialControls(model), InitialControls(model)};
    for (int skip = 0; skip < 2; ++skip) {
      PrioritySolver solver(model, {});
      const DirectionOptions options{.max_search_solves = 10'000,
                                     .max_failed_flips = 10'000,
                                     .skip_hopeless = skip == 1,
                                     .materiality_bps = 0};
      Result<DirectionSearch> search = ResolveWashSaleConflicts(model, solver, controls[skip], options);
      ASSERT_TRUE(search.ok()) << name;
      searches[skip] = *std::move(search);
      (skip ? solves_skipping : solves_all) += solver.solves();
    }
    EXPECT_EQ(controls[0].directions, controls[1].directions) << name;
    EXPECT_NEAR(searches[1].solution.objective(), searches[0].solution.objective(),
                1e-9 * model.value) << name;
  };
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    check(testing::RandomAccount(testing::RandomAccountShapeFor(seed, 30), seed),
          "seed " + std::to_string(seed));
  }
  check(testing::LargeAccount(60, 3, 1), "large account");
  std::printf("[ solves   ] %d solving every candidate, %d skipping the hopeless ones\n", solves_all,
              solves_skipping);
  EXPECT_LT(solves_skipping, solves_all);
}

// The default materiality skips flips that could gain less than half a basis point of the
// account value: fewer solves, and an objective never worse than without it by more than a
// basis point.
TEST(WashDirectionsTest, AHalfBasisPointMaterialitySavesSolvesAndLittleElse) {
  int solves_exact = 0, solves_material = 0;
  double worst_bps = 0;
  auto check = [&](const RebalanceInput& input, const std::string& name) {
    Result<AccountModel> built = BuildAccountModel(input);
    if (!built.ok()) return;
    const AccountModel& model = *built;
    double objectives[2];
    for (int material = 0; material < 2; ++material) {
      PrioritySolver solver(model, {});
      Controls controls = InitialControls(model);
      const DirectionOptions options{.materiality_bps = material ? 0.5 : 0.0};
      Result<DirectionSearch> search = ResolveWashSaleConflicts(model, solver, controls, options);
      ASSERT_TRUE(search.ok()) << name;
      objectives[material] = search->solution.objective();
      (material ? solves_material : solves_exact) += solver.solves();
    }
    worst_bps = std::max(worst_bps, 1e4 * (objectives[1] - objectives[0]) / model.value);
  };
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    check(testing::RandomAccount(testing::RandomAccountShapeFor(seed, 30), seed),
          "seed " + std::to_string(seed));
  }
  check(testing::LargeAccount(60, 3, 1), "large account");
  std::printf("[ solves   ] %d without a materiality, %d with 0.5 bp; worst loss %.3f bp\n", solves_exact,
              solves_material, worst_bps);
  EXPECT_LT(solves_material, solves_exact);
  EXPECT_LE(worst_bps, 1.0);
}

}  // namespace
}  // namespace arbor::review
