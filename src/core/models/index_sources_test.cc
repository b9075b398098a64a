// The index-model readers of adapters/io on the real files of ../shared/data, and their errors
// on small broken copies.
#include "adapters/io/index_sources.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "adapters/io/csv.h"
#include "adapters/io/screen_csv.h"

namespace arbor {
namespace {

const std::string kData = ARBOR_SHARED_DATA_DIR;

// A file in a fresh temporary folder, removed with the test's object.
class TempFile {
 public:
  explicit TempFile(const std::string& text, const std::string& name = "input.csv") {
    dir_ = std::filesystem::temp_directory_path() /
           ("arbor_index_sources_" + std::to_string(::getpid()) + "_" + std::to_string(count_++));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / name) << text;
    path_ = (dir_ / name).string();
  }
  ~TempFile() { std::filesystem::remove_all(dir_); }
  const std::string& path() const { return path_; }
  std::string dir() const { return dir_.string(); }

 private:
  static inline int count_ = 0;
  std::filesystem::path dir_;
  std::string path_;
};

TEST(IsharesHoldingsTest, IvvWeightsReproduceTheFilesWeightColumn) {
  const models::FundPositions ivv =
      LoadIsharesHoldings(IvvHoldingsPath(kData), "IVV", kIvvHoldingsDate).value();
  EXPECT_EQ(ivv.holdings.size(), 503u);  // 508 lines: header, 503 stocks, 4 cash and futures
  const models::SecurityModel model = models::ModelFromFundPositions(ivv, "SP500").value();
  EXPECT_EQ(model.weights[0].symbol, "MSFT");

  // The file's Weight (%) is of the whole fund (cash included) and rounded to 0.01.
  std::map<std::string, double> file_weight;
  double stocks_share = 0;
  CsvReader reader = CsvReader::Open(IvvHoldingsPath(kData)).value();
  CsvRow row;
  while (reader.Next(&row)) {
    if (row.Get("Asset Class") != "Equity") continue;
    std::string ticker(row.Get("Ticker"));
    if (ticker == "BRKB") ticker = "BRK.B";
    if (ticker == "BFB") ticker = "BF.B";
    file_weight[ticker] = std::stod(std::string(row.Get("Weight (%)"))) / 100;
    stocks_share += file_weight[ticker];
  }
  ASSERT_EQ(file_weight.size(), model.weights.size());
  EXPECT_TRUE(file_weight.contains("BRK.B") && file_weight.contains("BF.B"));
  for (const models::ModelWeight& w : model.weights) {
    ASSERT_TRUE(file_weight.contains(w.symbol)) << w.symbol;
    EXPECT_NEAR(w.weight * stocks_share, file_weight[w.symbol], 0.00005 + 1e-9) << w.symbol;
  }
}

TEST(IsharesHoldingsTest, ErrorsNameFileLineAndField) {
  TempFile bad(
      "Ticker,Name,Asset Class,Market Value,Shares,Price\n"
      "\"AAPL\",\"APPLE\",\"Equity\",\"1,000.00\",\"10.00\",\"100.00\"\n"
      "\"MSFT\",\"MICROSOFT\",\"Equity\",\"2,000.00\",\"1O.00\",\"200.00\"\n");
  EXPECT_EQ(LoadIsharesHoldings(bad.path(), "IVV", kIvvHoldingsDate).status().message(),
            bad.path() + ":3: Shares: '1O.00' is not a number");
  TempFile missing("Ticker,Asset Class,Shares\n");
  EXPECT_NE(LoadIsharesHoldings(missing.path(), "IVV", kIvvHoldingsDate)
                .status()
                .message()
                .find("missing column 'Market Value'"),
            std::string::npos);
}

TEST(IndexMembersTest, IntervalsEndWhereTheRenamedTickerStarts) {
  const std::vector<std::string> april_2021 =
      LoadIndexMembers(Sp500MembershipPath(kData), *Date::Parse("2021-04-21")).value();
  EXPECT_EQ(april_2021.size(), 505u);
  auto has = [](const std::vector<std::string>& v, const char* s) {
    return std::binary_search(v.begin(), v.end(), std::string(s));
  };
  EXPECT_TRUE(has(april_2021, "FB"));
  EXPECT_FALSE(has(april_2021, "META"));
  const std::vector<std::string> june_2022 =
      LoadIndexMembers(Sp500MembershipPath(kData), *Date::Parse("2022-06-09")).value();
  EXPECT_TRUE(has(june_2022, "META"));
  EXPECT_FALSE(has(june_2022, "FB"));

  TempFile bad("ticker,start_date,end_date\nAAA,2020-01-02,\nBBB,2020-13-01,\n");
  EXPECT_EQ(LoadIndexMembers(bad.path(), *Date::Parse("2021-01-04"))
                .status()
                .message()
                .rfind(bad.path() + ":3: start_date: ", 0),
            0u);
}

TEST(FinancialsSharesTest, SharesOutstandingFromCapAndPrice) {
  const std::vector<DatedFile> files = ListFinancialsSnapshots(kData).value();
  ASSERT_EQ(files.size(), 4u);
  EXPECT_EQ(files[0].date, *Date::Parse("2017-03-08"));
  // Apple had about 5.2 billion shares in 2017 and 5.1 billion in 2018; the 2017 file states
  // caps in billions.
  const models::ShareSnapshot s2017 = LoadFinancialsShares(files[0].path, files[0].date).value();
  const models::ShareSnapshot s2018 = LoadFinancialsShares(files[1].path, files[1].date).value();
  EXPECT_NEAR(s2017.shares.at("AAPL") / 1e9, 5.2, 0.2);
  EXPECT_NEAR(s2018.shares.at("AAPL") / 1e9, 5.1, 0.2);
  EXPECT_EQ(s2018.source, "constituents-financials_2018-02-08.csv");
  TempFile bad("Symbol,Price,Market Cap\nAAA,10,1000000000\nBBB,-3,1000000000\n");
  EXPECT_EQ(LoadFinancialsShares(bad.path(), files[0].date).status().message(),
            bad.path() + ":3: Price: must be > 0");
}

TEST(ScreenCsvTest, TheDataSetsFiveScreens) {
  const std::vector<models::Screen> screens = LoadGicsScreens(kData).value();
  std::vector<std::string> names;
  for (const models::Screen& s : screens) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"tobacco", "alcohol", "gambling", "fossil_fuels",
                                             "weapons_defense_proxy"}));
  const models::Screen& fossil = screens[3];
  EXPECT_EQ(fossil.sub_industries.size(), 7u);
  EXPECT_EQ(fossil.symbols.size(), 21u);
  EXPECT_TRUE(std::binary_search(fossil.symbols.begin(), fossil.symbols.end(), "XOM"));
  EXPECT_EQ(screens[1].sub_industries,
            (std::vector<std::string>{"Brewers", "Distillers & Vintners"}));
  EXPECT_EQ(screens[0].description, "GICS sub-industries: Tobacco");
}

