#include "adapters/storage/rebalance_input_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adapters/storage/account_menu_store.h"
#include "adapters/storage/rebalance_settings_store.h"
#include "adapters/storage/risk_model_store.h"
#include "adapters/storage/store_test_util.h"
#include "core/review/rebalance.h"
#include "core/review/testing/rule_checks.h"

namespace arbor {
namespace {

using testing_util::ScratchDir;
using testing_util::Trade;

Date D(const char* text) { return *Date::Parse(text); }
Price P(const char* text) { return *Price::Parse(text); }

Event Deposit(const char* date, const char* account, int64_t dollars) {
  return {.date = D(date),
          .account = account,
          .action = EventAction::kDeposit,
          .amount = Money::Units(dollars)};
}

bool HasNote(const review::RebalanceInput& input, const std::string& text) {
  return std::any_of(input.notes.begin(), input.notes.end(),
                     [&](const std::string& note) { return note.find(text) != std::string::npos; });
}

// One market factor; IVV is left out of the model on purpose.
RiskModel Model(const char* as_of) {
  RiskModel model;
  model.as_of = D(as_of);
  model.window = {
      .first = D("2022-07-01"), .last = model.as_of, .days = 504, .half_life_days = 126};
  model.factors = {{"Market", FactorKind::kMarket}};
  model.symbols = {"AAA", "BBB", "SPY"};
  model.loadings = Eigen::MatrixXd::Ones(3, 1);
  model.factor_covariance = Eigen::MatrixXd::Constant(1, 1, 0.03);
  model.specific_variance = Eigen::Vector3d(0.04, 0.05, 0.001);
  return model;
}

// Alice's taxable account A and her IRA B (one wash-sale scope), Bob's empty account C:
//  - A bought AAA, BBB and SPY in January, sold 10 BBB at a loss on 2024-06-14;
//  - the IRA bought IVV (same wash-sale group as SPY) on 2024-06-20.
class RebalanceInputLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(Store::Open(dir_.Path("arbor.db"))).value();
    ASSERT_TRUE(store_->ImportSecurities({dir_.Write("s.csv", testing_util::kSecurities)}).ok());
    ASSERT_TRUE(store_
                    ->PutAccounts(
                        {{.id = "A", .type = AccountType::kTaxable, .taxpayers = {"alice"}},
                         {.id = "B", .type = AccountType::kTraditionalIra, .taxpayers = {"alice"}},
                         {.id = "C", .type = AccountType::kTaxable, .taxpayers = {"bob"}}})
                    .ok());
    for (const auto& [symbol, january, june] : {std::tuple{"AAA", "100", "90"},
                                                {"BBB", "200", "160"},
                                                {"SPY", "500", "470"},
                                                {"IVV", "480", "471"}}) {
      ASSERT_TRUE(store_
                      ->PutPrices(symbol, {{D("2024-01-02"), P(january)},
                                           {D("2024-06-14"), P("150")},
                                           {D("2024-06-20"), P("480")},
                                           {D("2024-06-28"), P(june)}})
                      .ok());
    }
    ASSERT_TRUE(store_
                    ->AppendTransactions(
                        {Deposit("2024-01-02", "A", 100'000), Deposit("2024-01-02", "B", 20'000),
                         Deposit("2024-01-02", "C", 5'000),
                         Trade("2024-01-02", "A", EventAction::kBuy, "AAA", 100, "100"),
                         Trade("2024-01-02", "A", EventAction::kBuy, "BBB", 50, "200"),
                         Trade("2024-01-02", "A", EventAction::kBuy, "SPY", 20, "500"),
                         Trade("2024-06-14", "A", EventAction::kSell, "BBB", 10, "150"),
                         Trade("2024-06-20", "B", EventAction::kBuy, "IVV", 10, "480")},
                        "test")
                    .ok());
    ASSERT_TRUE(ImportSecurityTargets(db(), {dir_.Write("t.csv",
                                                        "account,symbol,weight\n"
                                                        "A,AAA,0.3\nA,BBB,0.3\nA,IVV,0.35\n")})
                    .ok());
  }
  Database* db() { return store_->database(); }

