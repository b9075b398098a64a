#include "adapters/io/problem_json.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <string>

namespace arbor {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using optimize::Problem;

// The spec's example file (section 2), with a second lot.
json ExampleDocument() {
  return json::parse(R"({
    "cash": {"balance": 2500.0, "withdrawal": 0.0, "min": 500.0, "max": null},
    "risk": {
      "aversion": 100.0,
      "factor_covariance": [[0.04, 0.0], [0.0, 0.01]],
      "loadings": {"AAA": [1.0, 0.2], "BBB": [0.9, -0.4]},
      "specific_variance": {"AAA": 0.02, "BBB": 0.03}
    },
    "securities": [
      {"symbol": "AAA", "price": 101.5, "target_weight": 0.55, "buy": true,
       "min_weight": 0.0, "max_weight": 1.0, "cost_rate": 0.0005, "groups": ["Tech"]},
      {"symbol": "BBB", "price": 47.2, "target_weight": 0.44, "buy": true, "groups": ["Energy"]}
    ],
    "lots": [
      {"id": "L1", "symbol": "AAA", "shares": 30, "cost_basis_per_share": 80.0,
       "tax_rate": 0.238, "sellable": true, "must_sell": false},
      {"id": "L2", "symbol": "BBB", "shares": 10, "cost_basis_per_share": 50.0, "tax_rate": 0.15}
    ],
    "groups": [{"name": "Tech", "penalty": 0.5, "max_active": 0.05}],
    "tax_budget": null,
    "turnover_max": null
  })");
}

// The error message for the example after `edit`, or "" when it parses.
std::string ErrorAfter(const std::function<void(json&)>& edit) {
  json document = ExampleDocument();
  edit(document);
  Result<Problem> problem = ParseProblem(document);
  return problem.ok() ? "" : problem.status().message();
}

std::string ErrorOfText(const std::string& text) {
  Result<Problem> problem = ParseProblemText(text);
  return problem.ok() ? "" : problem.status().message();
}

std::string ErrorOfProblem(const std::function<void(Problem&)>& edit) {
  Problem problem = ParseProblem(ExampleDocument()).value();
  edit(problem);
  return optimize::ValidateProblem(problem).message();
}

TEST(ProblemJsonTest, ReadsTheSpecExample) {
  Result<Problem> parsed = ParseProblem(ExampleDocument());
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const Problem& problem = *parsed;
  ASSERT_EQ(problem.num_securities(), 2);
  EXPECT_EQ(problem.securities[1].symbol, "BBB");
  EXPECT_EQ(problem.securities[0].price, 101.5);
  EXPECT_EQ(problem.securities[0].cost_rate, 0.0005);
  ASSERT_EQ(problem.num_lots(), 2);
  EXPECT_EQ(problem.lots[1].security, 1);
  EXPECT_EQ(problem.lots[0].tax_rate, 0.238);
  EXPECT_EQ(problem.cash.min, 500.0);
  EXPECT_FALSE(problem.cash.max.has_value());
  ASSERT_EQ(problem.num_factors(), 2);
  EXPECT_EQ(problem.risk.loadings(1, 1), -0.4);
  EXPECT_EQ(problem.risk.factor_covariance(1, 1), 0.01);
  EXPECT_EQ(problem.risk.specific_variance[1], 0.03);
  // Tech is declared; Energy, named only by BBB, follows with the defaults.
  ASSERT_EQ(problem.groups.size(), 2u);
  EXPECT_EQ(problem.groups[0].name, "Tech");
  EXPECT_EQ(problem.groups[0].max_active, 0.05);
  EXPECT_EQ(problem.groups[0].members, std::vector<int>{0});
  EXPECT_EQ(problem.groups[1].name, "Energy");
  EXPECT_EQ(problem.groups[1].penalty, 0);
  EXPECT_FALSE(problem.groups[1].max_active.has_value());
  EXPECT_EQ(problem.groups[1].members, std::vector<int>{1});
}

TEST(ProblemJsonTest, OmittedFieldsTakeTheSpecDefaults) {
  Result<Problem> parsed = ParseProblem(json::parse(R"({
    "cash": {"balance": 1000},
    "risk": {"aversion": 1, "factor_covariance": [[0.04]], "loadings": {"BBB": [1.1]}},
    "securities": [{"symbol": "AAA", "price": 10, "target_weight": 0.5},
                   {"symbol": "BBB", "price": 20, "target_weight": 0.4}],
    "lots": [{"id": "L1", "symbol": "AAA", "shares": 5, "cost_basis_per_share": 8,
              "tax_rate": 0.2}]
  })"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const Problem& problem = *parsed;
  const optimize::SecurityInput& security = problem.securities[0];
  EXPECT_TRUE(security.may_buy);
  EXPECT_EQ(security.min_weight, 0);
  EXPECT_EQ(security.max_weight, 1);
  EXPECT_EQ(security.cost_rate, 0);
  EXPECT_TRUE(problem.lots[0].sellable);
  EXPECT_FALSE(problem.lots[0].must_sell);
  EXPECT_EQ(problem.cash.withdrawal, 0);
  EXPECT_FALSE(problem.cash.min.has_value());
  EXPECT_FALSE(problem.cash.max.has_value());
  EXPECT_TRUE(problem.groups.empty());
  EXPECT_FALSE(problem.tax_budget.has_value());
  EXPECT_FALSE(problem.turnover_max.has_value());
  // AAA is missing from loadings and specific_variance: no exposure, no specific risk.
  EXPECT_EQ(problem.risk.loadings(0, 0), 0);
  EXPECT_EQ(problem.risk.loadings(1, 0), 1.1);
  EXPECT_EQ(problem.risk.specific_variance[0], 0);
}

