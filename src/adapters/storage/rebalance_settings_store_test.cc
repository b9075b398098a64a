#include "adapters/storage/rebalance_settings_store.h"

#include <gtest/gtest.h>

#include <memory>

#include "adapters/storage/store.h"
#include "adapters/storage/store_test_util.h"

namespace arbor {
namespace {

using testing_util::ScratchDir;

std::string Rows(Database* db, const char* query) {
  Result<Statement> select = db->Prepare(query);
  std::string text;
  while (*select->Step()) {
    for (int c = 0; c < select->ColumnCount(); ++c) {
      text += (select->ColumnIsNull(c) ? std::string("<null>") : select->ColumnText(c)) + "|";
    }
    text += "\n";
  }
  return text;
}

std::string Everything(Database* db) {
  return Rows(db, "SELECT * FROM rebalance_settings ORDER BY account") +
         Rows(db, "SELECT * FROM security_targets ORDER BY account, symbol") +
         Rows(db, "SELECT * FROM security_restrictions ORDER BY account, symbol");
}

class RebalanceSettingsStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(Store::Open(dir_.Path("arbor.db"))).value();
    ASSERT_TRUE(store_->ImportSecurities({dir_.Write("s.csv", testing_util::kSecurities)}).ok());
    ASSERT_TRUE(store_
                    ->ImportAccounts({dir_.Write("a.csv",
                                                 "id,type,taxpayers\n"
                                                 "A,taxable,alice\n"
                                                 "B,ira,alice\n")})
                    .ok());
  }
  Database* db() { return store_->database(); }

  ScratchDir dir_{"rebalance_settings"};
  std::unique_ptr<Store> store_;
};

TEST_F(RebalanceSettingsStoreTest, DefaultsWithoutAnyRows) {
  const RebalanceSettings settings = LoadRebalanceSettings(db(), "A").value();
  EXPECT_FALSE(settings.stored);
  EXPECT_EQ(settings.min_trade, Money::Units(50));
  EXPECT_DOUBLE_EQ(settings.tax_rates.ShortTerm(), 0.37 + 0.038);
  EXPECT_DOUBLE_EQ(settings.risk_aversion, 50);
  EXPECT_FALSE(settings.cash_max.has_value());
  EXPECT_TRUE(LoadSecurityTargets(db(), "A")->empty());
  EXPECT_TRUE(LoadSecurityRestrictions(db(), "A")->empty());
}

