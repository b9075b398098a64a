#include "adapters/io/market_data.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "adapters/io/csv.h"

namespace arbor {
namespace {

const std::string kDataDir = ARBOR_SHARED_DATA_DIR;

const DailyBar* BarOn(const PriceHistory& history, std::string_view date) {
  Date d = *Date::Parse(date);
  auto it = std::lower_bound(history.bars.begin(), history.bars.end(), d,
                             [](const DailyBar& bar, Date x) { return bar.date < x; });
  return it != history.bars.end() && it->date == d ? &*it : nullptr;
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  std::string path = testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// ---- Splits -------------------------------------------------------------------------------

TEST(SnapSplitCoefficientTest, SnapsAlphaVantageNoiseToSimpleRatios) {
  auto snap = [](double c) {
    SplitRatio r = SnapSplitCoefficient(c);
    return std::to_string(r.numerator) + "/" + std::to_string(r.denominator);
  };
  EXPECT_EQ(snap(7.00000700001), "7/1");  // AAPL 2014
  EXPECT_EQ(snap(4.0), "4/1");
  EXPECT_EQ(snap(2.0), "2/1");
  EXPECT_EQ(snap(1.49999925), "3/2");
  EXPECT_EQ(snap(1.5), "3/2");
  EXPECT_EQ(snap(3.000003), "3/1");
  EXPECT_EQ(snap(0.333333), "1/3");
  EXPECT_EQ(snap(0.333333333333), "1/3");
  EXPECT_EQ(snap(0.142857142857), "1/7");
  EXPECT_EQ(snap(0.05), "1/20");  // AIG 2009, 1-for-20
  EXPECT_EQ(snap(50.0), "50/1");  // BRK.B 2010
  EXPECT_EQ(snap(1.0499999475), "21/20");
  EXPECT_EQ(snap(2.1), "21/10");
}

TEST(SnapSplitCoefficientTest, KeepsSpinOffFactorsToSixDecimals) {
  auto snap = [](double c) {
    SplitRatio r = SnapSplitCoefficient(c);
    return std::to_string(r.numerator) + "/" + std::to_string(r.denominator);
  };
  EXPECT_EQ(snap(1.589), "1589/1000");  // RTX 2020, the Carrier and Otis spin-offs
  EXPECT_EQ(snap(1.238), "619/500");
  EXPECT_EQ(snap(0.303582270795), "151791/500000");
  EXPECT_EQ(snap(0.955000382), "191/200");
}

// ---- AlphaVantage daily -------------------------------------------------------------------

TEST(AlphaVantageDailyTest, LoadsAaplWithSplitsAndDividends) {
  Result<PriceHistory> aapl =
      LoadAlphaVantageDaily(AlphaVantageDailyPath(kDataDir, "AAPL"), "AAPL");
  ASSERT_TRUE(aapl.ok()) << aapl.status().message();
  EXPECT_EQ(aapl->symbol, "AAPL");
  ASSERT_EQ(aapl->bars.size(), 3600u);
  EXPECT_EQ(aapl->bars.front().date.ToString(), "2007-01-03");
  EXPECT_EQ(aapl->bars.front().open, *Price::Parse("86.29"));
  EXPECT_EQ(aapl->bars.front().close, *Price::Parse("83.8"));
  EXPECT_EQ(aapl->bars.back().date.ToString(), "2021-04-21");
  EXPECT_TRUE(std::is_sorted(aapl->bars.begin(), aapl->bars.end(),
                             [](const DailyBar& a, const DailyBar& b) { return a.date < b.date; }));

  const DailyBar* split_2014 = BarOn(*aapl, "2014-06-09");
  ASSERT_NE(split_2014, nullptr);
  EXPECT_EQ(split_2014->split_numerator, 7);
  EXPECT_EQ(split_2014->split_denominator, 1);
  EXPECT_EQ(split_2014->open, *Price::Parse("92.7"));
  EXPECT_EQ(split_2014->close, *Price::Parse("93.7"));
  EXPECT_TRUE(split_2014->dividend_per_share.is_zero());

  const DailyBar* split_2020 = BarOn(*aapl, "2020-08-31");
  ASSERT_NE(split_2020, nullptr);
  EXPECT_EQ(split_2020->split_numerator, 4);
  EXPECT_EQ(split_2020->split_denominator, 1);

  const DailyBar* dividend = BarOn(*aapl, "2012-08-09");  // the first dividend since 1995
  ASSERT_NE(dividend, nullptr);
  EXPECT_EQ(dividend->dividend_per_share, *Price::Parse("2.65"));
  EXPECT_EQ(dividend->split_numerator, 1);
  EXPECT_EQ(dividend->split_denominator, 1);

  int splits = 0;
  for (const DailyBar& bar : aapl->bars) splits += bar.split_numerator != bar.split_denominator;
  EXPECT_EQ(splits, 2);
}

TEST(AlphaVantageDailyTest, SpinOffIsAFractionalFactorBesideADividend) {
  Result<PriceHistory> rtx = LoadAlphaVantageDaily(AlphaVantageDailyPath(kDataDir, "RTX"), "RTX");
  ASSERT_TRUE(rtx.ok()) << rtx.status().message();
  const DailyBar* bar = BarOn(*rtx, "2020-04-03");
  ASSERT_NE(bar, nullptr);
  EXPECT_EQ(bar->split_numerator, 1589);
  EXPECT_EQ(bar->split_denominator, 1000);
  EXPECT_EQ(bar->dividend_per_share, *Price::Parse("13.28"));
}

TEST(AlphaVantageDailyTest, RoundsLongDecimalsHalfAwayFromZero) {
  std::string path =
      WriteTempFile("arbor_av_round.csv",
                    "timestamp,open,close,adjusted_close,volume,dividend_amount,split_coefficient\n"
                    "2021-01-05,10.1234565,10.12345649999,1,1,0.0000005,1.0\n"
                    "2021-01-04,1e1,9.99,1,1,0.0,1.0\n");
  Result<PriceHistory> h = LoadAlphaVantageDaily(path, "X");
  ASSERT_TRUE(h.ok()) << h.status().message();
  ASSERT_EQ(h->bars.size(), 2u);
  EXPECT_EQ(h->bars[0].date.ToString(), "2021-01-04");  // sorted
  EXPECT_EQ(h->bars[0].open.micros(), 10'000'000);
  EXPECT_EQ(h->bars[1].open.micros(), 10'123'457);
  EXPECT_EQ(h->bars[1].close.micros(), 10'123'456);
  EXPECT_EQ(h->bars[1].dividend_per_share.micros(), 1);
  std::remove(path.c_str());
}

TEST(AlphaVantageDailyTest, ErrorsNameFileLineAndField) {
  const std::string header =
      "timestamp,open,close,adjusted_close,volume,dividend_amount,split_coefficient\n";
  const std::string good = "2021-01-04,10,10,10,1,0.0,1.0\n";
  struct Case {
    std::string body;
    std::string expected;  // after "path:"
  };
  const Case cases[] = {
      {good + "2021-01-05,10,abc,10,1,0.0,1.0\n", "3: close: 'abc' is not a decimal number"},
      {good + "2021-01-05,0,10,10,1,0.0,1.0\n", "3: open: must be positive, got '0'"},
      {good + "2021-13-05,10,10,10,1,0.0,1.0\n", "3: timestamp: invalid date '2021-13-05'"},
      {good + "2021-01-05,10,10,10,1,-1,1.0\n",
       "3: dividend_amount: must be zero or more, got '-1'"},
      {good + "2021-01-05,10,10,10,1,0.0,0\n",
       "3: split_coefficient: '0' is not a positive number"},
      {good + "2021-01-05,10,10,10,1,0.0\n", "3: expected 7 fields, found 6"},
      {good + "2021-01-05,10,10,10,1,0.0,1.0\n" + good, "4: date 2021-01-04 repeats line 2"},
  };
  for (const Case& c : cases) {
    std::string path = WriteTempFile("arbor_av_bad.csv", header + c.body);
    Result<PriceHistory> h = LoadAlphaVantageDaily(path, "X");
    ASSERT_FALSE(h.ok()) << c.expected;
    EXPECT_EQ(h.status().message().substr(0, path.size() + 1 + c.expected.size()),
              path + ":" + c.expected);
    std::remove(path.c_str());
  }
  std::string path = WriteTempFile("arbor_av_bad.csv", "timestamp,open,close\n");
  Result<PriceHistory> h = LoadAlphaVantageDaily(path, "X");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().message(), path + ": missing column 'dividend_amount'");
  std::remove(path.c_str());
}

TEST(AlphaVantageUniverseTest, LoadsEveryFileAndReportsMissingSymbols) {
  Result<std::vector<std::string>> symbols = ListAlphaVantageSymbols(kDataDir);
  ASSERT_TRUE(symbols.ok()) << symbols.status().message();
  EXPECT_EQ(symbols->size(), 504u);
  EXPECT_TRUE(std::binary_search(symbols->begin(), symbols->end(), "BRK.B"));
  std::vector<std::string> wanted = *symbols;
  wanted.insert(wanted.begin() + 10, "BF.B");  // in the index, but without a price file
  wanted.push_back("NOSUCH");

  size_t calls = 0;
  size_t last_done = 0;
  std::vector<std::string> missing;
  auto start = std::chrono::steady_clock::now();
  Result<std::vector<PriceHistory>> universe = LoadAlphaVantageUniverse(
      kDataDir, wanted,
      [&](size_t done, size_t total) {
        ++calls;
        last_done = done;
        EXPECT_EQ(total, wanted.size());
      },
      &missing);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(universe.ok()) << universe.status().message();
  RecordProperty("seconds", std::to_string(seconds));
  EXPECT_EQ(calls, wanted.size());
  EXPECT_EQ(last_done, wanted.size());
  EXPECT_EQ(missing, (std::vector<std::string>{"BF.B", "NOSUCH"}));
  ASSERT_EQ(universe->size(), 504u);

  size_t rows = 0;
  size_t split_events = 0;
  size_t dividend_events = 0;
  for (const PriceHistory& h : *universe) {
    rows += h.bars.size();
    for (const DailyBar& bar : h.bars) {
      split_events += bar.split_numerator != bar.split_denominator;
      dividend_events += bar.dividend_per_share.is_positive();
      ASSERT_TRUE(bar.open.is_positive() && bar.close.is_positive()) << h.symbol;
    }
  }
  EXPECT_EQ(rows, 1'690'852u);
  EXPECT_EQ(split_events, 180u);  // as the folder's SOURCES.md counts them
  EXPECT_GT(dividend_events, 20'000u);
}

// ---- ETFs ---------------------------------------------------------------------------------

TEST(EtfPricesTest, ReadsYfinanceAdjustedCloseWithFourLineHeader) {
  Result<PriceHistory> spy = LoadEtfPrices(kDataDir, "SPY");
  ASSERT_TRUE(spy.ok()) << spy.status().message();
  ASSERT_FALSE(spy->bars.empty());
  const DailyBar& first = spy->bars.front();
  EXPECT_EQ(first.date.ToString(), "1993-01-29");
  EXPECT_EQ(first.close.micros(), 24'313'047);  // 24.313047409057617
  EXPECT_EQ(first.open, first.close);
  EXPECT_TRUE(first.dividend_per_share.is_zero());
  EXPECT_EQ(spy->bars.back().date.ToString(), "2025-09-26");
  EXPECT_EQ(spy->bars.back().close.micros(), 661'820'007);
}

TEST(EtfPricesTest, ReadsAlphaVantageRawOpenAndClose) {
  Result<PriceHistory> spy = LoadEtfPrices(kDataDir, "SPY", EtfSeries::kRawClose);
  ASSERT_TRUE(spy.ok()) << spy.status().message();
  ASSERT_FALSE(spy->bars.empty());
  EXPECT_EQ(spy->bars.front().date.ToString(), "1999-11-01");
  EXPECT_EQ(spy->bars.front().open, *Price::Parse("136.5"));
  EXPECT_EQ(spy->bars.front().close, *Price::Parse("135.5625"));
  EXPECT_EQ(spy->bars.back().date.ToString(), "2024-11-08");
}

TEST(EtfPricesTest, EveryEtfFileLoads) {
  for (EtfSeries series : {EtfSeries::kAdjustedClose, EtfSeries::kRawClose}) {
    Result<std::vector<std::string>> symbols = ListEtfSymbols(kDataDir, series);
    ASSERT_TRUE(symbols.ok()) << symbols.status().message();
    EXPECT_EQ(symbols->size(), series == EtfSeries::kAdjustedClose ? 21u : 15u);
    for (const std::string& symbol : *symbols) {
      Result<PriceHistory> h = LoadEtfPrices(kDataDir, symbol, series);
      ASSERT_TRUE(h.ok()) << h.status().message();
      EXPECT_GT(h->bars.size(), 2000u) << symbol;
    }
  }
}

TEST(EtfPricesTest, ReadsAPlainAdjCloseFile) {
  std::string path = WriteTempFile("arbor_etf_plain.csv",
                                   "Date,Open,High,Low,Close,Adj Close,Volume\n"
                                   "2020-01-03,10,11,9,10.5,10.25,100\n"
                                   "2020-01-02,10,11,9,10.5,10.0,100\n");
  Result<PriceHistory> h = LoadEtfPriceFile(path, "X");
  ASSERT_TRUE(h.ok()) << h.status().message();
  ASSERT_EQ(h->bars.size(), 2u);
  EXPECT_EQ(h->bars[1].close, *Price::Parse("10.25"));
  EXPECT_EQ(h->bars[1].open, h->bars[1].close);
  std::remove(path.c_str());

  path = WriteTempFile("arbor_etf_plain.csv", "Date,Volume\n2020-01-03,1\n");
  EXPECT_FALSE(LoadEtfPriceFile(path, "X").ok());
  std::remove(path.c_str());
}

TEST(EtfPricesTest, YfinanceErrorsPointAtTheLine) {
  std::string path = WriteTempFile("arbor_etf_bad.csv",
                                   "Price,Price,Close,High,Low,Open,Volume\n"
                                   "Ticker,X,X,X,X,X,X\nTicker,X,X,X,X,X,X\nDate,,,,,,\n"
                                   "2020-01-02 00:00:00,10.0,1,1,1,1,1\n"
                                   "2020-01-03 00:00:00,,1,1,1,1,1\n");
  Result<PriceHistory> h = LoadEtfPriceFile(path, "X");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().message(), path + ":6: adjusted close: '' is not a decimal number");
  std::remove(path.c_str());
}

// ---- Security master ----------------------------------------------------------------------

class SecurityMasterTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<SecurityMaster> loaded = LoadSp500SecurityMaster(kDataDir);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    master_ = new SecurityMaster(std::move(loaded).value());
  }
  static void TearDownTestSuite() {
    delete master_;
    master_ = nullptr;
  }
  static SecurityMaster* master_;
};

