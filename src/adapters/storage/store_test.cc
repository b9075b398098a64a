#include "adapters/storage/store.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/storage/store_test_util.h"

namespace arbor {
namespace {

using testing_util::Fingerprint;
using testing_util::ScratchDir;

using testing_util::kSecurities;

// A and B belong to T1; J is joint with T2, whose Roth is S; C is somebody else.
constexpr char kAccounts[] =
    "id,type,taxpayers,household,name\n"
    "A,taxable,T1,H1,Alice taxable\n"
    "B,traditional_ira,T1,H1,Alice IRA\n"
    "C,taxable,T9,H9,Carol\n"
    "J,taxable,T1;T2,H1,Joint\n"
    "S,roth_ira,T2,H1,Sam Roth\n";

constexpr char kTxnHeader[] =
    "id,date,account,action,symbol,shares,price,fees,amount,lot_id,lot_method,lots\n";

Date D(const char* text) { return *Date::Parse(text); }

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> store = Store::Open(dir_.Path("arbor.db"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
  }

  std::string Write(const std::string& name, const std::string& text) {
    return dir_.Write(name, text);
  }

  void SeedSecuritiesAndAccounts() {
    Result<ImportSummary> s = store_->ImportSecurities({Write("securities.csv", kSecurities)});
    ASSERT_TRUE(s.ok()) << s.status().message();
    Result<ImportSummary> a = store_->ImportAccounts({Write("accounts.csv", kAccounts)});
    ASSERT_TRUE(a.ok()) << a.status().message();
  }

  Result<ImportSummary> ImportTxns(const std::string& name, const std::string& rows) {
    return store_->ImportTransactions({Write(name, std::string(kTxnHeader) + rows)});
  }

  std::string Fp() { return Fingerprint(store_->database()); }

  StoreCounts Counts() {
    Result<StoreCounts> counts = store_->Counts();
    EXPECT_TRUE(counts.ok());
    return counts.ok() ? *counts : StoreCounts{};
  }

  // The import failed with a message starting with `prefix`, and nothing changed.
  void ExpectRejected(const Result<ImportSummary>& result, const std::string& prefix,
                      const std::string& before) {
    ASSERT_FALSE(result.ok()) << "expected an error starting with: " << prefix;
    EXPECT_EQ(result.status().message().substr(0, prefix.size()), prefix)
        << result.status().message();
    EXPECT_EQ(Fp(), before) << "a failed import changed the database";
  }

  ScratchDir dir_{"store_test"};
  std::unique_ptr<Store> store_;
};

void ExpectSummary(const Result<ImportSummary>& result, size_t read, size_t inserted,
                   size_t unchanged, size_t updated = 0) {
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->rows_read, read);
  EXPECT_EQ(result->inserted, inserted);
  EXPECT_EQ(result->unchanged, unchanged);
  EXPECT_EQ(result->updated, updated);
}

// ------------------------------------------------------------------ securities

TEST_F(StoreTest, ImportsSecuritiesAndReimportIsUnchanged) {
  std::string path = Write("securities.csv", kSecurities);
  ExpectSummary(store_->ImportSecurities({path}), 4, 4, 0);
  Result<SecurityMaster> master = store_->LoadSecurities();
  ASSERT_TRUE(master.ok());
  ASSERT_EQ(master->size(), 4u);
  const Security* bbb = master->Find("BBB");
  ASSERT_NE(bbb, nullptr);
  EXPECT_EQ(bbb->name, "Beta, Inc.");
  EXPECT_EQ(bbb->gics.sector, "Financials");
  EXPECT_FALSE(bbb->fractional);
  EXPECT_EQ(master->Find("SPY")->type, SecurityType::kEtf);
  EXPECT_EQ(master->WashSaleGroupOf("IVV"), "SP500");
  EXPECT_EQ(master->WashSaleGroupOf("AAA"), "AAA");

  std::string before = Fp();
  ExpectSummary(store_->ImportSecurities({path}), 4, 0, 4);
  EXPECT_EQ(Fp(), before);

  std::string renamed = Write("renamed.csv",
                              "symbol,name\n"
                              "AAA,Alpha Corporation\n"
                              "BBB,\"Beta, Inc.\"\n");
  ExpectSummary(store_->ImportSecurities({renamed}), 2, 0, 1, 1);
  master = store_->LoadSecurities();
  EXPECT_EQ(master->Find("AAA")->name, "Alpha Corporation");
  // Columns the file lacks keep their stored values.
  EXPECT_EQ(master->Find("AAA")->gics.sector, "Industrials");
  EXPECT_EQ(master->Find("AAA")->asset_class, "US Large Cap");
}

TEST_F(StoreTest, ImportsTheRealConstituentFiles) {
  const std::string dir = std::string(ARBOR_SHARED_DATA_DIR) + "/sp500-constituents/";
  Result<ImportSummary> first = store_->ImportSecurities({dir + "constituents_2021-04-24.csv"});
  ExpectSummary(first, 505, 505, 0);
  Result<SecurityMaster> master = store_->LoadSecurities();
  ASSERT_TRUE(master.ok());
  EXPECT_EQ(master->Find("AAPL")->name, "Apple Inc.");
  EXPECT_EQ(master->Find("V")->gics.sector, "Information Technology");
  ASSERT_NE(master->Find("BRK.B"), nullptr);

  // The Wikipedia layout: Security for the name, GICS Sector and Sub-Industry; the rest of
  // the GICS path is derived, and the 2023 reclassification of V updates its sector.
  Result<ImportSummary> second = store_->ImportSecurities({dir + "constituents_2026-08-08.csv"});
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->rows_read, 503u);
  master = store_->LoadSecurities();
  const Security* aapl = master->Find("AAPL");
  EXPECT_EQ(aapl->gics.sub_industry, "Technology Hardware, Storage & Peripherals");
  EXPECT_EQ(aapl->gics.industry_group, "Technology Hardware & Equipment");
  EXPECT_FALSE(aapl->gics.industry.empty());
  EXPECT_EQ(master->Find("V")->gics.sector, "Financials");
  EXPECT_EQ(master->Find("MMM")->name, "3M");

  ExpectSummary(store_->ImportSecurities({dir + "constituents_2026-08-08.csv"}), 503, 0, 503);
}

