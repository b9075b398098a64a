#include "adapters/io/replay_json.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "core/ledger/form8949.h"

namespace arbor {
namespace {

using nlohmann::json;

Status FieldError(std::string_view field, std::string_view what) {
  return Status::InvalidArgument(std::string(field) + ": " + std::string(what));
}

Result<std::string> GetString(const json& object, const char* field, bool required) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) {
    if (required) return FieldError(field, "missing");
    return std::string();
  }
  if (!it->is_string()) return FieldError(field, "must be a string");
  return it->get<std::string>();
}

// A decimal quantity given as a JSON number or a string ("10.25").
template <typename T>
Result<T> GetFixed(const json& object, const char* field, bool required) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) {
    if (required) return FieldError(field, "missing");
    return T();
  }
  if (it->is_number_integer()) return T::Units(it->get<int64_t>());
  if (it->is_number()) return T::FromDouble(it->get<double>());
  if (it->is_string()) {
    Result<T> parsed = T::Parse(it->get<std::string>());
    if (!parsed.ok()) return FieldError(field, parsed.status().message());
    return parsed;
  }
  return FieldError(field, "must be a number");
}

Result<Date> GetDate(const json& object, const char* field) {
  Result<std::string> text = GetString(object, field, true);
  if (!text.ok()) return text.status();
  Result<Date> date = Date::Parse(*text);
  if (!date.ok()) return FieldError(field, date.status().message());
  return date;
}

Result<Account> ParseAccount(const json& object) {
  if (!object.is_object()) return FieldError("accounts", "each account must be an object");
  Account account;
  Result<std::string> id = GetString(object, "id", true);
  if (!id.ok()) return id.status();
  account.id = *id;
  Result<std::string> type = GetString(object, "type", false);
  if (!type.ok()) return type.status();
  if (!type->empty()) {
    Result<AccountType> parsed = AccountTypeFromString(*type);
    if (!parsed.ok()) return FieldError("type", parsed.status().message());
    account.type = *parsed;
  }
  Result<std::string> taxpayer = GetString(object, "taxpayer", false);
  if (!taxpayer.ok()) return taxpayer.status();
  if (!taxpayer->empty()) account.taxpayers.push_back(*taxpayer);
  if (auto it = object.find("taxpayers"); it != object.end()) {
    if (!it->is_array()) return FieldError("taxpayers", "must be a list of strings");
    for (const json& t : *it) {
      if (!t.is_string()) return FieldError("taxpayers", "must be a list of strings");
      account.taxpayers.push_back(t.get<std::string>());
    }
  }
  Result<std::string> household = GetString(object, "household", false);
  if (!household.ok()) return household.status();
  account.household = *household;
  return account;
}