SecurityMaster* SecurityMasterTest::master_ = nullptr;

TEST_F(SecurityMasterTest, HasTheIndexTheRemovedNamesAndTheEtfs) {
  EXPECT_GT(master_->size(), 500u);
  size_t stocks = 0;
  size_t etfs = 0;
  for (const Security& s : master_->securities()) {
    (s.type == SecurityType::kStock ? stocks : etfs)++;
    EXPECT_TRUE(s.fractional);
    EXPECT_FALSE(s.name.empty()) << s.symbol;
  }
  EXPECT_EQ(stocks, 505u + 192u);  // 2021 list, then the removed names the data can vouch for
  EXPECT_EQ(etfs, 32u);  // 27 with prices, and IVV, DGRO, SCHD, QUAL, VEU with holdings only
}

TEST_F(SecurityMasterTest, MmmIsAnIndustrialConglomerate) {
  const Security* mmm = master_->Find("MMM");
  ASSERT_NE(mmm, nullptr);
  EXPECT_EQ(mmm->name, "3M Company");
  EXPECT_EQ(mmm->type, SecurityType::kStock);
  EXPECT_EQ(mmm->asset_class, "US Large Cap");
  EXPECT_EQ(mmm->gics.sector, "Industrials");
  EXPECT_EQ(mmm->gics.industry_group, "Capital Goods");
  EXPECT_EQ(mmm->gics.industry, "Industrial Conglomerates");
  EXPECT_EQ(mmm->gics.sub_industry, "Industrial Conglomerates");
  EXPECT_TRUE(mmm->wash_sale_group.empty());
}