TEST_F(RebalanceSettingsStoreTest, SavesEverySettingAndReadsItBack) {
  RebalanceSettings settings;
  settings.tax_rates = {.federal_short_term = 0.35, .federal_long_term = 0.15,
                        .state_short_term = 0.133, .state_long_term = 0.133,
                        .net_investment_income = 0.038};
  settings.cash_min = Money::Units(2'500);
  settings.tax_budget = Money::Units(-10'000);
  ASSERT_TRUE(SaveRebalanceSettings(db(), "A", settings).ok());
  RebalanceSettings loaded = LoadRebalanceSettings(db(), "A").value();
  EXPECT_TRUE(loaded.stored);
  EXPECT_DOUBLE_EQ(loaded.tax_rates.ShortTerm(), 0.35 + 0.133 + 0.038);
  EXPECT_DOUBLE_EQ(loaded.tax_rates.LongTerm(), 0.15 + 0.133 + 0.038);
  EXPECT_EQ(loaded.cash_min, Money::Units(2'500));
  EXPECT_FALSE(loaded.cash_max.has_value());
  EXPECT_EQ(loaded.tax_budget, Money::Units(-10'000));
  EXPECT_EQ(loaded.min_trade, settings.min_trade);
  EXPECT_DOUBLE_EQ(loaded.risk_aversion, settings.risk_aversion);

  // Saving again replaces the row; bad input changes nothing.
  settings.cash_max = Money::Units(50'000);
  ASSERT_TRUE(SaveRebalanceSettings(db(), "A", settings).ok());
  EXPECT_EQ(LoadRebalanceSettings(db(), "A")->cash_max, Money::Units(50'000));
  const std::string before = Everything(db());
  settings.tax_rates.state_short_term = 1.5;
  EXPECT_FALSE(SaveRebalanceSettings(db(), "A", settings).ok());
  EXPECT_EQ(SaveRebalanceSettings(db(), "NOPE", {}).code(), StatusCode::kNotFound);
  EXPECT_EQ(Everything(db()), before);
}

TEST_F(RebalanceSettingsStoreTest, ImportsAndReadsBack) {
  ImportSummary targets = ImportSecurityTargets(db(), {dir_.Write("t.csv",
                                                                  "account,symbol,weight\n"
                                                                  "A,AAA,0.4\n"
                                                                  "A,BBB,0.333333333333\n"
                                                                  "B,SPY,0.98\n")})
                              .value();
  EXPECT_EQ(targets.rows_read, 3u);
  EXPECT_EQ(targets.inserted, 3u);
  ImportSummary restrictions =
      ImportSecurityRestrictions(db(), {dir_.Write("r.csv",
                                                   "Account, Symbol ,RESTRICTION\n"
                                                   "A,AAA,no_sell\n"
                                                   "A,IVV,none\n"
                                                   "B,BBB,Must_Sell\n")})
          .value();
  EXPECT_EQ(restrictions.inserted, 2u);  // "none" stores nothing
  ImportSummary settings =
      ImportRebalanceSettings(
          db(), {dir_.Write("x.csv",
                            "account,federal_short_term_rate,state_short_term_rate,cash_min,cash_"
                            "max,withdrawal,min_trade,share_increment,risk_aversion,tax_budget\n"
                            "A,0.32,0.093,1000,50000,2500.50,25,0.0001,80,-500\n"
                            "B,,,,,,,,,\n")})
          .value();
  EXPECT_EQ(settings.inserted, 2u);

  const RebalanceSettings a = LoadRebalanceSettings(db(), "A").value();
  EXPECT_TRUE(a.stored);
  EXPECT_DOUBLE_EQ(a.tax_rates.federal_short_term, 0.32);
  EXPECT_DOUBLE_EQ(a.tax_rates.state_short_term, 0.093);
  EXPECT_DOUBLE_EQ(a.tax_rates.federal_long_term, 0.20);  // not in the file: the default
  EXPECT_EQ(a.cash_min, Money::Units(1000));
  EXPECT_EQ(a.cash_max, Money::Units(50000));
  EXPECT_EQ(a.withdrawal, *Money::Parse("2500.5"));
  EXPECT_EQ(a.min_trade, Money::Units(25));
  EXPECT_EQ(a.fractional_increment, Shares::FromMicros(100));
  EXPECT_DOUBLE_EQ(a.risk_aversion, 80);
  EXPECT_EQ(a.tax_budget, Money::Units(-500));
  const RebalanceSettings b = LoadRebalanceSettings(db(), "B").value();
  EXPECT_TRUE(b.stored);
  EXPECT_DOUBLE_EQ(b.risk_aversion, 50);

  std::vector<SecurityTarget> stored = LoadSecurityTargets(db(), "A").value();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[1].symbol, "BBB");
  EXPECT_DOUBLE_EQ(stored[1].weight, 0.333333333333);
  std::vector<SecurityRestriction> kept = LoadSecurityRestrictions(db(), "B").value();
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].restriction, review::Restriction::kMustSell);
}

TEST_F(RebalanceSettingsStoreTest, AFileIsTheWholeListOfEachAccountItNames) {
  ASSERT_TRUE(ImportSecurityTargets(db(), {dir_.Write("t1.csv",
                                                      "account,symbol,weight\n"
                                                      "A,AAA,0.5\nA,BBB,0.4\nB,SPY,1\n")})
                  .ok());
  ImportSummary again = ImportSecurityTargets(db(), {dir_.Write("t2.csv",
                                                                "account,symbol,weight\n"
                                                                "A,AAA,0.5\nA,SPY,0.3\n")})
                            .value();
  EXPECT_EQ(again.unchanged, 1u);
  EXPECT_EQ(again.inserted, 1u);
  EXPECT_EQ(
      Rows(db(), "SELECT account, symbol, weight FROM security_targets ORDER BY account, symbol"),
      "A|AAA|0.5|\nA|SPY|0.3|\nB|SPY|1.0|\n");  // A's BBB is gone, B untouched
}

// Every bad row names file, line and field, and nothing of the call is kept.
TEST_F(RebalanceSettingsStoreTest, BadRowsAreRejectedWholeAndNamed) {
  ASSERT_TRUE(
      ImportSecurityTargets(db(), {dir_.Write("ok.csv", "account,symbol,weight\nA,AAA,0.5\n")})
          .ok());
  const std::string before = Everything(db());
  struct Case {
    const char* file;
    const char* text;
    Result<ImportSummary> (*import)(Database*, const std::vector<std::string>&);
    const char* message;
  };
  const Case cases[] = {
      {"t.csv", "account,symbol,weight\nA,AAA,0.2\nZ,AAA,0.1\n", ImportSecurityTargets,
       "t.csv:3: account: unknown account 'Z'"},
      {"t.csv", "account,symbol,weight\nA,ZZZ,0.1\n", ImportSecurityTargets,
       "t.csv:2: symbol: unknown symbol 'ZZZ'"},
      {"t.csv", "account,symbol,weight\nA,AAA,1.5\n", ImportSecurityTargets,
       "t.csv:2: weight: must be in [0, 1], got 1.5"},
      {"t.csv", "account,symbol,weight\nA,AAA,1e-3\n", ImportSecurityTargets,
       "t.csv:2: weight: '1e-3' is not a decimal number"},
      {"t.csv", "account,symbol,weight\nA,AAA,0.6\nA,BBB,0.5\n", ImportSecurityTargets,
       "t.csv:3: weight: the targets of account A sum to 1.1"},
      {"t.csv", "account,symbol,weight\nA,AAA,0.1\nA,AAA,0.1\n", ImportSecurityTargets,
       "t.csv:3: symbol: AAA is listed twice for account A"},
      {"t.csv", "account,symbol,wieght\nA,AAA,0.1\n", ImportSecurityTargets,
       "t.csv:1: wieght: unknown column"},
      {"r.csv", "account,symbol,restriction\nA,AAA,never\n", ImportSecurityRestrictions,
       "r.csv:2: restriction: unknown restriction 'never'"},
      {"s.csv", "account,niit_rate\nA,1\n", ImportRebalanceSettings,
       "s.csv:2: niit_rate: must be in [0, 1), got 1"},
      {"s.csv", "account,cash_min,cash_max\nA,100,50\n", ImportRebalanceSettings,
       "s.csv:2: cash_max: must be >= cash_min"},
      {"s.csv", "account,federal_short_term_rate,state_short_term_rate\nA,0.6,0.5\n",
       ImportRebalanceSettings, "s.csv:2: the federal, state and NIIT rates add up to 100%"},
      {"s.csv", "account,min_trade\nA,-5\n", ImportRebalanceSettings,
       "s.csv:2: min_trade: must not be negative"},
      {"s.csv", "account,share_increment\nA,2\n", ImportRebalanceSettings,
       "s.csv:2: share_increment: must be in (0, 1] shares"},
      {"s.csv", "account\nA\nA\n", ImportRebalanceSettings, "s.csv:3: account: A is listed twice"},
  };
  for (const Case& c : cases) {
    Result<ImportSummary> result = c.import(db(), {dir_.Write(c.file, c.text)});
    ASSERT_FALSE(result.ok()) << c.text;
    EXPECT_NE(result.status().message().find(c.message), std::string::npos)
        << result.status().message();
    EXPECT_EQ(Everything(db()), before) << c.text;
  }
}

}  // namespace
}  // namespace arbor