Status ParseLotSelections(const json& object, Event* event) {
  auto it = object.find("lots");
  if (it == object.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return FieldError("lots", "must be a list of {lot_id, shares}");
  for (const json& item : *it) {
    if (!item.is_object()) return FieldError("lots", "must be a list of {lot_id, shares}");
    Result<std::string> lot_id = GetString(item, "lot_id", true);
    if (!lot_id.ok()) return lot_id.status().WithContext("lots");
    Result<Shares> shares = GetFixed<Shares>(item, "shares", true);
    if (!shares.ok()) return shares.status().WithContext("lots");
    event->lots.push_back({*lot_id, *shares});
  }
  if (!event->lot_method.has_value()) event->lot_method = LotMethod::kSpecific;
  return Status::Ok();
}

Status ParseSplitRatio(const json& object, Event* event) {
  auto it = object.find("ratio");
  if (it == object.end()) return FieldError("ratio", "missing");
  std::string text;
  if (it->is_number_integer()) {
    text = std::to_string(it->get<int64_t>());
  } else if (it->is_number()) {
    text = Price::FromDouble(it->get<double>()).ToString(6);
  } else if (it->is_string()) {
    text = it->get<std::string>();
  } else {
    return FieldError("ratio", "must be a number");
  }
  // "3:2" and "3/2" are accepted as well as decimals.
  size_t colon = text.find_first_of(":/");
  if (colon != std::string::npos) {
    Result<int64_t> num = ParseMicros(text.substr(0, colon));
    Result<int64_t> den = ParseMicros(text.substr(colon + 1));
    if (!num.ok() || !den.ok() || *num <= 0 || *den <= 0 || *num % kMicrosPerUnit != 0 ||
        *den % kMicrosPerUnit != 0) {
      return FieldError("ratio", "'" + text + "' is not a ratio like 3:2");
    }
    event->split_numerator = *num / kMicrosPerUnit;
    event->split_denominator = *den / kMicrosPerUnit;
    return Status::Ok();
  }
  Result<std::pair<int64_t, int64_t>> ratio = SplitRatioFromDecimal(text);
  if (!ratio.ok()) return ratio.status();
  event->split_numerator = ratio->first;
  event->split_denominator = ratio->second;
  return Status::Ok();
}

std::string Describe(const json& object) {
  std::string out;
  for (const char* field : {"date", "action", "symbol"}) {
    auto it = object.find(field);
    if (it != object.end() && it->is_string()) out += (out.empty() ? "" : " ") + it->get<std::string>();
  }
  return out;
}

using ordered_json = nlohmann::ordered_json;

double MoneyJson(Money money) { return money.RoundedToCents().ToDouble(); }
double SharesJson(Shares shares) { return shares.ToDouble(); }

}  // namespace

Result<Event> ParseEvent(const json& object, const std::string& default_account) {
  if (!object.is_object()) return Status::InvalidArgument("an event must be a JSON object");
  Event event;
  Result<Date> date = GetDate(object, "date");
  if (!date.ok()) return date.status();
  event.date = *date;
  Result<std::string> action = GetString(object, "action", true);
  if (!action.ok()) return action.status();
  Result<EventAction> parsed_action = EventActionFromString(*action);
  if (!parsed_action.ok()) return FieldError("action", parsed_action.status().message());
  event.action = *parsed_action;
  Result<std::string> account = GetString(object, "account", false);
  if (!account.ok()) return account.status();
  event.account = account->empty() ? default_account : *account;
  Result<std::string> symbol = GetString(object, "symbol", false);
  if (!symbol.ok()) return symbol.status();
  event.symbol = *symbol;
  Result<std::string> lot_id = GetString(object, "lot_id", false);
  if (!lot_id.ok()) return lot_id.status();
  event.lot_id = *lot_id;

  const bool trade = event.action == EventAction::kBuy || event.action == EventAction::kSell;
  const bool cash = event.action == EventAction::kDeposit ||
                    event.action == EventAction::kWithdrawal ||
                    event.action == EventAction::kDividend || event.action == EventAction::kFee;
  const bool needs_shares = trade || event.action == EventAction::kTransferIn;
  Result<Shares> shares = GetFixed<Shares>(object, "shares", needs_shares);
  if (!shares.ok()) return shares.status();
  event.shares = *shares;
  Result<Price> price = GetFixed<Price>(object, "price", trade);
  if (!price.ok()) return price.status();
  event.price = *price;
  Result<Money> fees = GetFixed<Money>(object, "fees", false);
  if (!fees.ok()) return fees.status();
  event.fees = *fees;
  Result<Money> amount = GetFixed<Money>(object, "amount", cash);
  if (!amount.ok()) return amount.status();
  event.amount = *amount;

  if (auto method = object.find("lot_method"); method != object.end() && !method->is_null()) {
    if (!method->is_string()) return FieldError("lot_method", "must be a string");
    Result<LotMethod> parsed = LotMethodFromString(method->get<std::string>());
    if (!parsed.ok()) return FieldError("lot_method", parsed.status().message());
    event.lot_method = *parsed;
  }
  ARBOR_RETURN_IF_ERROR(ParseLotSelections(object, &event));

  if (event.action == EventAction::kSplit) ARBOR_RETURN_IF_ERROR(ParseSplitRatio(object, &event));
  if (event.action == EventAction::kTransferIn) {
    Result<Money> basis = GetFixed<Money>(object, "basis", true);
    if (!basis.ok()) return basis.status();
    event.basis = *basis;
    Result<Date> acquired = GetDate(object, "acquired");
    if (!acquired.ok()) return acquired.status();
    event.acquired = *acquired;
    if (object.contains("acquired_for_holding_period")) {
      Result<Date> hp = GetDate(object, "acquired_for_holding_period");
      if (!hp.ok()) return hp.status();
      event.holding_period_date = *hp;
    }
  }
  return event;
}