TEST_F(StoreTest, SecurityErrorsNameTheRowAndChangeNothing) {
  SeedSecuritiesAndAccounts();
  std::string before = Fp();
  ExpectRejected(store_->ImportSecurities({Write("bad_symbol.csv",
                                                 "symbol,name\n"
                                                 "CCC,Gamma\n"
                                                 "bad sym,Oops\n")}),
                 dir_.Path("bad_symbol.csv") + ":3: symbol: symbol 'bad sym' may contain only",
                 before);
  ExpectRejected(store_->ImportSecurities({Write("bad_type.csv",
                                                 "symbol,type\n"
                                                 "CCC,bond\n")}),
                 dir_.Path("bad_type.csv") + ":2: type: unknown security type 'bond'", before);
  ExpectRejected(store_->ImportSecurities({Write("typo.csv",
                                                 "symbol,wash_sale_grop\n"
                                                 "CCC,X\n")}),
                 dir_.Path("typo.csv") + ":1: wash_sale_grop: unknown column", before);
  ExpectRejected(store_->ImportSecurities({Write("no_symbol.csv",
                                                 "name,sector\n"
                                                 "Gamma,Energy\n")}),
                 dir_.Path("no_symbol.csv") +
                     ":1: symbol: missing required column (the header has: name, sector)",
                 before);
  ExpectRejected(store_->ImportSecurities({Write("bad_bool.csv",
                                                 "symbol,fractional\n"
                                                 "CCC,maybe\n")}),
                 dir_.Path("bad_bool.csv") + ":2: fractional: 'maybe' is not true or false",
                 before);
}

// ------------------------------------------------------------------ prices

TEST_F(StoreTest, ImportsCanonicalPricesAndFindsTheLatest) {
  SeedSecuritiesAndAccounts();
  std::string path = Write("prices.csv",
                           "symbol,date,close\n"
                           "AAA,2024-01-02,10.5\n"
                           "AAA,2024-01-03,10.75\n"
                           "BBB,2024-01-02,20\n");
  ExpectSummary(store_->ImportPrices({path}), 3, 3, 0);
  Result<std::optional<std::pair<Date, Price>>> latest =
      store_->LatestPrice("AAA", D("2024-01-05"));
  ASSERT_TRUE(latest.ok());
  ASSERT_TRUE(latest->has_value());
  EXPECT_EQ((*latest)->first, D("2024-01-03"));
  EXPECT_EQ((*latest)->second, *Price::Parse("10.75"));
  EXPECT_EQ((*store_->LatestPrice("AAA", D("2024-01-02")))->second, *Price::Parse("10.5"));
  EXPECT_FALSE(store_->LatestPrice("AAA", D("2024-01-01"))->has_value());
  EXPECT_FALSE(store_->LatestPrice("ZZZ", D("2024-01-05"))->has_value());

  ExpectSummary(store_->ImportPrices({path}), 3, 0, 3);
  std::string corrected = Write("corrected.csv",
                                "symbol,date,close\n"
                                "AAA,2024-01-03,10.8\n");
  ExpectSummary(store_->ImportPrices({corrected}), 1, 0, 0, 1);
  Result<std::vector<std::pair<Date, Price>>> closes =
      store_->LoadPrices("AAA", D("2024-01-01"), D("2024-12-31"));
  ASSERT_TRUE(closes.ok());
  ASSERT_EQ(closes->size(), 2u);
  EXPECT_EQ((*closes)[1].second, *Price::Parse("10.8"));
}

TEST_F(StoreTest, PriceErrorsNameTheRowAndChangeNothing) {
  SeedSecuritiesAndAccounts();
  ASSERT_TRUE(
      store_->ImportPrices({Write("ok.csv", "symbol,date,close\nAAA,2024-01-02,10\n")}).ok());
  std::string before = Fp();
  ExpectRejected(store_->ImportPrices({Write("neg.csv",
                                             "symbol,date,close\n"
                                             "AAA,2024-01-03,11\n"
                                             "AAA,2024-01-04,-1\n")}),
                 dir_.Path("neg.csv") + ":3: close: must be positive, got -1", before);
  ExpectRejected(
      store_->ImportPrices({Write("unknown.csv",
                                  "symbol,date,close\n"
                                  "ZZZ,2024-01-03,11\n")}),
      dir_.Path("unknown.csv") + ":2: symbol: unknown symbol 'ZZZ'; add it to the securities first",
      before);
  ExpectRejected(store_->ImportPrices({Write("date.csv",
                                             "symbol,date,close\n"
                                             "AAA,01/03/2024,11\n")}),
                 dir_.Path("date.csv") + ":2: date: invalid date '01/03/2024'", before);
  ExpectRejected(store_->ImportPrices({Write("short.csv",
                                             "symbol,date,close\n"
                                             "AAA,2024-01-03,11\n"
                                             "AAA,2024-01-04\n")}),
                 dir_.Path("short.csv") + ":3: expected 3 fields, found 2", before);
  ExpectRejected(store_->ImportPrices({Write("noclose.csv",
                                             "symbol,date\n"
                                             "AAA,2024-01-03\n")}),
                 dir_.Path("noclose.csv") + ":1: close: missing required column", before);
}

TEST_F(StoreTest, ImportsAnAlphaVantageFileWithItsSplitsAndDividends) {
  const std::string data = ARBOR_SHARED_DATA_DIR;
  ASSERT_TRUE(
      store_->ImportSecurities({data + "/sp500-constituents/constituents_2021-04-24.csv"}).ok());
  const std::string aapl = data + "/sp500-prices-alphavantage/daily/AAPL.csv";
  Result<ImportSummary> summary = store_->ImportPrices({aapl});
  ExpectSummary(summary, 3600, 3600, 0);
  EXPECT_EQ(summary->corporate_actions_inserted, 2u + 35u);  // two splits, 35 dividends

  Result<std::vector<CorporateAction>> actions = store_->LoadCorporateActions("AAPL");
  ASSERT_TRUE(actions.ok());
  std::vector<CorporateAction> splits;
  for (const CorporateAction& a : *actions) {
    if (a.kind == CorporateActionKind::kSplit) splits.push_back(a);
  }
  ASSERT_EQ(splits.size(), 2u);
  EXPECT_EQ(splits[0].ex_date, D("2014-06-09"));
  EXPECT_EQ(splits[0].numerator, 7);
  EXPECT_EQ(splits[0].denominator, 1);
  EXPECT_EQ(splits[1].ex_date, D("2020-08-31"));
  EXPECT_EQ(splits[1].numerator, 4);
  EXPECT_EQ(splits[1].denominator, 1);
  EXPECT_EQ((*store_->LatestPrice("AAPL", D("2014-06-09")))->second, *Price::Parse("93.7"));

  Result<ImportSummary> again = store_->ImportPrices({aapl});
  ExpectSummary(again, 3600, 0, 3600);
  EXPECT_EQ(again->corporate_actions_inserted, 0u);
}

TEST_F(StoreTest, AlphaVantageFileOfAnUnknownSymbolIsRejected) {
  SeedSecuritiesAndAccounts();
  const std::string aapl =
      std::string(ARBOR_SHARED_DATA_DIR) + "/sp500-prices-alphavantage/daily/AAPL.csv";
  std::string before = Fp();
  ExpectRejected(store_->ImportPrices({aapl}),
                 aapl + ": symbol: unknown symbol 'AAPL' (from the file name)", before);
}

// ------------------------------------------------------------------ accounts

