#include "adapters/storage/transaction_rows.h"

#include <optional>

#include "core/base/fixed.h"

namespace arbor {
namespace {

bool HasAcquired(const Event& event) { return event.action == EventAction::kTransferIn; }

std::string DateText(std::optional<Date> date) { return date ? date->ToString() : ""; }

Result<Date> ReadDate(const Statement& select, int column, std::string_view name) {
  Result<Date> date = Date::Parse(select.ColumnView(column));
  if (!date.ok()) return date.status().WithContext("stored " + std::string(name));
  return date;
}

}  // namespace

std::string TrimmedDecimal(int64_t micros) {
  std::string text = FormatMicros(micros, 6);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

std::string FormatLotSelections(const std::vector<LotSelection>& lots) {
  std::string text;
  for (const LotSelection& lot : lots) {
    if (!text.empty()) text += ';';
    text += lot.lot_id + ":" + TrimmedDecimal(lot.shares.micros());
  }
  return text;
}

Result<std::vector<LotSelection>> ParseLotSelections(std::string_view text) {
  std::vector<LotSelection> lots;
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  if (text.empty()) return lots;
  while (true) {
    size_t end = text.find(';');
    std::string_view item = trim(text.substr(0, end));
    // The last ':' splits, so a lot label may itself contain one.
    size_t colon = item.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Status::InvalidArgument("'" + std::string(item) +
                                     "' is not LOT:SHARES (write e.g. L1:40;L2:10)");
    }
    Result<Shares> shares = Shares::Parse(item.substr(colon + 1));
    if (!shares.ok()) {
      return Status::InvalidArgument("shares of lot '" + std::string(trim(item.substr(0, colon))) +
                                     "': " + shares.status().message());
    }
    if (!shares->is_positive()) {
      return Status::InvalidArgument("shares of lot '" + std::string(trim(item.substr(0, colon))) +
                                     "' must be positive");
    }
    lots.push_back({std::string(trim(item.substr(0, colon))), *shares});
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lots;
}

std::string MultiRowInsertSql(std::string_view table, std::string_view columns, int params,
                              int rows) {
  std::string sql = "INSERT INTO " + std::string(table) + " (" + std::string(columns) + ") VALUES ";
  int n = 0;
  for (int r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ", (";
    for (int p = 0; p < params; ++p) sql += (p == 0 ? "?" : ", ?") + std::to_string(++n);
    sql += ")";
  }
  return sql;
}

void BindTransaction(Statement* insert, std::string_view id, int64_t seq, const Event& e,
                     std::string_view source, int first_param) {
  const int o = first_param - 1;
  insert->Bind(o + 1, id)
      .Bind(o + 2, seq)
      .Bind(o + 3, e.date.ToString())
      .Bind(o + 4, e.account)
      .Bind(o + 5, ToString(e.action))
      .BindTextOrNull(o + 6, e.symbol)
      .Bind(o + 7, e.shares.micros())
      .Bind(o + 8, e.price.micros())
      .Bind(o + 9, e.fees.micros())
      .Bind(o + 10, e.amount.micros())
      .BindTextOrNull(o + 11, e.lot_id)
      .BindTextOrNull(o + 12, e.lot_method ? ToString(*e.lot_method) : std::string_view())
      .BindTextOrNull(o + 13, e.lots.empty() ? std::string() : FormatLotSelections(e.lots))
      .Bind(o + 14, e.basis.micros())
      .BindTextOrNull(o + 15, HasAcquired(e) ? e.acquired.ToString() : "")
      .BindTextOrNull(o + 16, DateText(e.holding_period_date))
      .Bind(o + 17, source);
}

Result<StoredTransaction> ReadTransaction(const Statement& select) {
  StoredTransaction row;
  row.id = select.ColumnText(0);
  row.seq = select.ColumnInt(1);
  row.source = select.ColumnText(16);
  Event& e = row.event;
  auto in_row = [&](const Status& status) { return status.WithContext("transaction '" + row.id + "'"); };
  Result<Date> date = ReadDate(select, 2, "date");
  if (!date.ok()) return in_row(date.status());
  e.date = *date;
  e.account = select.ColumnText(3);
  Result<EventAction> action = EventActionFromString(select.ColumnView(4));
  if (!action.ok()) return in_row(action.status());
  e.action = *action;
  e.symbol = select.ColumnText(5);
  e.shares = Shares::FromMicros(select.ColumnInt(6));
  e.price = Price::FromMicros(select.ColumnInt(7));
  e.fees = Money::FromMicros(select.ColumnInt(8));
  e.amount = Money::FromMicros(select.ColumnInt(9));
  e.lot_id = select.ColumnText(10);
  if (!select.ColumnIsNull(11)) {
    Result<LotMethod> method = LotMethodFromString(select.ColumnView(11));
    if (!method.ok()) return in_row(method.status());
    e.lot_method = *method;
  }
  Result<std::vector<LotSelection>> lots = ParseLotSelections(select.ColumnView(12));
  if (!lots.ok()) return in_row(lots.status().WithContext("stored lots"));
  e.lots = std::move(lots).value();
  e.basis = Money::FromMicros(select.ColumnInt(13));
  if (!select.ColumnIsNull(14)) {
    Result<Date> acquired = ReadDate(select, 14, "acquired");
    if (!acquired.ok()) return in_row(acquired.status());
    e.acquired = *acquired;
  }
  if (!select.ColumnIsNull(15)) {
    Result<Date> hp = ReadDate(select, 15, "hp_date");
    if (!hp.ok()) return in_row(hp.status());
    e.holding_period_date = *hp;
  }
  return row;
}

std::string TransactionDifference(const Event& stored, const Event& incoming) {
  auto differs = [](std::string_view field, const std::string& a, const std::string& b) {
    if (a == b) return std::string();
    auto shown = [](const std::string& v) { return v.empty() ? std::string("empty") : v; };
    return std::string(field) + " is " + shown(a) + " in the database but " + shown(b) + " here";
  };
  auto decimal = [](auto value) { return TrimmedDecimal(value.micros()); };
  auto method = [](const Event& e) {
    return e.lot_method ? std::string(ToString(*e.lot_method)) : std::string();
  };
  auto acquired = [](const Event& e) { return HasAcquired(e) ? e.acquired.ToString() : ""; };
  const std::string checks[] = {
      differs("date", stored.date.ToString(), incoming.date.ToString()),
      differs("account", stored.account, incoming.account),
      differs("action", std::string(ToString(stored.action)),
              std::string(ToString(incoming.action))),
      differs("symbol", stored.symbol, incoming.symbol),
      differs("shares", decimal(stored.shares), decimal(incoming.shares)),
      differs("price", decimal(stored.price), decimal(incoming.price)),
      differs("fees", decimal(stored.fees), decimal(incoming.fees)),
      differs("amount", decimal(stored.amount), decimal(incoming.amount)),
      differs("lot_id", stored.lot_id, incoming.lot_id),
      differs("lot_method", method(stored), method(incoming)),
      differs("lots", FormatLotSelections(stored.lots), FormatLotSelections(incoming.lots)),
      differs("basis", decimal(stored.basis), decimal(incoming.basis)),
      differs("acquired", acquired(stored), acquired(incoming)),
      differs("acquired_for_holding_period", DateText(stored.holding_period_date),
              DateText(incoming.holding_period_date)),
  };
  for (const std::string& check : checks) {
    if (!check.empty()) return check;
  }
  return "";
}

}  // namespace arbor
