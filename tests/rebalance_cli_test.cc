// `arbor rebalance` end to end, as a user runs it on real prices: imports of the account's
// targets, restrictions and settings, a risk model built from the stored prices, the proposal as
// text, JSON and a CSV trade list, and the errors that tell the user what to do.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "arbor_cli_runner.h"

namespace arbor {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* const kSymbols[] = {"AAPL", "MSFT", "JPM", "BAC", "XOM", "CVX",
                                "JNJ",  "PFE",  "HD",  "LOW", "KO",  "PEP"};

class RebalanceCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("arbor_rebalance_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ASSERT_EQ(Run("import securities " + std::string(ARBOR_SHARED_DATA_DIR) +
                  "/sp500-constituents/constituents_2021-04-24.csv")
                  .code,
              0);
    std::string prices = "import prices";
    for (const char* symbol : kSymbols) {
      prices += std::string(" ") + ARBOR_SHARED_DATA_DIR + "/sp500-prices-alphavantage/daily/" +
                symbol + ".csv";
    }
    ASSERT_EQ(Run(prices).code, 0);
    ASSERT_EQ(Run("import accounts " +
                  Write("accounts.csv", "id,type,taxpayers\nTAX,taxable,ann\nIRA,ira,ann\n"))
                  .code,
              0);
    // Six names bought at the 2020 peak; the other six are targets not yet held.
    const Outcome imported = Run("import transactions " +
                                 Write("trades.csv",
                                       "id,date,account,action,symbol,shares,price,fees,amount\n"
                                       "d1,2020-02-19,TAX,deposit,,,,,100000\n"
                                       "b1,2020-02-19,TAX,buy,AAPL,40,323.62,,\n"
                                       "b2,2020-02-19,TAX,buy,JPM,90,137.14,,\n"
                                       "b3,2020-02-19,TAX,buy,XOM,200,60.08,,\n"
                                       "b4,2020-02-19,TAX,buy,JNJ,80,150.22,,\n"
                                       "b5,2020-02-19,TAX,buy,HD,50,247.25,,\n"
                                       "b6,2020-02-19,TAX,buy,KO,200,60.22,,\n"));
    ASSERT_EQ(imported.code, 0) << imported.out;
    const Outcome model = Run("riskmodel build --as-of 2020-03-20 --statistical-factors 2");
    ASSERT_EQ(model.code, 0) << model.out;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  using Outcome = ArborRun;
  static std::string Write(const std::string& name, const std::string& text) {
    return WriteFile(dir_, name, text);
  }
  static Outcome Run(const std::string& args) { return RunArbor(dir_ / "arbor.db", args); }

  static fs::path dir_;
};

fs::path RebalanceCliTest::dir_;

TEST_F(RebalanceCliTest, ProposalWithTargetsRestrictionsAndSettings) {
  std::string targets = "account,symbol,weight\n";
  for (const char* symbol : kSymbols) targets += std::string("TAX,") + symbol + ",0.08\n";
  ASSERT_EQ(Run("import targets " + Write("targets.csv", targets)).code, 0);
  const Outcome restricted =
      Run("import restrictions " + Write("restrictions.csv",
                                         "account,symbol,restriction\n"
                                         "TAX,XOM,must_sell\nTAX,KO,no_sell\n"));
  ASSERT_EQ(restricted.code, 0) << restricted.out;
  const Outcome settings =
      Run("import rebalance-settings " + Write("settings.csv",
                                               "account,state_short_term_rate,cash_min,min_trade\n"
                                               "TAX,0.05,1000,100\n"));
  ASSERT_EQ(settings.code, 0) << settings.out;
  EXPECT_NE(settings.out.find("1 inserted"), std::string::npos) << settings.out;

  const std::string csv_path = (dir_ / "trades.out.csv").string();
  const Outcome run = Run("rebalance TAX --as-of 2020-03-20 --json --trades-csv " + csv_path);
  ASSERT_EQ(run.code, 0) << run.out;
  const json proposal = json::parse(run.out);
  EXPECT_EQ(proposal["account"], "TAX");
  std::set<std::string> reasons, bought, sold;
  size_t csv_rows_expected = 0;
  for (const json& trade : proposal["trades"]) {
    reasons.insert(trade["reason"].get<std::string>());
    const std::string symbol = trade["symbol"];
    if (trade["side"] == "buy") {
      bought.insert(symbol);
      ++csv_rows_expected;
      EXPECT_GE(trade["amount"].get<double>(), 100) << symbol;
    } else {
      sold.insert(symbol);
      csv_rows_expected += trade["lots"].size();
    }
  }
  EXPECT_TRUE(reasons.contains("restriction"));   // XOM is screened out
  EXPECT_TRUE(reasons.contains("model_change"));  // six targets not yet held
  EXPECT_TRUE(sold.contains("XOM"));
  EXPECT_FALSE(sold.contains("KO"));  // never sell
  for (const std::string& symbol : sold) EXPECT_FALSE(bought.contains(symbol)) << symbol;
  EXPECT_GE(proposal["after"]["cash"].get<double>(), 1000);
  EXPECT_LT(proposal["after"]["tracking_error"].get<double>(),
            proposal["before"]["tracking_error"].get<double>());
  const double score = proposal["score"]["dollars"];
  double components = 0;
  for (const auto& [name, part] : proposal["score"]["components"].items())
    components += part["dollars"].get<double>();
  EXPECT_NEAR(score, components, 1e-6);

  std::ifstream csv(csv_path);
  std::string header, line;
  std::getline(csv, header);
  EXPECT_EQ(header, "account,side,symbol,shares,price,amount,lot_id,acquired,term,gain,reason");
  size_t rows = 0;
  while (std::getline(csv, line)) ++rows;
  EXPECT_EQ(rows, csv_rows_expected);

  const Outcome text = Run("rebalance TAX --as-of 2020-03-20");
  ASSERT_EQ(text.code, 0) << text.out;
  EXPECT_NE(text.out.find("Cost-benefit score:"), std::string::npos);
  EXPECT_NE(text.out.find("screened out (must sell)"), std::string::npos);
}

TEST_F(RebalanceCliTest, ErrorsTellTheUserWhatToDo) {
  const Outcome no_model = Run("rebalance TAX --as-of 2020-03-02");
  EXPECT_EQ(no_model.code, 1);
  EXPECT_NE(no_model.out.find("arbor riskmodel build --as-of 2020-03-02"), std::string::npos)
      << no_model.out;
  const Outcome unknown = Run("rebalance NOPE --as-of 2020-03-20");
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.out.find("unknown account 'NOPE'"), std::string::npos) << unknown.out;
  const Outcome bad_date = Run("rebalance TAX --as-of 2020-02-30");
  EXPECT_EQ(bad_date.code, 1);
  EXPECT_NE(bad_date.out.find("--as-of"), std::string::npos) << bad_date.out;
  const Outcome bad_row =
      Run("import targets " + Write("bad.csv", "account,symbol,weight\nTAX,AAPL,2\n"));
  EXPECT_EQ(bad_row.code, 1);
  EXPECT_NE(bad_row.out.find("bad.csv:2: weight: must be in [0, 1], got 2"), std::string::npos)
      << bad_row.out;
}

}  // namespace
}  // namespace arbor