TEST_F(StoreTest, ImportsAccountsAndUpserts) {
  std::string path = Write("accounts.csv", kAccounts);
  ExpectSummary(store_->ImportAccounts({path}), 5, 5, 0);
  Result<std::vector<Account>> accounts = store_->LoadAccounts();
  ASSERT_TRUE(accounts.ok());
  ASSERT_EQ(accounts->size(), 5u);
  const Account& joint = (*accounts)[3];
  EXPECT_EQ(joint.id, "J");
  EXPECT_EQ(joint.taxpayers, (std::vector<std::string>{"T1", "T2"}));
  EXPECT_EQ((*accounts)[1].type, AccountType::kTraditionalIra);
  EXPECT_EQ((*accounts)[0].name, "Alice taxable");

  ExpectSummary(store_->ImportAccounts({path}), 5, 0, 5);
  ExpectSummary(store_->ImportAccounts({Write("rename.csv",
                                              "id,type,taxpayers,household,name\n"
                                              "A,taxable,T1,H1,Alice brokerage\n")}),
                1, 0, 0, 1);
  EXPECT_EQ((*store_->LoadAccounts())[0].name, "Alice brokerage");
}

TEST_F(StoreTest, AccountsCarryTheirAdvisor) {
  ASSERT_TRUE(store_
                  ->PutAccounts({{.id = "A", .taxpayers = {"T1"}, .advisor = "Dana Ruiz"},
                                 {.id = "B", .taxpayers = {"T2"}}})
                  .ok());
  std::vector<Account> accounts = *store_->LoadAccounts();
  EXPECT_EQ(accounts[0].advisor, "Dana Ruiz");
  EXPECT_EQ(accounts[1].advisor, "");

  // A file with the column sets it (an empty cell clears it); one without keeps it.
  ExpectSummary(store_->ImportAccounts({Write("advisors.csv",
                                              "id,type,taxpayers,advisor\n"
                                              "A,taxable,T1,Dana Ruiz\n"
                                              "B,taxable,T2,Lee Okafor\n")}),
                2, 0, 1, 1);
  ExpectSummary(store_->ImportAccounts({Write("renamed.csv",
                                              "id,type,taxpayers,name\n"
                                              "A,taxable,T1,Alice brokerage\n")}),
                1, 0, 0, 1);
  accounts = *store_->LoadAccounts();
  EXPECT_EQ(accounts[0].advisor, "Dana Ruiz");
  EXPECT_EQ(accounts[0].name, "Alice brokerage");
  EXPECT_EQ(accounts[1].advisor, "Lee Okafor");
  ExpectSummary(store_->ImportAccounts({Write("cleared.csv",
                                              "id,type,taxpayers,advisor\n"
                                              "B,taxable,T2,\n")}),
                1, 0, 0, 1);
  EXPECT_EQ((*store_->LoadAccounts())[1].advisor, "");
}

TEST_F(StoreTest, AccountErrorsNameTheRowAndChangeNothing) {
  SeedSecuritiesAndAccounts();
  std::string before = Fp();
  ExpectRejected(store_->ImportAccounts({Write("bad.csv",
                                               "id,type,taxpayers\n"
                                               "X,taxable,T5\n"
                                               "Y,savings,T5\n")}),
                 dir_.Path("bad.csv") + ":3: type: unknown account type 'savings'", before);
  ExpectRejected(store_->ImportAccounts({Write("tp.csv",
                                               "id,type,taxpayers\n"
                                               "X,taxable,T5;;T6\n")}),
                 dir_.Path("tp.csv") + ":2: taxpayers: an empty name", before);
  ExpectRejected(store_->ImportAccounts({Write("noid.csv",
                                               "id,type\n"
                                               ",taxable\n")}),
                 dir_.Path("noid.csv") + ":2: id: missing", before);

  // Once an account has transactions, its type and taxpayers are fixed.
  ASSERT_TRUE(ImportTxns("t.csv", "t1,2024-01-02,A,deposit,,,,,100,,,\n").ok());
  before = Fp();
  ExpectRejected(store_->ImportAccounts({Write("retype.csv",
                                               "id,type,taxpayers\n"
                                               "A,roth_ira,T1\n")}),
                 dir_.Path("retype.csv") +
                     ":2: type: account 'A' has 1 transactions; changing its type from taxable "
                     "to roth_ira would rewrite their tax treatment",
                 before);
}

// ------------------------------------------------------------------ lots

constexpr char kLots[] =
    "account,symbol,lot_id,shares,basis,acquired,acquired_for_holding_period\n"
    "A,AAA,L1,100,1000.50,2020-03-15,\n"
    "A,BBB,L2,10.5,200,2021-06-01,2021-05-01\n"
    "B,AAA,L1,5,40,2019-01-02,\n";

TEST_F(StoreTest, ImportsLotsAsOpeningTransfers) {
  SeedSecuritiesAndAccounts();
  std::string path = Write("lots.csv", kLots);
  ExpectSummary(store_->ImportLots({path}), 3, 3, 0);

  Result<Statement> row = store_->database()->Prepare(
      "SELECT id, date, action, basis_micros, acquired, hp_date, source FROM transactions "
      "WHERE id = 'lot:A:L2'");
  ASSERT_TRUE(row.ok());
  ASSERT_TRUE(*row->Step());
  EXPECT_EQ(row->ColumnText(1), "2021-06-01");
  EXPECT_EQ(row->ColumnText(2), "transfer_in");
  EXPECT_EQ(row->ColumnInt(3), 200'000'000);
  EXPECT_EQ(row->ColumnText(4), "2021-06-01");
  EXPECT_EQ(row->ColumnText(5), "2021-05-01");
  EXPECT_EQ(row->ColumnText(6), path);

  Result<LedgerInput> input = store_->LoadLedgerInput("A", std::nullopt);
  ASSERT_TRUE(input.ok()) << input.status().message();
  Result<Ledger> ledger = BuildLedger(*input);
  ASSERT_TRUE(ledger.ok()) << ledger.status().message();
  std::vector<OpenLot> lots = ledger->OpenLots("A");
  ASSERT_EQ(lots.size(), 2u);
  EXPECT_EQ(lots[0].lot.lot_id, "L1");
  EXPECT_EQ(lots[0].lot.basis, *Money::Parse("1000.5"));
  EXPECT_EQ(lots[1].lot.shares, *Shares::Parse("10.5"));
  EXPECT_EQ(lots[1].lot.holding_period_date, D("2021-05-01"));
  EXPECT_EQ(ledger->SharesHeld("B", "AAA"), Shares::Units(5));

  std::string before = Fp();
  ExpectSummary(store_->ImportLots({path}), 3, 0, 3);
  EXPECT_EQ(Fp(), before);

  ExpectRejected(store_->ImportLots({Write("changed.csv",
                                           "account,symbol,lot_id,shares,basis,acquired\n"
                                           "A,AAA,L1,100,1001,2020-03-15\n")}),
                 dir_.Path("changed.csv") +
                     ":2: id: 'lot:A:L1' already exists with different content (basis is "
                     "1000.5 in the database but 1001 here; stored from " +
                     path + ")",
                 before);
}

