#include "adapters/demo/demo_firm.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <unordered_map>

#include "core/ledger/ledger.h"

namespace arbor {
namespace {

struct AccountPlan {
  Account account;
  Date funded;
  Money initial_cash;
  int stock_count;
  std::vector<std::pair<std::string, double>> etf_weights;  // e.g. AGG 30%
  Money monthly_withdrawal;
  Date withdrawals_from;
  Money yearly_contribution;
  bool harvest;
  LotMethod lot_method;
  std::vector<Event> legacy_lots;  // transferred in at funding
};

Date D(const char* text) { return *Date::Parse(text); }

class PriceBook {
 public:
  explicit PriceBook(const std::vector<PriceHistory>& prices) {
    for (const PriceHistory& history : prices) by_symbol_[history.symbol] = &history;
  }
  // The bar of `symbol` on exactly `date`, if it traded.
  const DailyBar* On(const std::string& symbol, Date date) const {
    auto it = by_symbol_.find(symbol);
    if (it == by_symbol_.end()) return nullptr;
    const std::vector<DailyBar>& bars = it->second->bars;
    auto bar = std::lower_bound(bars.begin(), bars.end(), date,
                                [](const DailyBar& b, Date d) { return b.date < d; });
    return bar != bars.end() && bar->date == date ? &*bar : nullptr;
  }
  // The last close on or before `date` (a holiday in one series is a trading day in another).
  Price CloseOn(const std::string& symbol, Date date) const {
    auto it = by_symbol_.find(symbol);
    if (it == by_symbol_.end()) return Price();
    const std::vector<DailyBar>& bars = it->second->bars;
    auto bar = std::upper_bound(bars.begin(), bars.end(), date,
                                [](Date d, const DailyBar& b) { return d < b.date; });
    return bar == bars.begin() ? Price() : std::prev(bar)->close;
  }
  bool Covers(const std::string& symbol, Date from, Date to) const {
    auto it = by_symbol_.find(symbol);
    if (it == by_symbol_.end() || it->second->bars.empty()) return false;
    return it->second->bars.front().date <= from && it->second->bars.back().date >= to;
  }

 private:
  std::unordered_map<std::string, const PriceHistory*> by_symbol_;
};

// Runs the plans day by day against one Ledger and records every event it applies.
class Simulation {
 public:
  Simulation(const SecurityMaster& master, const std::vector<PriceHistory>& prices,
             std::vector<AccountPlan> plans, std::vector<Date> calendar, uint64_t seed)
      : master_(master), book_(prices), plans_(std::move(plans)),
        calendar_(std::move(calendar)), rng_(seed) {}

  Status Run(DemoFirm* firm, const std::function<void(const std::string&)>& progress);

 private:
  Status Record(Event event) {
    ARBOR_RETURN_IF_ERROR(ledger_.Apply(event).WithContext(
        "demo " + event.date.ToString() + " " + std::string(ToString(event.action)) + " " +
        event.symbol + " in " + event.account));
    if (event.action != EventAction::kSplit) events_.push_back(std::move(event));
    return Status::Ok();
  }
  Price Close(const std::string& symbol, Date date) const { return book_.CloseOn(symbol, date); }
  std::map<std::string, Shares> Holdings(const std::string& account) const;
  Money MarketValue(const std::string& account, Date date) const;
  Status Buy(const std::string& account, const std::string& symbol, Money dollars, Date date);
  Status SellDollars(const AccountPlan& plan, const std::string& symbol, Money dollars, Date date);
  Status Fund(const AccountPlan& plan, Date date);
  Status Rebalance(const AccountPlan& plan, Date date);
  Status Harvest(const AccountPlan& plan, Date date);
  Status RaiseCash(const AccountPlan& plan, Money needed, Date date);
  Status CorporateActions(Date date);
  std::vector<std::string> PickStocks(int count, Date from, const std::set<std::string>& avoid);
  std::string Replacement(const std::string& symbol, const std::string& account, Date date);