Result<ReplayInput> ParseReplayInput(const json& input) {
  if (!input.is_object()) return Status::InvalidArgument("the input must be a JSON object");
  ReplayInput out;
  if (auto it = input.find("accounts"); it != input.end() && !it->is_null()) {
    if (!it->is_array()) return FieldError("accounts", "must be a list");
    for (size_t i = 0; i < it->size(); ++i) {
      Result<Account> account = ParseAccount((*it)[i]);
      if (!account.ok()) return account.status().WithContext("accounts[" + std::to_string(i) + "]");
      out.accounts.push_back(*account);
    }
  }
  if (auto it = input.find("wash_sale_groups"); it != input.end() && !it->is_null()) {
    if (!it->is_array()) return FieldError("wash_sale_groups", "must be a list of symbol lists");
    for (const json& group : *it) {
      if (!group.is_array()) return FieldError("wash_sale_groups", "must be a list of symbol lists");
      std::vector<std::string> symbols;
      for (const json& symbol : group) {
        if (!symbol.is_string()) return FieldError("wash_sale_groups", "symbols must be strings");
        symbols.push_back(symbol.get<std::string>());
      }
      out.wash_sale_groups.push_back(std::move(symbols));
    }
  }
  Result<std::string> method = GetString(input, "default_lot_method", false);
  if (!method.ok()) return method.status();
  if (!method->empty()) {
    Result<LotMethod> parsed = LotMethodFromString(*method);
    if (!parsed.ok()) return FieldError("default_lot_method", parsed.status().message());
    out.default_lot_method = *parsed;
  }

  auto events = input.find("events");
  if (events == input.end() || !events->is_array()) {
    return FieldError("events", "missing (a list of events)");
  }
  const std::string default_account = out.accounts.size() == 1 ? out.accounts[0].id : "A";
  std::vector<Event> parsed;
  for (size_t i = 0; i < events->size(); ++i) {
    Result<Event> event = ParseEvent((*events)[i], default_account);
    if (!event.ok()) {
      return event.status().WithContext("events[" + std::to_string(i) + "] (" +
                                        Describe((*events)[i]) + ")");
    }
    parsed.push_back(std::move(*event));
  }
  if (out.accounts.empty()) {
    // No declared accounts: every account named is a taxable account of one taxpayer.
    std::set<std::string> ids;
    for (const Event& event : parsed) {
      if (event.action != EventAction::kSplit) ids.insert(event.account);
    }
    if (ids.empty()) ids.insert(default_account);
    for (const std::string& id : ids) out.accounts.push_back({.id = id, .taxpayers = {"T1"}});
  }
  out.event_positions.resize(parsed.size());
  std::iota(out.event_positions.begin(), out.event_positions.end(), 0);
  std::stable_sort(out.event_positions.begin(), out.event_positions.end(),
                   [&](size_t a, size_t b) { return parsed[a].date < parsed[b].date; });
  for (size_t position : out.event_positions) out.events.push_back(parsed[position]);
  return out;
}