TEST_F(StoreTest, LotErrorsNameTheRowAndChangeNothing) {
  SeedSecuritiesAndAccounts();
  ASSERT_TRUE(store_->ImportLots({Write("lots.csv", kLots)}).ok());
  std::string before = Fp();
  const std::string header = "account,symbol,lot_id,shares,basis,acquired\n";
  auto bad = [&](const std::string& name, const std::string& rows, const std::string& what) {
    SCOPED_TRACE(name);
    ExpectRejected(store_->ImportLots({Write(name, header + "A,AAA,OK1,1,1,2020-01-01\n" + rows)}),
                   dir_.Path(name) + ":3: " + what, before);
  };
  bad("symbol.csv", "A,ZZZ,L7,1,1,2020-01-01\n",
      "symbol: unknown symbol 'ZZZ'; add it to the securities first");
  bad("account.csv", "Q,AAA,L7,1,1,2020-01-01\n",
      "account: unknown account 'Q'; add it to the accounts first");
  bad("date.csv", "A,AAA,L7,1,1,2020-02-30\n", "acquired: invalid date '2020-02-30'");
  bad("zero.csv", "A,AAA,L7,0,1,2020-01-01\n", "shares: must be positive for transfer_in");
  bad("negative.csv", "A,AAA,L7,-3,1,2020-01-01\n", "shares: must not be negative, got -3");
  bad("basis.csv", "A,AAA,L7,1,-1,2020-01-01\n", "basis: must not be negative, got -1");
  bad("huge.csv", "A,AAA,L7,99999999999999,1,2020-01-01\n", "shares: '99999999999999' is not");
  bad("columns.csv", "A,AAA,L7,1,1\n", "expected 6 fields, found 5");
  bad("nolot.csv", "A,AAA,,1,1,2020-01-01\n", "lot_id: missing");
  bad("duplicate.csv", "A,AAA,OK1,2,1,2020-01-01\n",
      "id: 'lot:A:OK1' already exists with different content (shares is 1 in the database "
      "but 2 here");
  ExpectRejected(store_->ImportLots({Write("nobasis.csv",
                                           "account,symbol,lot_id,shares,acquired\n"
                                           "A,AAA,L7,1,2020-01-01\n")}),
                 dir_.Path("nobasis.csv") + ":1: basis: missing required column", before);
  ExpectRejected(
      store_->ImportLots({Write("hp.csv",
                                "account,symbol,lot_id,shares,basis,acquired,"
                                "acquired_for_holding_period\n"
                                "A,AAA,L7,1,1,2020-01-01,2020-02-01\n")}),
      dir_.Path("hp.csv") + ":2: acquired_for_holding_period: 2020-02-01 is after the acquisition",
      before);
}

TEST_F(StoreTest, LotAsOfDatesTheTransferAfterLaterSplits) {
  SeedSecuritiesAndAccounts();
  // A broker states lots in today's shares: as_of keeps the 2:1 split of 2022 from doubling
  // them again.
  ASSERT_TRUE(store_
                  ->PutCorporateActions({{.symbol = "AAA",
                                          .ex_date = D("2022-06-01"),
                                          .kind = CorporateActionKind::kSplit,
                                          .numerator = 2,
                                          .denominator = 1}})
                  .ok());
  ASSERT_TRUE(store_
                  ->ImportLots({Write("lots.csv",
                                      "account,symbol,lot_id,shares,basis,acquired,as_of\n"
                                      "A,AAA,OLD,100,1000,2020-01-01,\n"
                                      "A,AAA,NOW,100,1000,2020-01-01,2024-01-01\n")})
                  .ok());
  Result<LedgerInput> input = store_->LoadLedgerInput("A", std::nullopt);
  ASSERT_TRUE(input.ok());
  Result<Ledger> ledger = BuildLedger(*input);
  ASSERT_TRUE(ledger.ok()) << ledger.status().message();
  std::vector<OpenLot> lots = ledger->OpenLots("A");
  ASSERT_EQ(lots.size(), 2u);
  for (const OpenLot& lot : lots) {
    EXPECT_EQ(lot.lot.acquired, D("2020-01-01"));
    EXPECT_EQ(lot.lot.shares, Shares::Units(lot.lot.lot_id == "OLD" ? 200 : 100)) << lot.lot.lot_id;
  }
}

// ------------------------------------------------------------------ transactions

constexpr char kTxns[] =
    "t1,2024-01-02,A,deposit,,,,,10000,,,\n"
    "t2,2024-01-03,A,buy,AAA,100,10,1,,L1,,\n"
    "t3,2024-01-04,A,buy,AAA,50,12,0,,L2,,\n"
    "t4,2024-03-01,A,sell,AAA,60,11,1,,,,L1:40;L2:20\n"
    "t5,2024-03-05,A,dividend,AAA,,,,25.5,,,\n"
    "t6,2024-03-06,A,fee,,,,,2,,,\n"
    "t7,2024-03-07,A,withdrawal,,,,,100,,,\n"
    "c1,2024-01-02,C,buy,BBB,10,20,0,,,,\n";

TEST_F(StoreTest, ImportsTransactionsAndReplaysThem) {
  SeedSecuritiesAndAccounts();
  std::string path = Write("txns.csv", std::string(kTxnHeader) + kTxns);
  ExpectSummary(store_->ImportTransactions({path}), 8, 8, 0);

  Result<LedgerInput> input = store_->LoadLedgerInput("A", std::nullopt);
  ASSERT_TRUE(input.ok()) << input.status().message();
  ASSERT_EQ(input->events.size(), 7u);  // not C's
  EXPECT_EQ(input->event_ids.front(), "t1");
  EXPECT_EQ(input->events[3].lots.size(), 2u);
  EXPECT_EQ(input->events[3].lot_method, LotMethod::kSpecific);
  Result<Ledger> ledger = BuildLedger(*input);
  ASSERT_TRUE(ledger.ok()) << ledger.status().message();
  EXPECT_EQ(ledger->SharesHeld("A", "AAA"), Shares::Units(90));
  std::vector<OpenLot> lots = ledger->OpenLots("A");
  ASSERT_EQ(lots.size(), 2u);
  EXPECT_EQ(lots[0].lot.shares, Shares::Units(60));  // L1 kept 60 of 100
  EXPECT_EQ(lots[1].lot.shares, Shares::Units(30));  // L2 kept 30 of 50
  // 10000 - 1001 - 600 + (660 - 1) + 25.5 - 2 - 100
  EXPECT_EQ(*ledger->Cash("A"), *Money::Parse("8981.5"));
  EXPECT_EQ(ledger->realized().size(), 2u);

  std::string before = Fp();
  ExpectSummary(store_->ImportTransactions({path}), 8, 0, 8);
  EXPECT_EQ(Fp(), before);
}