TEST(ProblemJsonTest, GroupDefaultsAndNullableFields) {
  Result<Problem> parsed = ParseProblem([] {
    json document = ExampleDocument();
    document["groups"] =
        json::parse(R"([{"name": "Tech"}, {"name": "Energy", "max_active": null}])");
    document["cash"]["min"] = nullptr;
    document["cash"]["max"] = 9000;
    document["tax_budget"] = -250;
    document["turnover_max"] = 5000;
    return document;
  }());
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->groups[0].penalty, 0);
  EXPECT_FALSE(parsed->groups[0].max_active.has_value());
  EXPECT_FALSE(parsed->groups[1].max_active.has_value());
  EXPECT_FALSE(parsed->cash.min.has_value());
  EXPECT_EQ(parsed->cash.max, 9000);
  EXPECT_EQ(parsed->tax_budget, -250) << "a negative budget asks for net harvested losses";
  EXPECT_EQ(parsed->turnover_max, 5000);
}

TEST(ProblemJsonTest, RejectsTextThatIsNotJsonOrRepeatsAKey) {
  EXPECT_EQ(ErrorOfText("{\"cash\": {\"balance\": 1,\n \"withdrawal\": }}").rfind(
                "not valid JSON: parse error at line 2, column 16", 0),
            0u)
      << ErrorOfText("{\"cash\": {\"balance\": 1,\n \"withdrawal\": }}");
  EXPECT_EQ(ErrorOfText(R"({"cash": {"balance": NaN}})").rfind("not valid JSON: parse error", 0),
            0u);
  EXPECT_EQ(ErrorOfText(R"({"cash": {"balance": 1e999}})"),
            "not valid JSON: number overflow parsing '1e999'");
  std::string repeated = ExampleDocument().dump();
  repeated.replace(repeated.find("\"price\":101.5"), 0, "\"price\":-1,");
  EXPECT_EQ(ErrorOfText(repeated), "the key \"price\" appears twice in one object");
  EXPECT_EQ(ErrorOfText(ExampleDocument().dump()), "");
}

TEST(ProblemJsonTest, RejectsWrongStructureAndTypesNamingTheField) {
  EXPECT_EQ(ParseProblem(json::array()).status().message(),
            "the problem must be a JSON object, got array");
  EXPECT_EQ(ErrorAfter([](json& d) { d["colour"] = "green"; }), "colour: unknown field");
  EXPECT_EQ(ErrorAfter([](json& d) { d.erase("cash"); }), "cash: missing");
  EXPECT_EQ(ErrorAfter([](json& d) { d["cash"] = nullptr; }), "cash: must be an object, got null");
  EXPECT_EQ(ErrorAfter([](json& d) { d.erase("risk"); }), "risk: missing");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"] = json::object(); }),
            "securities: must be a list, got object");
  EXPECT_EQ(ErrorAfter([](json& d) { d.erase("lots"); }), "lots: missing");
  EXPECT_EQ(ErrorAfter([](json& d) { d["groups"] = nullptr; }), "groups: must be a list, got null");
  EXPECT_EQ(ErrorAfter([](json& d) { d["tax_budget"] = "2000"; }),
            "tax_budget: must be a number, got string");
  EXPECT_EQ(ErrorAfter([](json& d) { d["turnover_max"] = true; }),
            "turnover_max: must be a number, got boolean");
}

TEST(ProblemJsonTest, RejectsBadCashFields) {
  EXPECT_EQ(ErrorAfter([](json& d) { d["cash"]["minimum"] = 5; }), "cash.minimum: unknown field");
  EXPECT_EQ(ErrorAfter([](json& d) { d["cash"].erase("balance"); }), "cash.balance: missing");
  EXPECT_EQ(ErrorAfter([](json& d) { d["cash"]["balance"] = "2500"; }),
            "cash.balance: must be a number, got string");
  EXPECT_EQ(ErrorAfter([](json& d) { d["cash"]["withdrawal"] = nullptr; }),
            "cash.withdrawal: must be a number, got null");
  EXPECT_EQ(ErrorAfter([](json& d) { d["cash"]["withdrawal"] = -1; }),
            "cash.withdrawal: must be >= 0, got -1");
  EXPECT_EQ(ErrorAfter([](json& d) { d["cash"]["max"] = 100; }),
            "cash.min: must be <= cash.max (100), got 500");
  // 2500 cash + 30 x 101.5 + 10 x 47.2 = 6017 of value.
  EXPECT_EQ(ErrorAfter([](json& d) { d["cash"]["withdrawal"] = 6017; }),
            "cash: the account value after the withdrawal (balance - withdrawal + holdings) "
            "must be > 0, got 0");
}

