// Householding on the real data (issue 6; docs/household-rebalance.md): the Park household of
// adapters/demo/household_scenario.h — a joint taxable account holding an S&P 500 direct index
// bought in January 2016, a traditional IRA in bond and REIT ETFs and a Roth IRA in small caps —
// whose template moves from 60/40 to 70/30 on 2021-04-01. The household rebalance of 2021-04-21
// must implement the shift inside the IRA and the Roth, where trades are tax-free, realizing no
// gain in the taxable account; and replayed through the ledger's wash-sale engine (IRC 1091;
// IRS Publication 550, "Wash Sales"; Rev. Rul. 2008-5 for a purchase in an IRA) its trades must
// disallow no loss in any account of the household.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "arbor_cli_runner.h"
#include "adapters/demo/household_scenario.h"
#include "adapters/io/market_data.h"
#include "adapters/storage/account_menu_store.h"
#include "adapters/storage/household_input_loader.h"
#include "adapters/storage/household_store.h"
#include "adapters/storage/ledger_loader.h"
#include "adapters/storage/rebalance_context.h"
#include "adapters/storage/risk_model_store.h"
#include "adapters/storage/risk_universe.h"
#include "adapters/storage/store.h"
#include "core/review/household_rebalance.h"
#include "core/review/proposal_events.h"

namespace arbor {
namespace {

using json = nlohmann::json;

const HouseholdScenario kScenario{.names = 60};

// Every 5th price file (about 100 stocks: the direct index's names and the risk model's
// universe) and the template's ETFs, from late 2015 to the review date.
std::vector<PriceHistory> LoadPrices(const SecurityMaster& master) {
  std::vector<std::string> symbols = ListAlphaVantageSymbols(ARBOR_SHARED_DATA_DIR).value();
  std::erase_if(symbols, [&](const std::string& s) { return !master.Contains(s); });
  std::vector<std::string> slice;
  for (size_t k = 0; k < symbols.size(); k += 5) slice.push_back(symbols[k]);
  std::vector<PriceHistory> prices = LoadAlphaVantageUniverse(ARBOR_SHARED_DATA_DIR, slice).value();
  for (const char* etf : {"AGG", "TLT", "VNQ", "IWM"}) {
    prices.push_back(LoadEtfPrices(ARBOR_SHARED_DATA_DIR, etf, EtfSeries::kRawClose).value());
  }
  for (PriceHistory& history : prices) {
    std::erase_if(history.bars, [](const DailyBar& bar) {
      return bar.date < *Date::Parse("2015-12-01") || bar.date > kScenario.review;
    });
  }
  return prices;
}

size_t IndexOf(const review::RebalanceInput& account, const std::string& symbol) {
  for (size_t i = 0; i < account.securities.size(); ++i) {
    if (account.securities[i].symbol == symbol) return i;
  }
  return account.securities.size();
}

class HouseholdRebalanceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() /
           ("arbor_household_rebalance_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    store_ = Store::Open((dir_ / "arbor.db").string()).value().release();
    const SecurityMaster master = LoadSp500SecurityMaster(ARBOR_SHARED_DATA_DIR).value();
    const std::vector<PriceHistory> prices = LoadPrices(master);
    ASSERT_TRUE(store_->PutSecurities(master).ok());
    ASSERT_TRUE(store_->PutPriceHistories(prices).ok());
    Result<StoredHouseholdScenario> stored = StoreHouseholdScenario(*store_, master, prices, kScenario);
    ASSERT_TRUE(stored.ok()) << stored.status().message();
    names_ = new std::vector<std::string>(stored->names);
    Result<RiskModel> risk = EstimateRiskModelFromStore(*store_, kScenario.review);
    ASSERT_TRUE(risk.ok()) << risk.status().message();
    ASSERT_TRUE(SaveRiskModel(store_->database(), *risk).ok());

    std::unique_ptr<RebalanceContext> context =
        RebalanceContext::Load(*store_, kScenario.review).value();
    Result<review::HouseholdRebalanceInput> input =
        LoadHouseholdRebalanceInput(*store_, *context, kScenario.household);
    ASSERT_TRUE(input.ok()) << input.status().message();
    input_ = new review::HouseholdRebalanceInput(std::move(input).value());
    Result<review::HouseholdProposal> proposal = review::RebalanceHousehold(*input_);
    ASSERT_TRUE(proposal.ok()) << proposal.status().message();
    proposal_ = new review::HouseholdProposal(std::move(proposal).value());
  }
  static void TearDownTestSuite() {
    delete proposal_;
    delete input_;
    delete names_;
    delete store_;
    std::filesystem::remove_all(dir_);
  }

