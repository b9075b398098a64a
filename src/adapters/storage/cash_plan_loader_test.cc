#include "adapters/storage/cash_plan_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "adapters/storage/cash_policy_store.h"
#include "adapters/storage/rebalance_input_loader.h"
#include "adapters/storage/rebalance_settings_store.h"
#include "adapters/storage/risk_model_store.h"
#include "adapters/storage/store_test_util.h"
#include "core/review/rebalance.h"

namespace arbor {
namespace {

using testing_util::ScratchDir;

Date D(const char* text) { return *Date::Parse(text); }
Money M(const char* text) { return *Money::Parse(text); }

Event Cash(const char* date, EventAction action, const char* amount, const char* symbol = "") {
  return {.date = D(date), .account = "A", .action = action, .symbol = symbol, .amount = M(amount)};
}

// Account A: funded in January 2021 with 100 AAA; dividends before and after a withdrawal on
// March 1 (one on that very day); daily reviews of A on April 1 and 2 (twice), and on the review
// date itself; a review before accumulate_from; and one of account B only.
class CashPlanLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(Store::Open(dir_.Path("arbor.db"))).value();
    ASSERT_TRUE(store_->ImportSecurities({dir_.Write("s.csv", testing_util::kSecurities)}).ok());
    ASSERT_TRUE(store_
                    ->PutAccounts({{.id = "A", .type = AccountType::kTaxable, .taxpayers = {"al"}},
                                   {.id = "B", .type = AccountType::kTaxable, .taxpayers = {"bo"}}})
                    .ok());
    ASSERT_TRUE(store_
                    ->PutPrices("AAA", {{D("2021-01-04"), *Price::Parse("100")},
                                        {D("2021-04-28"), *Price::Parse("120")}})
                    .ok());
    ASSERT_TRUE(store_
                    ->AppendTransactions({Cash("2021-01-04", EventAction::kDeposit, "10500"),
                                          {.date = D("2021-01-04"),
                                           .account = "A",
                                           .action = EventAction::kBuy,
                                           .symbol = "AAA",
                                           .shares = Shares::Units(100),
                                           .price = *Price::Parse("100")},
                                          Cash("2021-02-15", EventAction::kDividend, "300", "AAA"),
                                          Cash("2021-03-01", EventAction::kWithdrawal, "500"),
                                          Cash("2021-03-01", EventAction::kDividend, "50", "AAA"),
                                          Cash("2021-03-15", EventAction::kDividend, "400", "AAA"),
                                          Cash("2021-04-15", EventAction::kDividend, "250", "AAA")},
                                         "test")
                    .ok());
    ASSERT_TRUE(db()->Exec(R"sql(
      INSERT INTO review_runs (id, as_of, started_at, accounts) VALUES
        (1, '2020-12-31', '2020-12-31', 1), (2, '2021-04-01', '2021-04-01', 1),
        (3, '2021-04-02', '2021-04-02', 1), (4, '2021-04-02', '2021-04-02', 1),
        (5, '2021-04-28', '2021-04-28', 1), (6, '2021-04-27', '2021-04-27', 1);
      INSERT INTO review_results (run, account, household, advisor, account_type, outcome, status)
      VALUES (1, 'A', '', '', 'taxable', 'proposed', 'pending'),
             (2, 'A', '', '', 'taxable', 'proposed', 'pending'),
             (3, 'A', '', '', 'taxable', 'no_trade', 'pending'),
             (4, 'A', '', '', 'taxable', 'proposed', 'pending'),
             (5, 'A', '', '', 'taxable', 'proposed', 'pending'),
             (6, 'B', '', '', 'taxable', 'proposed', 'pending');
    )sql")
                    .ok());
    review::CashPolicy policy{.reserve_cap = M("15000"),
                              .accumulate_target = M("1200"),
                              .accumulate_reviews = 12,
                              .accumulate_from = D("2021-01-04")};
    policy.scheduled = {{.id = "W1", .amount = M("500"), .first_date = D("2021-03-01")}};
    ASSERT_TRUE(SaveCashPolicy(db(), "A", policy).ok());
  }
  Database* db() { return store_->database(); }

  ScratchDir dir_{"cash_plan_loader"};
  std::unique_ptr<Store> store_;
};

TEST_F(CashPlanLoaderTest, PlanFromThePolicyTheLedgerAndTheReviews) {
  const review::CashPlan plan =
      LoadCashPlan(db(), "A", D("2021-04-28"), {.balance = M("1000"), .min = M("100")}).value();
  EXPECT_EQ(plan.withdrawal, M("500"));    // W1 due May 1, within the 5 lead days
  EXPECT_EQ(plan.reserve, M("650"));       // March 15 and April 15, after the March 1 payment
  EXPECT_EQ(plan.accumulation, M("300"));  // review 3 of 12: April 1 and 2 came before
  EXPECT_EQ(plan.minimum, M("1050"));
  EXPECT_TRUE(plan.must_trade());  // 1000 < 500 + 1050
  EXPECT_EQ(plan.shortfall, M("550"));
  // No policy: the settings alone, and no query of the ledger or the reviews is needed.
  const review::CashPlan plain =
      LoadCashPlan(db(), "B", D("2021-04-28"), {.balance = M("10"), .min = M("5")}).value();
  EXPECT_EQ(plain.minimum, M("5"));
  EXPECT_TRUE(plain.reasons.empty());
}

TEST_F(CashPlanLoaderTest, LoadRebalanceInputAppliesThePlanAndTheProposalKeepsIt) {
  RiskModel model;
  model.as_of = D("2021-04-28");
  model.window = {
      .first = D("2019-04-29"), .last = model.as_of, .days = 504, .half_life_days = 126};
  model.factors = {{"Market", FactorKind::kMarket}};
  model.symbols = {"AAA"};
  model.loadings = Eigen::MatrixXd::Ones(1, 1);
  model.factor_covariance = Eigen::MatrixXd::Constant(1, 1, 0.03);
  model.specific_variance = Eigen::VectorXd::Constant(1, 0.04);
  ASSERT_TRUE(SaveRiskModel(db(), model).ok());
  ASSERT_TRUE(
      ImportRebalanceSettings(db(), {dir_.Write("r.csv", "account,cash_min\nA,100\n")}).ok());

  const review::RebalanceInput input = LoadRebalanceInput(*store_, "A", D("2021-04-28")).value();
  EXPECT_EQ(input.cash.balance, M("1000"));  // 10500 - 10000 + 1000 of dividends - 500
  EXPECT_EQ(input.cash.withdrawal, M("500"));
  EXPECT_EQ(input.cash.min, M("1050"));
  EXPECT_TRUE(std::any_of(input.notes.begin(), input.notes.end(), [](const std::string& note) {
    return note == "scheduled withdrawal W1 of 500.00 due 2021-05-01";
  }));
  const review::Proposal proposal = review::Rebalance(input).value();
  EXPECT_GE(proposal.after.cash, input.cash.min);
  ASSERT_FALSE(proposal.trades.empty());
  EXPECT_EQ(proposal.trades[0].side, review::TradeSide::kSell);
}

}  // namespace
}  // namespace arbor
