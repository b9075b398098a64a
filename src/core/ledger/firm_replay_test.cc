#include "core/ledger/firm_replay.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "core/ledger/test_events.h"

namespace arbor {
namespace {

using testing::D;

TEST(WashSaleScopesTest, JointAccountsLinkSpouses) {
  std::vector<Account> accounts = {{.id = "H", .taxpayers = {"HUSBAND"}},
                                   {.id = "W", .taxpayers = {"WIFE"}},
                                   {.id = "X", .taxpayers = {"OTHER"}},
                                   {.id = "J", .taxpayers = {"WIFE", "HUSBAND"}},
                                   {.id = "N"}};
  EXPECT_EQ(WashSaleScopes(accounts), (std::vector<int32_t>{0, 0, 1, 0, 2}));
}

// A firm replayed scope by scope gives exactly what one ledger over every account gives.
TEST(FirmReplayTest, MatchesOneLedgerOverEveryAccount) {
  std::mt19937_64 rng(7);
  std::vector<Account> accounts;
  for (int i = 0; i < 12; ++i) {
    accounts.push_back({.id = "A" + std::to_string(i),
                        .type = i % 3 == 2 ? AccountType::kRothIra : AccountType::kTaxable,
                        .taxpayers = {"T" + std::to_string(i / 3)}});
  }
  accounts.push_back({.id = "JOINT", .taxpayers = {"T0", "T1"}});
  std::vector<std::pair<std::string, std::string>> groups = {{"S", "g"}, {"T", "g"}};
  std::vector<Event> events;
  std::map<std::pair<std::string, std::string>, Shares> held;
  Date date = D("2021-01-04");
  for (int i = 0; i < 3000; ++i) {
    date = date.AddDays(rng() % 2);
    const std::string& account = accounts[rng() % accounts.size()].id;
    std::string symbol = std::vector<std::string>{"S", "T", "U"}[rng() % 3];
    Price price = Price::FromMicros(8'000'000 + rng() % 4'000'000);
    Shares& h = held[{account, symbol}];
    if (rng() % 40 == 0) {
      events.push_back({.date = date, .action = EventAction::kSplit, .symbol = symbol,
                        .split_numerator = 2, .split_denominator = 1});
      for (auto& [key, shares] : held) {
        if (key.second == symbol) shares = Shares::FromMicros(shares.micros() * 2);
      }
    } else if (rng() % 2 == 0 || !h.is_positive()) {
      Shares shares = Shares::Units(1 + rng() % 20);
      events.push_back({.date = date, .account = account, .action = EventAction::kBuy,
                        .symbol = symbol, .shares = shares, .price = price});
      h += shares;
    } else {
      Shares shares = std::min(h, Shares::Units(1 + rng() % 20));
      events.push_back({.date = date, .account = account, .action = EventAction::kSell,
                        .symbol = symbol, .shares = shares, .price = price,
                        .lot_method = LotMethod::kHifo});
      h -= shares;
    }
  }

  Ledger single;
  for (const auto& [symbol, group] : groups) ASSERT_TRUE(single.SetWashSaleGroup(symbol, group).ok());
  for (const Account& a : accounts) ASSERT_TRUE(single.AddAccount(a).ok());
  for (const Event& e : events) ASSERT_TRUE(single.Apply(e).ok());

  Result<FirmReplay> firm = FirmReplay::Run(accounts, groups, events);
  ASSERT_TRUE(firm.ok()) << firm.status().message();
  EXPECT_EQ(firm->scope_count(), 3u);  // T0+T1 (joined by JOINT), T2, T3

  size_t washed = 0;
  for (const Account& a : accounts) {
    const Ledger* ledger = firm->LedgerOf(a.id);
    ASSERT_NE(ledger, nullptr);
    std::vector<const Realization*> expected, actual;
    for (const Realization& r : single.realized()) {
      if (r.account == a.id) expected.push_back(&r);
    }
    for (const Realization& r : ledger->realized()) {
      if (r.account == a.id) actual.push_back(&r);
    }
    ASSERT_EQ(expected.size(), actual.size()) << a.id;
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(expected[i]->lot_id, actual[i]->lot_id);
      EXPECT_EQ(expected[i]->basis, actual[i]->basis);
      EXPECT_EQ(expected[i]->proceeds, actual[i]->proceeds);
      EXPECT_EQ(expected[i]->wash_disallowed, actual[i]->wash_disallowed);
      EXPECT_EQ(expected[i]->holding_period_date, actual[i]->holding_period_date);
      washed += expected[i]->wash_disallowed.is_positive();
    }
    std::vector<OpenLot> open_single = single.OpenLots(a.id);
    std::vector<OpenLot> open_firm = ledger->OpenLots(a.id);
    ASSERT_EQ(open_single.size(), open_firm.size());
    for (size_t i = 0; i < open_single.size(); ++i) {
      EXPECT_EQ(open_single[i].lot.basis, open_firm[i].lot.basis);
      EXPECT_EQ(open_single[i].lot.shares, open_firm[i].lot.shares);
    }
  }
  EXPECT_GT(washed, 20u) << "the stream must exercise wash sales";
}

TEST(FirmReplayTest, ErrorsNameTheEvent) {
  std::vector<Account> accounts = {{.id = "A", .taxpayers = {"T"}}};
  std::vector<Event> events = {testing::Sell("2024-01-02", "A", "X", 1, "10")};
  Result<FirmReplay> firm = FirmReplay::Run(accounts, {}, events);
  ASSERT_FALSE(firm.ok());
  EXPECT_NE(firm.status().message().find("events[0]: "), std::string::npos);
  events = {testing::Buy("2024-01-02", "Z", "X", 1, "10")};
  EXPECT_NE(FirmReplay::Run(accounts, {}, events).status().message().find("unknown account 'Z'"),
            std::string::npos);
}

}  // namespace
}  // namespace arbor
