// `arbor transition` end to end, as an advisor runs it for a prospect on real prices: legacy
// lots from a CSV file, a target from a file or from the model catalogue, three budgets side by
// side, and the CSV, JSON and PDF outputs; the errors name the file, line and field.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "arbor_cli_runner.h"

namespace arbor {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The prospect's three names and nine more of the target, equally weighted.
constexpr std::string_view kTarget[] = {"AAPL", "MSFT", "XOM", "JPM", "BAC", "CVX",
                                        "JNJ",  "PFE",  "HD",  "LOW", "KO",  "PEP"};

std::string DataFile(const std::string& relative) {
  return std::string(ARBOR_SHARED_DATA_DIR) + "/" + relative;
}

class TransitionCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("arbor_transition_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::string prices, targets = "symbol,weight\n", model = "symbol,weight,effective_date\n";
    for (std::string_view symbol : kTarget) {
      prices += " " + DataFile("sp500-prices-alphavantage/daily/" + std::string(symbol) + ".csv");
      targets += std::string(symbol) + ",0.08\n";
      model += std::string(symbol) + ",0.0833333333333333,2020-01-02\n";
    }
    for (const std::string& command :
         {"import securities " + DataFile("sp500-constituents/constituents_2021-04-24.csv"),
          "import prices" + prices, "model import " + Write("twelve.csv", model) + " --name TWELVE",
          std::string("riskmodel build --as-of 2021-04-01 --statistical-factors 2")}) {
      const ArborRun run = Run(command);
      ASSERT_EQ(run.code, 0) << command << "\n" << run.out;
    }
    Write("target.csv", targets);
    // A prospect concentrated in Apple and Microsoft (large long-term gains, one short-term lot)
    // with Exxon at a loss; shares and basis as on 2021-04-01.
    Write("legacy.csv",
          "account,symbol,lot_id,shares,basis,acquired\n"
          "LEE,AAPL,A1,800,20000,2012-05-01\n"
          "LEE,AAPL,A2,100,11000,2020-09-01\n"
          "LEE,MSFT,M1,300,15000,2014-03-03\n"
          "LEE,XOM,X1,400,36000,2014-06-16\n");
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static std::string Write(const std::string& name, const std::string& text) {
    return WriteFile(dir_, name, text);
  }
  static ArborRun Run(const std::string& args) { return RunArbor(dir_ / "arbor.db", args); }
  static std::string Path(const std::string& name) { return (dir_ / name).string(); }

  static fs::path dir_;
};

fs::path TransitionCliTest::dir_;

TEST_F(TransitionCliTest, ThreeBudgetsSideBySideAsJsonCsvAndPdf) {
  const ArborRun run =
      Run("transition --lots " + Path("legacy.csv") + " --targets " + Path("target.csv") +
          " --as-of 2021-04-01 --years 3 --budgets 0,20000,liquidation --json"
          " --csv " +
          Path("years.csv") + " --pdf " + Path("plan.pdf"));
  ASSERT_EQ(run.code, 0) << run.out;
  const json plan = json::parse(run.out);
  EXPECT_EQ(plan["prospect"], "LEE");
  EXPECT_EQ(plan["legacy"]["lots"], 4);
  ASSERT_EQ(plan["budgets"].size(), 3u);
  const json& zero = plan["budgets"][0];
  const json& some = plan["budgets"][1];
  const json& all = plan["budgets"][2];
  EXPECT_EQ(zero["label"], "gains 0/yr");
  EXPECT_EQ(all["label"], "full liquidation");
  // $0 of gains: nothing is realized net in the first year, though the Exxon loss may be used.
  const json& first = zero["years"][0];
  EXPECT_LE(first["short_term_gain"].get<double>() + first["long_term_gain"].get<double>(), 0.005);
  const json& some_first = some["years"][0];
  EXPECT_LE(
      some_first["short_term_gain"].get<double>() + some_first["long_term_gain"].get<double>(),
      20000.005);
  // Liquidation sells every lot on day one: the short-term lot A2 (bought 2020-09-01) is taxed
  // short-term, the rest long-term (IRS Pub. 550, held more than one year).
  const json& sold = all["years"][0];
  EXPECT_GT(sold["short_term_gain"].get<double>(), 0);
  EXPECT_LT(sold["tracking_error_after"].get<double>(), 0.005);
  EXPECT_EQ(all["years_to_goal"], 1);
  // More budget, more tax, never more tracking error.
  EXPECT_LE(zero["total_tax"].get<double>(), some["total_tax"].get<double>() + 1);
  EXPECT_LE(some["total_tax"].get<double>(), all["total_tax"].get<double>() + 1);
  for (int y = 0; y < 3; ++y) {
    EXPECT_LE(some["years"][y]["tracking_error_after"].get<double>(),
              zero["years"][y]["tracking_error_after"].get<double>() + 1e-4);
  }

  std::ifstream csv(Path("years.csv"));
  std::string line;
  int rows = 0;
  while (std::getline(csv, line)) ++rows;
  EXPECT_EQ(rows, 1 + 3 * 3);

  const std::string pdftotext = "pdftotext " + Path("plan.pdf") + " - 2>&1";
  FILE* pipe = popen(pdftotext.c_str(), "r");
  std::string extracted;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) extracted.append(buffer, n);
  ASSERT_EQ(pclose(pipe), 0) << extracted;
  EXPECT_NE(extracted.find("Tax-sensitive transition plan"), std::string::npos) << extracted;
  EXPECT_NE(extracted.find("full liquidation"), std::string::npos);
  // The first page, with the chart, renders.
  const std::string render =
      "pdftoppm -r 30 -png -f 1 -l 1 -singlefile " + Path("plan.pdf") + " " + Path("page");
  ASSERT_EQ(std::system(render.c_str()), 0);
  EXPECT_GT(fs::file_size(Path("page.png")), 1000u);
}