TEST_F(StoreTest, TransactionRowsAreAppliedInDateOrderNotFileOrder) {
  SeedSecuritiesAndAccounts();
  Result<ImportSummary> s = ImportTxns("order.csv",
                                       "s1,2024-02-01,A,sell,AAA,10,11,0,,,,\n"
                                       "b1,2024-01-02,A,buy,AAA,10,10,0,,,,\n");
  ExpectSummary(s, 2, 2, 0);
  Result<LedgerInput> input = store_->LoadLedgerInput("A", std::nullopt);
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(input->event_ids, (std::vector<std::string>{"b1", "s1"}));
}

TEST_F(StoreTest, TransferInRowsCarryBasisAndAcquired) {
  SeedSecuritiesAndAccounts();
  Result<ImportSummary> s = store_->ImportTransactions({Write(
      "transfer.csv",
      "id,date,account,action,symbol,shares,basis,acquired,acquired_for_holding_period,lot_id\n"
      "x1,2024-05-01,A,transfer_in,AAA,20,150,2018-04-01,,GIFT\n")});
  ExpectSummary(s, 1, 1, 0);
  Result<Ledger> ledger = BuildLedger(*store_->LoadLedgerInput("A", std::nullopt));
  ASSERT_TRUE(ledger.ok());
  std::vector<OpenLot> lots = ledger->OpenLots("A");
  ASSERT_EQ(lots.size(), 1u);
  EXPECT_EQ(lots[0].lot.lot_id, "GIFT");
  EXPECT_EQ(lots[0].lot.acquired, D("2018-04-01"));
  EXPECT_EQ(lots[0].lot.basis, Money::Units(150));
}

TEST_F(StoreTest, TransactionErrorsNameFileLineFieldAndChangeNothing) {
  SeedSecuritiesAndAccounts();
  ASSERT_TRUE(ImportTxns("base.csv", kTxns).ok());
  std::string before = Fp();
  StoreCounts counts = Counts();
  const std::string good = "n1,2024-04-01,A,buy,AAA,1,10,0,,,,\n";
  auto bad = [&](const std::string& name, const std::string& row, const std::string& what) {
    SCOPED_TRACE(name);
    ExpectRejected(ImportTxns(name, good + row), dir_.Path(name) + ":3: " + what, before);
    EXPECT_EQ(Counts(), counts);
  };
  bad("symbol.csv", "n2,2024-04-02,A,buy,ZZZ,1,10,0,,,,\n",
      "symbol: unknown symbol 'ZZZ'; add it to the securities first");
  bad("account.csv", "n2,2024-04-02,Q,deposit,,,,,5,,,\n",
      "account: unknown account 'Q'; add it to the accounts first");
  bad("date.csv", "n2,2024-02-30,A,deposit,,,,,5,,,\n", "date: invalid date '2024-02-30'");
  bad("negative_shares.csv", "n2,2024-04-02,A,buy,AAA,-5,10,0,,,,\n",
      "shares: must not be negative, got -5");
  bad("zero_shares.csv", "n2,2024-04-02,A,buy,AAA,0,10,0,,,,\n",
      "shares: must be positive for buy");
  bad("negative_price.csv", "n2,2024-04-02,A,buy,AAA,1,-10,0,,,,\n",
      "price: must not be negative, got -10");
  bad("missing_price.csv", "n2,2024-04-02,A,buy,AAA,1,,0,,,,\n", "price: required for buy");
  // The rest of these messages is the core ledger's wording.
  bad("oversell.csv", "n2,2024-04-02,A,sell,AAA,500,10,0,,,,\n", "shares: ");
  EXPECT_NE(ImportTxns("oversell.csv", good + "n2,2024-04-02,A,sell,AAA,500,10,0,,,,\n")
                .status()
                .message()
                .find("more than held"),
            std::string::npos);
  bad("never_held.csv", "n2,2024-04-02,A,sell,BBB,5,10,0,,,,\n", "shares: ");
  bad("unknown_lot.csv", "n2,2024-04-02,A,sell,AAA,5,10,0,,,,L9:5\n", "lots: ");
  EXPECT_NE(ImportTxns("unknown_lot.csv", good + "n2,2024-04-02,A,sell,AAA,5,10,0,,,,L9:5\n")
                .status()
                .message()
                .find("'L9'"),
            std::string::npos);
  bad("bad_lots.csv", "n2,2024-04-02,A,sell,AAA,5,10,0,,,,L1-5\n",
      "lots: 'L1-5' is not LOT:SHARES");
  bad("lot_method.csv", "n2,2024-04-02,A,sell,AAA,5,10,0,,,newest,\n",
      "lot_method: unknown lot method 'newest'");
  bad("action.csv", "n2,2024-04-02,A,short,AAA,5,10,0,,,,\n", "action: unknown action 'short'");
  bad("split.csv", "n2,2024-04-02,A,split,AAA,,,,,,,\n", "action: splits are corporate actions");
  bad("duplicate.csv", "t2,2024-01-03,A,buy,AAA,100,10,2,,L1,,\n",
      "id: 't2' already exists with different content (fees is 1 in the database but 2 here; "
      "stored from " +
          dir_.Path("base.csv") + ")");
  bad("duplicate_lot_id.csv", "n2,2024-04-02,A,buy,AAA,1,10,0,,L1,,\n", "lot_id: 'L1' is already");
  bad("columns.csv", "n2,2024-04-02,A,deposit,,,,,5,,\n", "expected 12 fields, found 11");
  bad("quote.csv", "n2,2024-04-02,A,deposit,,,,,\"5,,,\n", "field 9: quoted field is never closed");
  bad("huge.csv", "n2,2024-04-02,A,deposit,,,,,2000000000000,,,\n",
      "amount: 2000000000000 is implausibly large");

  ExpectRejected(store_->ImportTransactions({Write("no_account.csv",
                                                   "id,date,action,amount\n"
                                                   "n2,2024-04-02,deposit,5\n")}),
                 dir_.Path("no_account.csv") +
                     ":1: account: missing required column (the header has: id, date, action, "
                     "amount)",
                 before);
  ExpectRejected(store_->ImportTransactions({Write("typo.csv",
                                                   "id,date,account,action,amount,feees\n"
                                                   "n2,2024-04-02,A,deposit,5,1\n")}),
                 dir_.Path("typo.csv") + ":1: feees: unknown column", before);
  ExpectRejected(store_->ImportTransactions({dir_.Path("does_not_exist.csv")}),
                 "cannot open '" + dir_.Path("does_not_exist.csv") + "'", before);
  EXPECT_EQ(Counts(), counts);
}

