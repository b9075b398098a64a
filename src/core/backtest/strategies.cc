#include "core/backtest/strategies.h"

#include <algorithm>
#include <map>

#include "core/ledger/wash_sale.h"
#include "core/review/ledger_facts.h"
#include "core/review/risk_rows.h"

namespace arbor::backtest {
namespace {

bool InWashWindow(Date earlier, Date today) {
  return earlier != Date() && today - earlier <= kWashSaleWindowDays;
}

// Buys `dollars[s]` of each name, scaled down so that the cash covers them.
Status BuyAll(PortfolioBook& book, int day, const std::vector<std::pair<int, double>>& dollars,
              double min_buy, std::vector<std::pair<int, std::string>>* labels = nullptr,
              int* next_label = nullptr) {
  double total = 0;
  for (const auto& [s, amount] : dollars) total += amount;
  const double cash = book.Cash().ToDouble();
  const double scale = total > cash ? cash / total : 1;
  for (const auto& [s, amount] : dollars) {
    if (amount * scale < min_buy) continue;
    std::string label;
    if (labels != nullptr) label = "P" + std::to_string((*next_label)++);
    const Shares before = book.SharesOf(s);
    ARBOR_RETURN_IF_ERROR(book.BuyDollars(s, day, amount * scale, label));
    if (labels != nullptr && book.SharesOf(s) > before) labels->push_back({s, label});
  }
  return Status::Ok();
}

}  // namespace

Status FollowIndex(PortfolioBook& book, int day, const DayTargets& targets,
                   const std::vector<bool>& blocked, const FollowOptions& options) {
  for (int s : book.Held()) {
    if (targets.weight[s] <= 0 && book.market().Close(s, day).is_positive()) {
      ARBOR_RETURN_IF_ERROR(book.SellAll(s, day));
    }
  }
  const double value = book.Value(day);
  if (options.retarget) {
    for (int s : book.Held()) {
      const double excess = book.HeldValue(s, day) - targets.weight[s] * value;
      if (!blocked[s] && excess > options.band * targets.weight[s] * value) {
        ARBOR_RETURN_IF_ERROR(book.SellDollars(s, day, excess, options.lot_method));
      }
    }
  }
  const double cash = book.Cash().ToDouble();
  const bool invest_all = options.retarget || cash >= options.min_cash_share * value;
  std::vector<std::pair<int, double>> gaps;
  double total_gap = 0, open_weight = 0;
  for (int s : targets.members) {
    if (blocked[s]) continue;
    if (options.entrants_only && !options.retarget && book.SharesOf(s).is_positive()) continue;
    const double gap = targets.weight[s] * value - book.HeldValue(s, day);
    open_weight += targets.weight[s];
    if (gap <= 0) continue;
    gaps.push_back({s, gap});
    total_gap += gap;
  }
  if (!invest_all && !options.entrants_only) return Status::Ok();
  // Beyond the gaps, the rest of the cash goes pro rata to the weights.
  const double extra =
      options.entrants_only && !options.retarget ? 0 : std::max(0.0, cash - total_gap);
  if (extra > 0 && open_weight > 0) {
    std::map<int, double> merged(gaps.begin(), gaps.end());
    for (int s : targets.members) {
      if (!blocked[s]) merged[s] += extra * targets.weight[s] / open_weight;
    }
    gaps.assign(merged.begin(), merged.end());
  }
  return BuyAll(book, day, gaps, options.min_buy);
}

Status RebalanceWithOptimizer(PortfolioBook& book, int day, const DayTargets& targets,
                              const RiskModel& risk, const BacktestMarket& market,
                              const BacktestOptions& options, OptimizerStats* stats) {
  const Date today = market.days[day];
  review::RebalanceInput input{.account = book.account(), .as_of = today};
  std::vector<int> symbols = targets.members;
  for (int s : book.Held()) symbols.push_back(s);
  std::sort(symbols.begin(), symbols.end());
  symbols.erase(std::unique(symbols.begin(), symbols.end()), symbols.end());
  std::vector<std::string> names;
  for (int s : symbols) {
    names.push_back(market.symbols[s]);
    input.securities.push_back({.symbol = market.symbols[s],
                                .price = market.Close(s, day),
                                .target_weight = targets.weight[s],
                                .wash_sale_group = market.master.WashSaleGroupOf(market.symbols[s]),
                                .cost_rate = options.cost_rate});
    if (InWashWindow(book.LastLossSale(s), today)) {
      input.recent_loss_sales.push_back({.wash_sale_group = input.securities.back().wash_sale_group,
                                         .account = book.account(),
                                         .symbol = market.symbols[s],
                                         .sold = book.LastLossSale(s)});
    }
  }
  for (const OpenLot& open : book.Lots()) {
    const Lot& lot = open.lot;
    input.lots.push_back(review::ToRebalanceLot(open));
    if (lot.acquired_by_purchase && !lot.absorbed_wash_loss && InWashWindow(lot.acquired, today)) {
      input.recent_purchases.push_back(
          {.wash_sale_group = market.master.WashSaleGroupOf(open.symbol),
           .account = book.account(),
           .symbol = open.symbol,
           .lot_id = lot.lot_id,
           .acquired = lot.acquired});
    }
  }
  input.tax_rates = {.federal_short_term = options.client_rates.short_term,
                     .federal_long_term = options.client_rates.long_term,
                     .net_investment_income = 0};
  input.cash.balance = book.Cash();
  input.min_trade = options.min_trade;
  input.risk_aversion = options.risk_aversion;
  std::vector<std::string> missing;
  input.risk = review::RiskRowsFor(risk, market.master, names, &missing);
  const YearTally& year = book.Year(today.year());
  input.realized_this_year = {.short_term_gains = year.short_term_gains,
                              .short_term_losses = year.short_term_losses,
                              .long_term_gains = year.long_term_gains,
                              .long_term_losses = year.long_term_losses};

  ++stats->rebalances;
  Result<review::Proposal> proposal = review::Rebalance(input);
  if (!proposal.ok()) {
    if (stats->failures++ == 0) {
      stats->first_failure = today.ToString() + ": " + proposal.status().message();
    }
    return Status::Ok();
  }
  std::map<std::string, int> index;
  for (int s : symbols) index.emplace(market.symbols[s], s);
  // Sells first, so that the buys have their cash; a lot label listed twice (sub-lots of a
  // wash-sale match keep their parent's) is one selection of the summed shares.
  for (const review::Trade& trade : proposal->trades) {
    if (trade.side != review::TradeSide::kSell) continue;
    const int s = index.at(trade.symbol);
    std::vector<LotSelection> lots;
    for (const review::LotSale& sale : trade.lots) {
      auto same = std::find_if(lots.begin(), lots.end(),
                               [&](const LotSelection& l) { return l.lot_id == sale.lot_id; });
      if (same == lots.end()) {
        lots.push_back({sale.lot_id, sale.shares});
      } else {
        same->shares += sale.shares;
      }
    }
    if (lots.empty()) continue;
    ARBOR_RETURN_IF_ERROR(book.SellLots(s, day, lots));
    ++stats->trades;
  }
  for (const review::Trade& trade : proposal->trades) {
    if (trade.side != review::TradeSide::kBuy) continue;
    const int s = index.at(trade.symbol);
    // The rounding keeps the cash minimum with its own cost estimate; a cent of fee rounding
    // must not overdraw the account.
    const double affordable = book.Cash().ToDouble();
    const double cost = trade.amount.ToDouble() * (1 + options.cost_rate);
    if (cost > affordable) {
      ARBOR_RETURN_IF_ERROR(book.BuyDollars(s, day, affordable));
    } else {
      ARBOR_RETURN_IF_ERROR(book.Buy(s, day, trade.shares));
    }
    ++stats->trades;
  }
  return Status::Ok();
}

Status MonthlyHarvestRule::HarvestAndPark(PortfolioBook& book, int day) {
  const Date today = market_.days[day];
  std::map<int, std::vector<LotSelection>> losers;
  for (const OpenLot& open : book.Lots()) {
    const int s = book.SymbolIndex(open.symbol);
    const Price price = market_.Close(s, day);
    if (!price.is_positive() || awaiting_[s] || InWashWindow(book.LastPurchase(s), today)) {
      continue;
    }
    if (Value(open.lot.shares, price) < open.lot.basis) {
      std::vector<LotSelection>& lots = losers[s];
      auto same = std::find_if(lots.begin(), lots.end(),
                               [&](const LotSelection& l) { return l.lot_id == open.lot.lot_id; });
      if (same == lots.end()) {
        lots.push_back({open.lot.lot_id, open.lot.shares});
      } else {
        same->shares += open.lot.shares;
      }
    }
  }
  Parking parking{.due = today.AddDays(options_.park_days)};
  for (const auto& [s, lots] : losers) {
    const double before = book.Cash().ToDouble();
    ARBOR_RETURN_IF_ERROR(book.SellLots(s, day, lots));
    parking.buy_back.push_back({s, book.Cash().ToDouble() - before});
    awaiting_[s] = true;
    ++harvests_;
  }
  // The cash (proceeds, and dividends since the last month end) goes to the other names held.
  std::vector<std::pair<int, double>> others;
  for (int s : book.Held()) {
    if (!awaiting_[s] && market_.Close(s, day).is_positive()) {
      others.push_back({s, book.HeldValue(s, day)});
    }
  }
  double held = 0;
  for (const auto& [s, value] : others) held += value;
  const double cash = book.Cash().ToDouble();
  if (held <= 0 || cash < options_.min_trade.ToDouble()) return Status::Ok();
  for (auto& [s, value] : others) value *= cash / held;
  ARBOR_RETURN_IF_ERROR(BuyAll(book, day, others, 1, &parking.lots, &next_label_));
  if (!parking.buy_back.empty()) parked_.push_back(std::move(parking));
  return Status::Ok();
}

Status MonthlyHarvestRule::BuyBack(PortfolioBook& book, int day) {
  const Date today = market_.days[day];
  while (!parked_.empty() && parked_.front().due <= today) {
    const Parking parking = std::move(parked_.front());
    parked_.erase(parked_.begin());
    std::map<std::string, Shares> open;  // the parking lots still held, by label
    for (const OpenLot& lot : book.Lots()) {
      if (lot.lot.lot_id.starts_with("P")) open[lot.lot.lot_id] += lot.lot.shares;
    }
    for (const auto& [s, label] : parking.lots) {
      auto held = open.find(label);
      if (held == open.end() || !market_.Close(s, day).is_positive()) continue;
      ARBOR_RETURN_IF_ERROR(book.SellLots(s, day, {{label, held->second}}));
    }
    std::vector<std::pair<int, double>> buys;
    double total = 0;
    for (const auto& [s, dollars] : parking.buy_back) {
      awaiting_[s] = false;
      if (market_.Close(s, day).is_positive()) buys.push_back({s, dollars}), total += dollars;
    }
    // All the cash goes back, in proportion to what each name was sold for.
    const double cash = book.Cash().ToDouble();
    for (auto& [s, dollars] : buys) dollars *= total > 0 ? cash / total : 0;
    ARBOR_RETURN_IF_ERROR(BuyAll(book, day, buys, 1));
  }
  return Status::Ok();
}

}  // namespace arbor::backtest
