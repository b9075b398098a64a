// Model distribution through the store (docs/product.md, capability 4): the IPC's tactical shift
// of a template (equities 60/40 -> 70/30, a new version effective 2024-07-01) reaches every
// account on it at its first review on or after that date, and each account's customization
// (a removed class, a product switched to the direct index, values screens, a weight override)
// still applies on top of the new weights.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "adapters/storage/model_store.h"
#include "adapters/storage/model_test_util.h"
#include "adapters/storage/rebalance_input_loader.h"
#include "adapters/storage/rebalance_settings_store.h"
#include "adapters/storage/risk_model_store.h"
#include "adapters/storage/store_test_util.h"
#include "core/review/rebalance.h"

namespace arbor {
namespace {

using testing_util::ScratchDir;

Date D(const char* text) { return *Date::Parse(text); }
Price P(const char* text) { return *Price::Parse(text); }

Event Buy(const char* account, const char* symbol, int64_t shares, const char* price) {
  return {.date = D("2024-01-02"),
          .account = account,
          .action = EventAction::kBuy,
          .symbol = symbol,
          .shares = Shares::Units(shares),
          .price = P(price)};
}

Event Deposit(const char* account, int64_t dollars) {
  return {.date = D("2024-01-02"),
          .account = account,
          .action = EventAction::kDeposit,
          .amount = Money::Units(dollars)};
}

struct View {
  std::map<std::string, double> targets;
  std::map<std::string, review::Restriction> restrictions;
  std::vector<std::string> notes;

  double Target(const std::string& symbol) const {
    auto it = targets.find(symbol);
    return it == targets.end() ? 0 : it->second;
  }
  bool HasNote(const std::string& text) const {
    return std::any_of(notes.begin(), notes.end(),
                       [&](const std::string& n) { return n.find(text) != std::string::npos; });
  }
};

class ModelCascadeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing_util::OpenCatalogue(dir_);
    for (const char* symbol : {"AAA", "BBB", "CCC", "MO", "XOM", "IVV", "EFA", "VNQ", "AGG"}) {
      ASSERT_TRUE(store_
                      ->PutPrices(symbol, {{D("2024-01-02"), P("40")},
                                           {D("2024-06-28"), P("42")},
                                           {D("2024-08-01"), P("44")}})
                      .ok());
    }
    ASSERT_TRUE(store_
                    ->AppendTransactions(
                        {Deposit("A1", 100'000), Deposit("A2", 100'000), Buy("A1", "MO", 100, "40"),
                         Buy("A1", "VNQ", 100, "40"), Buy("A1", "IVV", 200, "40"),
                         Buy("A2", "MO", 50, "40"), Buy("A2", "XOM", 100, "40")},
                        "test")
                    .ok());
    // "Never sell the legacy XOM" outranks A2's screen.
    ASSERT_TRUE(ImportSecurityRestrictions(
                    store_->database(),
                    {dir_.Write("r.csv", "account,symbol,restriction\nA2,XOM,no_sell\n")})
                    .ok());
    ASSERT_TRUE(SaveRiskModel(store_->database(), RiskModelOf("2024-01-02")).ok());

    // A1: no real estate, the direct index for US large cap, no tobacco.
    models::Customization a1{.account = "A1", .template_name = "Balanced"};
    a1.removals = {{.asset_class = "Real Estate"}};
    a1.products = {{.asset_class = "US Large Cap", .product = "SP500-DI"}};
    a1.screens = {"tobacco"};
    // A2: real estate's weight to international, half the account in US large cap, faith-based.
    models::Customization a2{.account = "A2", .template_name = "Balanced"};
    a2.removals = {{.asset_class = "Real Estate",
                    .rule = models::Redistribution::kToClass,
                    .to_class = "Intl Developed"}};
    a2.weights = {{.asset_class = "US Large Cap", .weight = 0.5}};
    a2.screens = {"faith"};
    ASSERT_TRUE(SaveCustomization(*store_, a1).ok());
    ASSERT_TRUE(SaveCustomization(*store_, a2).ok());
  }

