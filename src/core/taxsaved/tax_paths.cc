#include "core/taxsaved/tax_paths.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/ledger/holding_period.h"
#include "core/ledger/ledger.h"

namespace arbor::taxsaved {
namespace {

bool IsTrade(const Event& event) {
  return event.action == EventAction::kBuy || event.action == EventAction::kSell;
}

// "shadow path, 2020-03-02 sell XYZ in A: ..." for a replay that failed.
Status InPath(const Status& status, const char* path, const Event& event) {
  return status.WithContext(std::string(path) + " path, " + event.date.ToString() + " " +
                            std::string(ToString(event.action)) + " " + event.symbol + " in " +
                            event.account);
}

// One replayed history and where its year's realizations start.
struct Path {
  const char* name;
  Ledger ledger;
  size_t realized_seen = 0;
  std::vector<PathYear> years;
};

// Closes `year` on the path: the account's realizations since the last close, and what
// selling every open lot at `end` would realize.
void CloseYear(const TaxPathsInput& input, int year, Date end, Path& path) {
  PathYear out{.year = year, .end = end};
  const Realizations& realized = path.ledger.realized();
  for (; path.realized_seen < realized.size(); ++path.realized_seen) {
    const Realization& r = realized[path.realized_seen];
    if (r.account != input.account || !r.reportable || r.sell_date < input.from) continue;
    double gain = r.Gain().ToDouble();
    bool long_term = r.term() == Term::kLong;
    double& bucket = gain >= 0 ? (long_term ? out.long_term_gains : out.short_term_gains)
                               : (long_term ? out.long_term_losses : out.short_term_losses);
    bucket += std::fabs(gain);
  }
  Result<Money> cash = path.ledger.Cash(input.account);
  out.end_value = cash.ok() ? cash->ToDouble() : 0;
  for (const OpenLot& open : path.ledger.OpenLots(input.account)) {
    std::optional<Price> close = input.close(open.symbol, end);
    // Without a price a lot is valued at its basis: no gain to defer.
    double value = close ? Value(open.lot.shares, *close).ToDouble() : open.lot.basis.ToDouble();
    out.end_value += value;
    double gain = value - open.lot.basis.ToDouble();
    (IsLongTerm(open.lot.holding_period_date, end) ? out.unrealized.long_term
                                                   : out.unrealized.short_term) += gain;
  }
  path.years.push_back(out);
}

const std::map<std::string, double>& TargetsOn(const ShadowRules& rules, Date date) {
  const TargetChange* current = &rules.targets.front();
  for (const TargetChange& change : rules.targets) {
    if (change.effective <= date) current = &change;
  }
  return current->weights;
}

review::Restriction RestrictionOf(const ShadowRules& rules, const std::string& symbol) {
  auto it = rules.restrictions.find(symbol);
  return it == rules.restrictions.end() ? review::Restriction::kNone : it->second;
}

Shares RoundDown(double shares, Shares increment) {
  if (shares <= 0) return Shares();
  int64_t micros = Shares::FromDouble(shares).micros();
  return Shares::FromMicros(micros / increment.micros() * increment.micros());
}

// The shadow's tax-blind rebalance on a review day: sells above target (FIFO) first, then buys
// below target with the cash left above the targets' cash weight.
Status RebalanceShadow(const TaxPathsInput& input, Date date, Path& shadow, TaxPaths& out) {
  const ShadowRules& rules = input.shadow;
  const std::map<std::string, double>& weights = TargetsOn(rules, date);
  std::map<std::string, Shares> held;
  for (const OpenLot& open : shadow.ledger.OpenLots(input.account)) {
    held[open.symbol] += open.lot.shares;
  }
  std::map<std::string, Price> prices;
  Result<Money> cash = shadow.ledger.Cash(input.account);
  if (!cash.ok()) return cash.status();
  double value = cash->ToDouble();
  for (const auto& [symbol, weight] : weights) {
    if (std::optional<Price> close = input.close(symbol, date)) prices[symbol] = *close;
  }
  for (const auto& [symbol, shares] : held) {
    if (std::optional<Price> close = input.close(symbol, date)) {
      prices[symbol] = *close;
      value += Value(shares, *close).ToDouble();
    }
  }
  double invested_weight = 0;
  for (const auto& [symbol, weight] : weights) invested_weight += weight;
  auto target_value = [&](const std::string& symbol) {
    if (RestrictionOf(rules, symbol) == review::Restriction::kMustSell) return 0.0;
    auto it = weights.find(symbol);
    return it == weights.end() ? 0.0 : it->second * value;
  };
  auto trade = [&](EventAction action, const std::string& symbol, Shares shares) {
    Price price = prices.at(symbol);
    Money fees = Money::FromDouble(std::round(Value(shares, price).ToDouble() * rules.cost_rate * 100) / 100);
    Event event{.date = date, .account = input.account, .action = action, .symbol = symbol,
                .shares = shares, .price = price, .fees = fees};
    if (action == EventAction::kSell) event.lot_method = LotMethod::kFifo;
    ARBOR_RETURN_IF_ERROR(InPath(shadow.ledger.Apply(event), shadow.name, event));
    out.shadow_costs += fees;
    out.shadow_trades.push_back(std::move(event));
    return Status::Ok();
  };

  for (const auto& [symbol, shares] : held) {
    review::Restriction restriction = RestrictionOf(rules, symbol);
    if (!prices.count(symbol) || restriction == review::Restriction::kNoSell ||
        restriction == review::Restriction::kHold) {
      continue;
    }
    double excess = Value(shares, prices[symbol]).ToDouble() - target_value(symbol);
    if (excess < rules.min_trade.ToDouble()) continue;
    Shares sell = target_value(symbol) <= 0
                      ? shares
                      : std::min(shares, RoundDown(excess / prices[symbol].ToDouble(),
                                                   rules.share_increment));
    if (sell > Shares()) ARBOR_RETURN_IF_ERROR(trade(EventAction::kSell, symbol, sell));
  }

  std::map<std::string, double> needs;
  double total_need = 0;
  for (const auto& [symbol, weight] : weights) {
    review::Restriction restriction = RestrictionOf(rules, symbol);
    if (!prices.count(symbol) || restriction == review::Restriction::kNoBuy ||
        restriction == review::Restriction::kHold ||
        restriction == review::Restriction::kMustSell) {
      continue;
    }
    auto it = held.find(symbol);
    double current = it == held.end() ? 0 : Value(it->second, prices[symbol]).ToDouble();
    double need = target_value(symbol) - current;
    if (need >= rules.min_trade.ToDouble()) {
      needs[symbol] = need;
      total_need += need;
    }
  }
  Result<Money> cash_after_sales = shadow.ledger.Cash(input.account);
  if (!cash_after_sales.ok()) return cash_after_sales.status();
  double budget = (cash_after_sales->ToDouble() - (1 - invested_weight) * value) /
                  (1 + rules.cost_rate);
  double scale = total_need <= 0 ? 0 : std::clamp(budget / total_need, 0.0, 1.0);
  for (const auto& [symbol, need] : needs) {
    if (need * scale < rules.min_trade.ToDouble()) continue;
    Shares buy = RoundDown(need * scale / prices[symbol].ToDouble(), rules.share_increment);
    if (buy > Shares()) ARBOR_RETURN_IF_ERROR(trade(EventAction::kBuy, symbol, buy));
  }
  return Status::Ok();
}

Date YearEnd(int year, Date to) {
  Result<Date> december31 = Date::FromYmd(year, 12, 31);
  return std::min(*december31, to);
}

}  // namespace

Result<TaxPaths> ReplayTaxPaths(const TaxPathsInput& input) {
  if (input.to < input.from) {
    return Status::InvalidArgument("--to " + input.to.ToString() + " is before --from " +
                                   input.from.ToString());
  }
  if (input.shadow.targets.empty()) {
    return Status::FailedPrecondition("account " + input.account +
                                      " has no targets: the shadow portfolio needs them");
  }
  Ledger history;
  for (const Account& account : input.accounts) ARBOR_RETURN_IF_ERROR(history.AddAccount(account));
  for (const auto& [symbol, group] : input.wash_sale_groups) {
    ARBOR_RETURN_IF_ERROR(history.SetWashSaleGroup(symbol, group));
  }
  if (!history.FindAccount(input.account)) {
    return Status::NotFound("account " + input.account + " is not in the replayed scope");
  }
  size_t next = 0;
  for (; next < input.events.size() && input.events[next].date < input.from; ++next) {
    ARBOR_RETURN_IF_ERROR(InPath(history.Apply(input.events[next]), "history", input.events[next]));
  }
  // From here the three paths part; before, they are one history.
  std::array<Path, 3> paths{Path{"account", history}, Path{"fifo", history},
                            Path{"shadow", std::move(history)}};
  for (Path& path : paths) path.realized_seen = path.ledger.realized().size();
  Path& account = paths[0];
  Path& fifo = paths[1];
  Path& shadow = paths[2];

  TaxPaths out;
  int year = input.from.year();
  while (next < input.events.size() && input.events[next].date <= input.to) {
    Date date = input.events[next].date;
    for (; year < date.year(); ++year) {
      for (Path& path : paths) CloseYear(input, year, YearEnd(year, input.to), path);
    }
    bool review_day = false;
    for (; next < input.events.size() && input.events[next].date == date; ++next) {
      const Event& event = input.events[next];
      bool own_trade = event.account == input.account && IsTrade(event);
      ARBOR_RETURN_IF_ERROR(InPath(account.ledger.Apply(event), account.name, event));
      if (own_trade && event.action == EventAction::kSell) {
        Event first_in = event;
        first_in.lot_method = LotMethod::kFifo;
        first_in.lots.clear();
        ARBOR_RETURN_IF_ERROR(InPath(fifo.ledger.Apply(first_in), fifo.name, event));
      } else {
        ARBOR_RETURN_IF_ERROR(InPath(fifo.ledger.Apply(event), fifo.name, event));
      }
      if (own_trade) review_day = true;
      else ARBOR_RETURN_IF_ERROR(InPath(shadow.ledger.Apply(event), shadow.name, event));
    }
    if (review_day) {
      out.review_dates.push_back(date);
      ARBOR_RETURN_IF_ERROR(RebalanceShadow(input, date, shadow, out));
    }
  }
  for (; year <= input.to.year(); ++year) {
    for (Path& path : paths) CloseYear(input, year, YearEnd(year, input.to), path);
  }
  out.account = std::move(account.years);
  out.fifo = std::move(fifo.years);
  out.shadow = std::move(shadow.years);
  return out;
}

}  // namespace arbor::taxsaved