TEST_F(TransitionCliTest, TerminalSummaryWithACatalogueModel) {
  const ArborRun run = Run("transition --lots " + Path("legacy.csv") +
                           " --model TWELVE --as-of 2021-04-01 --years 2 --budget-kind tax"
                           " --budgets 0,3000 --trades-csv " +
                           Path("first.csv"));
  ASSERT_EQ(run.code, 0) << run.out;
  EXPECT_NE(run.out.find("security model TWELVE v1"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Budgets compared"), std::string::npos);
  EXPECT_NE(run.out.find("tax 3,000/yr"), std::string::npos);
  EXPECT_NE(run.out.find("First trades under tax 3,000/yr"), std::string::npos);
  std::ifstream trades(Path("first.csv"));
  std::string header;
  std::getline(trades, header);
  EXPECT_EQ(header, "budget,side,symbol,shares,price,amount,lot_id,acquired,term,gain");
}

TEST_F(TransitionCliTest, BadInputNamesTheFileLineAndField) {
  Write("bad.csv",
        "symbol,shares,basis,acquired\nAAPL,10,1000,2015-01-02\nZZZZ,5,100,2015-01-02\n");
  ArborRun run = Run("transition --lots " + Path("bad.csv") + " --targets " + Path("target.csv") +
                     " --as-of 2021-04-01");
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.out.find("bad.csv:3: symbol: unknown symbol 'ZZZZ'"), std::string::npos) << run.out;

  Write("twice.csv",
        "symbol,lot_id,shares,basis,acquired,as_of\nAAPL,L1,10,1000,2015-01-02,2021-04-01\n"
        "AAPL,L1,5,500,2016-01-04,2021-04-01\n");
  run = Run("transition --lots " + Path("twice.csv") + " --targets " + Path("target.csv") +
            " --as-of 2021-04-01");
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.out.find("twice.csv:3: lot_id: 'L1' is listed twice"), std::string::npos)
      << run.out;

  // Shares stated before a split would be wrong on the plan date.
  Write("stale.csv", "symbol,shares,basis,acquired,as_of\nAAPL,10,1000,2015-01-02,2020-06-30\n");
  run = Run("transition --lots " + Path("stale.csv") + " --targets " + Path("target.csv") +
            " --as-of 2021-04-01");
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.out.find("stale.csv:2: as_of: lots are stated on 2020-06-30"), std::string::npos)
      << run.out;

  run = Run("transition --lots " + Path("legacy.csv") + " --as-of 2021-04-01");
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.out.find("give exactly one target"), std::string::npos) << run.out;

  run = Run("transition --lots " + Path("legacy.csv") + " --targets " + Path("target.csv") +
            " --budgets 0,-5");
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.out.find("--budgets: '-5'"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace arbor