TEST(ProblemJsonTest, RejectsBadSecurities) {
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][0] = 7; }),
            "securities[0]: must be an object, got number");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][0]["weight"] = 0.5; }),
            "securities[AAA].weight: unknown field");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][1].erase("symbol"); }),
            "securities[1].symbol: missing");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][1]["symbol"] = ""; }),
            "securities[1].symbol: must not be empty");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][1]["symbol"] = 12; }),
            "securities[1].symbol: must be a string, got number");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][1]["symbol"] = "AAA"; }),
            "securities[AAA].symbol: listed more than once");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][1].erase("price"); }),
            "securities[BBB].price: missing");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][1]["price"] = -1; }),
            "securities[BBB].price: must be > 0, got -1");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][1]["price"] = 0; }),
            "securities[BBB].price: must be > 0, got 0");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][1]["price"] = false; }),
            "securities[BBB].price: must be a number, got boolean");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][0].erase("target_weight"); }),
            "securities[AAA].target_weight: missing");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][0]["target_weight"] = -0.1; }),
            "securities[AAA].target_weight: must be in [0, 1], got -0.1");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][0]["buy"] = "yes"; }),
            "securities[AAA].buy: must be true or false, got string");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][0]["min_weight"] = 1.5; }),
            "securities[AAA].min_weight: must be in [0, 1], got 1.5");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][0]["max_weight"] = -0.2; }),
            "securities[AAA].max_weight: must be in [0, 1], got -0.2");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][0]["max_weight"] = nullptr; }),
            "securities[AAA].max_weight: must be a number, got null");
  EXPECT_EQ(ErrorAfter([](json& d) {
              d["securities"][0]["min_weight"] = 0.3;
              d["securities"][0]["max_weight"] = 0.2;
            }),
            "securities[AAA].min_weight: must be <= max_weight (0.2), got 0.3");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][0]["cost_rate"] = -0.001; }),
            "securities[AAA].cost_rate: must be in [0, 1), got -0.001");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][0]["cost_rate"] = 1; }),
            "securities[AAA].cost_rate: must be in [0, 1), got 1");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][0]["groups"] = "Tech"; }),
            "securities[AAA].groups: must be a list, got string");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][0]["groups"] = {"Tech", 3}; }),
            "securities[AAA].groups[1]: must be a group name, got number");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][0]["groups"] = {"Tech", ""}; }),
            "securities[AAA].groups[1]: must not be empty");
  EXPECT_EQ(ErrorAfter([](json& d) { d["securities"][0]["groups"] = {"Tech", "Tech"}; }),
            "securities[AAA].groups: lists Tech twice");
}

TEST(ProblemJsonTest, RejectsBadLots) {
  EXPECT_EQ(ErrorAfter([](json& d) { d["lots"][0]["basis"] = 80; }),
            "lots[L1].basis: unknown field");
  EXPECT_EQ(ErrorAfter([](json& d) { d["lots"][0].erase("id"); }), "lots[0].id: missing");
  EXPECT_EQ(ErrorAfter([](json& d) { d["lots"][0]["id"] = ""; }), "lots[0].id: must not be empty");
  EXPECT_EQ(ErrorAfter([](json& d) { d["lots"][1]["id"] = "L1"; }),
            "lots[L1].id: listed more than once");
  EXPECT_EQ(ErrorAfter([](json& d) { d["lots"][0]["symbol"] = "ZZZ"; }),
            "lots[L1].symbol: unknown symbol 'ZZZ'");
  EXPECT_EQ(ErrorAfter([](json& d) { d["lots"][0]["shares"] = nullptr; }),
            "lots[L1].shares: must be a number, got null");
  EXPECT_EQ(ErrorAfter([](json& d) { d["lots"][0]["shares"] = -3; }),
            "lots[L1].shares: must be > 0, got -3");
  EXPECT_EQ(ErrorAfter([](json& d) { d["lots"][0]["shares"] = 0; }),
            "lots[L1].shares: must be > 0, got 0");
  EXPECT_EQ(ErrorAfter([](json& d) { d["lots"][0].erase("cost_basis_per_share"); }),
            "lots[L1].cost_basis_per_share: missing");
  EXPECT_EQ(ErrorAfter([](json& d) { d["lots"][0]["cost_basis_per_share"] = -1; }),
            "lots[L1].cost_basis_per_share: must be >= 0, got -1");
  EXPECT_EQ(ErrorAfter([](json& d) { d["lots"][0].erase("tax_rate"); }),
            "lots[L1].tax_rate: missing");
  EXPECT_EQ(ErrorAfter([](json& d) { d["lots"][0]["tax_rate"] = 1; }),
            "lots[L1].tax_rate: must be in [0, 1), got 1");
  EXPECT_EQ(ErrorAfter([](json& d) { d["lots"][0]["tax_rate"] = -0.2; }),
            "lots[L1].tax_rate: must be in [0, 1), got -0.2");
  EXPECT_EQ(ErrorAfter([](json& d) { d["lots"][0]["sellable"] = 1; }),
            "lots[L1].sellable: must be true or false, got number");
  EXPECT_EQ(ErrorAfter([](json& d) {
              d["lots"][0]["sellable"] = false;
              d["lots"][0]["must_sell"] = true;
            }),
            "lots[L1].must_sell: the lot must be sold but is not sellable");
}