// Names gone from the index by 2026 take their sub-industry from the 2025 snapshot, so values
// screens catch them on 2021 models (HES is an oil major; CZR runs casinos).
TEST_F(SecurityMasterTest, NamesThatLeftBefore2026KeepTheir2025SubIndustry) {
  for (const auto& [symbol, sub_industry] :
       {std::pair{"HES", "Integrated Oil & Gas"}, std::pair{"MRO", "Oil & Gas Exploration & Production"},
        std::pair{"CZR", "Casinos & Gaming"}}) {
    const Security* s = master_->Find(symbol);
    ASSERT_NE(s, nullptr) << symbol;
    EXPECT_EQ(s->gics.sub_industry, sub_industry) << symbol;
  }
  const Security* pxd = master_->Find("PXD");  // gone before 2025: no source names its sub-industry
  ASSERT_NE(pxd, nullptr);
  EXPECT_EQ(pxd->gics.sector, "Energy");
  EXPECT_TRUE(pxd->gics.sub_industry.empty());
}

TEST_F(SecurityMasterTest, CurrentGicsWinsSoSectorAndSubIndustryAgree) {
  const Security* visa = master_->Find("V");
  ASSERT_NE(visa, nullptr);
  EXPECT_EQ(visa->gics.sector, "Financials");  // Information Technology in the 2021 file
  EXPECT_EQ(visa->gics.sub_industry, "Transaction & Payment Processing Services");
  for (const Security& s : master_->securities()) {
    if (s.gics.sub_industry.empty()) continue;
    std::optional<Gics> gics = GicsFromSubIndustry(s.gics.sub_industry);
    ASSERT_TRUE(gics.has_value()) << s.symbol;
    EXPECT_EQ(gics->sector, s.gics.sector) << s.symbol;
  }
}

