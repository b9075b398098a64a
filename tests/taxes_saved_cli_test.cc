// `arbor report taxes-saved` end to end on a small store with real prices: an account bought
// AAPL and MSFT at the February 2020 peak, harvested AAPL's short-term loss in the March crash
// and bought it back 35 days later; the tax-blind shadow kept both names at target.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "arbor_cli_runner.h"

namespace arbor {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class TaxesSavedCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("arbor_taxes_saved_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const std::string data = ARBOR_SHARED_DATA_DIR;
    ASSERT_EQ(Run("import securities " + data + "/sp500-constituents/constituents_2021-04-24.csv").code, 0);
    ASSERT_EQ(Run("import prices " + data + "/sp500-prices-alphavantage/daily/AAPL.csv " + data +
                  "/sp500-prices-alphavantage/daily/MSFT.csv")
                  .code,
              0);
    ASSERT_EQ(Run("import accounts " + Write("accounts.csv",
                                             "id,type,taxpayers\nTAX,taxable,ann\nIRA,ira,ann\n"))
                  .code,
              0);
    ArborRun imported = Run("import transactions " +
                            Write("trades.csv",
                                  "id,date,account,action,symbol,shares,price,fees,amount\n"
                                  "d1,2020-02-19,TAX,deposit,,,,,100000\n"
                                  "b1,2020-02-19,TAX,buy,AAPL,150,323.62,,\n"
                                  "b2,2020-02-19,TAX,buy,MSFT,260,187.28,,\n"
                                  "s1,2020-03-16,TAX,sell,AAPL,150,242.21,,\n"
                                  "b3,2020-04-20,TAX,buy,AAPL,150,276.93,,\n"));
    ASSERT_EQ(imported.code, 0) << imported.out;
    ASSERT_EQ(Run("import targets " +
                  Write("targets.csv", "account,symbol,weight\nTAX,AAPL,0.49\nTAX,MSFT,0.49\n"))
                  .code,
              0);
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static std::string Write(const std::string& name, const std::string& text) {
    return WriteFile(dir_, name, text);
  }
  static ArborRun Run(const std::string& args) { return RunArbor(dir_ / "arbor.db", args); }

  static fs::path dir_;
};

fs::path TaxesSavedCliTest::dir_;

const char* const kPeriod = " --from 2020-02-19 --to 2021-04-21";

// The harvested short-term loss of 150 x (242.21 - 323.62) = 12,211.50 offsets $3,000 of
// ordinary income in 2020 and, carried forward short-term, $3,000 again in 2021 (IRC 1211(b),
// 1212(b)): -1,224 of tax each year at the default 37% + 3.8% NIIT.
TEST_F(TaxesSavedCliTest, JsonYearsAddUpAndCreditTheHarvest) {
  ArborRun run = Run(std::string("report taxes-saved TAX --format json") + kPeriod);
  ASSERT_EQ(run.code, 0) << run.out;
  json report = json::parse(run.out);
  ASSERT_EQ(report["years"].size(), 2u);
  EXPECT_EQ(report["years"][0]["year"], 2020);
  EXPECT_EQ(report["years"][0]["account_tax"], "-1224.00");
  EXPECT_EQ(report["years"][0]["account"]["short_term_losses"], "12211.50");
  EXPECT_EQ(report["years"][0]["account_carryforward"]["short_term"], "9211.50");
  EXPECT_EQ(report["years"][1]["account_tax"], "-1224.00");
  for (const json& year : report["years"]) {
    double sources = 0;
    for (const auto& [name, amount] : year["sources"].items()) sources += std::stod(amount.get<std::string>());
    EXPECT_NEAR(sources, std::stod(year["saved_or_deferred"].get<std::string>()), 1e-9);
    EXPECT_NEAR(std::stod(year["saved_or_deferred"].get<std::string>()) -
                    std::stod(year["deferred"].get<std::string>()),
                std::stod(year["saved_after_liquidation"].get<std::string>()), 1e-9);
  }
  EXPECT_GT(std::stod(report["total"]["sources"]["losses_harvested"].get<std::string>()), 2000);
  EXPECT_TRUE(report["assumptions"].contains("Filing status"));
  EXPECT_EQ(report["rates"]["loss_offset_limit"], 3000.0);
}

TEST_F(TaxesSavedCliTest, CsvHasAYearPerRowAndATotal) {
  fs::path out = dir_ / "tax.csv";
  ArborRun run = Run(std::string("report taxes-saved TAX --filing-status separate --out ") +
                     out.string() + kPeriod);
  ASSERT_EQ(run.code, 0) << run.out;
  std::ifstream in(out);
  std::string header, y2020, y2021, total, extra;
  std::getline(in, header);
  std::getline(in, y2020);
  std::getline(in, y2021);
  std::getline(in, total);
  EXPECT_FALSE(std::getline(in, extra));
  EXPECT_EQ(header.rfind("account,year,account_tax,shadow_tax,saved_or_deferred,deferred", 0), 0u);
  EXPECT_EQ(y2020.rfind("TAX,2020,-612.00,", 0), 0u) << y2020;  // $1,500 when filing separately
  EXPECT_EQ(total.rfind("TAX,total,", 0), 0u);
}

// The PDF: text extracted and the cover rendered to PNG with poppler-utils
// (scripts/install-deps.sh), skipped where they are missing.
TEST_F(TaxesSavedCliTest, PdfHasTheCoverTableAndAssumptions) {
  fs::path pdf = dir_ / "tax.pdf";
  ArborRun run = Run("report taxes-saved TAX --out " + pdf.string() + kPeriod);
  ASSERT_EQ(run.code, 0) << run.out;
  std::ifstream in(pdf, std::ios::binary);
  std::string magic(5, '\0');
  in.read(magic.data(), 5);
  EXPECT_EQ(magic, "%PDF-");
  fs::path text = dir_ / "tax.txt";
  if (std::system(("pdftotext -layout " + pdf.string() + " " + text.string() + " 2>/dev/null").c_str()) != 0) {
    GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  }
  std::stringstream extracted;
  extracted << std::ifstream(text).rdbuf();
  for (const char* expected : {"Taxes Saved or Deferred", "Year by year", "Losses harvested",
                               "Method and assumptions", "IRC 1211(b)", "2021"}) {
    EXPECT_NE(extracted.str().find(expected), std::string::npos) << expected;
  }
  ASSERT_EQ(std::system(("pdftoppm -png -r 40 -f 1 -l 1 -singlefile " + pdf.string() + " " +
                         (dir_ / "cover").string())
                            .c_str()),
            0);
  EXPECT_GT(fs::file_size(dir_ / "cover.png"), 1000u);
}

TEST_F(TaxesSavedCliTest, FirmSummarySkipsTaxDeferredAccounts) {
  ArborRun run = Run(std::string("report taxes-saved --all --format json") + kPeriod);
  ASSERT_EQ(run.code, 0) << run.out;
  json firm = json::parse(run.out.substr(run.out.find('{')));
  EXPECT_EQ(firm["accounts"], 1);
  EXPECT_EQ(firm["by_account"][0]["account"], "TAX");
  EXPECT_TRUE(firm["rates_a_year"]["saved_or_deferred"].contains("median"));
}

TEST_F(TaxesSavedCliTest, ErrorsTellTheUserWhatToDo) {
  ArborRun ira = Run(std::string("report taxes-saved IRA") + kPeriod);
  EXPECT_EQ(ira.code, 1);
  EXPECT_NE(ira.out.find("tax-deferred"), std::string::npos) << ira.out;
  ArborRun pdf = Run(std::string("report taxes-saved TAX --format pdf") + kPeriod);
  EXPECT_NE(pdf.out.find("--out"), std::string::npos) << pdf.out;
}

}  // namespace
}  // namespace arbor
