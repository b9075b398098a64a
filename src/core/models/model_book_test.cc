#include "core/models/model_book.h"

#include <gtest/gtest.h>

#include "core/models/testing/test_book.h"

namespace arbor::models {
namespace {

using testing::BalancedV1;
using testing::BalancedV2;
using testing::D;

TEST(ModelBookTest, FindsTheLatestVersionEffectiveOnADate) {
  ModelBook book;
  ASSERT_TRUE(book.AddTemplate(BalancedV2()).ok());  // any order
  ASSERT_TRUE(book.AddTemplate(BalancedV1()).ok());
  EXPECT_EQ(book.FindTemplate("Balanced Growth", D("2021-01-03")), nullptr);
  EXPECT_EQ(book.FindTemplate("Balanced Growth", D("2021-01-04"))->version, 1);
  EXPECT_EQ(book.FindTemplate("Balanced Growth", D("2022-01-02"))->version, 1);
  EXPECT_EQ(book.FindTemplate("Balanced Growth", D("2022-01-03"))->version, 2);
  EXPECT_EQ(book.FindTemplate("Balanced Growth", D("2030-01-01"))->version, 2);
  EXPECT_EQ(book.FindTemplate("Aggressive", D("2030-01-01")), nullptr);
  const std::vector<Template>* history = book.TemplateHistory("Balanced Growth");
  ASSERT_NE(history, nullptr);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].version, 1);
}

TEST(ModelBookTest, VersionsAreKeptAndMustIncreaseWithEffectiveDate) {
  ModelBook book;
  ASSERT_TRUE(book.AddTemplate(BalancedV1()).ok());
  Status again = book.AddTemplate(BalancedV1());
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.message(),
            "template Balanced Growth v1 already exists (versions are kept; add v2)");
  Template early = BalancedV2();
  early.effective = D("2020-12-31");
  EXPECT_EQ(book.AddTemplate(early).message(),
            "template Balanced Growth v2: effective 2020-12-31 must be after v1's 2021-01-04");
  Template same_day = BalancedV2();
  same_day.effective = BalancedV1().effective;
  EXPECT_FALSE(book.AddTemplate(same_day).ok());
  ASSERT_TRUE(book.AddTemplate(BalancedV2()).ok());
  Template v0 = BalancedV1();
  v0.version = 0;
  EXPECT_EQ(book.AddTemplate(v0).message(), "template Balanced Growth v0: version: 0 is below 1");
}

TEST(ModelBookTest, RejectsAnInvalidTemplate) {
  ModelBook book;
  Template t = BalancedV1();
  t.classes[0].weight = 0.5;
  EXPECT_FALSE(book.AddTemplate(t).ok());
  EXPECT_EQ(book.TemplateHistory("Balanced Growth"), nullptr);
}

TEST(ModelBookTest, SecurityModelsAreValidatedAndVersioned) {
  ModelBook book;
  SecurityModel v1 = testing::Us500();
  ASSERT_TRUE(book.AddSecurityModel(v1).ok());
  SecurityModel v2 = v1;
  v2.version = 2;
  v2.effective = D("2021-03-31");
  v2.weights[0].weight = 0.25;  // sums to 0.95
  EXPECT_EQ(book.AddSecurityModel(v2).message(),
            "security model US500 v2: weights sum to 0.95, not 1");
  v2.weights[1].weight = 0.30;
  ASSERT_TRUE(book.AddSecurityModel(v2).ok());
  EXPECT_EQ(book.FindSecurityModel("US500", D("2021-03-30"))->version, 1);
  EXPECT_EQ(book.FindSecurityModel("US500", D("2021-03-31"))->version, 2);
  EXPECT_EQ(book.SecurityModelHistory("US500")->size(), 2u);
}

TEST(ValidateSecurityModelTest, NamesTheSymbol) {
  SecurityModel m = testing::Us500();
  m.weights[4] = {"AAPL", 0.10};
  EXPECT_EQ(ValidateSecurityModel(m).message(),
            "security model US500 v1: weights[AAPL]: appears twice");
  m.weights[4] = {"MO", 0};
  EXPECT_EQ(ValidateSecurityModel(m).message(),
            "security model US500 v1: weights[MO].weight: 0.00 must be positive");
  m.weights.clear();
  EXPECT_EQ(ValidateSecurityModel(m).message(), "security model US500 v1: weights: no securities");
}

TEST(ModelBookTest, ScreensAreReplacedByName) {
  ModelBook book;
  ASSERT_TRUE(book.AddScreen({.name = "tobacco", .sub_industries = {"Tobacco"}}).ok());
  ASSERT_TRUE(book.AddScreen({.name = "tobacco", .symbols = {"MO"}}).ok());
  ASSERT_EQ(book.screens().size(), 1u);
  EXPECT_EQ(book.FindScreen("tobacco")->symbols, std::vector<std::string>{"MO"});
  EXPECT_EQ(book.FindScreen("alcohol"), nullptr);
  EXPECT_EQ(book.AddScreen({.name = "empty"}).message(),
            "screen empty: needs sub_industries, symbols or includes");
}

TEST(ModelBookTest, FundHoldingsByDate) {
  ModelBook book;
  ASSERT_TRUE(
      book.AddFundHoldings(
              {.fund = "IVV", .as_of = D("2024-04-04"), .weights = {{"AAPL", 0.06}, {"MO", 0.001}}})
          .ok());
  ASSERT_TRUE(
      book.AddFundHoldings({.fund = "IVV", .as_of = D("2024-05-01"), .weights = {{"AAPL", 0.07}}})
          .ok());
  EXPECT_EQ(book.FindFundHoldings("IVV", D("2024-04-03")), nullptr);
  EXPECT_EQ(book.FindFundHoldings("IVV", D("2024-04-30"))->weights.size(), 2u);
  EXPECT_EQ(book.FindFundHoldings("IVV", D("2024-06-01"))->weights.size(), 1u);
  // Look-through before the first snapshot falls back to it; a fund never seen has none.
  EXPECT_EQ(book.NearestFundHoldings("IVV", D("2021-04-21"))->as_of, D("2024-04-04"));
  EXPECT_EQ(book.NearestFundHoldings("IVV", D("2024-06-01"))->as_of, D("2024-05-01"));
  EXPECT_EQ(book.NearestFundHoldings("AGG", D("2024-06-01")), nullptr);
  EXPECT_EQ(
      book.AddFundHoldings(
              {.fund = "IVV", .as_of = D("2024-06-01"), .weights = {{"AAPL", 0.7}, {"MSFT", 0.4}}})
          .message(),
      "holdings of IVV on 2024-06-01: weights sum to 1.10, above 1");
}

}  // namespace
}  // namespace arbor::models