TEST_F(SecurityMasterTest, NameOnlyInThe2021ListKeepsItsSector) {
  const Security* s = master_->Find("ALXN");  // acquired in 2021
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->gics.sector, "Health Care");
  EXPECT_TRUE(s->gics.sub_industry.empty());
  EXPECT_TRUE(s->gics.industry.empty());
}

TEST_F(SecurityMasterTest, RemovedNamesCarryWhatTheSnapshotsKnow) {
  const Security* yahoo = master_->Find("YHOO");
  ASSERT_NE(yahoo, nullptr);
  EXPECT_EQ(yahoo->name, "Yahoo Inc.");
  EXPECT_EQ(yahoo->gics.sector, "Information Technology");
  EXPECT_EQ(yahoo->asset_class, "US Large Cap");

  const Security* centurylink = master_->Find("CTL");
  ASSERT_NE(centurylink, nullptr);
  EXPECT_EQ(centurylink->gics.sector, "Communication Services");  // was Telecommunication Services

  const Security* reit = master_->Find("HCP");
  ASSERT_NE(reit, nullptr);
  EXPECT_EQ(reit->gics.sector, "Real Estate");  // the 2018 snapshot wins over 2013's Financials

  const Security* quintiles = master_->Find("Q");
  ASSERT_NE(quintiles, nullptr);
  EXPECT_EQ(quintiles->name, "QuintilesIMS");  // from the change log, not 2026's Qnity
  EXPECT_TRUE(quintiles->gics.sector.empty());

  EXPECT_EQ(master_->Find("USD"), nullptr);    // a mis-mapped iShares ticker
  EXPECT_EQ(master_->Find("LPRAX"), nullptr);  // a mutual fund's prices
}

