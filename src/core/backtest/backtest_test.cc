// The backtest on small synthetic markets (a fixed seed, a few names, months of weekdays):
// wash sales, cash, the index portfolio's value, a split and a dividend, the monthly rule, and
// the metrics on a hand-computed case.
#include "core/backtest/backtest.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace arbor::backtest {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

struct Shape {
  int names = 12;
  int history_days = 300;  // before the backtest, for the risk model
  int days = 120;
  uint32_t seed = 7;
};

// Weekdays from 2019-01-01; names S0..Sn in three sectors, random walks with a drift that
// makes some of them fall (losses to harvest). The first `history_days` are the risk model's.
BacktestMarket Synthetic(const Shape& shape) {
  std::mt19937 random(shape.seed);
  auto uniform = [&] { return (random() % 1'000'000) / 1e6 - 0.5; };
  std::vector<Date> all_days;
  for (Date d = D("2019-01-01");
       static_cast<int>(all_days.size()) < shape.history_days + shape.days; d = d.AddDays(1)) {
    const int weekday = (d.days() + 3) % 7;  // 0 = Monday
    if (weekday < 5) all_days.push_back(d);
  }
  BacktestMarket m;
  const int n = shape.names;
  std::vector<std::vector<double>> prices(n);
  for (int s = 0; s < n; ++s) {
    m.symbols.push_back("S" + std::to_string(s));
    const std::string sector = "Sector" + std::to_string(s % 3);
    m.risk_securities.push_back({.symbol = m.symbols.back(), .sector = sector});
    (void)m.master.Add({.symbol = m.symbols.back(), .gics = {.sector = sector}});
    double price = 50 + 10 * s;
    const double drift = (s % 2 == 0 ? -0.0015 : 0.001);
    for (size_t d = 0; d < all_days.size(); ++d) {
      price *= 1 + drift + 0.03 * uniform();
      prices[s].push_back(std::round(price * 100) / 100);
    }
  }
  m.returns.dates.assign(all_days.begin() + 1, all_days.end());
  m.returns.returns.resize(all_days.size() - 1, n);
  for (int s = 0; s < n; ++s) {
    for (size_t d = 1; d < all_days.size(); ++d) {
      m.returns.returns(d - 1, s) = prices[s][d] / prices[s][d - 1] - 1;
    }
  }
  m.days.assign(all_days.begin() + shape.history_days, all_days.end());
  for (int d = 0; d < shape.days; ++d) {
    for (int s = 0; s < n; ++s) {
      m.closes.push_back(Price::FromDouble(prices[s][shape.history_days + d]).micros());
    }
  }
  for (int s = 0; s < n; ++s) {
    m.last_close.push_back(Price::FromMicros(m.closes[(shape.days - 1) * n + s]));
    m.last_close_date.push_back(m.days.back());
  }
  Reconstitution r{.effective = m.days.front()};
  double total = 0;
  for (int s = 0; s < n; ++s) total += s + 1;
  for (int s = 0; s < n; ++s) r.weights.push_back({s, (s + 1) / total});
  m.reconstitutions.push_back(r);
  return m;
}