ordered_json ReplayOutput(const Ledger& ledger) {
  ordered_json realized = ordered_json::array();
  for (const Realization& r : ledger.realized()) {
    Form8949Row row = MakeForm8949Row(r);
    Term term = r.term();
    realized.push_back({{"account", r.account},
                        {"sell_date", r.sell_date.ToString()},
                        {"symbol", r.symbol},
                        {"lot_id", r.lot_id},
                        {"shares", SharesJson(r.shares)},
                        {"lot_acquired", r.acquired.ToString()},
                        {"acquired_for_holding_period", r.holding_period_date.ToString()},
                        {"proceeds", MoneyJson(row.proceeds)},
                        {"basis", MoneyJson(row.basis)},
                        {"gain_before_wash", MoneyJson(row.gain_before_wash)},
                        {"wash_disallowed", MoneyJson(row.adjustment)},
                        {"gain", MoneyJson(row.gain)},
                        {"term", std::string(ToString(term))},
                        {"form8949_part", term == Term::kLong ? "II" : "I"},
                        {"form8949_code", row.code},
                        {"disallowed_permanently", r.wash_disallowed_permanent.is_positive()},
                        {"wash_disallowed_permanent", MoneyJson(r.wash_disallowed_permanent)},
                        {"reportable", r.reportable}});
  }
  ordered_json open_lots = ordered_json::array();
  for (const OpenLot& open : ledger.OpenLots()) {
    open_lots.push_back({{"account", open.account},
                         {"symbol", open.symbol},
                         {"lot_id", open.lot.lot_id},
                         {"shares", SharesJson(open.lot.shares)},
                         {"basis_total", MoneyJson(open.lot.basis)},
                         {"acquired", open.lot.acquired.ToString()},
                         {"acquired_for_holding_period", open.lot.holding_period_date.ToString()}});
  }
  ordered_json cash = ordered_json::object();
  for (const Account& account : ledger.accounts()) {
    cash[account.id] = MoneyJson(*ledger.Cash(account.id));
  }
  Form8949 form = BuildForm8949(ledger.realized(), [](const Realization&) { return true; });
  return {{"realized", std::move(realized)},
          {"open_lots", std::move(open_lots)},
          {"cash", std::move(cash)},
          {"totals",
           {{"net_short_term", MoneyJson(form.net_short_term)},
            {"net_long_term", MoneyJson(form.net_long_term)},
            {"net_total", MoneyJson(form.net_total)},
            {"wash_disallowed_total", MoneyJson(form.wash_disallowed_total)},
            {"wash_disallowed_permanent_total",
             MoneyJson(form.wash_disallowed_permanent_total)}}}};
}

Result<ordered_json> Replay(const json& input) {
  Result<ReplayInput> parsed = ParseReplayInput(input);
  if (!parsed.ok()) return parsed.status();
  Ledger ledger(LedgerOptions{.default_lot_method = parsed->default_lot_method});
  for (const Account& account : parsed->accounts) {
    Status status = ledger.AddAccount(account);
    if (!status.ok()) return status.WithContext("accounts");
  }
  for (size_t g = 0; g < parsed->wash_sale_groups.size(); ++g) {
    const std::vector<std::string>& group = parsed->wash_sale_groups[g];
    for (const std::string& symbol : group) {
      ARBOR_RETURN_IF_ERROR(ledger.SetWashSaleGroup(symbol, "group" + std::to_string(g)));
    }
  }
  for (size_t i = 0; i < parsed->events.size(); ++i) {
    const Event& event = parsed->events[i];
    Status status = ledger.Apply(event);
    if (!status.ok()) {
      return status.WithContext("events[" + std::to_string(parsed->event_positions[i]) + "] (" +
                                event.date.ToString() + " " + std::string(ToString(event.action)) +
                                (event.symbol.empty() ? "" : " " + event.symbol) + ")");
    }
  }
  return ReplayOutput(ledger);
}

}  // namespace arbor