TEST_F(SecurityMasterTest, EtfsHaveAssetClassesAndWashSaleGroups) {
  const Security* spy = master_->Find("SPY");
  const Security* ivv = master_->Find("IVV");
  ASSERT_NE(spy, nullptr);
  ASSERT_NE(ivv, nullptr);
  EXPECT_EQ(spy->type, SecurityType::kEtf);
  EXPECT_EQ(spy->asset_class, "US Large Cap");
  EXPECT_EQ(master_->WashSaleGroupOf("SPY"), "SP500");
  EXPECT_EQ(master_->WashSaleGroupOf("IVV"), master_->WashSaleGroupOf("SPY"));
  EXPECT_EQ(master_->WashSaleGroupOf("MDY"), master_->WashSaleGroupOf("IJH"));
  EXPECT_NE(master_->WashSaleGroupOf("EEM"), master_->WashSaleGroupOf("VWO"));
  EXPECT_NE(master_->WashSaleGroupOf("VTI"), master_->WashSaleGroupOf("SPY"));
  EXPECT_EQ(master_->Find("VOO"), nullptr);  // no VOO file in the data set

  auto asset_class = [&](std::string_view symbol) {
    const Security* s = master_->Find(symbol);
    return s == nullptr ? std::string("<missing>") : s->asset_class;
  };
  EXPECT_EQ(asset_class("VTI"), "US Total Market");
  EXPECT_EQ(asset_class("EFA"), "International Developed");
  EXPECT_EQ(asset_class("EEM"), "Emerging Markets");
  EXPECT_EQ(asset_class("AGG"), "Core Bonds");
  EXPECT_EQ(asset_class("TLT"), "Treasuries");
  EXPECT_EQ(asset_class("TIP"), "TIPS");
  EXPECT_EQ(asset_class("HYG"), "High Yield");
  EXPECT_EQ(asset_class("VNQ"), "Real Estate");
  EXPECT_EQ(asset_class("GLD"), "Commodities");
  EXPECT_EQ(asset_class("BIL"), "Cash");
}