TEST(ProblemJsonTest, RejectsBadRisk) {
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"]["lambda"] = 1; }), "risk.lambda: unknown field");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"].erase("aversion"); }), "risk.aversion: missing");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"]["aversion"] = -1; }),
            "risk.aversion: must be >= 0, got -1");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"].erase("factor_covariance"); }),
            "risk.factor_covariance: missing");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"]["factor_covariance"] = {0.04, 0.01}; }),
            "risk.factor_covariance[0]: must be a list of numbers, got number");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"]["factor_covariance"][1] = {0.0, 0.01, 0.0}; }),
            "risk.factor_covariance[1]: has 3 entries, expected 2 (one per factor: the matrix is "
            "square)");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"]["factor_covariance"][1][0] = "0"; }),
            "risk.factor_covariance[1][0]: must be a number, got string");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"]["factor_covariance"][1][0] = 0.02; }),
            "risk.factor_covariance: not symmetric ([0][1] = 0, [1][0] = 0.02)");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"]["factor_covariance"][1][1] = -0.3; }),
            "risk.factor_covariance: not positive semidefinite (eigenvalue -0.3)");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"]["loadings"] = json::array(); }),
            "risk.loadings: must be an object, got array");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"]["loadings"]["ZZZ"] = {1.0, 0.0}; }),
            "risk.loadings[ZZZ]: unknown symbol 'ZZZ'");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"]["loadings"]["AAA"] = {1.0, 0.2, 0.1}; }),
            "risk.loadings[AAA]: has 3 entries, expected 2 (one per factor of factor_covariance)");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"]["loadings"]["AAA"] = 1.0; }),
            "risk.loadings[AAA]: must be a list of numbers, got number");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"]["loadings"]["AAA"][1] = nullptr; }),
            "risk.loadings[AAA][1]: must be a number, got null");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"]["specific_variance"]["ZZZ"] = 0.01; }),
            "risk.specific_variance[ZZZ]: unknown symbol 'ZZZ'");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"]["specific_variance"]["AAA"] = "0.02"; }),
            "risk.specific_variance[AAA]: must be a number, got string");
  EXPECT_EQ(ErrorAfter([](json& d) { d["risk"]["specific_variance"]["AAA"] = -0.01; }),
            "risk.specific_variance[AAA]: must be >= 0, got -0.01");
}

TEST(ProblemJsonTest, AcceptsAModelWithoutFactors) {
  EXPECT_EQ(ErrorAfter([](json& d) {
              d["risk"]["factor_covariance"] = json::array();
              d["risk"].erase("loadings");
            }),
            "");
}

TEST(ProblemJsonTest, RejectsBadGroups) {
  EXPECT_EQ(ErrorAfter([](json& d) { d["groups"][0]["limit"] = 0.1; }),
            "groups[Tech].limit: unknown field");
  EXPECT_EQ(ErrorAfter([](json& d) { d["groups"][0].erase("name"); }), "groups[0].name: missing");
  EXPECT_EQ(ErrorAfter([](json& d) { d["groups"][0]["name"] = ""; }),
            "groups[0].name: must not be empty");
  EXPECT_EQ(ErrorAfter([](json& d) { d["groups"].push_back({{"name", "Tech"}}); }),
            "groups[Tech].name: listed more than once");
  EXPECT_EQ(ErrorAfter([](json& d) { d["groups"][0]["penalty"] = nullptr; }),
            "groups[Tech].penalty: must be a number, got null");
  EXPECT_EQ(ErrorAfter([](json& d) { d["groups"][0]["penalty"] = -1; }),
            "groups[Tech].penalty: must be >= 0, got -1");
  EXPECT_EQ(ErrorAfter([](json& d) { d["groups"][0]["max_active"] = -0.01; }),
            "groups[Tech].max_active: must be >= 0, got -0.01");
  EXPECT_EQ(ErrorAfter([](json& d) { d["groups"].push_back({{"name", "Tehc"}}); }),
            "groups[Tehc]: no security lists this group");
  EXPECT_EQ(ErrorAfter([](json& d) { d["turnover_max"] = -5; }),
            "turnover_max: must be >= 0, got -5");
}

// Checks of ValidateProblem and SolverOptions::Validate that no JSON file can reach: values JSON
// cannot carry (NaN, infinity) and indices the reader always sets in range.
TEST(ProblemJsonTest, ValidateProblemRejectsWhatAFileCannotCarry) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(ErrorOfProblem([&](Problem& p) { p.securities[0].price = nan; }),
            "securities[AAA].price: must be a finite number, got nan");
  EXPECT_EQ(ErrorOfProblem([&](Problem& p) { p.cash.balance = -inf; }),
            "cash.balance: must be a finite number, got -inf");
  EXPECT_EQ(ErrorOfProblem([&](Problem& p) { p.cash.max = inf; }),
            "cash.max: must be a finite number, got inf");
  EXPECT_EQ(ErrorOfProblem([&](Problem& p) { p.risk.factor_covariance(0, 1) = nan; }),
            "risk.factor_covariance[0][1]: must be a finite number, got nan");
  EXPECT_EQ(ErrorOfProblem([&](Problem& p) { p.risk.loadings(1, 0) = inf; }),
            "risk.loadings[BBB][0]: must be a finite number, got inf");
  EXPECT_EQ(ErrorOfProblem([&](Problem& p) { p.tax_budget = nan; }),
            "tax_budget: must be a finite number, got nan");
  EXPECT_EQ(ErrorOfProblem([](Problem& p) { p.lots[0].security = 2; }),
            "lots[L1].symbol: security index 2 out of range (2 securities)");
  EXPECT_EQ(ErrorOfProblem([](Problem& p) { p.groups[0].members.push_back(0); }),
            "groups[Tech]: AAA is a member twice");
  EXPECT_EQ(ErrorOfProblem([](Problem& p) { p.groups[0].members.push_back(-1); }),
            "groups[Tech]: member index -1 out of range (2 securities)");
  EXPECT_EQ(ErrorOfProblem([](Problem& p) { p.risk.loadings.resize(2, 3); }),
            "risk.loadings: must be 2 x 2 (securities x factors), got 2 x 3");
  EXPECT_EQ(ErrorOfProblem([](Problem& p) { p.risk.factor_covariance.resize(2, 3); }),
            "risk.factor_covariance: must be square, got 2 x 3");
  EXPECT_EQ(ErrorOfProblem([](Problem& p) { p.risk.specific_variance.resize(1); }),
            "risk.specific_variance: must have one entry per security (2), got 1");
  // Rounding-sized asymmetry and negative eigenvalues are tolerated.
  EXPECT_EQ(ErrorOfProblem([](Problem& p) {
              p.risk.factor_covariance << 0.04, 0.02, 0.02 * (1 + 1e-12), 0.01 * (1 - 1e-12);
            }),
            "");
}