TEST_F(StoreTest, OneBadFileRollsBackTheWholeCall) {
  SeedSecuritiesAndAccounts();
  std::string before = Fp();
  std::string first = Write("first.csv", std::string(kTxnHeader) + kTxns);
  std::string second = Write("second.csv", std::string(kTxnHeader) +
                                               "m1,2024-04-01,A,deposit,,,,,5,,,\n"
                                               "m2,2024-04-02,A,deposit,,,,,5,,,\n"
                                               "m3,2024-04-03,A,sell,BBB,1,5,0,,,,\n");
  ExpectRejected(store_->ImportTransactions({first, second}), second + ":4: shares: ", before);
  EXPECT_EQ(Counts().transactions, 0);
}

TEST_F(StoreTest, BackdatedRowThatBreaksAStoredSaleIsRejected) {
  SeedSecuritiesAndAccounts();
  ASSERT_TRUE(ImportTxns("base.csv",
                         "b1,2024-01-02,A,buy,AAA,100,10,0,,,,\n"
                         "s1,2024-03-01,A,sell,AAA,100,10,0,,,,\n")
                  .ok());
  std::string before = Fp();
  // The new sale alone is fine on its date, but leaves too little for the stored one.
  ExpectRejected(ImportTxns("late.csv", "s0,2024-02-01,A,sell,AAA,50,10,0,,,,\n"),
                 "this change breaks the replay of stored transaction 's1' (2024-03-01 sell AAA "
                 "in account 'A'): ",
                 before);
}

// ------------------------------------------------------------------ bulk paths

std::string IndexDefinitions(Database* db) {
  Result<Statement> select = db->Prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'transactions' "
      "ORDER BY name");
  std::string text;
  while (*select->Step()) text += select->ColumnText(0) + ": " + select->ColumnText(1) + "\n";
  return text;
}

std::string ManyLots(int count, int first = 0) {
  std::string text = "account,symbol,lot_id,shares,basis,acquired\n";
  for (int i = first; i < first + count; ++i) {
    text += std::string(i % 2 ? "A" : "B") + "," + (i % 3 ? "AAA" : "BBB") + ",K" +
            std::to_string(i) + "," + std::to_string(1 + i % 7) + ",100," +
            (i % 5 ? "2020-01-0" : "2019-12-0") + std::to_string(1 + i % 9) + "\n";
  }
  return text;
}

TEST_F(StoreTest, BulkLotImportRebuildsItsIndexesAndRollsBackWhole) {
  SeedSecuritiesAndAccounts();
  const std::string indexes = IndexDefinitions(store_->database());
  ASSERT_NE(indexes.find("transactions_by_seq"), std::string::npos);

  // 12000 rows take the bulk path (indexes dropped, rows written in key order).
  std::string path = Write("many.csv", ManyLots(12'000));
  ExpectSummary(store_->ImportLots({path}), 12'000, 12'000, 0);
  EXPECT_EQ(IndexDefinitions(store_->database()), indexes);
  Result<LedgerInput> input = store_->LoadLedgerInput("A", std::nullopt);
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(input->events.size(), 12'000u);  // A and B share taxpayer T1
  Result<Ledger> ledger = BuildLedger(*input);
  ASSERT_TRUE(ledger.ok()) << ledger.status().message();
  EXPECT_EQ(ledger->open_lot_count(), 12'000u);

  // A second bulk file whose last row contradicts a stored lot: nothing of it stays, and
  // the dropped indexes come back with the rollback.
  std::string before = Fp();
  std::string more = ManyLots(20'000, 12'000) + "A,AAA,K1,999,100,2020-01-02\n";
  ExpectRejected(store_->ImportLots({Write("more.csv", more)}),
                 dir_.Path("more.csv") +
                     ":20002: id: 'lot:A:K1' already exists with different "
                     "content (shares is 2 in the database but 999 here",
                 before);
  EXPECT_EQ(IndexDefinitions(store_->database()), indexes);

  // Re-importing the first file in bulk changes nothing.
  ExpectSummary(store_->ImportLots({path}), 12'000, 0, 12'000);
  EXPECT_EQ(Fp(), before);
}

TEST_F(StoreTest, BatchesMixingNewAndStoredRowsAreSortedOut) {
  SeedSecuritiesAndAccounts();
  std::string prices = "symbol,date,close\n";
  std::string txns;
  Date day = D("2023-01-02");
  for (int i = 0; i < 200; ++i, day = day.AddDays(1)) {
    prices += "AAA," + day.ToString() + "," + std::to_string(10 + i) + "\n";
    txns += "d" + std::to_string(i) + "," + day.ToString() + ",A,deposit,,,,,1,,,\n";
  }
  // Whole lines only: the first half of the prices and a third of the deposits.
  auto head = [](const std::string& text, size_t size) {
    return text.substr(0, text.rfind('\n', size) + 1);
  };
  ASSERT_TRUE(store_->ImportPrices({Write("half.csv", head(prices, prices.size() / 2))}).ok());
  Result<ImportSummary> third = ImportTxns("third.csv", head(txns, txns.size() / 3));
  ASSERT_TRUE(third.ok()) << third.status().message();
  Result<ImportSummary> p = store_->ImportPrices({Write("all.csv", prices)});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rows_read, 200u);
  EXPECT_EQ(p->inserted + p->unchanged, 200u);
  EXPECT_GT(p->unchanged, 90u);
  Result<ImportSummary> t = ImportTxns("all.csv", txns);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->inserted + t->unchanged, 200u);
  EXPECT_GT(t->unchanged, 60u);
  Result<LedgerInput> input = store_->LoadLedgerInput("A", std::nullopt);
  ASSERT_TRUE(input.ok());
  ASSERT_EQ(input->events.size(), 200u);
  for (size_t i = 0; i < 200; ++i) EXPECT_EQ(input->event_ids[i], "d" + std::to_string(i));
  EXPECT_EQ(*BuildLedger(*input)->Cash("A"), Money::Units(200));
}

TEST_F(StoreTest, SameDayRowsKeepFileOrderAcrossImports) {
  SeedSecuritiesAndAccounts();
  ASSERT_TRUE(ImportTxns("one.csv",
                         "x1,2024-01-02,A,buy,AAA,10,10,0,,,,\n"
                         "x2,2024-01-02,A,sell,AAA,10,11,0,,,,\n")
                  .ok());
  ASSERT_TRUE(ImportTxns("two.csv",
                         "x1,2024-01-02,A,buy,AAA,10,10,0,,,,\n"
                         "x3,2024-01-02,A,buy,AAA,5,10,0,,,,\n"
                         "x4,2024-01-02,A,sell,AAA,5,10,0,,,,\n")
                  .ok());
  Result<LedgerInput> input = store_->LoadLedgerInput("A", std::nullopt);
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(input->event_ids, (std::vector<std::string>{"x1", "x2", "x3", "x4"}));
  // A sell listed before its same-day buy has nothing to sell yet.
  std::string before = Fp();
  ExpectRejected(ImportTxns("three.csv",
                            "y1,2024-01-03,A,sell,AAA,5,10,0,,,,\n"
                            "y2,2024-01-03,A,buy,AAA,5,10,0,,,,\n"),
                 dir_.Path("three.csv") + ":2: shares: ", before);
}

TEST_F(StoreTest, OpeningTransfersStillNeedUniqueLabels) {
  SeedSecuritiesAndAccounts();
  std::string before = Fp();
  // Accounts without history take the in-memory check instead of a replay.
  ExpectRejected(store_->ImportTransactions(
                     {Write("open.csv",
                            "id,date,account,action,symbol,shares,basis,acquired,lot_id\n"
                            "o1,2024-01-02,A,transfer_in,AAA,1,10,2020-01-01,L1\n"
                            "o2,2024-01-02,A,transfer_in,BBB,1,10,2020-01-01,L1\n")}),
                 dir_.Path("open.csv") + ":3: lot_id: 'L1' is already used in account 'A' (by " +
                     dir_.Path("open.csv") + ":2)",
                 before);
  ExpectRejected(store_->ImportLots({Write("hash.csv",
                                           "account,symbol,lot_id,shares,basis,acquired\n"
                                           "A,AAA,#1,1,10,2020-01-01\n")}),
                 dir_.Path("hash.csv") + ":2: lot_id: '#1': labels starting with '#' are reserved",
                 before);
}

// ------------------------------------------------------------------ ledger input

TEST_F(StoreTest, LedgerInputCoversEveryAccountOfTheTaxpayersAndWashesAcrossThem) {
  SeedSecuritiesAndAccounts();
  ASSERT_TRUE(ImportTxns("wash.csv",
                         "a1,2023-06-01,A,buy,AAA,100,10,0,,,,\n"
                         "a2,2024-02-01,A,sell,AAA,100,8,0,,,,\n"
                         "b1,2024-02-10,B,buy,AAA,100,8.5,0,,,,\n"
                         "c1,2024-02-10,C,buy,AAA,100,8.5,0,,,,\n")
                  .ok());
  Result<LedgerInput> input = store_->LoadLedgerInput("A", std::nullopt);
  ASSERT_TRUE(input.ok()) << input.status().message();
  std::vector<std::string> ids;
  for (const Account& a : input->accounts) ids.push_back(a.id);
  // T1 owns A and B and shares J with T2, who owns S: one wash-sale scope. C is apart.
  EXPECT_EQ(ids, (std::vector<std::string>{"A", "B", "J", "S"}));
  EXPECT_EQ(input->event_ids, (std::vector<std::string>{"a1", "a2", "b1"}));
  EXPECT_EQ(input->wash_sale_groups.size(), 2u);  // IVV and SPY

  Result<Ledger> ledger = BuildLedger(*input);
  ASSERT_TRUE(ledger.ok()) << ledger.status().message();
  ASSERT_EQ(ledger->realized().size(), 1u);
  const Realization& loss = ledger->realized()[0];
  EXPECT_EQ(loss.GainBeforeWash(), Money::Units(-200));
  // The IRA purchase washes the loss, permanently.
  EXPECT_EQ(loss.wash_disallowed, Money::Units(200));
  EXPECT_EQ(loss.wash_disallowed_permanent, Money::Units(200));

  Result<LedgerInput> spouse = store_->LoadLedgerInput("S", std::nullopt);
  ASSERT_TRUE(spouse.ok());
  EXPECT_EQ(spouse->accounts.size(), 4u);
  Result<LedgerInput> other = store_->LoadLedgerInput("C", std::nullopt);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->accounts.size(), 1u);
  EXPECT_EQ(other->event_ids, (std::vector<std::string>{"c1"}));

  Result<LedgerInput> early = store_->LoadLedgerInput("A", D("2024-02-01"));
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->event_ids, (std::vector<std::string>{"a1", "a2"}));

  Result<LedgerInput> unknown = store_->LoadLedgerInput("NOPE", std::nullopt);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "unknown account 'NOPE'");
}

