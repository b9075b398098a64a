#include "adapters/storage/risk_model_store.h"

#include <gtest/gtest.h>

#include <memory>

#include "adapters/storage/store.h"

namespace arbor {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

// Four securities, market + two sectors + one statistical factor, with awkward doubles.
RiskModel SmallModel(const char* as_of, double scale = 1) {
  RiskModel model;
  model.as_of = D(as_of);
  model.window = {
      .first = D("2018-04-02"), .last = model.as_of, .days = 504, .half_life_days = 126};
  model.factors = {{"Market", FactorKind::kMarket},
                   {"Energy", FactorKind::kIndustry},
                   {"Information Technology", FactorKind::kIndustry},
                   {"Statistical 1", FactorKind::kStatistical}};
  model.symbols = {"XOM", "CVX", "AAPL", "BRK.B"};
  model.loadings.resize(4, 4);
  model.loadings << 1, 1, 0, 0.1 / 3,  //
      1, 1, 0, -1.25,                  //
      1, 0, 1, 0,                      // an exact zero: not stored, read back as zero
      1, 0, 1, 2.0 / 7;
  Eigen::MatrixXd root(4, 4);
  root << 0.2, 0, 0, 0, 0.01, 0.1, 0, 0, -0.02, 0.03, 0.09, 0, 0.001, 0.002, 0.003, 0.05;
  model.factor_covariance = scale * root * root.transpose();
  model.specific_variance = Eigen::Vector4d(0.04, 0.0625, 1.0 / 30, 0.09 * scale);
  model.stats = {.statistical_variance_explained = 0.123456789,
                 .factor_covariance_shrinkage = 0.3,
                 .short_history_securities = 1,
                 .winsorized_returns = 1234};
  return model;
}

void ExpectSame(const RiskModel& a, const RiskModel& b) {
  EXPECT_EQ(a.as_of, b.as_of);
  EXPECT_EQ(a.window.first, b.window.first);
  EXPECT_EQ(a.window.last, b.window.last);
  EXPECT_EQ(a.window.days, b.window.days);
  EXPECT_EQ(a.window.half_life_days, b.window.half_life_days);
  ASSERT_EQ(a.factors.size(), b.factors.size());
  for (size_t j = 0; j < a.factors.size(); ++j) {
    EXPECT_EQ(a.factors[j].name, b.factors[j].name);
    EXPECT_EQ(a.factors[j].kind, b.factors[j].kind);
  }
  EXPECT_EQ(a.symbols, b.symbols);
  EXPECT_EQ(a.loadings, b.loadings);  // bit for bit
  EXPECT_EQ(a.factor_covariance, b.factor_covariance);
  EXPECT_EQ(a.specific_variance, b.specific_variance);
  EXPECT_EQ(a.stats.statistical_variance_explained, b.stats.statistical_variance_explained);
  EXPECT_EQ(a.stats.factor_covariance_shrinkage, b.stats.factor_covariance_shrinkage);
  EXPECT_EQ(a.stats.short_history_securities, b.stats.short_history_securities);
  EXPECT_EQ(a.stats.winsorized_returns, b.stats.winsorized_returns);
}

std::unique_ptr<Store> OpenStore() {
  Result<std::unique_ptr<Store>> store = Store::Open(":memory:");
  EXPECT_TRUE(store.ok()) << store.status().message();
  return std::move(store).value();
}

int64_t CountRows(Database* db, const std::string& table) {
  Result<Statement> count = db->Prepare("SELECT count(*) FROM " + table);
  EXPECT_TRUE(count.ok());
  EXPECT_TRUE(*count->Step());
  return count->ColumnInt(0);
}

TEST(RiskModelStoreTest, RoundTripsBitForBit) {
  std::unique_ptr<Store> store = OpenStore();
  const RiskModel model = SmallModel("2020-03-31");
  ASSERT_TRUE(SaveRiskModel(store->database(), model).ok());
  Result<RiskModel> loaded = LoadRiskModel(store->database(), D("2020-03-31"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ExpectSame(model, *loaded);
  EXPECT_EQ(CountRows(store->database(), "risk_model_exposures"), 11);  // 16 less 5 zeros
  EXPECT_EQ(CountRows(store->database(), "risk_model_factor_covariances"), 10);
}

TEST(RiskModelStoreTest, LoadsTheLatestModelOnOrBeforeTheDate) {
  std::unique_ptr<Store> store = OpenStore();
  ASSERT_TRUE(SaveRiskModel(store->database(), SmallModel("2020-06-30", 2)).ok());
  ASSERT_TRUE(SaveRiskModel(store->database(), SmallModel("2020-03-31")).ok());
  EXPECT_EQ(LoadRiskModel(store->database(), D("2020-05-15"))->as_of, D("2020-03-31"));
  EXPECT_EQ(LoadRiskModel(store->database(), D("2020-06-30"))->as_of, D("2020-06-30"));
  ExpectSame(*LoadRiskModel(store->database(), std::nullopt), SmallModel("2020-06-30", 2));

  Result<RiskModel> none = LoadRiskModel(store->database(), D("2020-03-30"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_NE(none.status().message().find("no risk model as of 2020-03-30 or earlier"),
            std::string::npos)
      << none.status().message();
}

TEST(RiskModelStoreTest, SavingTheSameDateReplacesTheModel) {
  std::unique_ptr<Store> store = OpenStore();
  ASSERT_TRUE(SaveRiskModel(store->database(), SmallModel("2020-03-31")).ok());
  RiskModel smaller = SmallModel("2020-03-31", 3);
  smaller.symbols.pop_back();
  smaller.loadings.conservativeResize(3, Eigen::NoChange);
  smaller.specific_variance.conservativeResize(3);
  ASSERT_TRUE(SaveRiskModel(store->database(), smaller).ok());
  ExpectSame(*LoadRiskModel(store->database(), D("2020-03-31")), smaller);
  EXPECT_EQ(CountRows(store->database(), "risk_models"), 1);
  EXPECT_EQ(CountRows(store->database(), "risk_model_specific_variances"), 3);
  EXPECT_EQ(CountRows(store->database(), "risk_model_exposures"), 8);
}

TEST(RiskModelStoreTest, RefusesAModelOfTheWrongShape) {
  std::unique_ptr<Store> store = OpenStore();
  RiskModel model = SmallModel("2020-03-31");
  model.loadings.conservativeResize(4, 3);
  Status status = SaveRiskModel(store->database(), model);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("risk model as of 2020-03-31: loadings is 4 x 3, expected "
                                  "symbols x factors = 4 x 4"),
            std::string::npos)
      << status.message();
  EXPECT_EQ(CountRows(store->database(), "risk_models"), 0);
}

}  // namespace
}  // namespace arbor
