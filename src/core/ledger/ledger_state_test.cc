#include "core/ledger/ledger_state.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "core/ledger/ledger.h"
#include "core/ledger/test_events.h"

namespace arbor {
namespace {

using testing::Buy;
using testing::D;
using testing::Sell;

// Two spouses' taxable accounts and an IRA (one wash-sale scope, Rev. Rul. 2008-5 for the
// IRA), and a stranger's account; SPY and IVV are substantially identical.
Ledger Declared() {
  Ledger ledger;
  EXPECT_TRUE(ledger.AddAccount({.id = "H", .taxpayers = {"HUSBAND"}}).ok());
  EXPECT_TRUE(ledger.AddAccount({.id = "W", .taxpayers = {"WIFE"}}).ok());
  EXPECT_TRUE(ledger.AddAccount({.id = "J", .taxpayers = {"HUSBAND", "WIFE"}}).ok());
  EXPECT_TRUE(
      ledger.AddAccount({.id = "I", .type = AccountType::kTraditionalIra, .taxpayers = {"WIFE"}})
          .ok());
  EXPECT_TRUE(ledger.AddAccount({.id = "S", .taxpayers = {"STRANGER"}}).ok());
  EXPECT_TRUE(ledger.SetWashSaleGroup("SPY", "S&P 500").ok());
  EXPECT_TRUE(ledger.SetWashSaleGroup("IVV", "S&P 500").ok());
  return ledger;
}

// A year of random trading: buys, sales at gains and losses (so wash sales within 30 days
// both ways, across accounts), dividends and a few splits. Invalid events are skipped.
std::vector<Event> RandomHistory(uint32_t seed) {
  std::mt19937 random(seed);
  const std::vector<std::string> accounts = {"H", "W", "J", "I", "S"};
  const std::vector<std::string> symbols = {"SPY", "IVV", "XYZ"};
  std::vector<Event> events;
  Date date = D("2023-01-03");
  for (int day = 0; day < 120; ++day) {
    date = date.AddDays(1 + static_cast<int>(random() % 4));
    const std::string account = accounts[random() % accounts.size()];
    const std::string symbol = symbols[random() % symbols.size()];
    const std::string price = std::to_string(50 + random() % 100) + ".37";
    switch (random() % 10) {
      case 0:
        events.push_back({.date = date,
                          .account = account,
                          .action = EventAction::kDividend,
                          .symbol = symbol,
                          .amount = Money::FromMicros(1'234'567)});
        break;
      case 1:
        events.push_back({.date = date,
                          .action = EventAction::kSplit,
                          .symbol = symbol,
                          .split_numerator = 3,
                          .split_denominator = 2});
        break;
      case 2:
      case 3:
      case 4:
      case 5:
        events.push_back(Sell(date.ToString(), account, symbol, 1 + random() % 60, price,
                              random() % 2 ? LotMethod::kHifo : LotMethod::kFifo));
        break;
      default:
        events.push_back(Buy(date.ToString(), account, symbol, 1 + random() % 80, price));
        break;
    }
  }
  return events;
}

TEST(LedgerStateTest, RestoredLedgerContinuesExactlyAsTheReplayedOne) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    std::vector<Event> events;
    Ledger whole = Declared();
    for (const Event& event : RandomHistory(seed)) {
      if (whole.Apply(event).ok()) events.push_back(event);
    }
    const LedgerState expected = whole.SaveState();
    ASSERT_GT(expected.realized.size(), 10u);
    for (size_t cut = 0; cut <= events.size(); cut += 7) {
      Ledger first = Declared();
      for (size_t i = 0; i < cut; ++i) ASSERT_TRUE(first.Apply(events[i]).ok());
      Ledger resumed = Declared();
      ASSERT_TRUE(resumed.RestoreState(first.SaveState()).ok());
      for (size_t i = cut; i < events.size(); ++i) ASSERT_TRUE(resumed.Apply(events[i]).ok());
      ASSERT_EQ(resumed.SaveState(), expected) << "seed " << seed << ", cut at event " << cut;
    }
  }
}

TEST(LedgerStateTest, RefusesAStateThatDoesNotFitTheDeclarations) {
  Ledger ledger = Declared();
  ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "H", "XYZ", 10, "5")).ok());
  LedgerState state = ledger.SaveState();

  Ledger fewer_accounts;
  ASSERT_TRUE(fewer_accounts.AddAccount({.id = "H", .taxpayers = {"HUSBAND"}}).ok());
  EXPECT_FALSE(fewer_accounts.RestoreState(state).ok());

  Ledger started = Declared();
  ASSERT_TRUE(started.Apply(Buy("2024-01-02", "W", "XYZ", 1, "5")).ok());
  EXPECT_FALSE(started.RestoreState(state).ok());

  state.positions[0].account = "NOBODY";
  EXPECT_FALSE(Declared().RestoreState(state).ok());
}

}  // namespace
}  // namespace arbor
