// The reference problems of docs/reference-problems solved end to end: read the file, Solve(),
// and compare with the optimum two independent solvers agreed on. Evaluate() is the referee for
// feasibility and for the reported objective, so it is checked by hand first.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/io/problem_json.h"
#include "core/optimize/problem.h"
#include "core/optimize/solver.h"

namespace arbor::optimize {
namespace {

using nlohmann::json;

// Two securities on one factor, two lots, one group; V = 1000 cash + 10 x 100 + 20 x 50 = 3000.
Problem HandProblem() {
  Problem p;
  p.securities = {{.symbol = "AAA", .price = 100, .target_weight = 0.5, .cost_rate = 0.001},
                  {.symbol = "BBB", .price = 50, .target_weight = 0.3, .cost_rate = 0.002}};
  p.lots = {{.id = "L1", .security = 0, .shares = 10, .cost_basis_per_share = 80, .tax_rate = 0.2},
            {.id = "L2", .security = 1, .shares = 20, .cost_basis_per_share = 60, .tax_rate = 0.3}};
  p.cash = {.balance = 1000, .min = 0.0};
  p.risk.aversion = 2;
  p.risk.loadings = Eigen::Vector2d(1.0, 0.5);
  p.risk.factor_covariance = Eigen::MatrixXd::Constant(1, 1, 0.04);
  p.risk.specific_variance = Eigen::Vector2d(0.02, 0.03);
  p.groups = {{.name = "G1", .members = {0, 1}, .penalty = 0.5}};
  return p;
}

// Buy 4 BBB ($200), sell 2 shares of L1 ($200).
const Eigen::Vector2d kHandBuys(0, 4);
const Eigen::Vector2d kHandSells(2, 0);

TEST(EvaluateTest, MatchesHandComputedQuantities) {
  const Problem p = HandProblem();
  const Evaluation e = Evaluate(p, kHandBuys, kHandSells);
  EXPECT_DOUBLE_EQ(e.normalizer, 3000);
  EXPECT_DOUBLE_EQ(e.weights[0], 800.0 / 3000);   // 8 AAA at 100
  EXPECT_DOUBLE_EQ(e.weights[1], 1200.0 / 3000);  // 24 BBB at 50
  EXPECT_DOUBLE_EQ(e.traded, 400);
  EXPECT_DOUBLE_EQ(e.terms.cost, 0.001 * 200 + 0.002 * 200);
  EXPECT_DOUBLE_EQ(e.cash_after, 1000 + 200 - 200 - 0.6);
  EXPECT_DOUBLE_EQ(e.terms.tax, 0.2 * (100 - 80) * 2);
  const double active_aaa = 800.0 / 3000 - 0.5;
  const double active_bbb = 1200.0 / 3000 - 0.3;
  EXPECT_DOUBLE_EQ(e.group_active[0], active_aaa + active_bbb);
  EXPECT_NEAR(e.terms.drift, 3000 * 0.5 * std::abs(active_aaa + active_bbb), 1e-9);
  // The dense Sigma = X F X' + D, which Evaluate must never form.
  Eigen::Matrix2d sigma = p.risk.loadings * p.risk.factor_covariance * p.risk.loadings.transpose();
  sigma.diagonal() += p.risk.specific_variance;
  const Eigen::Vector2d active(active_aaa, active_bbb);
  const double variance = active.dot(sigma * active);
  EXPECT_NEAR(e.tracking_error, std::sqrt(variance), 1e-15);
  EXPECT_NEAR(e.terms.risk, 2.0 / 2 * 3000 * variance, 1e-12);
  EXPECT_EQ(e.max_violation_dollars, 0);
  EXPECT_EQ(e.worst_violation, "");
}

struct ViolationCase {
  const char* constraint;
  double dollars;
  void (*edit)(Problem& problem, Eigen::VectorXd& buys, Eigen::VectorXd& sells);
};

TEST(EvaluateTest, NamesTheWorstViolationInDollars) {
  using V = Eigen::VectorXd;
  const ViolationCase cases[] = {
      {"lot L1 shares", 200, [](Problem&, V& b, V& s) {
         b[0] = 5;  // keeps the position of AAA positive
         s[0] = 12;
       }},
      {"lot L2 must_sell", 1000, [](Problem& p, V&, V&) { p.lots[1].must_sell = true; }},
      {"lot L2 not sellable", 150, [](Problem& p, V&, V& s) {
         p.lots[1].sellable = false;
         s[1] = 3;
       }},
      {"buy of BBB not allowed", 200, [](Problem& p, V&, V&) { p.securities[1].may_buy = false; }},
      {"buy of AAA negative", 100, [](Problem&, V& b, V&) { b[0] = -1; }},
      {"weight bound of AAA", 200, [](Problem& p, V&, V&) { p.securities[0].max_weight = 0.2; }},
      {"weight bound of BBB", 300, [](Problem& p, V&, V&) { p.securities[1].min_weight = 0.5; }},
      {"cash min", 100.6, [](Problem& p, V&, V&) { p.cash.min = 1100.0; }},
      {"cash max", 99.4, [](Problem& p, V&, V&) { p.cash.max = 900.0; }},
      {"group G1 max_active", 250, [](Problem& p, V&, V&) { p.groups[0].max_active = 0.05; }},
      {"tax budget", 3, [](Problem& p, V&, V&) { p.tax_budget = 5.0; }},
      {"turnover", 50, [](Problem& p, V&, V&) { p.turnover_max = 350.0; }},
  };
  for (const ViolationCase& c : cases) {
    Problem p = HandProblem();
    Eigen::VectorXd buys = kHandBuys;
    Eigen::VectorXd sells = kHandSells;
    c.edit(p, buys, sells);
    const Evaluation e = Evaluate(p, buys, sells);
    EXPECT_EQ(e.worst_violation, c.constraint);
    EXPECT_NEAR(e.max_violation_dollars, c.dollars, 1e-9) << c.constraint;
  }
  Eigen::VectorXd buys = kHandBuys;
  buys[1] = std::numeric_limits<double>::quiet_NaN();
  const Evaluation e = Evaluate(HandProblem(), buys, kHandSells);
  EXPECT_EQ(e.max_violation_dollars, std::numeric_limits<double>::infinity()) << e.worst_violation;
}

std::string ReferenceDir() {
  return std::string(ARBOR_SHARED_DATA_DIR) + "/../docs/reference-problems/";
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<json> ExpectedOptima() {
  const json entries = json::parse(ReadText(ReferenceDir() + "expected.json"), nullptr, false);
  if (!entries.is_array()) return {};
  return std::vector<json>(entries.begin(), entries.end());
}

class ReferenceProblemTest : public ::testing::TestWithParam<json> {};

TEST_P(ReferenceProblemTest, SolvesToTheCertifiedOptimum) {
  const json& expected = GetParam();
  const std::string file = expected["file"];
  Result<Problem> problem = ParseProblemText(ReadText(ReferenceDir() + file));
  ASSERT_TRUE(problem.ok()) << problem.status().message();
  Result<Solution> solved = Solve(*problem);
  ASSERT_TRUE(solved.ok()) << solved.status().message();
  const Solution& solution = *solved;
  ASSERT_EQ(solution.summary.status, SolveStatus::kOptimal) << solution.summary.message;

  // The spec's accuracy: the objective within 1e-7 relative or 1e-6 dollars of the optimum.
  const double optimum = expected["objective"];
  EXPECT_NEAR(solution.objective(), optimum, std::max(1e-7 * std::abs(optimum), 1e-6));

  // The optimal weights are unique wherever Sigma is definite, so risk, drift and tracking error
  // are tight; tax and cost can trade off along a flat face of the optimum, so they are loose.
  const json& terms = expected["terms"];
  const ObjectiveTerms& got = solution.evaluation.terms;
  const double value = solution.evaluation.normalizer;
  EXPECT_NEAR(got.risk, terms["risk"].get<double>(), 1e-6 * value);
  EXPECT_NEAR(got.drift, terms["drift"].get<double>(), 1e-6 * value);
  EXPECT_NEAR(got.tax, terms["tax"].get<double>(), 1e-4 * value);
  EXPECT_NEAR(got.cost, terms["cost"].get<double>(), 1e-4 * value);
  // expected.json rounds the tracking error to 9 decimals.
  EXPECT_NEAR(solution.evaluation.tracking_error, expected["tracking_error"].get<double>(), 1e-8);

  // The referee: the returned trades, evaluated afresh, give the reported objective and are
  // feasible.
  const Evaluation check = Evaluate(*problem, solution.buys, solution.sells);
  EXPECT_NEAR(check.terms.total(), solution.objective(), 1e-9 * std::max(1.0, std::abs(optimum)));
  EXPECT_LE(check.max_violation_dollars, 1e-9 * check.normalizer) << check.worst_violation;

  EXPECT_LE(solution.summary.primal_residual, 1e-6);
  EXPECT_LE(solution.summary.dual_residual, 1e-6);
  EXPECT_LE(solution.summary.gap, 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Reference, ReferenceProblemTest, ::testing::ValuesIn(ExpectedOptima()),
                         [](const ::testing::TestParamInfo<json>& info) {
                           std::string file = info.param["file"];
                           return file.substr(0, file.find('.'));  // ref01
                         });

TEST(ReferenceProblemFilesTest, ArePresent) { EXPECT_EQ(ExpectedOptima().size(), 8u); }

}  // namespace
}  // namespace arbor::optimize