TEST(GicsTest, EverySubIndustryInThe2026ListIsKnownWithItsSector) {
  Result<CsvReader> reader =
      CsvReader::Open(kDataDir + "/sp500-constituents/constituents_2026-08-08.csv");
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  CsvRow row;
  int rows = 0;
  while (reader->Next(&row)) {
    ++rows;
    std::optional<Gics> gics = GicsFromSubIndustry(row.Get("GICS Sub-Industry"));
    ASSERT_TRUE(gics.has_value()) << row.Get("GICS Sub-Industry");
    EXPECT_EQ(gics->sector, row.Get("GICS Sector")) << row.Get("Symbol");
  }
  ASSERT_TRUE(reader->status().ok()) << reader->status().message();
  EXPECT_EQ(rows, 503);
}

TEST(GicsTest, DerivesTheMiddleLevels) {
  std::optional<Gics> gics = GicsFromSubIndustry("Application Software");
  ASSERT_TRUE(gics.has_value());
  EXPECT_EQ(gics->sector, "Information Technology");
  EXPECT_EQ(gics->industry_group, "Software & Services");
  EXPECT_EQ(gics->industry, "Software");
  EXPECT_FALSE(GicsFromSubIndustry("Buggy Whips").has_value());
}

}  // namespace
}  // namespace arbor