TEST(ScreenCsvTest, ErrorsNameFileLineAndField) {
  TempFile typo("screen,gics_sub_industry\ntobacco,Tobacco\nalcohol,Brewer\n");
  EXPECT_EQ(ReadScreenDefinitions(typo.path()).status().message(),
            typo.path() + ":3: gics_sub_industry: 'Brewer' is not a GICS sub-industry");
  TempFile name("screen,gics_sub_industry\nFossil Fuels,Integrated Oil & Gas\n");
  EXPECT_EQ(
      ReadScreenDefinitions(name.path()).status().message(),
      name.path() +
          ":2: screen: 'Fossil Fuels' is not a screen name (lower case letters, digits, '_')");
  TempFile twice("screen,gics_sub_industry\ntobacco,Tobacco\ntobacco,Tobacco\n");
  EXPECT_EQ(ReadScreenDefinitions(twice.path()).status().message(),
            twice.path() + ":3: gics_sub_industry: 'Tobacco' is listed twice for screen 'tobacco'");
  TempFile no_column("screen,sub_industry\ntobacco,Tobacco\n");
  EXPECT_EQ(ReadScreenDefinitions(no_column.path()).status().message(),
            no_column.path() + ": missing column 'gics_sub_industry'");

  std::vector<models::Screen> screens = {{.name = "tobacco", .sub_industries = {"Tobacco"}}};
  TempFile unknown(
      "screen,gics_sub_industry,symbol\ntobacco,Tobacco,MO\ngambling,Casinos & Gaming,LVS\n");
  EXPECT_EQ(ReadScreenSymbols(unknown.path(), &screens).message(),
            unknown.path() + ":3: screen: 'gambling' is not a defined screen");
  TempFile other("screen,gics_sub_industry,symbol\ntobacco,Brewers,TAP\n");
  EXPECT_EQ(ReadScreenSymbols(other.path(), &screens).message(),
            other.path() +
                ":2: gics_sub_industry: 'Brewers' is not one of screen 'tobacco''s "
                "sub-industries");
  TempFile symbol("screen,gics_sub_industry,symbol\ntobacco,Tobacco,M O\n");
  EXPECT_EQ(
      ReadScreenSymbols(symbol.path(), &screens).message().rfind(symbol.path() + ":2: symbol: ", 0),
      0u);

  TempFile no_dir("", "unused.csv");
  EXPECT_EQ(LoadGicsScreens(no_dir.dir()).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace arbor