  ScratchDir dir_{"rebalance_input"};
  std::unique_ptr<Store> store_;
};

TEST_F(RebalanceInputLoaderTest, AssemblesTheAccountAndItsTaxpayersActivity) {
  ASSERT_TRUE(SaveRiskModel(db(), Model("2024-06-27")).ok());
  const review::RebalanceInput input = LoadRebalanceInput(*store_, "A", std::nullopt).value();
  EXPECT_EQ(input.as_of, D("2024-06-28"));  // the last price date
  EXPECT_FALSE(input.tax_deferred);
  EXPECT_EQ(input.cash.balance, Money::Units(100'000 - 10'000 - 10'000 - 10'000 + 1'500));
  ASSERT_EQ(input.lots.size(), 3u);
  EXPECT_EQ(input.lots[1].symbol, "BBB");
  EXPECT_EQ(input.lots[1].shares, Shares::Units(40));

  // Targets and holdings, in symbol order; SPY is held but not targeted.
  ASSERT_EQ(input.securities.size(), 4u);
  EXPECT_EQ(input.securities[2].symbol, "IVV");
  EXPECT_DOUBLE_EQ(input.securities[2].target_weight, 0.35);
  EXPECT_EQ(input.securities[2].wash_sale_group, "SP500");
  EXPECT_EQ(input.securities[3].symbol, "SPY");
  EXPECT_EQ(input.securities[3].target_weight, 0);
  EXPECT_EQ(input.securities[0].price, P("90"));
  EXPECT_FALSE(input.securities[1].fractional);  // BBB trades in whole shares
  EXPECT_EQ(input.securities[0].groups, std::vector<std::string>{"Industrials"});

  // Pub. 550 wash-sale window: the IRA's IVV purchase and A's BBB loss sale are in it.
  ASSERT_EQ(input.recent_purchases.size(), 1u);
  EXPECT_EQ(input.recent_purchases[0].account, "B");
  EXPECT_EQ(input.recent_purchases[0].wash_sale_group, "SP500");
  EXPECT_TRUE(input.recent_purchases[0].tax_deferred);
  ASSERT_EQ(input.recent_loss_sales.size(), 1u);
  EXPECT_EQ(input.recent_loss_sales[0].symbol, "BBB");
  EXPECT_EQ(input.realized_this_year.short_term_losses, Money::Units(-500));

  // IVV is not in the model: it gets the average of the model's securities.
  EXPECT_DOUBLE_EQ(input.risk.specific_variance[2], 0.04);  // median of 0.04, 0.05, 0.001
  EXPECT_DOUBLE_EQ(input.risk.loadings(2, 0), 1);
  EXPECT_TRUE(HasNote(input, "not in the risk model, priced with their sector's average: IVV"));
  EXPECT_TRUE(HasNote(input, "risk model as of 2024-06-27"));
  EXPECT_TRUE(HasNote(input, "no rebalance settings"));

  // End to end: BBB may not be bought (loss sale on June 14), SPY's loss is kept (the IRA's IVV
  // purchase would wash it for good), so IVV's target is met by buying IVV (a gain-free buy).
  const review::Proposal proposal = review::Rebalance(input).value();
  EXPECT_TRUE(review::testing::RuleViolations(input, proposal).empty());
  for (const review::Trade& trade : proposal.trades) {
    EXPECT_FALSE(trade.symbol == "BBB" && trade.side == review::TradeSide::kBuy);
    EXPECT_FALSE(trade.symbol == "SPY" && trade.side == review::TradeSide::kSell);
  }
}

// The daily review loads each account through the context's scopes, not by reading every
// account again (which made a review of N accounts read N^2 account rows).
TEST_F(RebalanceInputLoaderTest, TheContextKnowsEachWashSaleScope) {
  const auto context = RebalanceContext::Load(*store_, std::nullopt).value();
  auto ids = [](const std::vector<Account>& scope) {
    std::vector<std::string> out;
    for (const Account& account : scope) out.push_back(account.id);
    return out;
  };
  EXPECT_EQ(ids(context->ScopeOf("A")), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(ids(context->ScopeOf("B")), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(ids(context->ScopeOf("C")), std::vector<std::string>{"C"});
  EXPECT_TRUE(context->ScopeOf("nobody").empty());

  // The snapshot through the scope sees the IRA's purchase, as the single-account path does.
  const AccountSnapshot snapshot = LoadAccountSnapshot(*store_, *context, "A").value();
  ASSERT_EQ(snapshot.facts.recent_purchases.size(), 1u);
  EXPECT_EQ(snapshot.facts.recent_purchases[0].account, "B");
}

TEST_F(RebalanceInputLoaderTest, DefaultTargetsAreTheCurrentWeights) {
  ASSERT_TRUE(SaveRiskModel(db(), Model("2024-06-27")).ok());
  const review::RebalanceInput input = LoadRebalanceInput(*store_, "B", D("2024-06-28")).value();
  EXPECT_TRUE(input.tax_deferred);
  ASSERT_EQ(input.securities.size(), 1u);
  // 10 IVV at 471 and 15,200 of cash
  EXPECT_NEAR(input.securities[0].target_weight, 4710.0 / (4710.0 + 15'200.0), 1e-12);
  EXPECT_TRUE(HasNote(input, "no target list: the targets are the account's current weights"));
}

TEST_F(RebalanceInputLoaderTest, ErrorsSayWhatToDo) {
  Result<review::RebalanceInput> no_model = LoadRebalanceInput(*store_, "A", D("2024-06-28"));
  ASSERT_FALSE(no_model.ok());
  EXPECT_NE(no_model.status().message().find("arbor riskmodel build --as-of"), std::string::npos)
      << no_model.status().message();
  ASSERT_TRUE(SaveRiskModel(db(), Model("2024-06-27")).ok());
  Result<review::RebalanceInput> empty = LoadRebalanceInput(*store_, "C", D("2024-06-28"));
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("arbor import targets"), std::string::npos);
  Result<review::RebalanceInput> unknown = LoadRebalanceInput(*store_, "Z", D("2024-06-28"));
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  Result<review::RebalanceInput> early = LoadRebalanceInput(*store_, "A", D("2024-01-01"));
  ASSERT_FALSE(early.ok());  // no model yet on that date
}

// A 401k's fund menu (account_menu_store.h): every security off it is no_buy (no_sell becomes
// hold), its funds join the list even when nothing targets or holds them, and the rebalance buys
// only from it; cleared, the account may buy anything again.
TEST_F(RebalanceInputLoaderTest, AFundMenuLimitsBuysToItsFunds) {
  ASSERT_TRUE(SaveRiskModel(db(), Model("2024-06-27")).ok());
  const AccountMenuChange by{.user = "ann", .at = "2024-06-28T09:00:00Z"};
  ASSERT_TRUE(SaveAccountMenu(db(), "B", {"SPY"}, by).ok());
  review::RebalanceInput ira = LoadRebalanceInput(*store_, "B", D("2024-06-28")).value();
  ASSERT_EQ(ira.securities.size(), 2u);
  EXPECT_EQ(ira.securities[0].symbol, "IVV");
  EXPECT_EQ(ira.securities[0].restriction, review::Restriction::kNoBuy);
  EXPECT_EQ(ira.securities[1].symbol, "SPY");  // on the menu only
  EXPECT_EQ(ira.securities[1].restriction, review::Restriction::kNone);
  EXPECT_TRUE(HasNote(ira, "fund menu: buys only SPY"));

  ASSERT_TRUE(SaveAccountMenu(db(), "A", {"AAA", "SPY"}, by).ok());
  ASSERT_TRUE(SaveSecurityRestrictions(
                  db(), "A", {{.symbol = "BBB", .restriction = review::Restriction::kNoSell}})
                  .ok());
  const review::RebalanceInput input = LoadRebalanceInput(*store_, "A", D("2024-06-28")).value();
  std::map<std::string, review::Restriction> restriction;
  for (const review::RebalanceSecurity& s : input.securities) restriction[s.symbol] = s.restriction;
  EXPECT_EQ(restriction["AAA"], review::Restriction::kNone);
  EXPECT_EQ(restriction["BBB"], review::Restriction::kHold);
  EXPECT_EQ(restriction["IVV"], review::Restriction::kNoBuy);
  EXPECT_EQ(restriction["SPY"], review::Restriction::kNone);
  const review::Proposal proposal = review::Rebalance(input).value();
  int buys = 0;
  for (const review::Trade& trade : proposal.trades) {
    if (trade.side != review::TradeSide::kBuy) continue;
    ++buys;
    EXPECT_TRUE(trade.symbol == "AAA" || trade.symbol == "SPY") << trade.symbol;
  }
  EXPECT_GT(buys, 0);

  // An account of cash and a menu: the menu sets no weights, and the error says so.
  ASSERT_TRUE(SaveAccountMenu(db(), "C", {"AAA", "SPY"}, by).ok());
  Result<review::RebalanceInput> cash_only = LoadRebalanceInput(*store_, "C", D("2024-06-28"));
  ASSERT_FALSE(cash_only.ok());
  EXPECT_NE(cash_only.status().message().find(
                "its fund menu (AAA, SPY) limits what it may buy but sets no weights"),
            std::string::npos)
      << cash_only.status().message();

  ASSERT_TRUE(ClearAccountMenu(db(), "A", by).ok());
  const review::RebalanceInput cleared = LoadRebalanceInput(*store_, "A", D("2024-06-28")).value();
  for (const review::RebalanceSecurity& s : cleared.securities) {
    if (s.symbol == "IVV") {
      EXPECT_EQ(s.restriction, review::Restriction::kNone);
    }
  }
}

}  // namespace
}  // namespace arbor