// The daily review's load (LoadScopeLedgerInput) reads an account's dividends of one day as one
// event: dividends only add cash, so the ledger it replays is the one of every row.
TEST_F(StoreTest, AScopeLoadMergesEachDaysDividendsIntoTheSameLedger) {
  SeedSecuritiesAndAccounts();
  ASSERT_TRUE(ImportTxns("dividends.csv",
                         "d0,2024-01-02,A,deposit,,,,,5000,,,\n"
                         "d1,2024-01-02,A,buy,AAA,100,10,1,,,,\n"
                         "d2,2024-03-01,A,dividend,AAA,,,,12.5,,,\n"
                         "d3,2024-03-01,A,dividend,SPY,,,,7.25,,,\n"
                         "d4,2024-03-01,A,sell,AAA,40,9,0,,,,\n"
                         "d5,2024-03-02,B,dividend,AAA,,,,3,,,\n"
                         "d6,2024-06-03,A,withdrawal,,,,,100,,,\n"
                         "d7,2024-06-03,A,dividend,AAA,,,,1.5,,,\n")
                  .ok());
  Result<LedgerInput> every_row = store_->LoadLedgerInput("A", std::nullopt);
  ASSERT_TRUE(every_row.ok()) << every_row.status().message();
  Result<LedgerInput> merged = store_->LoadScopeLedgerInput(every_row->accounts, std::nullopt);
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(merged->event_ids,
            (std::vector<std::string>{"d0", "d1", "dividends:A:2024-03-01", "d4",
                                      "dividends:B:2024-03-02", "d6", "dividends:A:2024-06-03"}));
  Result<Ledger> full = BuildLedger(*every_row);
  Result<Ledger> scoped = BuildLedger(*merged);
  ASSERT_TRUE(full.ok() && scoped.ok());
  for (const char* account : {"A", "B"}) {
    EXPECT_EQ(*scoped->Cash(account), *full->Cash(account)) << account;
  }
  EXPECT_EQ(*scoped->Cash("A"), Money::FromMicros(5000'000000 - 1001'000000 + 19'750000 + 360'000000 -
                                                  100'000000 + 1'500000));
  ASSERT_EQ(scoped->realized().size(), full->realized().size());
  EXPECT_EQ(scoped->realized()[0].Gain(), full->realized()[0].Gain());
  ASSERT_EQ(scoped->OpenLots("A").size(), 1u);
  EXPECT_EQ(scoped->OpenLots("A")[0].lot.shares, full->OpenLots("A")[0].lot.shares);
  EXPECT_EQ(scoped->OpenLots("A")[0].lot.basis, full->OpenLots("A")[0].lot.basis);
}

