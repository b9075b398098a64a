// One simulated portfolio of a backtest: an account of a core Ledger that every trade, split
// and dividend goes through (lots, lot relief, wash sales, realized gains are the ledger's),
// with a mirror of its share counts by symbol so that valuing it daily costs no ledger copy,
// and yearly tallies of what it realized and traded.
//
//   Ledger ledger;
//   PortfolioBook book(&ledger, "OPTIMIZER", market, /*cost_rate=*/0.0005);
//   book.Open();                                  // its own taxpayer: no wash sale across books
//   book.Deposit(day, Money::Units(1'000'000));
//   book.BuyDollars(symbol, day, 10'000.0);       // shares rounded down, cost charged as a fee
//   book.SellLots(symbol, day, {{"#1", Shares::Units(5)}});
//   book.Collect();                               // after trading: realized gains into the tallies
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/backtest/backtest_input.h"
#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/ledger/ledger.h"

namespace arbor::backtest {

// One calendar year of a portfolio. Gains are after wash-sale adjustments (Form 8949 column h).
struct YearTally {
  Money short_term_gains, short_term_losses;  // losses <= 0
  Money long_term_gains, long_term_losses;
  Money harvested;        // every realized loss, as a positive amount
  Money wash_disallowed;  // losses the wash-sale rule deferred (IRC 1091)
  Money bought, sold, costs;
  Money ShortTermNet() const { return short_term_gains + short_term_losses; }
  Money LongTermNet() const { return long_term_gains + long_term_losses; }
};

class PortfolioBook {
 public:
  PortfolioBook(Ledger* ledger, std::string account, const BacktestMarket& market,
                double cost_rate);

  Status Open();
  const std::string& account() const { return account_; }
  const BacktestMarket& market() const { return market_; }
  int SymbolIndex(const std::string& symbol) const { return index_.at(symbol); }

  Status Deposit(int day, Money amount);
  // Buys `shares` at the day's close, with cost_rate x amount as the fee.
  Status Buy(int symbol, int day, Shares shares, std::string lot_id = {});
  // About `dollars` of cash spent, fee included: shares rounded down to 1/10,000.
  Status BuyDollars(int symbol, int day, double dollars, std::string lot_id = {});
  // Sells named lots ("versus purchase") at `price` (the day's close unless given).
  Status SellLots(int symbol, int day, const std::vector<LotSelection>& lots,
                  Price price = Price());
  // Sells about `dollars` of the position, relieving lots by `method` (first in first out, or
  // highest cost first).
  Status SellDollars(int symbol, int day, double dollars, LotMethod method);
  // Sells the whole position, first in first out.
  Status SellAll(int symbol, int day, Price price = Price());
  // After the ledger applied a split of `symbol`: its share count again from the ledger.
  void RefreshShares(int symbol);
  Status CreditDividend(const MarketAction& action, int day);
  // Reads the realizations the ledger added since the last call into the yearly tallies.
  void Collect();

  // The mirror against the ledger's own lots: Internal when a share count drifted.
  Status CheckMirror() const;

  Money Cash() const;
  Shares SharesOf(int symbol) const { return Shares::FromMicros(shares_[symbol]); }
  double HeldValue(int symbol, int day) const;
  double Value(int day) const;  // cash and holdings at the day's closes
  std::vector<int> Held() const;
  std::vector<OpenLot> Lots() const { return ledger_->OpenLots(account_); }
  Date LastPurchase(int symbol) const { return last_purchase_[symbol]; }
  Date LastLossSale(int symbol) const { return last_loss_sale_[symbol]; }
  const std::map<int, YearTally>& years() const { return years_; }
  YearTally& Year(int year) { return years_[year]; }

 private:
  Money Fee(Money amount) const;
  Status Sell(int symbol, int day, Shares shares, Price price, LotMethod method);

  Ledger* ledger_;
  std::string account_;
  const BacktestMarket& market_;
  double cost_rate_;
  std::unordered_map<std::string, int> index_;  // symbol -> number
  std::vector<int64_t> shares_;                 // micros, by symbol
  std::vector<Date> last_purchase_, last_loss_sale_;
  std::map<int, YearTally> years_;
  size_t next_realization_ = 0;
};

}  // namespace arbor::backtest
