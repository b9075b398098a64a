#include "adapters/storage/taxes_saved_loader.h"

#include <algorithm>
#include <set>

#include "adapters/storage/model_store.h"
#include "adapters/storage/rebalance_settings_store.h"
#include "core/ledger/account.h"
#include "core/models/resolution.h"

namespace arbor {
namespace {

bool IsTrade(const Event& event) {
  return event.action == EventAction::kBuy || event.action == EventAction::kSell;
}

// The account's targets on `from` and on each of its trading days, one change per difference.
// Days before any template version is effective are skipped: the first resolved targets then
// stand in (tax_paths.h).
Result<std::vector<taxsaved::TargetChange>> CustomizedTargets(
    Store& store, const models::Customization& customization, const std::vector<Date>& days) {
  Result<models::ModelBook> book = LoadModelBook(store);
  if (!book.ok()) return book.status();
  Result<SecurityMaster> master = store.LoadSecurities();
  if (!master.ok()) return master.status();
  models::ProRataReallocator pro_rata;
  models::Resolver resolver(*book, *master, &pro_rata);
  std::vector<taxsaved::TargetChange> changes;
  Status last_error = Status::Ok();
  for (Date day : days) {
    Result<models::Resolution> resolution = resolver.Resolve(customization, day);
    if (!resolution.ok()) {
      last_error = resolution.status();
      continue;
    }
    std::map<std::string, double> weights;
    for (const models::ResolvedTarget& target : resolution->targets) {
      weights[target.symbol] = target.weight;
    }
    if (changes.empty() || changes.back().weights != weights) {
      changes.push_back({.effective = day, .weights = std::move(weights)});
    }
  }
  if (changes.empty() && !last_error.ok()) return last_error;
  return changes;
}

// The splits of the shadow's target symbols in [from, to] that the scope's history does not
// already hold, merged in: on one date splits come first (ledger_loader.h).
Status AddTargetSplits(Store& store, const std::set<std::string>& symbols, Date from, Date to,
                       std::vector<Event>& events) {
  std::set<std::pair<std::string, Date>> present;
  for (const Event& event : events) {
    if (event.action == EventAction::kSplit) present.insert({event.symbol, event.date});
  }
  std::vector<Event> splits;
  for (const std::string& symbol : symbols) {
    Result<std::vector<CorporateAction>> actions = store.LoadCorporateActions(symbol);
    if (!actions.ok()) return actions.status();
    for (const CorporateAction& action : *actions) {
      if (action.kind != CorporateActionKind::kSplit || action.ex_date < from ||
          action.ex_date > to || present.count({symbol, action.ex_date})) {
        continue;
      }
      splits.push_back({.date = action.ex_date, .action = EventAction::kSplit, .symbol = symbol,
                        .split_numerator = action.numerator,
                        .split_denominator = action.denominator});
    }
  }
  if (splits.empty()) return Status::Ok();
  std::stable_sort(splits.begin(), splits.end(),
                   [](const Event& a, const Event& b) { return a.date < b.date; });
  std::vector<Event> merged;
  merged.reserve(events.size() + splits.size());
  size_t s = 0;
  for (Event& event : events) {
    for (; s < splits.size() && splits[s].date <= event.date; ++s) merged.push_back(splits[s]);
    merged.push_back(std::move(event));
  }
  for (; s < splits.size(); ++s) merged.push_back(splits[s]);
  events = std::move(merged);
  return Status::Ok();
}

}  // namespace

Status TaxesSavedPrices::Load(const std::vector<std::string>& symbols) {
  for (const std::string& symbol : symbols) {
    if (closes_.count(symbol)) continue;
    Result<std::vector<std::pair<Date, Price>>> closes = store_.LoadPrices(symbol, from_, to_);
    if (!closes.ok()) return closes.status();
    closes_[symbol] = std::move(closes).value();
  }
  return Status::Ok();
}

std::optional<Price> TaxesSavedPrices::Close(const std::string& symbol, Date date) const {
  auto it = closes_.find(symbol);
  if (it == closes_.end()) return std::nullopt;
  const auto& closes = it->second;
  auto after = std::upper_bound(closes.begin(), closes.end(), date,
                                [](Date d, const std::pair<Date, Price>& c) { return d < c.first; });
  if (after == closes.begin()) return std::nullopt;
  return std::prev(after)->second;
}

Result<TaxesSavedSource> LoadTaxesSavedSource(Store& store, const std::string& account,
                                              std::optional<Date> from, Date to,
                                              TaxesSavedPrices& prices) {
  Result<LedgerInput> history = store.LoadLedgerInput(account, to);
  if (!history.ok()) return history.status();
  auto own = std::find_if(history->accounts.begin(), history->accounts.end(),
                          [&](const Account& a) { return a.id == account; });
  if (own == history->accounts.end()) return Status::NotFound("no account '" + account + "'");
  if (IsTaxDeferred(own->type)) {
    return Status::FailedPrecondition("account " + account + " is " +
                                      std::string(ToString(own->type)) +
                                      ": tax-deferred, so it has no realized gains to tax");
  }
  std::vector<Date> trading_days;
  std::optional<Date> onboarding;
  for (const Event& event : history->events) {
    if (event.account != account) continue;
    if (!onboarding) onboarding = event.date;
    if (IsTrade(event) && event.date >= from.value_or(*onboarding) &&
        (trading_days.empty() || trading_days.back() != event.date)) {
      trading_days.push_back(event.date);
    }
  }
  if (!onboarding) {
    return Status::FailedPrecondition("account " + account + " has no transactions up to " +
                                      to.ToString());
  }
  TaxesSavedSource source;
  taxsaved::TaxPathsInput& input = source.paths;
  input.account = account;
  input.from = from.value_or(*onboarding);
  input.to = to;

  Result<std::optional<models::Customization>> customization = LoadCustomization(store, account);
  if (!customization.ok()) return customization.status();
  if (customization->has_value()) {
    std::vector<Date> days{input.from};
    days.insert(days.end(), trading_days.begin(), trading_days.end());
    Result<std::vector<taxsaved::TargetChange>> targets =
        CustomizedTargets(store, **customization, days);
    if (!targets.ok()) return targets.status();
    input.shadow.targets = std::move(targets).value();
    source.targets_from = "the account's customization of template " +
                          (*customization)->template_name +
                          ", resolved on each review day (screens re-allocated pro rata)";
  } else {
    Result<std::vector<SecurityTarget>> list = LoadSecurityTargets(store.database(), account);
    if (!list.ok()) return list.status();
    if (!list->empty()) {
      taxsaved::TargetChange change{.effective = input.from};
      for (const SecurityTarget& target : *list) change.weights[target.symbol] = target.weight;
      input.shadow.targets.push_back(std::move(change));
      source.targets_from = "the account's target list";
    }
  }
  if (input.shadow.targets.empty()) {
    return Status::FailedPrecondition(
        "account " + account +
        " has no customization and no target list: the tax-blind shadow needs targets; import "
        "them with `arbor import targets FILE`");
  }
  Result<std::vector<SecurityRestriction>> restrictions =
      LoadSecurityRestrictions(store.database(), account);
  if (!restrictions.ok()) return restrictions.status();
  for (const SecurityRestriction& r : *restrictions) {
    input.shadow.restrictions[r.symbol] = r.restriction;
  }
  Result<RebalanceSettings> settings = LoadRebalanceSettings(store.database(), account);
  if (!settings.ok()) return settings.status();
  source.rates = settings->tax_rates;
  input.shadow.cost_rate = settings->cost_rate;
  input.shadow.min_trade = settings->min_trade;
  input.shadow.share_increment = settings->fractional_increment;

  std::set<std::string> symbols;
  for (const taxsaved::TargetChange& change : input.shadow.targets) {
    for (const auto& [symbol, weight] : change.weights) symbols.insert(symbol);
  }
  ARBOR_RETURN_IF_ERROR(AddTargetSplits(store, symbols, input.from, to, history->events));
  for (const Event& event : history->events) {
    if (!event.symbol.empty()) symbols.insert(event.symbol);
  }
  ARBOR_RETURN_IF_ERROR(prices.Load({symbols.begin(), symbols.end()}));
  input.accounts = std::move(history->accounts);
  input.wash_sale_groups = std::move(history->wash_sale_groups);
  input.events = std::move(history->events);
  input.close = [&prices](const std::string& symbol, Date date) {
    return prices.Close(symbol, date);
  };
  return source;
}

}  // namespace arbor
