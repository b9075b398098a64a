#include "adapters/storage/transaction_rows.h"

#include <algorithm>
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

namespace {

// YYYY-MM-DD into out[0..10], without the cost of a printf per date.
std::string_view FormatIsoDate(Date date, char* out) {
  int year = date.year(), month = date.month(), day = date.day();
  out[0] = static_cast<char>('0' + year / 1000 % 10);
  out[1] = static_cast<char>('0' + year / 100 % 10);
  out[2] = static_cast<char>('0' + year / 10 % 10);
  out[3] = static_cast<char>('0' + year % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + month / 10);
  out[6] = static_cast<char>('0' + month % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + day / 10);
  out[9] = static_cast<char>('0' + day % 10);
  out[10] = '\0';
  return std::string_view(out, 10);
}

}  // namespace

void BindTransaction(Statement* insert, std::string_view id, int64_t seq, const Event& e,
                     std::string_view source, TransactionText* text, int first_param) {
  const int o = first_param - 1;
  text->lots = e.lots.empty() ? std::string() : FormatLotSelections(e.lots);
  insert->BindUnowned(o + 1, id)
      .Bind(o + 2, seq)
      .BindUnowned(o + 3, FormatIsoDate(e.date, text->date))
      .BindUnowned(o + 4, e.account)
      .BindUnowned(o + 5, ToString(e.action))
      .BindUnownedOrNull(o + 6, e.symbol)
      .Bind(o + 7, e.shares.micros())
      .Bind(o + 8, e.price.micros())
      .Bind(o + 9, e.fees.micros())
      .Bind(o + 10, e.amount.micros())
      .BindUnownedOrNull(o + 11, e.lot_id)
      .BindUnownedOrNull(o + 12, e.lot_method ? ToString(*e.lot_method) : std::string_view())
      .BindUnownedOrNull(o + 13, text->lots)
      .Bind(o + 14, e.basis.micros());
  if (HasAcquired(e)) {
    insert->BindUnowned(o + 15, FormatIsoDate(e.acquired, text->acquired));
  } else {
    insert->BindNull(o + 15);
  }
  if (e.holding_period_date) {
    insert->BindUnowned(o + 16, FormatIsoDate(*e.holding_period_date, text->hp_date));
  } else {
    insert->BindNull(o + 16);
  }
  insert->BindUnowned(o + 17, source);
}

Result<StoredTransaction> ReadTransaction(const Statement& select) {
  StoredTransaction row;
  row.id = select.ColumnText(0);
  row.seq = select.ColumnInt(1);
  row.source = select.ColumnText(16);
  Event& e = row.event;
  auto in_row = [&](const Status& status) {
    return status.WithContext("transaction '" + row.id + "'");
  };
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
  // Compares values first and formats only a difference: a re-import compares every row.
  auto text = [](std::string_view field, const std::string& a, const std::string& b) {
    auto shown = [](const std::string& v) { return v.empty() ? std::string("empty") : v; };
    return std::string(field) + " is " + shown(a) + " in the database but " + shown(b) + " here";
  };
  auto decimal = [&](std::string_view field, int64_t a, int64_t b) {
    return a == b ? std::string() : text(field, TrimmedDecimal(a), TrimmedDecimal(b));
  };
  auto string = [&](std::string_view field, const std::string& a, const std::string& b) {
    return a == b ? std::string() : text(field, a, b);
  };
  auto method = [](const Event& e) {
    return e.lot_method ? std::string(ToString(*e.lot_method)) : std::string();
  };
  auto acquired = [](const Event& e) { return HasAcquired(e) ? e.acquired : Date(); };
  std::string d;
  if (stored.date != incoming.date) {
    return text("date", stored.date.ToString(), incoming.date.ToString());
  }
  if (!(d = string("account", stored.account, incoming.account)).empty()) return d;
  if (stored.action != incoming.action) {
    return text("action", std::string(ToString(stored.action)),
                std::string(ToString(incoming.action)));
  }
  if (!(d = string("symbol", stored.symbol, incoming.symbol)).empty()) return d;
  if (!(d = decimal("shares", stored.shares.micros(), incoming.shares.micros())).empty()) return d;
  if (!(d = decimal("price", stored.price.micros(), incoming.price.micros())).empty()) return d;
  if (!(d = decimal("fees", stored.fees.micros(), incoming.fees.micros())).empty()) return d;
  if (!(d = decimal("amount", stored.amount.micros(), incoming.amount.micros())).empty()) return d;
  if (!(d = string("lot_id", stored.lot_id, incoming.lot_id)).empty()) return d;
  if (stored.lot_method != incoming.lot_method) {
    return text("lot_method", method(stored), method(incoming));
  }
  if (stored.lots.size() != incoming.lots.size() ||
      !std::equal(stored.lots.begin(), stored.lots.end(), incoming.lots.begin(),
                  [](const LotSelection& a, const LotSelection& b) {
                    return a.lot_id == b.lot_id && a.shares == b.shares;
                  })) {
    return text("lots", FormatLotSelections(stored.lots), FormatLotSelections(incoming.lots));
  }
  if (!(d = decimal("basis", stored.basis.micros(), incoming.basis.micros())).empty()) return d;
  if (acquired(stored) != acquired(incoming)) {
    return text("acquired", acquired(stored).ToString(), acquired(incoming).ToString());
  }
  if (stored.holding_period_date != incoming.holding_period_date) {
    return text("acquired_for_holding_period", DateText(stored.holding_period_date),
                DateText(incoming.holding_period_date));
  }
  return "";
}

}  // namespace arbor
