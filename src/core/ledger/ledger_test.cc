#include "core/ledger/ledger.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "core/ledger/form8949.h"
#include "core/ledger/test_events.h"

namespace arbor {
namespace {

using testing::Buy;
using testing::D;
using testing::M;
using testing::Sell;

Ledger OneAccount() {
  Ledger ledger;
  EXPECT_TRUE(ledger.AddAccount({.id = "A", .taxpayers = {"T1"}}).ok());
  return ledger;
}

TEST(LedgerTest, FeesAddToBasisAndReduceProceedsProRata) {
  Ledger ledger = OneAccount();
  Event buy = Buy("2024-01-02", "A", "X", 100, "10");
  buy.fees = M("5");
  ASSERT_TRUE(ledger.Apply(buy).ok());
  ASSERT_TRUE(ledger.Apply(Buy("2024-01-03", "A", "X", 50, "11")).ok());
  Event sell = Sell("2024-02-01", "A", "X", 150, "12");
  sell.fees = M("3");
  ASSERT_TRUE(ledger.Apply(sell).ok());
  ASSERT_EQ(ledger.realized().size(), 2u);
  EXPECT_EQ(ledger.realized()[0].basis, M("1005"));
  EXPECT_EQ(ledger.realized()[0].proceeds, M("1198"));  // 1200 - 3 x 100/150
  EXPECT_EQ(ledger.realized()[1].proceeds, M("599"));   // 600 - 3 x 50/150
  EXPECT_EQ(*ledger.Cash("A"), M("-1005") - M("550") + M("1797"));
}

TEST(LedgerTest, InvalidEventsChangeNothing) {
  Ledger ledger = OneAccount();
  ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "A", "X", 100, "10", "L1")).ok());
  Status s = ledger.Apply(Sell("2024-02-01", "A", "X", 101, "8"));
  EXPECT_NE(s.message().find("more than held (100)"), std::string::npos) << s.message();
  Event specific = Sell("2024-02-01", "A", "X", 10, "8", LotMethod::kSpecific);
  specific.lots = {{"NOPE", Shares::Units(10)}};
  EXPECT_NE(ledger.Apply(specific).message().find("unknown lot 'NOPE'"), std::string::npos);
  EXPECT_FALSE(ledger.Apply(Buy("2024-02-01", "A", "X", 0, "8")).ok());
  EXPECT_FALSE(ledger.Apply(Buy("2024-02-01", "A", "X", 5, "-1")).ok());
  EXPECT_FALSE(ledger.Apply(Buy("2024-02-01", "A", "X", 5, "1", "L1")).ok());  // lot id reused
  EXPECT_FALSE(ledger.Apply(Buy("2024-02-01", "Z", "X", 5, "1")).ok());        // unknown account
  EXPECT_FALSE(ledger.Apply(Buy("2023-12-01", "A", "X", 5, "1")).ok());        // date backwards
  EXPECT_TRUE(ledger.realized().empty());
  ASSERT_EQ(ledger.OpenLots().size(), 1u);
  EXPECT_EQ(ledger.OpenLots()[0].lot.shares, Shares::Units(100));
  EXPECT_EQ(*ledger.Cash("A"), M("-1000"));
}

TEST(LedgerTest, SplitMultipliesSharesAndKeepsBasisAndDates) {
  Ledger ledger = OneAccount();
  ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "A", "X", 100, "10")).ok());
  Event split{.date = D("2024-03-01"), .action = EventAction::kSplit, .symbol = "X",
              .split_numerator = 3, .split_denominator = 2};
  ASSERT_TRUE(ledger.Apply(split).ok());
  std::vector<OpenLot> open = ledger.OpenLots();
  EXPECT_EQ(open[0].lot.shares, Shares::Units(150));
  EXPECT_EQ(open[0].lot.basis, M("1000"));
  EXPECT_EQ(open[0].lot.acquired, D("2024-01-02"));
}

TEST(LedgerTest, TransferInKeepsOriginalBasisAndDates) {
  Ledger ledger = OneAccount();
  Event transfer{.date = D("2024-05-01"), .account = "A", .action = EventAction::kTransferIn,
                 .symbol = "X", .shares = Shares::Units(10), .lot_id = "T1",
                 .basis = M("123.45"), .acquired = D("2019-07-15")};
  ASSERT_TRUE(ledger.Apply(transfer).ok());
  ASSERT_TRUE(ledger.Apply(Sell("2024-05-02", "A", "X", 10, "20")).ok());
  EXPECT_EQ(ledger.realized()[0].basis, M("123.45"));
  EXPECT_EQ(ledger.realized()[0].term(), Term::kLong);
  EXPECT_EQ(*ledger.Cash("A"), M("200"));
}