BacktestOptions Fast(ReviewFrequency frequency) {
  BacktestOptions o{.frequency = frequency, .initial_cash = Money::Units(100'000)};
  o.risk_model.window_days = 252;
  o.risk_model.statistical_factors = 2;
  return o;
}

const StrategyResult& Named(const BacktestResult& r, const std::string& name) {
  for (const StrategyResult& s : r.strategies) {
    if (s.name == name) return s;
  }
  throw std::out_of_range(name);
}

TEST(BacktestTest, OptimizerTriggersNoWashSaleAndNeverOverdraws) {
  const BacktestMarket market = Synthetic({});
  Result<BacktestResult> result = RunBacktest(market, Fast(ReviewFrequency::kDaily));
  ASSERT_TRUE(result.ok()) << result.status().message();
  const StrategyResult& optimizer = Named(*result, "optimizer");
  EXPECT_EQ(result->optimizer.failures, 0) << result->optimizer.first_failure;
  EXPECT_GT(result->optimizer.trades, 12);
  // It harvests (the falling names), yet the ledger's wash-sale engine disallows nothing: no
  // loss sale within 30 days of a purchase of the same security (IRC 1091(a); IRS Pub. 550,
  // "Wash Sales").
  Money harvested;
  for (const auto& [year, tally] : optimizer.path.years) harvested += tally.harvested;
  EXPECT_GT(harvested.ToDouble(), 0);
  EXPECT_EQ(optimizer.metrics.wash_disallowed, Money());
  for (const StrategyResult& s : result->strategies) {
    for (size_t d = 0; d < s.path.cash.size(); ++d) {
      ASSERT_GE(s.path.cash[d], 0) << s.name << " on day " << d;
    }
  }
}

TEST(BacktestTest, IndexPortfolioEarnsTheIndexWeightsTotalReturn) {
  BacktestMarket market = Synthetic({.days = 60});
  BacktestOptions options = Fast(ReviewFrequency::kMonthly);
  options.cost_rate = 0;
  Result<BacktestResult> result = RunBacktest(market, options);
  ASSERT_TRUE(result.ok()) << result.status().message();
  const std::vector<double>& values = Named(*result, "index").path.values;
  for (int d : {0, 20, 59}) {
    double expected = 0;
    for (const auto& [s, w] : market.reconstitutions[0].weights) {
      expected += w * market.Close(s, d).ToDouble() / market.Close(s, 0).ToDouble();
    }
    // Shares are bought to 1/10,000 and rounded down: a few dollars of cash stay out.
    EXPECT_NEAR(values[d] / 100'000, expected, 1e-5) << "day " << d;
  }
}

TEST(BacktestTest, SplitChangesNoValueAndDividendIsCashOfSharesHeld) {
  const BacktestMarket plain = Synthetic({.days = 60});
  BacktestMarket split = plain;
  // S1 splits 2-for-1 on day 30: its closes from then on are halved, its shares doubled.
  const int n = plain.symbol_count();
  for (int d = 30; d < 60; ++d) split.closes[d * n + 1] /= 2;
  split.last_close[1] = Price::FromMicros(split.closes[59 * n + 1]);
  split.actions.push_back({.symbol = 1, .ex_date = plain.days[30], .split_numerator = 2});
  // S2 pays $0.05 a share with ex-date day 40 (kept as cash: below the index's reinvestment
  // threshold).
  split.actions.push_back(
      {.symbol = 2, .ex_date = plain.days[40], .dividend_per_share = *Price::Parse("0.05")});
  BacktestMarket dividend_only = plain;
  dividend_only.actions.push_back(split.actions.back());

  const BacktestOptions options = Fast(ReviewFrequency::kMonthly);
  const BacktestResult a = RunBacktest(plain, options).value();
  const BacktestResult b = RunBacktest(split, options).value();
  const BacktestResult c = RunBacktest(dividend_only, options).value();
  const std::vector<double>& va = Named(a, "index").path.values;
  const std::vector<double>& vb = Named(b, "index").path.values;
  const std::vector<double>& vc = Named(c, "index").path.values;
  // The split alone changes nothing (to the micro-share rounding of the ledger).
  for (int d = 0; d < 60; ++d) EXPECT_NEAR(vb[d], vc[d], 0.01) << "day " << d;
  // The dividend: cash of 0.05 per share of S2 held, from its ex-date on.
  for (int d = 0; d < 40; ++d) EXPECT_NEAR(vc[d], va[d], 1e-6);
  const double s2_shares =
      std::floor(100'000 * plain.reconstitutions[0].weights[2].second /
                 plain.Close(2, 0).ToDouble() / (1 + options.cost_rate) * 1e4) /
      1e4;
  EXPECT_NEAR(vc[40] - va[40], 0.05 * s2_shares, 0.02);
}

TEST(BacktestTest, MonthlyRuleSellsLossesParks31DaysAndBuysBack) {
  // Three names bought on 2020-12-01; S0 falls 20% by late January, S1 rises.
  BacktestMarket m;
  m.symbols = {"S0", "S1", "S2"};
  for (Date d = D("2020-12-01"); d <= D("2021-03-31"); d = d.AddDays(1)) {
    if ((d.days() + 3) % 7 < 5) m.days.push_back(d);
  }
  for (size_t d = 0; d < m.days.size(); ++d) {
    const double t = static_cast<double>(d) / 40;
    for (double price : {100 * (1 - 0.2 * std::min(t, 1.0)), 100 * (1 + 0.01 * t), 50.0}) {
      m.closes.push_back(Price::FromDouble(price).micros());
    }
  }
  Ledger ledger;
  BacktestOptions options;
  PortfolioBook book(&ledger, "RULE", m, 0);
  ASSERT_TRUE(book.Open().ok());
  ASSERT_TRUE(book.Deposit(0, Money::Units(30'000)).ok());
  for (int s = 0; s < 3; ++s) ASSERT_TRUE(book.BuyDollars(s, 0, 10'000).ok());
  MonthlyHarvestRule rule(m, options);
  int january_end = 0;
  while (m.days[january_end + 1] <= D("2021-01-29")) ++january_end;

  // Month end, 59 days after the purchase: the S0 lot at a loss (100 shares, 100 -> 80) is
  // sold; the proceeds are parked in S1 and S2.
  const Shares s1_before = book.SharesOf(1);
  ASSERT_TRUE(rule.HarvestAndPark(book, january_end).ok());
  book.Collect();
  EXPECT_EQ(book.SharesOf(0), Shares());
  EXPECT_GT(book.SharesOf(1), s1_before);
  EXPECT_TRUE(rule.awaiting()[0]);
  EXPECT_NEAR(book.Year(2021).harvested.ToDouble(), 2'000, 10);

  // Parked for 31 days: not bought back on 2021-02-26 (28 days), bought back on 2021-03-01.
  int day = january_end + 1;
  for (; m.days[day] < D("2021-03-01"); ++day) {
    ASSERT_TRUE(rule.BuyBack(book, day).ok());
    EXPECT_EQ(book.SharesOf(0), Shares()) << m.days[day].ToString();
  }
  ASSERT_TRUE(rule.BuyBack(book, day).ok());
  book.Collect();
  EXPECT_GT(book.SharesOf(0), Shares());
  EXPECT_FALSE(rule.awaiting()[0]);
  EXPECT_EQ(book.SharesOf(1), s1_before);  // the parking lots are sold
  for (const OpenLot& lot : book.Lots()) EXPECT_FALSE(lot.lot.lot_id.starts_with("P"));
  // The buy-back is 31 days after the loss sale: outside the wash-sale window (IRC 1091(a)).
  EXPECT_EQ(book.Year(2021).wash_disallowed, Money());
}

TEST(BacktestMetricsTest, HandCheckedCase) {
  // Three days around a year end. The strategy realizes a short-term loss of 1,000 in 2020;
  // at 35% its refund of 350 is paid on 2020-12-31 and then grows with the index (+10%).
  const std::vector<Date> days = {D("2020-12-30"), D("2020-12-31"), D("2021-12-31")};
  StrategyPath index{.values = {100'000, 100'000, 110'000}};
  StrategyPath strategy{.values = {100'000, 99'000, 108'900}};
  strategy.years[2020].short_term_losses = Money::Units(-1'000);
  strategy.years[2020].harvested = Money::Units(1'000);
  strategy.years[2021].sold = Money::Units(10'395);
  strategy.unrealized[2021] = {.short_term = 0, .long_term = 2'000};
  const GainRates cbl{.short_term = 0.35, .long_term = 0.15};
  const StrategyMetrics m = ComputeMetrics(days, strategy, index, cbl, cbl);

  // Before liquidation: 108,900 + 350 x 1.1 = 109,285 against 110,000 over 366 days.
  const double years = 366 / 365.25;
  EXPECT_NEAR(m.tax_alpha_pre_reference, std::pow(1.09285, 1 / years) - std::pow(1.1, 1 / years),
              1e-12);
  // After: the long-term gain of 2,000 pays 300.
  EXPECT_NEAR(m.tax_alpha_post_reference, std::pow(1.08985, 1 / years) - std::pow(1.1, 1 / years),
              1e-12);
  // 2020: the day's return -1% against 0%, the refund of 350 included: -0.65%.
  ASSERT_EQ(m.years.size(), 2u);
  EXPECT_NEAR(m.years[0].tax_alpha_pre_reference, (99'350.0 / 100'000 - 1), 1e-12);
  // Tracking error of one daily difference per year is undefined (0); over the run: two
  // differences, -1% and 0%: sample sd 0.00707, x sqrt(252).
  EXPECT_NEAR(m.tracking_error, std::sqrt(0.5 * 0.01 * 0.01) * std::sqrt(252.0), 1e-12);
  // Turnover and harvesting yield of 2021: over the average value of its two days.
  EXPECT_NEAR(m.years[1].turnover, 10'395 / ((99'000 + 108'900) / 2.0), 1e-12);
  EXPECT_NEAR(m.years[0].harvest_yield, 1'000 / ((100'000 + 99'000) / 2.0), 1e-12);
}

TEST(BacktestTest, ReviewDays) {
  const std::vector<Date> days = {D("2021-01-29"), D("2021-02-01"), D("2021-02-02"),
                                  D("2021-02-08")};
  EXPECT_TRUE(IsReviewDay(days, 0, ReviewFrequency::kMonthly));
  EXPECT_TRUE(IsReviewDay(days, 1, ReviewFrequency::kMonthly));
  EXPECT_FALSE(IsReviewDay(days, 2, ReviewFrequency::kMonthly));
  EXPECT_TRUE(IsReviewDay(days, 1, ReviewFrequency::kWeekly));
  EXPECT_FALSE(IsReviewDay(days, 2, ReviewFrequency::kWeekly));
  EXPECT_TRUE(IsReviewDay(days, 3, ReviewFrequency::kWeekly));
}

}  // namespace
}  // namespace arbor::backtest
