// Tax-loss harvesting on real prices (docs/rebalance.md, "March 2020"): a taxable account buys 60
// S&P 500 names on 2020-02-19, the market's peak, and is rebalanced on 2020-03-20, a month into
// the crash. Nothing in the optimizer asks for a harvest: it emerges from the objective (a loss
// lot has a negative tax cost) and the risk model keeps the exposure through correlated names.
// The owner's IRA bought one of the names on 2020-03-10, so its loss must not be harvested
// (Rev. Rul. 2008-5: the loss would be lost for good). The proposal is replayed through the
// ledger's wash-sale engine (IRC 1091; IRS Pub. 550), which must disallow nothing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "adapters/io/market_data.h"
#include "adapters/io/risk_returns.h"
#include "adapters/storage/ledger_loader.h"
#include "adapters/storage/rebalance_input_loader.h"
#include "adapters/storage/risk_model_store.h"
#include "adapters/storage/store.h"
#include "core/market/risk_model.h"
#include "core/review/proposal_events.h"
#include "core/review/rebalance.h"
#include "core/review/testing/rule_checks.h"

namespace arbor {
namespace {

const Date kPeak = *Date::Parse("2020-02-19");
const Date kAsOf = *Date::Parse("2020-03-20");
const Date kIraPurchase = *Date::Parse("2020-03-10");
const Money kDeposit = Money::Units(1'000'000);
constexpr int kNames = 60;

struct Market {
  SecurityMaster master;
  std::vector<PriceHistory> histories;  // the risk model's universe, every 4th S&P 500 name
  std::vector<std::string> held;        // every other name of it, the account
};

std::optional<Price> CloseOn(const PriceHistory& history, Date date) {
  for (const DailyBar& bar : history.bars) {
    if (bar.date == date) return bar.close;
  }
  return std::nullopt;
}

Market LoadMarket() {
  Market market;
  market.master = LoadSp500SecurityMaster(ARBOR_SHARED_DATA_DIR).value();
  const std::vector<std::string> all = ListAlphaVantageSymbols(ARBOR_SHARED_DATA_DIR).value();
  std::vector<std::string> universe;
  for (size_t k = 0; k < all.size(); k += 4) universe.push_back(all[k]);
  std::vector<PriceHistory> histories =
      LoadAlphaVantageUniverse(ARBOR_SHARED_DATA_DIR, universe).value();
  for (PriceHistory& history : histories) {
    // Two years of history before the peak, for the risk model; the rest is not needed.
    std::erase_if(history.bars, [](const DailyBar& bar) {
      return bar.date < *Date::Parse("2017-12-01") || bar.date > *Date::Parse("2020-04-30");
    });
    const Security* security = market.master.Find(history.symbol);
    if (security == nullptr || security->gics.sector.empty()) continue;
    if (!CloseOn(history, *Date::Parse("2018-01-02")) || !CloseOn(history, kPeak)) continue;
    if (market.held.size() < kNames && market.histories.size() % 2 == 0)
      market.held.push_back(history.symbol);
    market.histories.push_back(std::move(history));
  }
  return market;
}

// The account's weights after trading `bought` and `sold` shares, against its targets: the
// tracking error of a trade list under the input's risk rows.
double TrackingError(const review::RebalanceInput& input,
                     const std::map<std::string, double>& bought,
                     const std::map<std::string, double>& sold, double value) {
  std::map<std::string, double> shares;
  for (const review::RebalanceLot& lot : input.lots) shares[lot.symbol] += lot.shares.ToDouble();
  Eigen::VectorXd active(input.securities.size());
  for (size_t i = 0; i < input.securities.size(); ++i) {
    const review::RebalanceSecurity& s = input.securities[i];
    const double held = shares[s.symbol] + (bought.contains(s.symbol) ? bought.at(s.symbol) : 0) -
                        (sold.contains(s.symbol) ? sold.at(s.symbol) : 0);
    active[i] = held * s.price.ToDouble() / value - s.target_weight;
  }
  const Eigen::VectorXd exposure = input.risk.loadings.transpose() * active;
  return std::sqrt(exposure.dot(input.risk.factor_covariance * exposure) +
                   (input.risk.specific_variance.array() * active.array().square()).sum());
}

class HarvestMarch2020Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    market_ = new Market(LoadMarket());
    path_ = (std::filesystem::temp_directory_path() /
             ("arbor_harvest_" + std::to_string(::getpid()) + ".db"))
                .string();
    std::filesystem::remove(path_);
    store_ = Store::Open(path_).value().release();
    ASSERT_TRUE(store_->PutSecurities(market_->master).ok());
    const Status stored = store_->PutPriceHistories(market_->histories);
    ASSERT_TRUE(stored.ok()) << stored.message();
    ASSERT_TRUE(
        store_
            ->PutAccounts(
                {{.id = "TLH", .type = AccountType::kTaxable, .taxpayers = {"owner"}},
                 {.id = "TLH-IRA", .type = AccountType::kTraditionalIra, .taxpayers = {"owner"}}})
            .ok());
    std::vector<Event> events = {
        {.date = kPeak, .account = "TLH", .action = EventAction::kDeposit, .amount = kDeposit},
        {.date = kPeak,
         .account = "TLH-IRA",
         .action = EventAction::kDeposit,
         .amount = Money::Units(50'000)}};
    const Money per_name = Money::FromDouble(0.98 * kDeposit.ToDouble() / kNames);
    for (const PriceHistory& history : market_->histories) {
      if (std::find(market_->held.begin(), market_->held.end(), history.symbol) ==
          market_->held.end())
        continue;
      const Price close = *CloseOn(history, kPeak);
      // Thousandths of a share worth `per_name` at the close.
      const Shares shares = Shares::FromMicros(per_name.micros() * 1000 / close.micros() * 1000);
      events.push_back({.date = kPeak,
                        .account = "TLH",
                        .action = EventAction::kBuy,
                        .symbol = history.symbol,
                        .shares = shares,
                        .price = close});
    }
    // The IRA buys the first name on March 10: its loss in TLH is off limits until April 10.
    const PriceHistory& first = market_->histories.front();
    events.push_back({.date = kIraPurchase,
                      .account = "TLH-IRA",
                      .action = EventAction::kBuy,
                      .symbol = first.symbol,
                      .shares = Shares::Units(10),
                      .price = *CloseOn(first, kIraPurchase)});
    ASSERT_TRUE(store_->AppendTransactions(events, "harvest-test").ok());

    std::vector<RiskModelSecurity> securities;
    for (const PriceHistory& history : market_->histories) {
      securities.push_back(
          {.symbol = history.symbol, .sector = market_->master.Find(history.symbol)->gics.sector});
    }
    TotalReturns returns =
        BuildTotalReturns(market_->histories, *Date::Parse("2018-01-02"), kAsOf).value();
    RiskModel model = EstimateRiskModel(kAsOf, securities, returns.daily).value();
    ASSERT_TRUE(SaveRiskModel(store_->database(), model).ok());
  }
  static void TearDownTestSuite() {
    delete store_;
    delete market_;
    std::filesystem::remove(path_);
  }

  static Market* market_;
  static Store* store_;
  static std::string path_;
};

Market* HarvestMarch2020Test::market_ = nullptr;
Store* HarvestMarch2020Test::store_ = nullptr;
std::string HarvestMarch2020Test::path_;

TEST_F(HarvestMarch2020Test, HarvestsIntoCorrelatedReplacementsWithoutAWashSale) {
  ASSERT_EQ(market_->held.size(), static_cast<size_t>(kNames));
  const review::RebalanceInput input = LoadRebalanceInput(*store_, "TLH", kAsOf).value();
  const review::Proposal proposal = review::Rebalance(input).value();
  for (const std::string& broken : review::testing::RuleViolations(input, proposal)) {
    ADD_FAILURE() << broken;
  }

  std::map<std::string, double> bought, sold;
  std::set<std::string> sold_symbols;
  int harvests = 0;
  for (const review::Trade& trade : proposal.trades) {
    (trade.side == review::TradeSide::kBuy ? bought : sold)[trade.symbol] = trade.shares.ToDouble();
    if (trade.side == review::TradeSide::kSell) {
      sold_symbols.insert(trade.symbol);
      harvests += trade.reason == review::TradeReason::kHarvest;
    }
  }
  // A real harvest: many names, a large short-term loss, a tax saving far above the costs.
  EXPECT_GE(harvests, 10);
  EXPECT_LT(proposal.after.realized.short_term_losses, Money::Units(-60'000));
  EXPECT_GT(proposal.score.total_dollars, 0.01 * proposal.account_value);
  EXPECT_GT(proposal.score.dollars.tax, 20 * -proposal.score.dollars.cost);
  // Correlated replacements: the buys keep the tracking error far below what selling the same
  // lots into cash would leave, and every sector within about 1% of its target.
  const double value = proposal.account_value;
  const double with_replacements = TrackingError(input, bought, sold, value);
  const double into_cash = TrackingError(input, {}, sold, value);
  EXPECT_NEAR(with_replacements, proposal.after.tracking_error, 1e-9);
  EXPECT_LT(with_replacements, 0.25 * into_cash);
  for (const review::GroupDrift& sector : proposal.group_drift) {
    EXPECT_LT(std::abs(sector.active_after), 0.012) << sector.name;
  }
  // The IRA's purchase of March 10 keeps that name's loss in TLH.
  EXPECT_FALSE(sold_symbols.contains(market_->histories.front().symbol));

  // The ledger replays history and proposal: no loss of the proposal is washed, and no earlier
  // loss is washed by its buys.
  Ledger ledger = BuildLedger(store_->LoadLedgerInput("TLH", kAsOf).value()).value();
  const size_t before = ledger.realized().size();
  for (const Event& event : review::ProposalEvents(proposal)) {
    ASSERT_TRUE(ledger.Apply(event).ok()) << event.symbol;
  }
  Money realized, disallowed;
  for (const Realization& r : ledger.realized()) disallowed += r.wash_disallowed;
  for (size_t k = before; k < ledger.realized().size(); ++k)
    realized += ledger.realized()[k].Gain();
  EXPECT_TRUE(disallowed.is_zero());
  EXPECT_EQ(realized, proposal.after.realized.Net() - proposal.before.realized.Net());

  std::printf(
      "[ march 20 ] %zu names, value %.0f: %d harvest sales, %zu buys; short-term losses "
      "%s, tax %s; score %.0f (%.0f bps: risk %.0f, tax %.0f, cost %.0f, drift %.0f); "
      "tracking error %.2f%% (into cash: %.2f%%); %d solves in %.3f s\n",
      market_->held.size(), value, harvests, bought.size(),
      proposal.after.realized.short_term_losses.ToString(2).c_str(),
      proposal.after.tax.ToString(2).c_str(), proposal.score.total_dollars,
      proposal.score.BasisPoints(proposal.score.total_dollars), proposal.score.dollars.risk,
      proposal.score.dollars.tax, proposal.score.dollars.cost, proposal.score.dollars.drift,
      100 * with_replacements, 100 * into_cash, proposal.solves, proposal.solve_seconds);
}

// Ten days after the harvest the rules turn around: what was sold at a loss may not be bought
// back (its loss would be washed), so a rebalance on March 30 with the harvest applied buys none
// of it.
TEST_F(HarvestMarch2020Test, HarvestedNamesAreNotBoughtBackWithin30Days) {
  const review::RebalanceInput input = LoadRebalanceInput(*store_, "TLH", kAsOf).value();
  const review::Proposal harvest = review::Rebalance(input).value();
  std::vector<Event> trades = review::ProposalEvents(harvest);
  ASSERT_TRUE(store_->AppendTransactions(trades, "harvest-2020-03-20").ok());
  const Date later = *Date::Parse("2020-03-30");
  const review::RebalanceInput next = LoadRebalanceInput(*store_, "TLH", later).value();
  const review::Proposal proposal = review::Rebalance(next).value();
  EXPECT_TRUE(review::testing::RuleViolations(next, proposal).empty());
  std::set<std::string> harvested;
  for (const review::Trade& trade : harvest.trades) {
    if (trade.side == review::TradeSide::kSell) harvested.insert(trade.symbol);
  }
  for (const review::Trade& trade : proposal.trades) {
    EXPECT_FALSE(trade.side == review::TradeSide::kBuy && harvested.contains(trade.symbol))
        << trade.symbol << " bought back within 30 days of its loss sale";
  }
}

}  // namespace
}  // namespace arbor