  // Members come in id order: PARK-IRA, PARK-JOINT, PARK-ROTH.
  static size_t Member(const std::string& id) {
    for (size_t a = 0; a < input_->accounts.size(); ++a) {
      if (input_->accounts[a].account == id) return a;
    }
    ADD_FAILURE() << "no member " << id;
    return 0;
  }

  static std::filesystem::path dir_;
  static Store* store_;
  static std::vector<std::string>* names_;
  static review::HouseholdRebalanceInput* input_;
  static review::HouseholdProposal* proposal_;
};

std::filesystem::path HouseholdRebalanceTest::dir_;
Store* HouseholdRebalanceTest::store_ = nullptr;
std::vector<std::string>* HouseholdRebalanceTest::names_ = nullptr;
review::HouseholdRebalanceInput* HouseholdRebalanceTest::input_ = nullptr;
review::HouseholdProposal* HouseholdRebalanceTest::proposal_ = nullptr;

TEST_F(HouseholdRebalanceTest, LoaderPutsEveryMemberOnTheHouseholdsSecuritiesList) {
  const review::HouseholdRebalanceInput& input = *input_;
  ASSERT_EQ(input.accounts.size(), 3u);
  const size_t n = input.targets.size();
  for (const review::RebalanceInput& account : input.accounts) {
    ASSERT_EQ(account.securities.size(), n) << account.account;
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(account.securities[i].symbol, input.accounts[0].securities[i].symbol);
      EXPECT_EQ(account.securities[i].target_weight, input.targets[i]);
    }
    const Status valid = review::ValidateRebalanceInput(account);
    EXPECT_TRUE(valid.ok()) << account.account << ": " << valid.message();
  }
  // The 70/30 version applies on the review date: 30% in bonds, 60% of it core bonds.
  double total = 0;
  for (double t : input.targets) total += t;
  EXPECT_NEAR(total, 1.0, 1e-9);
  const review::RebalanceInput& ira = input.accounts[Member(kScenario.ira)];
  const review::RebalanceInput& joint = input.accounts[Member(kScenario.taxable)];
  const review::RebalanceInput& roth = input.accounts[Member(kScenario.roth)];
  EXPECT_NEAR(input.targets[IndexOf(ira, "AGG")], 0.18, 1e-9);
  EXPECT_NEAR(input.targets[IndexOf(ira, "TLT")], 0.12, 1e-9);
  // Sales in the IRA and the Roth realize nothing reportable; in the joint account they do.
  EXPECT_TRUE(ira.tax_deferred);
  EXPECT_TRUE(roth.tax_deferred);
  EXPECT_FALSE(joint.tax_deferred);
  EXPECT_EQ(input.risk.loadings.rows(), static_cast<Eigen::Index>(n));
  EXPECT_FALSE(input.groups.empty());
  // The firm's default location: bonds and REITs in the IRA, the direct index in the taxable
  // account, small caps in the Roth.
  ASSERT_EQ(input.location.size(), 3u);
  const size_t agg = IndexOf(ira, "AGG"), vnq = IndexOf(ira, "VNQ"), iwm = IndexOf(ira, "IWM");
  const size_t stock = IndexOf(ira, names_->front());
  const size_t i = Member(kScenario.ira), j = Member(kScenario.taxable), r = Member(kScenario.roth);
  EXPECT_LT(input.location[i][agg], 0);
  EXPECT_EQ(input.location[j][agg], 0);
  EXPECT_LT(input.location[i][vnq], 0);
  EXPECT_LT(input.location[r][iwm], 0);
  EXPECT_LT(input.location[j][stock], 0);
  EXPECT_EQ(input.location[i][stock], 0);
  // The taxable account carries the gains the shift must not realize.
  EXPECT_GT(UnrealizedGain(joint), Money::Units(500'000));
}

TEST_F(HouseholdRebalanceTest, ShiftTo70Over30HappensInTheIraAndRothWithoutGainsInTaxable) {
  const review::HouseholdProposal& p = *proposal_;
  const review::Proposal& joint = p.accounts[Member(kScenario.taxable)];
  const review::Proposal& ira = p.accounts[Member(kScenario.ira)];
  // Not one gain realized in the taxable account, short- or long-term.
  EXPECT_EQ(joint.after.realized.short_term_gains, joint.before.realized.short_term_gains);
  EXPECT_EQ(joint.after.realized.long_term_gains, joint.before.realized.long_term_gains);
  for (const review::Trade& trade : joint.trades) {
    for (const review::LotSale& lot : trade.lots) {
      EXPECT_LE(lot.Gain(), Money()) << trade.symbol << " lot " << lot.lot_id;
    }
  }
  // The household goes from about 60/40 to 70/30, the bonds sold in the IRA.
  const auto [bonds_before, bonds_after] =
      HouseholdWeightOf(*input_, p, kScenario.bond_funds);
  EXPECT_GT(bonds_before, 0.33);
  EXPECT_NEAR(bonds_after, 0.30, 0.015);
  bool ira_sells_bonds = false;
  for (const review::Trade& trade : ira.trades) {
    ira_sells_bonds |= trade.side == review::TradeSide::kSell &&
                       (trade.symbol == "AGG" || trade.symbol == "TLT");
  }
  EXPECT_TRUE(ira_sells_bonds);
  EXPECT_LT(p.after.tracking_error, 0.5 * p.before.tracking_error);
  EXPECT_GT(p.score.total_dollars, 0);
  EXPECT_TRUE(p.after.tax <= Money());

  size_t trades = 0;
  for (const review::Proposal& account : p.accounts) trades += account.trades.size();
  std::printf(
      "[ household ] value %.0f, %zu trades; fixed income %.1f%% -> %.1f%%; tracking error "
      "%.2f%% -> %.2f%%; tax %s; score %.0f (%.1f bps; location %.0f); %d solves in %.3f s\n",
      p.value, trades, 100 * bonds_before, 100 * bonds_after, 100 * p.before.tracking_error,
      100 * p.after.tracking_error, p.after.tax.ToString(2).c_str(), p.score.total_dollars,
      p.score.BasisPoints(p.score.total_dollars), p.location_benefit, p.solves, p.solve_seconds);
}

// The household's history and every account's trades through one ledger of the spouses' scope
// (the joint account ties their IRAs to it): no loss of the proposal is washed by a purchase in
// another account, and no earlier loss by its buys.
TEST_F(HouseholdRebalanceTest, ReplayedTradesWashNoLossAnywhereInTheHousehold) {
  Ledger ledger =
      BuildLedger(store_->LoadLedgerInput(kScenario.taxable, kScenario.review).value()).value();
  Money disallowed_before;
  for (const Realization& r : ledger.realized()) disallowed_before += r.wash_disallowed;
  const size_t realized_before = ledger.realized().size();
  for (const review::Proposal& account : proposal_->accounts) {
    for (const Event& event : review::ProposalEvents(account)) {
      const Status applied = ledger.Apply(event);
      ASSERT_TRUE(applied.ok()) << account.account << " " << event.symbol << ": " << applied.message();
    }
  }
  Money disallowed, taxable_gains;
  for (const Realization& r : ledger.realized()) disallowed += r.wash_disallowed;
  for (size_t k = realized_before; k < ledger.realized().size(); ++k) {
    const Realization& r = ledger.realized()[k];
    if (r.account == kScenario.taxable && r.Gain().is_positive()) taxable_gains += r.Gain();
  }
  EXPECT_EQ(disallowed, disallowed_before);
  EXPECT_TRUE(taxable_gains.is_zero()) << taxable_gains.ToString(2);
}

TEST_F(HouseholdRebalanceTest, CommandPrintsTheProposalAndOneTradeListForEveryAccount) {
  const std::filesystem::path db = dir_ / "arbor.db";
  const std::string csv = (dir_ / "trades.csv").string();
  ArborRun text = RunArbor(db, "household rebalance PARK --as-of 2021-04-21 --trades-csv " + csv);
  ASSERT_EQ(text.code, 0) << text.out;
  EXPECT_NE(text.out.find("Household rebalance proposal for PARK as of 2021-04-21"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("Location benefit"), std::string::npos) << text.out;
  for (const std::string& account : {kScenario.taxable, kScenario.ira, kScenario.roth}) {
    EXPECT_NE(text.out.find("\n" + account + " ("), std::string::npos) << account;
  }
  std::ifstream file(csv);
  std::string header, line;
  std::getline(file, header);
  EXPECT_EQ(header, "account,side,symbol,shares,price,amount,lot_id,acquired,term,gain,reason");
  std::set<std::string> accounts;
  size_t rows = 0;
  while (std::getline(file, line)) {
    accounts.insert(line.substr(0, line.find(',')));
    ++rows;
  }
  EXPECT_GT(rows, 0u);
  EXPECT_TRUE(accounts.contains(kScenario.ira));

  ArborRun as_json = RunArbor(db, "household rebalance PARK --as-of 2021-04-21 --json");
  ASSERT_EQ(as_json.code, 0) << as_json.out;
  const json doc = json::parse(as_json.out);
  EXPECT_EQ(doc["household"], "PARK");
  ASSERT_EQ(doc["accounts"].size(), 3u);
  for (const json& account : doc["accounts"]) {
    if (account["account"] == kScenario.taxable) {
      EXPECT_EQ(account["treatment"], "taxable");
      EXPECT_EQ(account["realized_by_proposal"]["long_term_gains"], 0.0);
      EXPECT_EQ(account["realized_by_proposal"]["short_term_gains"], 0.0);
    }
  }
  EXPECT_TRUE(doc["score"]["components"].contains("location"));

  ArborRun unknown = RunArbor(db, "household rebalance NOBODY");
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.out.find("NOBODY"), std::string::npos) << unknown.out;
}

// The daily review takes the household as one unit (docs/review.md): one proposal, a record per
// member with the household's figures, and batch actions that move every member together.
TEST_F(HouseholdRebalanceTest, TheDailyReviewAndTheWorkbenchTreatTheHouseholdAsOneUnit) {
  const std::filesystem::path db = dir_ / "arbor.db";
  ArborRun review = RunArbor(db, "review --as-of 2021-04-21");
  ASSERT_EQ(review.code, 0) << review.out;
  ArborRun query = RunArbor(db, "workbench query --filter household_joint --format json");
  ASSERT_EQ(query.code, 0) << query.out;
  const json rows = json::parse(query.out)["rows"];
  ASSERT_EQ(rows.size(), 3u) << query.out;
  for (const json& row : rows) {
    // The scenario's custodian report matches the lots: no data warning to suspend it for.
    EXPECT_EQ(row["warnings"], 0) << row.dump();
    EXPECT_EQ(row["outcome"], "proposed") << row.dump();
    EXPECT_EQ(row["household_score_usd"], rows[0]["household_score_usd"]);
    EXPECT_GT(row["household_tracking_error_before"].get<double>(),
              row["household_tracking_error_after"].get<double>());
  }
  // Sending one member to review sends the household.
  ArborRun one = RunArbor(db, "workbench review --account " + kScenario.ira + " --user ann");
  ASSERT_EQ(one.code, 0) << one.out;
  EXPECT_NE(one.out.find("3 accounts -> review"), std::string::npos) << one.out;
}

// A 401k joins the Parks with only cash and a fund menu of AGG, IWM and one stock nobody targets
// or holds (docs/households.md, "A 401k's fund menu"): in the joint proposal it buys only from
// its menu, and no other member buys the stock that only its menu brings in. On a copy of the
// database, so the other tests see the household as it was.
TEST_F(HouseholdRebalanceTest, A401kWithAFundMenuBuysOnlyItsMenuInTheJointProposal) {
  const std::string copy = (dir_ / "menu.db").string();
  ASSERT_TRUE(store_->database()->Exec("VACUUM INTO '" + copy + "'").ok());
  std::unique_ptr<Store> store = Store::Open(copy).value();
  const std::unique_ptr<RebalanceContext> before =
      RebalanceContext::Load(*store, kScenario.review).value();
  std::string extra;  // a priced stock of the index universe that no member holds or targets
  for (const Security& security : before->master().securities()) {
    const std::string& symbol = security.symbol;
    if (security.type == SecurityType::kStock && before->LastClose(symbol) != nullptr &&
        IndexOf(input_->accounts[0], symbol) == input_->accounts[0].securities.size()) {
      extra = symbol;
      break;
    }
  }
  ASSERT_FALSE(extra.empty());
  const household::Household park = LoadHousehold(*store, kScenario.household).value();
  const std::string k401 = "PARK-401K";
  ASSERT_TRUE(store->PutAccounts({{.id = k401,
                                   .type = AccountType::k401k,
                                   .taxpayers = park.members[0].taxpayers}})
                  .ok());
  ASSERT_TRUE(store
                  ->AppendTransactions({{.date = *Date::Parse("2021-04-05"),
                                         .account = k401,
                                         .action = EventAction::kDeposit,
                                         .amount = Money::Units(300'000)}},
                                       "test")
                  .ok());
  const HouseholdChange by{.user = "test", .at = "2021-04-20T09:00:00Z"};
  ASSERT_TRUE(AddAccountToHousehold(*store, kScenario.household, k401, by).ok());
  const std::set<std::string> menu = {"AGG", "IWM", extra};
  ASSERT_TRUE(SaveAccountMenu(store->database(), k401, {menu.begin(), menu.end()},
                              {.user = "test", .at = by.at})
                  .ok());

  const std::unique_ptr<RebalanceContext> context =
      RebalanceContext::Load(*store, kScenario.review).value();
  const review::HouseholdRebalanceInput input =
      LoadHouseholdRebalanceInput(*store, *context, kScenario.household).value();
  ASSERT_EQ(input.accounts.size(), 4u);
  for (const review::RebalanceInput& account : input.accounts) {
    for (const review::RebalanceSecurity& security : account.securities) {
      const bool buyable = security.restriction == review::Restriction::kNone ||
                           security.restriction == review::Restriction::kNoSell;
      if (account.account == k401) {
        EXPECT_EQ(buyable, menu.contains(security.symbol)) << security.symbol;
      } else if (security.symbol == extra) {
        EXPECT_FALSE(buyable) << account.account;
      }
    }
  }
  const review::HouseholdProposal proposal = review::RebalanceHousehold(input).value();
  int menu_buys = 0;
  for (const review::Proposal& account : proposal.accounts) {
    for (const review::Trade& trade : account.trades) {
      if (trade.side != review::TradeSide::kBuy) continue;
      if (account.account == k401) {
        EXPECT_TRUE(menu.contains(trade.symbol)) << trade.symbol;
        ++menu_buys;
      } else {
        EXPECT_NE(trade.symbol, extra) << account.account;
      }
    }
  }
  EXPECT_GT(menu_buys, 0);  // its cash goes into the menu's funds
}

}  // namespace
}  // namespace arbor