  // One market factor over every security of the catalogue.
  static RiskModel RiskModelOf(const char* as_of) {
    RiskModel model;
    model.as_of = D(as_of);
    model.window = {
        .first = D("2022-01-03"), .last = model.as_of, .days = 504, .half_life_days = 126};
    model.factors = {{"Market", FactorKind::kMarket}};
    model.symbols = {"AAA", "BBB", "CCC", "MO", "XOM", "IVV", "EFA", "VNQ", "AGG"};
    model.loadings = Eigen::MatrixXd::Ones(9, 1);
    model.factor_covariance = Eigen::MatrixXd::Constant(1, 1, 0.03);
    model.specific_variance = Eigen::VectorXd::Constant(9, 0.02);
    return model;
  }

  View Review(const char* account, const char* as_of) {
    Result<review::RebalanceInput> input = LoadRebalanceInput(*store_, account, D(as_of));
    EXPECT_TRUE(input.ok()) << input.status().message();
    View view;
    if (!input.ok()) return view;
    for (const review::RebalanceSecurity& s : input->securities) {
      if (s.target_weight > 0) view.targets[s.symbol] = s.target_weight;
      view.restrictions[s.symbol] = s.restriction;
    }
    view.notes = input->notes;
    return view;
  }

  ScratchDir dir_{"model_cascade"};
  std::unique_ptr<Store> store_;
};

TEST_F(ModelCascadeTest, AnIpcChangeReachesEveryAccountWithItsCustomizationsKept) {
  const View a1_before = Review("A1", "2024-06-28");
  const View a2_before = Review("A2", "2024-06-28");
  ASSERT_TRUE(ImportTemplates(*store_, {dir_.Write("v2.json", testing_util::kBalancedV2)}).ok());
  // A review before the effective date still sees v1; the first one after sees v2.
  const View a1_still = Review("A1", "2024-06-28");
  const View a1_after = Review("A1", "2024-08-01");
  const View a2_after = Review("A2", "2024-08-01");
  EXPECT_EQ(a1_still.targets, a1_before.targets);
  EXPECT_TRUE(a1_before.HasNote("targets from template Balanced v1"));
  EXPECT_TRUE(a1_after.HasNote("targets from template Balanced v2"));

  // A1 before: Equity 0.6 = US Large Cap 0.42, Intl 0.12, Real Estate 0.06 (removed, pro rata
  // to its siblings); Core Bonds 0.40. After: 0.49, 0.14, 0.07; 0.30.
  auto equity_leaf = [](double leaf, double siblings, double removed) {
    return leaf + removed * leaf / siblings;
  };
  EXPECT_NEAR(a1_before.Target("AGG"), 0.40, 1e-9);
  EXPECT_NEAR(a1_after.Target("AGG"), 0.30, 1e-9);
  EXPECT_NEAR(a1_before.Target("EFA"), equity_leaf(0.12, 0.54, 0.06), 1e-9);
  EXPECT_NEAR(a1_after.Target("EFA"), equity_leaf(0.14, 0.63, 0.07), 1e-9);
  // US large cap is the direct index: its names share the class's weight, tobacco screened out.
  for (const View* view : {&a1_before, &a1_after}) {
    double direct_index = 0;
    for (const char* symbol : {"AAA", "BBB", "CCC", "XOM"}) {
      EXPECT_GT(view->Target(symbol), 0) << symbol;
      direct_index += view->Target(symbol);
    }
    EXPECT_NEAR(direct_index,
                view == &a1_before ? equity_leaf(0.42, 0.54, 0.06) : equity_leaf(0.49, 0.63, 0.07),
                1e-6);
    EXPECT_EQ(view->Target("IVV"), 0);  // switched from the ETF: sold over time
    EXPECT_EQ(view->Target("VNQ"), 0);  // removed class
    EXPECT_EQ(view->Target("MO"), 0);   // screened
    EXPECT_EQ(view->restrictions.at("MO"), review::Restriction::kMustSell);
    EXPECT_EQ(view->restrictions.at("VNQ"), review::Restriction::kNone);
    EXPECT_TRUE(view->HasNote("screened out, to be sold (must_sell): MO"));
  }

  // A2 keeps US large cap at 0.50 in IVV; the rest (Intl with real estate's weight, bonds)
  // scales to fill 0.50: before 0.18 and 0.40, after 0.21 and 0.30.
  for (const View* view : {&a2_before, &a2_after}) {
    EXPECT_NEAR(view->Target("IVV"), 0.5, 1e-9);
    EXPECT_EQ(view->Target("VNQ"), 0);
    EXPECT_EQ(view->restrictions.at("MO"), review::Restriction::kMustSell);
    EXPECT_EQ(view->restrictions.at("XOM"), review::Restriction::kNoSell);
    EXPECT_TRUE(view->HasNote("kept by the account's own restriction: XOM (no_sell)"));
  }
  EXPECT_NEAR(a2_before.Target("EFA"), 0.18 * 0.5 / 0.58, 1e-9);
  EXPECT_NEAR(a2_before.Target("AGG"), 0.40 * 0.5 / 0.58, 1e-9);
  EXPECT_NEAR(a2_after.Target("EFA"), 0.21 * 0.5 / 0.51, 1e-9);
  EXPECT_NEAR(a2_after.Target("AGG"), 0.30 * 0.5 / 0.51, 1e-9);

  // The customizations themselves were not touched by the IPC change.
  EXPECT_EQ(LoadCustomization(*store_, "A1").value()->products[0].product, "SP500-DI");
  EXPECT_EQ(LoadCustomization(*store_, "A2").value()->weights[0].weight, 0.5);
}