TEST(ProblemJsonTest, SolverOptionsAndStatusNames) {
  optimize::SolverOptions options;
  EXPECT_TRUE(options.Validate().ok());
  options.tolerance = 0;
  EXPECT_EQ(options.Validate().message(), "tolerance: must be in (0, 0.01], got 0");
  options.tolerance = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(options.Validate().message(), "tolerance: must be in (0, 0.01], got nan");
  options.tolerance = 1e-2;
  EXPECT_TRUE(options.Validate().ok());
  options.max_iterations = 0;
  EXPECT_EQ(options.Validate().message(), "max_iterations: must be >= 1, got 0");
  options.max_iterations = 1;
  options.warm_start_buys = Eigen::VectorXd::Zero(3);
  options.warm_start_sells = Eigen::VectorXd::Ones(2);
  EXPECT_TRUE(options.Validate().ok());
  options.warm_start_sells[1] = -2;
  EXPECT_EQ(options.Validate().message(), "warm_start_sells[1]: must be >= 0, got -2");

  EXPECT_STREQ(optimize::NameOf(optimize::SolveStatus::kOptimal), "optimal");
  EXPECT_STREQ(optimize::NameOf(optimize::SolveStatus::kInfeasible), "infeasible");
  EXPECT_STREQ(optimize::NameOf(optimize::SolveStatus::kUnbounded), "unbounded");
  EXPECT_STREQ(optimize::NameOf(optimize::SolveStatus::kIterationLimit), "iteration_limit");
}

std::string ReferencePath(const std::string& file) {
  return std::string(ARBOR_SHARED_DATA_DIR) + "/../docs/reference-problems/" + file;
}

json ReadJson(const std::string& path) {
  std::ifstream in(path);
  return json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
}

// Every value of each reference file arrives in the Problem where the file puts it.
TEST(ProblemJsonTest, ReferenceFilesReadBackFieldByField) {
  const json expected = ReadJson(ReferencePath("expected.json"));
  ASSERT_FALSE(expected.empty());
  for (const json& entry : expected) {
    const std::string file = entry["file"];
    SCOPED_TRACE(file);
    const json raw = ReadJson(ReferencePath(file));
    Result<Problem> parsed = ParseProblem(raw);
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    const Problem& problem = *parsed;
    ASSERT_EQ(problem.num_securities(), entry["securities"].get<int>());
    ASSERT_EQ(problem.num_lots(), entry["lots"].get<int>());

    const json& cash = raw["cash"];
    EXPECT_EQ(problem.cash.balance, cash["balance"].get<double>());
    EXPECT_EQ(problem.cash.withdrawal, cash.value("withdrawal", 0.0));
    EXPECT_EQ(problem.cash.min.has_value(), !cash["min"].is_null());
    if (problem.cash.min) {
      EXPECT_EQ(*problem.cash.min, cash["min"].get<double>());
    }
    EXPECT_EQ(problem.cash.max.has_value(), !cash["max"].is_null());
    EXPECT_EQ(problem.tax_budget.has_value(), !raw["tax_budget"].is_null());
    if (problem.tax_budget) {
      EXPECT_EQ(*problem.tax_budget, raw["tax_budget"].get<double>());
    }
    EXPECT_EQ(problem.turnover_max.has_value(), !raw["turnover_max"].is_null());

    const json& risk = raw["risk"];
    EXPECT_EQ(problem.risk.aversion, risk["aversion"].get<double>());
    const int factors = problem.num_factors();
    ASSERT_EQ(factors, static_cast<int>(risk["factor_covariance"].size()));
    for (int r = 0; r < factors; ++r) {
      for (int c = 0; c < factors; ++c) {
        EXPECT_EQ(problem.risk.factor_covariance(r, c),
                  risk["factor_covariance"][r][c].get<double>());
      }
    }

    size_t memberships = 0;
    for (int i = 0; i < problem.num_securities(); ++i) {
      const json& s = raw["securities"][i];
      const optimize::SecurityInput& security = problem.securities[i];
      const std::string& symbol = security.symbol;
      EXPECT_EQ(symbol, s["symbol"].get<std::string>());
      EXPECT_EQ(security.price, s["price"].get<double>());
      EXPECT_EQ(security.target_weight, s["target_weight"].get<double>());
      EXPECT_EQ(security.may_buy, s.value("buy", true));
      EXPECT_EQ(security.min_weight, s.value("min_weight", 0.0));
      EXPECT_EQ(security.max_weight, s.value("max_weight", 1.0));
      EXPECT_EQ(security.cost_rate, s.value("cost_rate", 0.0));
      for (int k = 0; k < factors; ++k) {
        const double loading =
            risk["loadings"].contains(symbol) ? risk["loadings"][symbol][k].get<double>() : 0;
        EXPECT_EQ(problem.risk.loadings(i, k), loading) << symbol;
      }
      EXPECT_EQ(problem.risk.specific_variance[i], risk["specific_variance"].value(symbol, 0.0));
      for (const json& listed : s.value("groups", json::array())) {
        ++memberships;
        const std::string name = listed;
        auto group = std::find_if(problem.groups.begin(), problem.groups.end(),
                                  [&](const optimize::GroupInput& g) { return g.name == name; });
        ASSERT_NE(group, problem.groups.end()) << name;
        EXPECT_NE(std::find(group->members.begin(), group->members.end(), i), group->members.end());
      }
    }
    size_t members = 0;
    for (const optimize::GroupInput& group : problem.groups) members += group.members.size();
    EXPECT_EQ(members, memberships);
    for (size_t g = 0; g < raw["groups"].size(); ++g) {
      const json& declared = raw["groups"][g];
      EXPECT_EQ(problem.groups[g].name, declared["name"].get<std::string>());
      EXPECT_EQ(problem.groups[g].penalty, declared.value("penalty", 0.0));
      EXPECT_EQ(problem.groups[g].max_active.has_value(), declared.contains("max_active"));
      if (declared.contains("max_active")) {
        EXPECT_EQ(*problem.groups[g].max_active, declared["max_active"].get<double>());
      }
    }

    for (int j = 0; j < problem.num_lots(); ++j) {
      const json& l = raw["lots"][j];
      const optimize::LotInput& lot = problem.lots[j];
      EXPECT_EQ(lot.id, l["id"].get<std::string>());
      EXPECT_EQ(problem.securities[lot.security].symbol, l["symbol"].get<std::string>());
      EXPECT_EQ(lot.shares, l["shares"].get<double>());
      EXPECT_EQ(lot.cost_basis_per_share, l["cost_basis_per_share"].get<double>());
      EXPECT_EQ(lot.tax_rate, l["tax_rate"].get<double>());
      EXPECT_EQ(lot.sellable, l.value("sellable", true));
      EXPECT_EQ(lot.must_sell, l.value("must_sell", false));
    }
  }
}

