// The firm generator on the real data: a 30-account firm, stored and replayed from the
// database, checked for determinism, its mix of accounts, the problems planted for the daily
// review, and the wash-sale rule across each taxpayer's accounts.
#include "adapters/demo/firm_generator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "adapters/storage/cash_policy_store.h"
#include "adapters/storage/custodian_positions_store.h"
#include "adapters/storage/ledger_loader.h"
#include "adapters/storage/model_store.h"
#include "adapters/storage/risk_universe.h"
#include "core/ledger/ledger.h"

namespace arbor {
namespace {

const std::string kData = ARBOR_SHARED_DATA_DIR;
const Date kAsOf = *Date::Parse("2021-04-21");

struct World {
  std::filesystem::path dir;
  SecurityMaster master;
  std::vector<PriceHistory> prices;
  std::unique_ptr<Store> store;
  DemoCatalogue catalogue;
  FirmData firm;
};

// Loaded once: the S&P 500 master and prices, the demo's funds, and AET, whose prices end in
// 2018 (the stale price the generator plants).
World& TheWorld() {
  static World* world = [] {
    auto* w = new World;
    w->dir = std::filesystem::temp_directory_path() /
             ("firm_generator_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(w->dir);
    std::filesystem::create_directories(w->dir);
    w->master = LoadSp500SecurityMaster(kData).value();
    std::vector<std::string> symbols = ListAlphaVantageSymbols(kData).value();
    std::erase_if(symbols, [&](const std::string& s) { return !w->master.Contains(s); });
    w->prices = LoadAlphaVantageUniverse(kData, symbols).value();
    for (const char* etf : {"SPY", "AGG", "VNQ", "IJH", "IWM", "EFA", "VWO", "TLT"}) {
      PriceHistory h = LoadEtfPrices(kData, etf, EtfSeries::kRawClose).value();
      std::erase_if(h.bars, [](const DailyBar& bar) { return bar.date > kAsOf; });
      w->prices.push_back(std::move(h));
    }
    w->prices.push_back(
        LoadEtfPriceFile(kData + "/sp500-prices-removed-2013-2018/iex_split_adjusted_5yr/AET.csv",
                         "AET")
            .value());
    w->store = Store::Open((w->dir / "firm.db").string()).value();
    EXPECT_TRUE(w->store->PutSecurities(w->master).ok());
    EXPECT_TRUE(w->store->PutPriceHistories(w->prices).ok());
    const RiskModel risk =
        EstimateRiskModelFromStore(*w->store, *Date::Parse("2020-03-20")).value();
    w->catalogue =
        BuildDemoCatalogue(kData, w->master, w->prices, risk, {.first_year = 2013}).value();
    for (const models::SecurityModel& m : w->catalogue.security_models) {
      EXPECT_TRUE(SaveSecurityModel(*w->store, m).ok());
    }
    for (const models::Template& t : w->catalogue.templates) {
      EXPECT_TRUE(SaveTemplate(*w->store, t).ok());
    }
    for (const models::Screen& s : w->catalogue.screens) EXPECT_TRUE(SaveScreen(*w->store, s).ok());
    w->firm = GenerateFirm(w->catalogue, w->master, w->prices, {.accounts = 30, .seed = 5}).value();
    Status stored = StoreFirm(*w->store, w->firm);
    EXPECT_TRUE(stored.ok()) << stored.message();
    return w;
  }();
  return *world;
}

std::string Fingerprint(const FirmData& firm) {
  std::string text;
  for (const Account& a : firm.accounts) text += a.id + a.advisor + a.household + "\n";
  for (const Event& e : firm.events) {
    text += e.date.ToString() + e.account + std::string(ToString(e.action)) + e.symbol +
            e.shares.ToString() + e.price.ToString() + e.amount.ToString() + "\n";
  }
  for (const CustodianPosition& p : firm.custodian_positions) {
    text += p.account + p.symbol + p.shares.ToString() + "\n";
  }
  return text;
}

std::map<std::string, Price> ClosesAt(const std::vector<PriceHistory>& prices, Date date) {
  std::map<std::string, Price> closes;
  for (const PriceHistory& h : prices) {
    for (const DailyBar& bar : h.bars) {
      if (bar.date <= date) closes[h.symbol] = bar.close;
    }
  }
  return closes;
}

TEST(FirmGeneratorTest, IsDeterministicForASeed) {
  World& w = TheWorld();
  const FirmData again =
      GenerateFirm(w.catalogue, w.master, w.prices, {.accounts = 30, .seed = 5, .threads = 1})
          .value();
  EXPECT_EQ(Fingerprint(again), Fingerprint(w.firm));
  const FirmData other =
      GenerateFirm(w.catalogue, w.master, w.prices, {.accounts = 30, .seed = 6}).value();
  EXPECT_NE(Fingerprint(other), Fingerprint(w.firm));

  // Two slices make up the firm.
  FirmData first =
      GenerateFirm(w.catalogue, w.master, w.prices,
                   {.accounts = 30, .seed = 5, .first_account = 0, .account_count = 14})
          .value();
  const FirmData second = GenerateFirm(w.catalogue, w.master, w.prices,
                                       {.accounts = 30, .seed = 5, .first_account = 14})
                              .value();
  EXPECT_GE(first.accounts.size(), 14u);
  EXPECT_LT(first.accounts.size(), 30u);
  first.accounts.insert(first.accounts.end(), second.accounts.begin(), second.accounts.end());
  first.events.insert(first.events.end(), second.events.begin(), second.events.end());
  first.custodian_positions.insert(first.custodian_positions.end(),
                                   second.custodian_positions.begin(),
                                   second.custodian_positions.end());
  EXPECT_EQ(Fingerprint(first), Fingerprint(w.firm));
}

TEST(FirmGeneratorTest, HasHouseholdsAdvisorsAndAMixOfAccounts) {
  const FirmData& firm = TheWorld().firm;
  ASSERT_EQ(firm.accounts.size(), 30u);
  std::map<AccountType, int> types;
  std::set<std::string> households, advisors;
  for (const Account& a : firm.accounts) {
    ++types[a.type];
    households.insert(a.household);
    advisors.insert(a.advisor);
    EXPECT_FALSE(a.advisor.empty()) << a.id;
  }
  EXPECT_GE(types[AccountType::kTaxable], 10);
  EXPECT_GE(types[AccountType::kTraditionalIra] + types[AccountType::kRothIra], 5);
  EXPECT_LT(households.size(), 30u);  // some households have several accounts
  EXPECT_EQ(advisors.size(), 1u);     // one advisor per 40 accounts, at least one
  EXPECT_EQ(firm.customizations.size(), 30u);
  EXPECT_EQ(firm.settings.size(), 30u);
  // Funded on dates spread since 2013.
  std::map<std::string, Date> funded;
  for (const Event& e : firm.events) funded.try_emplace(e.account, e.date);
  EXPECT_LT(std::min_element(funded.begin(), funded.end(),
                             [](auto& x, auto& y) { return x.second < y.second; })
                ->second,
            *Date::Parse("2016-01-01"));
}

TEST(FirmGeneratorTest, EveryAccountReplaysFromTheStoreAndMatchesItsCustodian) {
  World& w = TheWorld();
  const std::map<std::string, Price> closes = ClosesAt(w.prices, kAsOf);
  std::set<std::string> problem_accounts;
  for (const PlantedProblem& p : w.firm.problems) problem_accounts.insert(p.account);
  std::vector<double> values;
  size_t direct_indexes = 0;
  for (const Account& account : w.firm.accounts) {
    Result<LedgerInput> input = w.store->LoadLedgerInput(account.id, std::nullopt);
    ASSERT_TRUE(input.ok()) << input.status().message();
    Result<Ledger> ledger = BuildLedger(*input);
    ASSERT_TRUE(ledger.ok()) << account.id << ": " << ledger.status().message();
    std::map<std::string, Shares> held;
    double value = ledger->Cash(account.id)->ToDouble();
    for (const OpenLot& lot : ledger->OpenLots(account.id)) {
      held[lot.symbol] += lot.lot.shares;
      auto close = closes.find(lot.symbol);
      if (close != closes.end()) value += Value(lot.lot.shares, close->second).ToDouble();
    }
    values.push_back(value);
    direct_indexes += held.size() > 300;
    std::optional<CustodianSnapshot> custodian =
        LoadCustodianPositions(w.store->database(), account.id, kAsOf).value();
    ASSERT_TRUE(custodian.has_value()) << account.id;
    std::map<std::string, Shares> reported;
    for (const CustodianPosition& p : custodian->positions) reported[p.symbol] = p.shares;
    if (!problem_accounts.contains(account.id)) {
      EXPECT_EQ(reported, held) << account.id;
    }
    const RebalanceSettings settings =
        LoadRebalanceSettings(w.store->database(), account.id).value();
    EXPECT_TRUE(settings.stored) << account.id;
    EXPECT_GE(settings.tax_rates.LongTerm(), 0.15) << account.id;
  }
  std::sort(values.begin(), values.end());
  EXPECT_GT(values.front(), 10e3);
  EXPECT_LT(values.back(), 80e6);
  EXPECT_GT(values[values.size() / 2], 150e3);
  EXPECT_LT(values[values.size() / 2], 8e6);
  EXPECT_GE(direct_indexes, 3u);
}

// Each review resolves the versions in effect that day: accounts funded years ago hold names
// that only came to the index (and the market) in 2020.
TEST(FirmGeneratorTest, ReviewsFollowTheCatalogueVersionsOfTheirDay) {
  World& w = TheWorld();
  std::set<std::string> new_names;
  for (const PriceHistory& h : w.prices) {
    const Security* security = w.master.Find(h.symbol);
    if (security != nullptr && security->type == SecurityType::kStock &&
        h.bars.front().date >= *Date::Parse("2020-01-01")) {
      new_names.insert(h.symbol);
    }
  }
  ASSERT_FALSE(new_names.empty());
  std::map<std::string, Date> funded;
  for (const Event& e : w.firm.events) funded.try_emplace(e.account, e.date);
  size_t old_accounts_holding_new_names = 0;
  for (const CustodianPosition& p : w.firm.custodian_positions) {
    old_accounts_holding_new_names +=
        new_names.contains(p.symbol) && funded[p.account] < *Date::Parse("2019-01-01");
  }
  EXPECT_GT(old_accounts_holding_new_names, 0u);
}

TEST(FirmGeneratorTest, PlantsEveryDataProblemAndWithdrawals) {
  World& w = TheWorld();
  std::set<review::DataProblemKind> kinds;
  for (const PlantedProblem& p : w.firm.problems) {
    kinds.insert(p.kind);
    if (p.kind == review::DataProblemKind::kNegativeCash) {
      Ledger ledger = BuildLedger(*w.store->LoadLedgerInput(p.account, kAsOf)).value();
      EXPECT_TRUE(ledger.Cash(p.account)->is_negative()) << p.detail;
    }
    if (p.kind == review::DataProblemKind::kStalePrice) {
      Ledger ledger = BuildLedger(*w.store->LoadLedgerInput(p.account, kAsOf)).value();
      EXPECT_TRUE(ledger.SharesHeld(p.account, "AET").is_positive()) << p.detail;
    }
  }
  EXPECT_EQ(kinds, (std::set<review::DataProblemKind>{review::DataProblemKind::kPositionMismatch,
                                                      review::DataProblemKind::kStalePrice,
                                                      review::DataProblemKind::kNegativeCash,
                                                      review::DataProblemKind::kUnknownSecurity}));
  size_t scheduled = 0, pending = 0, paid = 0;
  for (const AccountCashPolicy& p : w.firm.cash_policies) {
    const review::CashPolicy stored = LoadCashPolicy(w.store->database(), p.account).value();
    scheduled += stored.scheduled.size();
    for (const review::WithdrawalRequest& r : stored.requests) {
      pending += r.status == review::WithdrawalRequestStatus::kPending;
      paid += r.status == review::WithdrawalRequestStatus::kPaid;
    }
  }
  EXPECT_GE(scheduled, 1u);
  EXPECT_GE(pending, 1u);
  EXPECT_GE(paid, 1u);
}

// IRS Pub. 550: a loss sale and a purchase of the same security within 30 days either side,
// in any account of the taxpayer (spouses filing jointly included). Checked on the events
// directly, and on what the ledger reports.
TEST(FirmGeneratorTest, HarvestsWithoutWashSalesAcrossTheTaxpayersAccounts) {
  World& w = TheWorld();
  std::map<std::string, std::string> household_of;
  for (const Account& a : w.firm.accounts) household_of[a.id] = a.household;
  std::map<std::pair<std::string, std::string>, std::vector<Date>> buys;  // (household, group)
  for (const Event& e : w.firm.events) {
    if (e.action == EventAction::kBuy) {
      buys[{household_of[e.account], w.master.WashSaleGroupOf(e.symbol)}].push_back(e.date);
    }
  }
  size_t losses = 0, disallowed = 0;
  std::set<std::string> checked_scopes;
  for (const Account& account : w.firm.accounts) {
    if (!checked_scopes.insert(account.household).second) continue;
    Ledger ledger = BuildLedger(*w.store->LoadLedgerInput(account.id, std::nullopt)).value();
    for (const Realization& r : ledger.realized()) {
      if (!r.reportable || r.GainBeforeWash().micros() >= 0) continue;
      ++losses;
      disallowed += r.wash_disallowed.is_positive();
      for (Date bought : buys[{household_of[r.account], w.master.WashSaleGroupOf(r.symbol)}]) {
        EXPECT_GT(std::abs(bought - r.sell_date), 30)
            << r.account << " sold " << r.symbol << " at a loss on " << r.sell_date.ToString()
            << ", bought on " << bought.ToString();
      }
    }
  }
  EXPECT_GT(losses, 50u);  // harvests happened
  EXPECT_EQ(disallowed, 0u);
}

}  // namespace
}  // namespace arbor