TEST_F(StoreTest, SplitsArePlacedBeforeTheTradesOfTheirExDate) {
  const std::string data = ARBOR_SHARED_DATA_DIR;
  ASSERT_TRUE(
      store_->ImportSecurities({data + "/sp500-constituents/constituents_2021-04-24.csv"}).ok());
  ASSERT_TRUE(store_->ImportAccounts({Write("accounts.csv", kAccounts)}).ok());
  ASSERT_TRUE(store_->ImportPrices({data + "/sp500-prices-alphavantage/daily/AAPL.csv"}).ok());
  // 10 shares bought before the 7:1 split are 70 on the ex-date: selling 70 that day works
  // only if the split comes first.
  Result<ImportSummary> s = ImportTxns("aapl.csv",
                                       "p1,2014-06-02,A,buy,AAPL,10,630,0,,,,\n"
                                       "p2,2014-06-09,A,sell,AAPL,70,93.7,0,,,,\n"
                                       "p3,2019-01-02,A,buy,AAPL,1,157,0,,,,\n");
  ExpectSummary(s, 3, 3, 0);
  Result<LedgerInput> input = store_->LoadLedgerInput("A", std::nullopt);
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(input->event_ids, (std::vector<std::string>{"p1", "split:AAPL:2014-06-09", "p2", "p3",
                                                        "split:AAPL:2020-08-31"}));
  Result<Ledger> ledger = BuildLedger(*input);
  ASSERT_TRUE(ledger.ok()) << ledger.status().message();
  EXPECT_EQ(ledger->SharesHeld("A", "AAPL"), Shares::Units(4));

  Result<LedgerInput> before_split = store_->LoadLedgerInput("A", D("2014-06-08"));
  ASSERT_TRUE(before_split.ok());
  EXPECT_EQ(before_split->event_ids, (std::vector<std::string>{"p1"}));
}

TEST_F(StoreTest, ASplitThatBreaksAStoredHistoryIsRejected) {
  SeedSecuritiesAndAccounts();
  ASSERT_TRUE(ImportTxns("base.csv",
                         "b1,2024-01-02,A,buy,BBB,10,10,0,,,,\n"
                         "s1,2024-03-01,A,sell,BBB,10,10,0,,,,\n")
                  .ok());
  std::string before = Fp();
  Status status = store_->PutCorporateActions({{.symbol = "BBB",
                                                .ex_date = D("2024-02-01"),
                                                .kind = CorporateActionKind::kSplit,
                                                .numerator = 1,
                                                .denominator = 10}});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("breaks the replay of stored transaction 's1'"),
            std::string::npos)
      << status.message();
  EXPECT_EQ(Fp(), before);
}

// ------------------------------------------------------------------ programmatic writes

TEST_F(StoreTest, PutAndLoadRoundTrip) {
  SecurityMaster master;
  ASSERT_TRUE(master
                  .Add({.symbol = "XYZ",
                        .name = "Xyz Co",
                        .type = SecurityType::kAdr,
                        .gics = {"Energy", "Energy", "Oil, Gas & Consumable Fuels", "Oil & Gas"},
                        .asset_class = "Intl",
                        .fractional = false,
                        .wash_sale_group = "G"})
                  .ok());
  ASSERT_TRUE(store_->PutSecurities(master).ok());
  Result<SecurityMaster> loaded = store_->LoadSecurities();
  ASSERT_TRUE(loaded.ok());
  const Security* xyz = loaded->Find("XYZ");
  ASSERT_NE(xyz, nullptr);
  EXPECT_EQ(xyz->type, SecurityType::kAdr);
  EXPECT_EQ(xyz->gics.industry, "Oil, Gas & Consumable Fuels");
  EXPECT_FALSE(xyz->fractional);
  EXPECT_EQ(xyz->wash_sale_group, "G");

  ASSERT_TRUE(store_
                  ->PutPrices("XYZ", {{D("2024-01-02"), Price::Units(5)},
                                      {D("2024-01-03"), Price::Units(6)}})
                  .ok());
  EXPECT_EQ((*store_->LatestPrice("XYZ", D("2030-01-01")))->second, Price::Units(6));
  std::string before = Fp();
  Status bad_price = store_->PutPrices(
      "XYZ", {{D("2024-01-04"), Price::Units(7)}, {D("2024-01-05"), Price::Units(0)}});
  EXPECT_EQ(bad_price.message(), "prices of XYZ[1] (2024-01-05): close: must be positive, got 0");
  EXPECT_EQ(Fp(), before);

  ASSERT_TRUE(store_
                  ->PutPriceHistories({{.symbol = "XYZ",
                                        .bars = {{.date = D("2024-02-01"),
                                                  .open = Price::Units(6),
                                                  .close = Price::Units(3),
                                                  .dividend_per_share = *Price::Parse("0.1"),
                                                  .split_numerator = 2,
                                                  .split_denominator = 1}}}})
                  .ok());
  Result<std::vector<CorporateAction>> actions = store_->LoadCorporateActions("XYZ");
  ASSERT_TRUE(actions.ok());
  ASSERT_EQ(actions->size(), 2u);
  EXPECT_EQ((*actions)[0].kind, CorporateActionKind::kSplit);
  EXPECT_EQ((*actions)[1].cash_per_share, *Price::Parse("0.1"));

  ASSERT_TRUE(store_
                  ->PutAccounts({{.id = "A", .type = AccountType::kRothIra, .taxpayers = {"T"}},
                                 {.id = "B", .type = AccountType::kTaxable, .taxpayers = {"T"}}})
                  .ok());
  Result<std::vector<Account>> accounts = store_->LoadAccounts();
  ASSERT_TRUE(accounts.ok());
  ASSERT_EQ(accounts->size(), 2u);
  EXPECT_EQ((*accounts)[0].type, AccountType::kRothIra);
}

TEST_F(StoreTest, AppendTransactionsNumbersIdsPerSource) {
  SeedSecuritiesAndAccounts();
  Event deposit{.date = D("2024-01-02"),
                .account = "A",
                .action = EventAction::kDeposit,
                .amount = Money::Units(1000)};
  Event buy{.date = D("2024-01-03"),
            .account = "A",
            .action = EventAction::kBuy,
            .symbol = "AAA",
            .shares = Shares::Units(10),
            .price = Price::Units(10)};
  ASSERT_TRUE(store_->AppendTransactions({deposit, buy}, "demo").ok());
  Event sell = buy;
  sell.action = EventAction::kSell;
  sell.date = D("2024-01-04");
  ASSERT_TRUE(store_->AppendTransactions({sell}, "demo").ok());
  Result<LedgerInput> input = store_->LoadLedgerInput("A", std::nullopt);
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(input->event_ids, (std::vector<std::string>{"demo:1", "demo:2", "demo:3"}));

  std::string before = Fp();
  Event unknown = buy;
  unknown.symbol = "ZZZ";
  Status status = store_->AppendTransactions({deposit, unknown}, "demo");
  EXPECT_EQ(status.message(),
            "events[1]: symbol: unknown symbol 'ZZZ'; add it to the securities first");
  Status oversell = store_->AppendTransactions({sell}, "demo");
  EXPECT_EQ(oversell.message().substr(0, 18), "events[0]: shares:") << oversell.message();
  EXPECT_EQ(Fp(), before);
}

}  // namespace
}  // namespace arbor