TEST(LedgerTest, Form8949SplitsPartsAndNets) {
  Ledger ledger = OneAccount();
  Event transfer{.date = D("2024-01-02"), .account = "A", .action = EventAction::kTransferIn,
                 .symbol = "OLD", .shares = Shares::Units(10), .basis = M("50"),
                 .acquired = D("2015-01-02")};
  ASSERT_TRUE(ledger.Apply(transfer).ok());
  ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "A", "NEW", 10, "10")).ok());
  ASSERT_TRUE(ledger.Apply(Sell("2024-06-03", "A", "OLD", 10, "20")).ok());  // LT +150
  ASSERT_TRUE(ledger.Apply(Sell("2024-06-03", "A", "NEW", 10, "6")).ok());   // ST -40
  Form8949 form = BuildForm8949(ledger.realized(), [](const Realization&) { return true; });
  ASSERT_EQ(form.short_term.rows.size(), 1u);
  ASSERT_EQ(form.long_term.rows.size(), 1u);
  EXPECT_EQ(form.short_term.rows[0].description, "10 sh NEW");
  EXPECT_EQ(form.net_short_term, M("-40"));
  EXPECT_EQ(form.net_long_term, M("150"));
  EXPECT_EQ(form.net_total, M("110"));
}

// Property: on random event streams over two taxpayers (a taxable account and an IRA each,
// frequent wash sales, fractional shares, splits), shares and dollars are conserved exactly:
//   cost bought + transferred basis + washed losses added to basis
//     = basis of everything sold + basis of everything still open,
// with permanently disallowed losses (IRA replacements) never added to any basis.
TEST(LedgerTest, RandomStreamsConserveSharesAndBasisExactly) {
  std::mt19937_64 rng(20240229);
  for (int trial = 0; trial < 40; ++trial) {
    Ledger ledger;
    const std::vector<std::string> accounts = {"A1", "I1", "A2", "I2"};
    ASSERT_TRUE(ledger.AddAccount({.id = "A1", .taxpayers = {"T1"}}).ok());
    ASSERT_TRUE(ledger.AddAccount({.id = "I1", .type = AccountType::kTraditionalIra, .taxpayers = {"T1"}}).ok());
    ASSERT_TRUE(ledger.AddAccount({.id = "A2", .taxpayers = {"T2"}}).ok());
    ASSERT_TRUE(ledger.AddAccount({.id = "I2", .type = AccountType::kRothIra, .taxpayers = {"T2"}}).ok());
    ASSERT_TRUE(ledger.SetWashSaleGroup("S", "g").ok());
    ASSERT_TRUE(ledger.SetWashSaleGroup("T", "g").ok());
    const std::vector<std::string> symbols = {"S", "T", "U"};
    const bool allow_splits = trial % 2 == 1;  // share counts are compared without splits
    Shares shares_in;
    Money cost_in;
    Date date = D("2020-01-02");
    for (int step = 0; step < 400; ++step) {
      date = date.AddDays(std::uniform_int_distribution<int>(0, 4)(rng));
      const std::string& account = accounts[rng() % accounts.size()];
      const std::string& symbol = symbols[rng() % symbols.size()];
      Price price = Price::FromMicros(std::uniform_int_distribution<int64_t>(5'000'000, 15'000'000)(rng));
      Shares shares = Shares::FromMicros(std::uniform_int_distribution<int64_t>(1, 50'000'000)(rng));
      int kind = rng() % 10;
      if (kind < 5) {
        Event buy{.date = date, .account = account, .action = EventAction::kBuy, .symbol = symbol,
                  .shares = shares, .price = price, .fees = Money::FromMicros(rng() % 2'000'000)};
        ASSERT_TRUE(ledger.Apply(buy).ok());
        cost_in += Value(shares, price) + buy.fees;
        shares_in += shares;
      } else if (kind < 9) {
        Shares held = ledger.SharesHeld(account, symbol);
        if (!held.is_positive()) continue;
        Shares sell_shares = std::min(held, shares);
        LotMethod method = static_cast<LotMethod>(std::vector<int>{0, 1, 2, 4}[rng() % 4]);
        Event sell{.date = date, .account = account, .action = EventAction::kSell,
                   .symbol = symbol, .shares = sell_shares, .price = price, .lot_method = method};
        ASSERT_TRUE(ledger.Apply(sell).ok());
      } else if (allow_splits && rng() % 4 == 0) {
        Event split{.date = date, .action = EventAction::kSplit, .symbol = symbol,
                    .split_numerator = 2, .split_denominator = 1};
        ASSERT_TRUE(ledger.Apply(split).ok());
      } else {
        Event transfer{.date = date, .account = account, .action = EventAction::kTransferIn,
                       .symbol = symbol, .shares = shares, .basis = Value(shares, price),
                       .acquired = date.AddDays(-400)};
        ASSERT_TRUE(ledger.Apply(transfer).ok());
        cost_in += transfer.basis;
        shares_in += shares;
      }
    }
    Money washed_into_basis, realized_basis, open_basis;
    Shares shares_out;
    for (const Realization& r : ledger.realized()) {
      realized_basis += r.basis;
      washed_into_basis += r.wash_disallowed - r.wash_disallowed_permanent;
      EXPECT_FALSE(r.wash_disallowed.is_negative());
      if (r.wash_disallowed.is_positive()) {
        EXPECT_LE(r.wash_disallowed, -r.GainBeforeWash()) << "a wash never exceeds the loss";
      }
      shares_out += r.shares;
    }
    for (const OpenLot& open : ledger.OpenLots()) {
      open_basis += open.lot.basis;
      shares_out += open.lot.shares;
    }
    if (!allow_splits) {
      EXPECT_EQ(shares_in, shares_out) << "trial " << trial;
    }
    EXPECT_EQ(cost_in + washed_into_basis, realized_basis + open_basis) << "trial " << trial;
  }
}

}  // namespace
}  // namespace arbor