optimize::Solution HandMadeSolution(optimize::SolveStatus status) {
  optimize::Solution solution;
  solution.buys = Eigen::Vector2d(0, 12.5);
  solution.sells = Eigen::Vector2d(10, 0);
  solution.evaluation.terms = {.risk = 1.25, .tax = 100, .cost = 2.25, .drift = 20};
  solution.evaluation.cash_after = 512.5;
  solution.evaluation.tracking_error = 0.0125;
  solution.summary.status = status;
  solution.summary.message = "cash min cannot be met";
  solution.summary.iterations = 14;
  solution.summary.primal_residual = 1e-11;
  solution.summary.dual_residual = 1e-10;
  solution.summary.gap = 1e-9;
  return solution;
}

TEST(ProblemJsonTest, ResultHasTheSpecKeysInOrderAndOnlyNonzeroTrades) {
  const Problem problem = ParseProblem(ExampleDocument()).value();
  const ordered_json out = SolutionJson(problem, HandMadeSolution(optimize::SolveStatus::kOptimal));
  EXPECT_EQ(out.dump(),
            R"({"status":"optimal","objective":123.5,)"
            R"("terms":{"risk":1.25,"tax":100.0,"cost":2.25,"drift":20.0},)"
            R"("buys":{"BBB":12.5},"sells":{"L1":10.0},"cash_after":512.5,"tracking_error":0.0125,)"
            R"("iterations":14,"residuals":{"primal":1e-11,"dual":1e-10,"gap":1e-09}})");
}

TEST(ProblemJsonTest, ResultCarriesTheMessageWhenNotOptimal) {
  const Problem problem = ParseProblem(ExampleDocument()).value();
  optimize::Solution solution = HandMadeSolution(optimize::SolveStatus::kInfeasible);
  solution.buys.setZero();
  solution.sells.setZero();
  const ordered_json out = SolutionJson(problem, solution);
  EXPECT_EQ(out["status"], "infeasible");
  EXPECT_EQ(out.begin().key(), "status");
  EXPECT_EQ(std::next(out.begin()).key(), "message");
  EXPECT_EQ(out["message"], "cash min cannot be met");
  EXPECT_TRUE(out["buys"].is_object() && out["buys"].empty());
  EXPECT_TRUE(out["sells"].is_object() && out["sells"].empty());
}

// The household file (section 4): the spec example's securities and risk, a taxable account
// and an IRA that may buy only BBB.
json HouseholdDocument() {
  json document = ExampleDocument();
  document.erase("cash");
  document.erase("lots");
  document["accounts"] = json::parse(R"([
    {"id": "TAX", "type": "taxable", "cash": {"balance": 2500.0, "min": 500.0},
     "lots": [{"id": "L1", "symbol": "AAA", "shares": 30, "cost_basis_per_share": 80.0,
               "tax_rate": 0.238}]},
    {"id": "IRA", "type": "traditional_ira", "cash": {"balance": 400.0, "withdrawal": 100.0},
     "allowed": ["BBB"], "cost_rates": {"BBB": 0.0}, "drift_penalty": 0.01,
     "lots": [{"id": "L7", "symbol": "BBB", "shares": 10, "cost_basis_per_share": 50.0,
               "tax_rate": 0.0, "must_sell": true}]}
  ])");
  document["location"] = {{"IRA", {{"BBB", -0.002}}}, {"TAX", {{"AAA", 0.001}}}};
  return document;
}

std::string HouseholdErrorAfter(const std::function<void(json&)>& edit) {
  json document = HouseholdDocument();
  edit(document);
  Result<optimize::HouseholdProblem> problem = ParseHouseholdProblem(document);
  return problem.ok() ? "" : problem.status().message();
}

TEST(ProblemJsonTest, TellsAHouseholdFileByItsAccounts) {
  EXPECT_TRUE(IsHouseholdDocument(HouseholdDocument()));
  EXPECT_FALSE(IsHouseholdDocument(ExampleDocument()));
  EXPECT_FALSE(IsHouseholdDocument(json::array()));
  Result<json> document = ParseProblemDocument(HouseholdDocument().dump());
  ASSERT_TRUE(document.ok()) << document.status().message();
  EXPECT_TRUE(IsHouseholdDocument(*document));
}