TEST_F(ModelCascadeTest, ASecurityModelUpdateReachesTheDirectIndexAccounts) {
  const View a1_before = Review("A1", "2024-08-01");
  const View a2_before = Review("A2", "2024-08-01");
  const View a1_day_before = Review("A1", "2024-07-14");
  // SP500 rebalanced: AAA up, BBB down, from 2024-07-15.
  ASSERT_TRUE(ImportSecurityModels(*store_,
                                   {dir_.Write("sp500_v2.csv",
                                               "symbol,weight,effective_date\n"
                                               "AAA,0.50,2024-07-15\nBBB,0.20,2024-07-15\n"
                                               "CCC,0.15,2024-07-15\nMO,0.10,2024-07-15\n"
                                               "XOM,0.05,2024-07-15\n")},
                                   "SP500")
                  .ok());
  const View a1_after = Review("A1", "2024-08-01");
  const View a2_after = Review("A2", "2024-08-01");
  EXPECT_GT(a1_after.Target("AAA") / a1_after.Target("BBB"),
            a1_before.Target("AAA") / a1_before.Target("BBB"));
  EXPECT_EQ(a1_after.Target("MO"), 0);             // still screened
  EXPECT_EQ(a2_after.targets, a2_before.targets);  // A2 holds the ETF, not the model
  EXPECT_EQ(Review("A1", "2024-07-14").targets, a1_day_before.targets);  // not effective yet
  std::vector<TemplateVersionRef> users = TemplatesUsingSecurityModel(*store_, "SP500").value();
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(AccountsUsingTemplate(*store_, users[0].name).value(),
            (std::vector<std::string>{"A1", "A2"}));
}

TEST_F(ModelCascadeTest, TheRebalanceSellsWhatTheScreenExcludes) {
  review::RebalanceInput input = LoadRebalanceInput(*store_, "A1", D("2024-08-01")).value();
  Result<review::Proposal> proposal = review::Rebalance(input);
  ASSERT_TRUE(proposal.ok()) << proposal.status().message();
  bool sold_mo = false, bought_mo = false;
  for (const review::Trade& trade : proposal->trades) {
    if (trade.symbol != "MO") continue;
    (trade.side == review::TradeSide::kSell ? sold_mo : bought_mo) = true;
  }
  EXPECT_TRUE(sold_mo);
  EXPECT_FALSE(bought_mo);
}

TEST_F(ModelCascadeTest, WithoutACustomizationTheTargetListStillApplies) {
  ASSERT_TRUE(
      store_->PutAccounts({{.id = "A3", .type = AccountType::kTaxable, .taxpayers = {"cy"}}}).ok());
  ASSERT_TRUE(ImportSecurityTargets(store_->database(),
                                    {dir_.Write("t.csv", "account,symbol,weight\nA3,AGG,1\n")})
                  .ok());
  ASSERT_TRUE(store_->AppendTransactions({Deposit("A3", 1'000)}, "a3").ok());
  const View a3 = Review("A3", "2024-08-01");
  EXPECT_EQ(a3.targets, (std::map<std::string, double>{{"AGG", 1.0}}));
  EXPECT_FALSE(a3.HasNote("targets from template"));
}

}  // namespace
}  // namespace arbor
