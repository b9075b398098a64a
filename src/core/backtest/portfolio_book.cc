#include "core/backtest/portfolio_book.h"

#include <algorithm>
#include <cmath>

namespace arbor::backtest {

PortfolioBook::PortfolioBook(Ledger* ledger, std::string account, const BacktestMarket& market,
                             double cost_rate)
    : ledger_(ledger),
      account_(std::move(account)),
      market_(market),
      cost_rate_(cost_rate),
      shares_(market.symbol_count(), 0),
      last_purchase_(market.symbol_count()),
      last_loss_sale_(market.symbol_count()) {
  for (int s = 0; s < market.symbol_count(); ++s) index_.emplace(market.symbols[s], s);
}

Status PortfolioBook::Open() {
  return ledger_->AddAccount(
      {.id = account_, .type = AccountType::kTaxable, .taxpayers = {account_}});
}

Money PortfolioBook::Fee(Money amount) const {
  return Money::FromDouble(amount.ToDouble() * cost_rate_).RoundedToCents();
}

Status PortfolioBook::Deposit(int day, Money amount) {
  return ledger_->Apply({.date = market_.days[day],
                         .account = account_,
                         .action = EventAction::kDeposit,
                         .amount = amount});
}

Status PortfolioBook::Buy(int symbol, int day, Shares shares, std::string lot_id) {
  if (!shares.is_positive()) return Status::Ok();
  const Price price = market_.Close(symbol, day);
  const Money amount = arbor::Value(shares, price);
  const Money fee = Fee(amount);
  ARBOR_RETURN_IF_ERROR(ledger_->Apply({.date = market_.days[day],
                                        .account = account_,
                                        .action = EventAction::kBuy,
                                        .symbol = market_.symbols[symbol],
                                        .shares = shares,
                                        .price = price,
                                        .fees = fee,
                                        .lot_id = std::move(lot_id)}));
  shares_[symbol] += shares.micros();
  last_purchase_[symbol] = market_.days[day];
  YearTally& year = years_[market_.days[day].year()];
  year.bought += amount;
  year.costs += fee;
  return Status::Ok();
}

Status PortfolioBook::BuyDollars(int symbol, int day, double dollars, std::string lot_id) {
  const double price = market_.Close(symbol, day).ToDouble();
  if (price <= 0 || dollars <= 0) return Status::Ok();
  // Cents of fee rounding aside, shares x price x (1 + cost) stays within the dollars.
  const double units = std::floor((dollars - 0.01) / (price * (1 + cost_rate_)) * 1e4);
  if (units <= 0) return Status::Ok();
  return Buy(symbol, day, Shares::FromMicros(static_cast<int64_t>(units) * 100), std::move(lot_id));
}

Status PortfolioBook::SellLots(int symbol, int day, const std::vector<LotSelection>& lots,
                               Price price) {
  if (lots.empty()) return Status::Ok();
  if (!price.is_positive()) price = market_.Close(symbol, day);
  Event sell{.date = market_.days[day],
             .account = account_,
             .action = EventAction::kSell,
             .symbol = market_.symbols[symbol],
             .price = price,
             .lot_method = LotMethod::kSpecific,
             .lots = lots};
  for (const LotSelection& lot : lots) sell.shares += lot.shares;
  sell.fees = Fee(arbor::Value(sell.shares, price));
  ARBOR_RETURN_IF_ERROR(ledger_->Apply(sell));
  shares_[symbol] -= sell.shares.micros();
  YearTally& year = years_[sell.date.year()];
  year.sold += arbor::Value(sell.shares, price);
  year.costs += sell.fees;
  return Status::Ok();
}

Status PortfolioBook::SellDollars(int symbol, int day, double dollars, LotMethod method) {
  const double price = market_.Close(symbol, day).ToDouble();
  if (price <= 0 || dollars <= 0) return Status::Ok();
  const int64_t micros =
      std::min(shares_[symbol], static_cast<int64_t>(dollars / price * kMicrosPerUnit));
  return Sell(symbol, day, Shares::FromMicros(micros), market_.Close(symbol, day), method);
}

Status PortfolioBook::SellAll(int symbol, int day, Price price) {
  if (!price.is_positive()) price = market_.Close(symbol, day);
  return Sell(symbol, day, SharesOf(symbol), price, LotMethod::kFifo);
}

Status PortfolioBook::Sell(int symbol, int day, Shares shares, Price price, LotMethod method) {
  if (!shares.is_positive()) return Status::Ok();
  Event sell{.date = market_.days[day],
             .account = account_,
             .action = EventAction::kSell,
             .symbol = market_.symbols[symbol],
             .shares = shares,
             .price = price,
             .lot_method = method};
  sell.fees = Fee(arbor::Value(sell.shares, price));
  ARBOR_RETURN_IF_ERROR(ledger_->Apply(sell));
  shares_[symbol] -= shares.micros();
  YearTally& year = years_[sell.date.year()];
  year.sold += arbor::Value(sell.shares, price);
  year.costs += sell.fees;
  return Status::Ok();
}

void PortfolioBook::RefreshShares(int symbol) {
  shares_[symbol] = ledger_->SharesHeld(account_, market_.symbols[symbol]).micros();
}

Status PortfolioBook::CreditDividend(const MarketAction& action, int day) {
  const Money amount = arbor::Value(SharesOf(action.symbol), action.dividend_per_share);
  if (!amount.is_positive()) return Status::Ok();
  return ledger_->Apply({.date = market_.days[day],
                         .account = account_,
                         .action = EventAction::kDividend,
                         .symbol = market_.symbols[action.symbol],
                         .amount = amount});
}

void PortfolioBook::Collect() {
  const Realizations& realized = ledger_->realized();
  for (; next_realization_ < realized.size(); ++next_realization_) {
    const Realization& r = realized[next_realization_];
    if (r.account != account_) continue;
    YearTally& year = years_[r.sell_date.year()];
    const Money gain = r.Gain();
    const bool long_term = r.term() == Term::kLong;
    if (gain.is_negative()) {
      (long_term ? year.long_term_losses : year.short_term_losses) += gain;
      year.harvested -= gain;
    } else {
      (long_term ? year.long_term_gains : year.short_term_gains) += gain;
    }
    year.wash_disallowed += r.wash_disallowed;
    if (r.GainBeforeWash().is_negative()) {
      last_loss_sale_[index_.at(r.symbol)] = r.sell_date;
    }
  }
}

Status PortfolioBook::CheckMirror() const {
  for (int s = 0; s < market_.symbol_count(); ++s) {
    if (ledger_->SharesHeld(account_, market_.symbols[s]).micros() != shares_[s]) {
      return Status::Internal("backtest: the share mirror of " + account_ +
                              " drifted from its ledger in " + market_.symbols[s]);
    }
  }
  return Status::Ok();
}

Money PortfolioBook::Cash() const { return *ledger_->Cash(account_); }

double PortfolioBook::HeldValue(int symbol, int day) const {
  if (shares_[symbol] == 0) return 0;
  Price price = market_.Close(symbol, day);
  if (!price.is_positive()) price = market_.last_close[symbol];
  return static_cast<double>(shares_[symbol]) / kMicrosPerUnit * price.ToDouble();
}

double PortfolioBook::Value(int day) const {
  double value = Cash().ToDouble();
  for (int s = 0; s < market_.symbol_count(); ++s) value += HeldValue(s, day);
  return value;
}

std::vector<int> PortfolioBook::Held() const {
  std::vector<int> held;
  for (int s = 0; s < market_.symbol_count(); ++s) {
    if (shares_[s] > 0) held.push_back(s);
  }
  return held;
}

}  // namespace arbor::backtest