TEST(ProblemJsonTest, ReadsAHousehold) {
  Result<optimize::HouseholdProblem> parsed = ParseHouseholdProblemText(HouseholdDocument().dump());
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const optimize::HouseholdProblem& household = *parsed;
  ASSERT_EQ(household.num_securities(), 2);
  EXPECT_EQ(household.securities[0].cost_rate, 0.0005);
  EXPECT_EQ(household.risk.loadings(1, 1), -0.4);
  ASSERT_EQ(household.groups.size(), 2u);
  ASSERT_EQ(household.num_accounts(), 2);

  const optimize::HouseholdAccountInput& taxable = household.accounts[0];
  EXPECT_EQ(taxable.id, "TAX");
  EXPECT_EQ(taxable.type, "taxable");
  EXPECT_EQ(taxable.cash.min, 500.0);
  EXPECT_FALSE(taxable.allowed.has_value()) << "no list: every security with buy set";
  EXPECT_TRUE(taxable.cost_rates.empty());
  EXPECT_EQ(taxable.location, (std::vector<double>{0.001, 0.0}));
  EXPECT_EQ(taxable.drift_penalty, 0);
  ASSERT_EQ(taxable.lots.size(), 1u);
  EXPECT_EQ(taxable.lots[0].tax_rate, 0.238);

  const optimize::HouseholdAccountInput& ira = household.accounts[1];
  EXPECT_EQ(ira.type, "traditional_ira");
  EXPECT_EQ(ira.cash.withdrawal, 100.0);
  EXPECT_FALSE(ira.cash.min.has_value());
  EXPECT_EQ(ira.allowed, std::vector<int>{1});
  // AAA is not listed: it keeps the security's own rate.
  EXPECT_EQ(ira.cost_rates, (std::vector<double>{0.0005, 0.0}));
  EXPECT_EQ(ira.location, (std::vector<double>{0.0, -0.002}));
  EXPECT_EQ(ira.drift_penalty, 0.01);
  ASSERT_EQ(ira.lots.size(), 1u);
  EXPECT_EQ(ira.lots[0].security, 1);
  EXPECT_TRUE(ira.lots[0].must_sell);

  // An empty list allows no purchase at all, which is not the same as no list.
  json document = HouseholdDocument();
  document["accounts"][1]["allowed"] = json::array();
  Result<optimize::HouseholdProblem> nothing_to_buy = ParseHouseholdProblem(document);
  ASSERT_TRUE(nothing_to_buy.ok()) << nothing_to_buy.status().message();
  ASSERT_TRUE(nothing_to_buy->accounts[1].allowed.has_value());
  EXPECT_TRUE(nothing_to_buy->accounts[1].allowed->empty());
}

TEST(ProblemJsonTest, RejectsBadHouseholdsNamingTheAccount) {
  EXPECT_EQ(HouseholdErrorAfter([](json& d) {
              d["cash"] = {{"balance", 1}};
            }),
            "cash: unknown field");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"] = json::object(); }),
            "accounts: must be a list, got object");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) {
              d["accounts"] = json::array();
              d.erase("location");
            }),
            "accounts: a household needs at least one account");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1]["owner"] = "Ann"; }),
            "accounts[IRA].owner: unknown field");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1].erase("id"); }),
            "accounts[1].id: missing");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1]["id"] = ""; }),
            "accounts[1].id: must not be empty");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) {
              d["accounts"][1]["id"] = "TAX";
              d["location"].erase("IRA");
            }),
            "accounts[TAX].id: listed more than once");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1].erase("type"); }),
            "accounts[IRA].type: missing");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1].erase("cash"); }),
            "accounts[IRA].cash: missing");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1]["cash"]["balance"] = "400"; }),
            "accounts[IRA].cash.balance: must be a number, got string");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1]["cash"]["withdrawal"] = -1; }),
            "accounts[IRA].cash.withdrawal: must be >= 0, got -1");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1].erase("lots"); }),
            "accounts[IRA].lots: missing");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1]["lots"][0]["shares"] = -3; }),
            "accounts[IRA].lots[L7].shares: must be > 0, got -3");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1]["lots"][0]["basis"] = 1; }),
            "accounts[IRA].lots[L7].basis: unknown field");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1]["lots"][0]["symbol"] = "ZZZ"; }),
            "accounts[IRA].lots[L7].symbol: unknown symbol 'ZZZ'");
  EXPECT_EQ(HouseholdErrorAfter(
                [](json& d) { d["accounts"][1]["lots"].push_back(d["accounts"][1]["lots"][0]); }),
            "accounts[IRA].lots[L7].id: listed more than once");
  // Lots of the same id in two accounts are two lots.
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1]["lots"][0]["id"] = "L1"; }), "");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1]["lots"][0]["tax_rate"] = 0.15; }),
            "accounts[IRA].lots[L7].tax_rate: must be 0 in a traditional_ira account (only "
            "\"taxable\" accounts realize tax), got 0.15");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1]["allowed"] = "BBB"; }),
            "accounts[IRA].allowed: must be a list, got string");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) {
              d["accounts"][1]["allowed"] = {"BBB", "ZZZ"};
            }),
            "accounts[IRA].allowed[1]: unknown symbol 'ZZZ'");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) {
              d["accounts"][1]["allowed"] = {"BBB", 2};
            }),
            "accounts[IRA].allowed[1]: must be a symbol, got number");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) {
              d["accounts"][1]["allowed"] = {"BBB", "BBB"};
            }),
            "accounts[IRA].allowed: BBB is listed twice");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1]["cost_rates"]["ZZZ"] = 0.001; }),
            "accounts[IRA].cost_rates[ZZZ]: unknown symbol 'ZZZ'");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1]["cost_rates"]["BBB"] = "0"; }),
            "accounts[IRA].cost_rates[BBB]: must be a number, got string");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1]["cost_rates"]["BBB"] = -0.001; }),
            "accounts[IRA].cost_rates[BBB]: must be in [0, 1), got -0.001");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1]["drift_penalty"] = -1; }),
            "accounts[IRA].drift_penalty: must be >= 0, got -1");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["accounts"][1]["drift_penalty"] = nullptr; }),
            "accounts[IRA].drift_penalty: must be a number, got null");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["location"] = json::array(); }),
            "location: must be an object, got array");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) {
              d["location"]["ROTH"] = {{"AAA", -0.001}};
            }),
            "location[ROTH]: unknown account 'ROTH'");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["location"]["IRA"] = -0.001; }),
            "location[IRA]: must be an object, got number");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["location"]["IRA"]["ZZZ"] = -0.001; }),
            "location[IRA][ZZZ]: unknown symbol 'ZZZ'");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["location"]["IRA"]["BBB"] = true; }),
            "location[IRA][BBB]: must be a number, got boolean");
  // The shared sections are checked as in the account file.
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["securities"][1]["price"] = -1; }),
            "securities[BBB].price: must be > 0, got -1");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) {
              d["risk"]["loadings"]["ZZZ"] = {1.0, 0.0};
            }),
            "risk.loadings[ZZZ]: unknown symbol 'ZZZ'");
  EXPECT_EQ(HouseholdErrorAfter([](json& d) { d["turnover_max"] = -5; }),
            "turnover_max: must be >= 0, got -5");
}