  const SecurityMaster& master_;
  PriceBook book_;
  std::vector<AccountPlan> plans_;
  std::vector<Date> calendar_;
  std::mt19937_64 rng_;
  Ledger ledger_;
  std::vector<Event> events_;
  std::map<std::string, std::set<std::string>> universe_;  // account -> target symbols
  std::map<std::string, std::map<std::string, Date>> harvested_;  // account -> symbol -> date
  std::set<std::string> traded_;
};

std::map<std::string, Shares> Simulation::Holdings(const std::string& account) const {
  std::map<std::string, Shares> out;
  for (const OpenLot& lot : ledger_.OpenLots(account)) out[lot.symbol] += lot.lot.shares;
  return out;
}

Money Simulation::MarketValue(const std::string& account, Date date) const {
  Money total = *ledger_.Cash(account);
  for (const auto& [symbol, shares] : Holdings(account)) total += Value(shares, Close(symbol, date));
  return total;
}

Status Simulation::Buy(const std::string& account, const std::string& symbol, Money dollars,
                       Date date) {
  Price price = Close(symbol, date);
  if (!price.is_positive()) return Status::Ok();  // no price yet: nothing to buy
  // Fractional shares to 1/10,000, rounded down so that the cost never exceeds `dollars`.
  int64_t ten_thousandths = static_cast<int64_t>(dollars.ToDouble() / price.ToDouble() * 1e4);
  if (ten_thousandths <= 0) return Status::Ok();
  traded_.insert(symbol);
  return Record({.date = date, .account = account, .action = EventAction::kBuy, .symbol = symbol,
                 .shares = Shares::FromMicros(ten_thousandths * 100), .price = price});
}

Status Simulation::SellDollars(const AccountPlan& plan, const std::string& symbol, Money dollars,
                               Date date) {
  Shares held = ledger_.SharesHeld(plan.account.id, symbol);
  Price price = Close(symbol, date);
  if (!price.is_positive()) return Status::Ok();
  Shares shares = Shares::FromMicros(
      std::min<int64_t>(held.micros(), dollars.micros() * kMicrosPerUnit / price.micros()));
  if (!shares.is_positive()) return Status::Ok();
  return Record({.date = date, .account = plan.account.id, .action = EventAction::kSell,
                 .symbol = symbol, .shares = shares, .price = price,
                 .lot_method = plan.lot_method});
}

std::vector<std::string> Simulation::PickStocks(int count, Date from,
                                                const std::set<std::string>& avoid) {
  std::vector<std::string> candidates;
  for (const Security& security : master_.securities()) {
    if (security.type == SecurityType::kStock && !avoid.count(security.symbol) &&
        book_.Covers(security.symbol, from, calendar_.back())) {
      candidates.push_back(security.symbol);
    }
  }
  std::shuffle(candidates.begin(), candidates.end(), rng_);
  candidates.resize(std::min<size_t>(candidates.size(), count));
  return candidates;
}

Status Simulation::Fund(const AccountPlan& plan, Date date) {
  const std::string& id = plan.account.id;
  ARBOR_RETURN_IF_ERROR(Record({.date = date, .account = id, .action = EventAction::kDeposit,
                               .amount = plan.initial_cash}));
  for (const Event& lot : plan.legacy_lots) {
    Event transfer = lot;
    transfer.date = date;
    traded_.insert(lot.symbol);
    ARBOR_RETURN_IF_ERROR(Record(transfer));
  }
  std::set<std::string> avoid;
  for (const Event& lot : plan.legacy_lots) avoid.insert(lot.symbol);
  // Households share some names across accounts, as real ones do; that is where wash sales
  // across accounts come from.
  std::set<std::string> shared;
  for (const auto& entry : universe_) {
    for (const std::string& s : entry.second) {
      if (rng_() % 3 != 0 && book_.Covers(s, date, calendar_.back())) shared.insert(s);
    }
  }
  universe_[id].insert(shared.begin(), shared.end());
  for (const std::string& s : PickStocks(plan.stock_count, date, avoid)) {
    if (static_cast<int>(universe_[id].size()) >= plan.stock_count) break;
    universe_[id].insert(s);
  }
  double etf_share = 0;
  for (const auto& [etf, weight] : plan.etf_weights) {
    etf_share += weight;
    ARBOR_RETURN_IF_ERROR(Buy(id, etf, plan.initial_cash.Prorate(Shares::FromDouble(weight),
                                                                 Shares::Units(1)), date));
  }
  Money per_stock = Money::FromDouble(plan.initial_cash.ToDouble() * (1 - etf_share) * 0.99 /
                                      universe_[id].size());
  for (const std::string& s : universe_[id]) ARBOR_RETURN_IF_ERROR(Buy(id, s, per_stock, date));
  return Status::Ok();
}

Status Simulation::RaiseCash(const AccountPlan& plan, Money needed, Date date) {
  Money cash = *ledger_.Cash(plan.account.id);
  if (cash >= needed) return Status::Ok();
  // Sell from the largest positions, a little more than needed to leave a buffer.
  std::vector<std::pair<Money, std::string>> positions;
  for (const auto& [symbol, shares] : Holdings(plan.account.id)) {
    positions.push_back({Value(shares, Close(symbol, date)), symbol});
  }
  std::sort(positions.rbegin(), positions.rend());
  Money shortfall = needed - cash + Money::Units(5'000);
  for (const auto& [value, symbol] : positions) {
    if (!shortfall.is_positive()) break;
    Money take = std::min(shortfall, value.Prorate(Shares::Units(1), Shares::Units(4)));
    ARBOR_RETURN_IF_ERROR(SellDollars(plan, symbol, take, date));
    shortfall -= take;
  }
  return Status::Ok();
}

Status Simulation::Rebalance(const AccountPlan& plan, Date date) {
  const std::string& id = plan.account.id;
  Money total = MarketValue(id, date);
  std::map<std::string, double> target;
  double etf_share = 0;
  for (const auto& [etf, weight] : plan.etf_weights) {
    target[etf] = weight;
    etf_share += weight;
  }
  for (const std::string& s : universe_[id]) target[s] = (1 - etf_share) * 0.98 / universe_[id].size();
  std::map<std::string, Shares> holdings = Holdings(id);
  // Trim what drifted well above target (legacy positions are left alone), then top up.
  for (const auto& [symbol, shares] : holdings) {
    auto t = target.find(symbol);
    if (t == target.end()) continue;
    Money value = Value(shares, Close(symbol, date));
    Money goal = Money::FromDouble(total.ToDouble() * t->second);
    if (value.ToDouble() > goal.ToDouble() * 1.35) {
      ARBOR_RETURN_IF_ERROR(SellDollars(plan, symbol, value - goal, date));
    }
  }
  holdings = Holdings(id);
  for (const auto& [symbol, weight] : target) {
    Money value = Value(holdings[symbol], Close(symbol, date));
    Money goal = Money::FromDouble(total.ToDouble() * weight);
    Money cash = *ledger_.Cash(id) - Money::FromDouble(total.ToDouble() * 0.01);
    if (value.ToDouble() < goal.ToDouble() * 0.8 && cash.is_positive()) {
      ARBOR_RETURN_IF_ERROR(Buy(id, symbol, std::min(goal - value, cash), date));
    }
  }
  return Status::Ok();
}

std::string Simulation::Replacement(const std::string& symbol, const std::string& account,
                                    Date date) {
  const Security* sold = master_.Find(symbol);
  std::vector<std::string> candidates;
  for (const Security& security : master_.securities()) {
    if (security.type != SecurityType::kStock || security.symbol == symbol ||
        sold == nullptr || security.gics.sector != sold->gics.sector ||
        universe_[account].count(security.symbol) ||
        !book_.Covers(security.symbol, date, calendar_.back())) {
      continue;
    }
    auto harvested = harvested_[account].find(security.symbol);
    if (harvested != harvested_[account].end() && date - harvested->second <= 31) continue;
    candidates.push_back(security.symbol);
  }
  if (candidates.empty()) return "";
  return candidates[rng_() % candidates.size()];
}

Status Simulation::Harvest(const AccountPlan& plan, Date date) {
  const std::string& id = plan.account.id;
  std::map<std::string, std::vector<LotSelection>> losers;
  std::map<std::string, Money> proceeds;
  for (const OpenLot& open : ledger_.OpenLots(id)) {
    if (!universe_[id].count(open.symbol)) continue;  // legacy lots are never touched
    Money value = Value(open.lot.shares, Close(open.symbol, date));
    Money loss = open.lot.basis - value;
    if (loss.ToDouble() > 0.12 * open.lot.basis.ToDouble() && loss > Money::Units(1'000)) {
      losers[open.symbol].push_back({open.lot.lot_id, open.lot.shares});
      proceeds[open.symbol] += value;
    }
  }
  for (auto& [symbol, lots] : losers) {
    std::string replacement = Replacement(symbol, id, date);
    if (replacement.empty()) continue;
    // Sub-lots may share a label: sell each label once, for all its shares.
    std::map<std::string, Shares> by_label;
    for (const LotSelection& lot : lots) by_label[lot.lot_id] += lot.shares;
    Event sell{.date = date, .account = id, .action = EventAction::kSell, .symbol = symbol,
               .price = Close(symbol, date), .lot_method = LotMethod::kSpecific};
    for (const auto& [label, shares] : by_label) {
      sell.lots.push_back({label, shares});
      sell.shares += shares;
    }
    ARBOR_RETURN_IF_ERROR(Record(sell));
    harvested_[id][symbol] = date;
    universe_[id].erase(symbol);
    universe_[id].insert(replacement);
    ARBOR_RETURN_IF_ERROR(Buy(id, replacement, proceeds[symbol], date));
  }
  return Status::Ok();
}

Status Simulation::CorporateActions(Date date) {
  for (const Account& account : ledger_.accounts()) {
    for (const auto& [symbol, shares] : Holdings(account.id)) {
      const DailyBar* bar = book_.On(symbol, date);
      if (bar == nullptr) continue;
      if (bar->dividend_per_share.is_positive()) {
        ARBOR_RETURN_IF_ERROR(Record({.date = date, .account = account.id,
                                      .action = EventAction::kDividend, .symbol = symbol,
                                      .amount = Value(shares, bar->dividend_per_share)}));
      }
    }
  }
  std::set<std::string> held;
  for (const OpenLot& lot : ledger_.OpenLots()) held.insert(lot.symbol);
  for (const std::string& symbol : held) {
    const DailyBar* bar = book_.On(symbol, date);
    if (bar != nullptr && (bar->split_numerator != 1 || bar->split_denominator != 1)) {
      ARBOR_RETURN_IF_ERROR(Record({.date = date, .action = EventAction::kSplit, .symbol = symbol,
                                    .split_numerator = bar->split_numerator,
                                    .split_denominator = bar->split_denominator}));
    }
  }
  return Status::Ok();
}

Status Simulation::Run(DemoFirm* firm, const std::function<void(const std::string&)>& progress) {
  for (const AccountPlan& plan : plans_) ARBOR_RETURN_IF_ERROR(ledger_.AddAccount(plan.account));
  std::set<std::string> funded;
  int last_month = -1;
  int last_year = calendar_.front().year();
  for (Date date : calendar_) {
    // Splits and dividends take effect at the open of their ex-date, before any trading.
    ARBOR_RETURN_IF_ERROR(CorporateActions(date));
    const bool new_month = date.month() != last_month;
    const bool new_year = date.year() != last_year;
    if (new_year && progress) progress("simulating " + std::to_string(date.year()));
    for (const AccountPlan& plan : plans_) {
      const std::string& id = plan.account.id;
      if (!funded.count(id)) {
        if (date < plan.funded) continue;
        ARBOR_RETURN_IF_ERROR(Fund(plan, date));
        funded.insert(id);
        continue;
      }
      if (new_year && plan.yearly_contribution.is_positive()) {
        ARBOR_RETURN_IF_ERROR(Record({.date = date, .account = id,
                                      .action = EventAction::kDeposit,
                                      .amount = plan.yearly_contribution}));
      }
      if (!new_month) continue;
      if (plan.monthly_withdrawal.is_positive() && date >= plan.withdrawals_from) {
        ARBOR_RETURN_IF_ERROR(RaiseCash(plan, plan.monthly_withdrawal, date));
        ARBOR_RETURN_IF_ERROR(Record({.date = date, .account = id,
                                      .action = EventAction::kWithdrawal,
                                      .amount = plan.monthly_withdrawal}));
      }
      if (plan.harvest) ARBOR_RETURN_IF_ERROR(Harvest(plan, date));
      if (date.month() % 3 == 1) ARBOR_RETURN_IF_ERROR(Rebalance(plan, date));
    }
    last_month = date.month();
    last_year = date.year();
  }
  for (const AccountPlan& plan : plans_) firm->accounts.push_back(plan.account);
  firm->events = std::move(events_);
  firm->symbols.assign(traded_.begin(), traded_.end());
  return Status::Ok();
}

Event LegacyLot(const std::string& account, const std::string& symbol, int64_t shares,
                const PriceBook& book, const char* acquired) {
  const DailyBar* bar = book.On(symbol, D(acquired));
  Price price = bar != nullptr ? bar->close : Price::Units(1);
  return {.account = account, .action = EventAction::kTransferIn, .symbol = symbol,
          .shares = Shares::Units(shares), .lot_id = symbol + "-LEGACY",
          .basis = Value(Shares::Units(shares), price), .acquired = D(acquired)};
}

std::vector<AccountPlan> Plans(const PriceBook& book) {
  auto account = [](const char* id, AccountType type, std::vector<std::string> taxpayers,
                    const char* household, const char* name) {
    return Account{.id = id, .type = type, .taxpayers = std::move(taxpayers),
                   .household = household, .name = name};
  };
  return {
      {.account = account("SMITH-JOINT", AccountType::kTaxable, {"SMITH-J", "SMITH-M"}, "SMITH",
                          "John & Mary Smith, joint"),
       .funded = D("2013-03-01"), .initial_cash = Money::Units(1'000'000), .stock_count = 40,
       .monthly_withdrawal = Money::Units(3'000), .withdrawals_from = D("2016-01-01"),
       .harvest = true, .lot_method = LotMethod::kTaxOptimal},
      {.account = account("SMITH-IRA", AccountType::kTraditionalIra, {"SMITH-J"}, "SMITH",
                          "John Smith, traditional IRA"),
       .funded = D("2014-06-02"), .initial_cash = Money::Units(400'000), .stock_count = 20,
       .etf_weights = {{"SPY", 0.2}, {"AGG", 0.3}}, .yearly_contribution = Money::Units(5'500),
       .harvest = false, .lot_method = LotMethod::kFifo},
      {.account = account("SMITH-ROTH", AccountType::kRothIra, {"SMITH-M"}, "SMITH",
                          "Mary Smith, Roth IRA"),
       .funded = D("2016-01-04"), .initial_cash = Money::Units(120'000), .stock_count = 15,
       .yearly_contribution = Money::Units(5'500), .harvest = false,
       .lot_method = LotMethod::kFifo},
      {.account = account("LEE-TAXABLE", AccountType::kTaxable, {"LEE"}, "LEE",
                          "Daniel Lee, individual"),
       .funded = D("2015-08-03"), .initial_cash = Money::Units(2'500'000), .stock_count = 60,
       .harvest = true, .lot_method = LotMethod::kHifo,
       .legacy_lots = {LegacyLot("LEE-TAXABLE", "AAPL", 2'000, book, "2009-03-09"),
                       LegacyLot("LEE-TAXABLE", "MSFT", 3'000, book, "2008-10-10")}},
      {.account = account("GARCIA-TRUST", AccountType::kTaxable, {"GARCIA"}, "GARCIA",
                          "Garcia Family Trust"),
       .funded = D("2018-01-02"), .initial_cash = Money::Units(600'000), .stock_count = 30,
       .etf_weights = {{"VNQ", 0.05}}, .harvest = true, .lot_method = LotMethod::kFifo},
  };
}

}  // namespace

Result<DemoFirm> BuildDemoFirm(const SecurityMaster& master,
                               const std::vector<PriceHistory>& prices,
                               const DemoOptions& options) {
  // The trading calendar is SPY's (or the longest history's) from 2013 to the end date.
  const PriceHistory* reference = nullptr;
  for (const PriceHistory& history : prices) {
    if (reference == nullptr || history.symbol == "SPY" ||
        (reference->symbol != "SPY" && history.bars.size() > reference->bars.size())) {
      reference = &history;
    }
  }
  if (reference == nullptr) return Status::InvalidArgument("demo: no price histories given");
  std::vector<Date> calendar;
  for (const DailyBar& bar : reference->bars) {
    if (bar.date >= D("2013-01-02") && bar.date <= options.end) calendar.push_back(bar.date);
  }
  if (calendar.empty()) return Status::InvalidArgument("demo: no trading days in 2013..end");
  PriceBook book(prices);
  Simulation simulation(master, prices, Plans(book), std::move(calendar), options.seed);
  DemoFirm firm;
  ARBOR_RETURN_IF_ERROR(simulation.Run(&firm, options.progress));
  return firm;
}

}  // namespace arbor