// A household file read, solved and written out: the result's trades and figures are the
// solution's, keyed by account, and read back into the same numbers.
TEST(ProblemJsonTest, HouseholdResultRoundTrip) {
  const optimize::HouseholdProblem household = ParseHouseholdProblem(HouseholdDocument()).value();
  const optimize::HouseholdSolution solution = optimize::SolveHousehold(household).value();
  ASSERT_EQ(solution.summary.status, optimize::SolveStatus::kOptimal) << solution.summary.message;
  const json out = json::parse(HouseholdSolutionJson(household, solution).dump());
  std::vector<std::string> keys;
  const ordered_json ordered = HouseholdSolutionJson(household, solution);
  for (const auto& [key, value] : ordered.items()) keys.push_back(key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"status", "objective", "terms", "buys", "sells", "accounts",
                                      "tracking_error", "iterations", "residuals"}));
  EXPECT_EQ(out["objective"].get<double>(), solution.objective());
  EXPECT_EQ(out["terms"]["location"].get<double>(), solution.evaluation.location);
  double terms = 0;
  for (const auto& [name, value] : out["terms"].items()) terms += value.get<double>();
  EXPECT_NEAR(terms, solution.objective(), 1e-9 * (1 + std::abs(terms)));
  for (int a = 0; a < household.num_accounts(); ++a) {
    const optimize::HouseholdAccountInput& account = household.accounts[a];
    const optimize::HouseholdAccountResult& result = solution.accounts[a];
    SCOPED_TRACE(account.id);
    for (int i = 0; i < household.num_securities(); ++i) {
      EXPECT_EQ(out["buys"][account.id].value(household.securities[i].symbol, 0.0), result.buys[i]);
    }
    for (size_t j = 0; j < account.lots.size(); ++j) {
      EXPECT_EQ(out["sells"][account.id].value(account.lots[j].id, 0.0), result.sells[j]);
    }
    const json& figures = out["accounts"][account.id];
    EXPECT_EQ(figures["type"], account.type);
    EXPECT_EQ(figures["cash_after"].get<double>(), result.cash_after);
    EXPECT_EQ(figures["tax"].get<double>(), result.tax);
    EXPECT_EQ(figures["location"].get<double>(), result.location);
  }
  // The IRA must sell its must-sell lot and may buy only BBB.
  EXPECT_EQ(out["sells"]["IRA"]["L7"].get<double>(), 10.0);
  EXPECT_FALSE(out["buys"]["IRA"].contains("AAA"));
}

TEST(ProblemJsonTest, HouseholdResultCarriesTheMessageWhenNotOptimal) {
  json document = HouseholdDocument();
  document["accounts"][1]["cash"]["min"] = 1e6;  // the IRA cannot raise it; TAX's cash stays put
  const optimize::HouseholdProblem household = ParseHouseholdProblem(document).value();
  const optimize::HouseholdSolution solution = optimize::SolveHousehold(household).value();
  const ordered_json out = HouseholdSolutionJson(household, solution);
  EXPECT_EQ(out["status"], "infeasible");
  EXPECT_EQ(std::next(out.begin()).key(), "message");
  EXPECT_NE(out["message"].get<std::string>().find("IRA"), std::string::npos) << out["message"];
}

TEST(ProblemJsonTest, TheHouseholdExampleFileParses) {
  std::ifstream in(std::string(ARBOR_SOURCE_DIR) + "/docs/examples/household-problem.json");
  ASSERT_TRUE(in) << "docs/examples/household-problem.json";
  Result<optimize::HouseholdProblem> parsed =
      ParseHouseholdProblemText(std::string(std::istreambuf_iterator<char>(in), {}));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->num_accounts(), 3);
}

}  // namespace
}  // namespace arbor
