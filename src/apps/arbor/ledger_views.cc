#include "apps/arbor/ledger_views.h"

#include <algorithm>
#include <ostream>

#include "adapters/storage/ledger_loader.h"
#include "apps/arbor/output.h"

namespace arbor::cli {
namespace {

using json = nlohmann::ordered_json;

double Dollars(Money money) { return money.RoundedToCents().ToDouble(); }
std::string Usd(Money money) { return FormatDollars(money.ToDouble()); }

}  // namespace

Result<LotsView> LoadLotsView(Store& store, const std::string& account,
                              std::optional<Date> as_of) {
  Result<LedgerInput> input = store.LoadLedgerInput(account, as_of);
  if (!input.ok()) return input.status();
  Result<Ledger> ledger = BuildLedger(*input);
  if (!ledger.ok()) return ledger.status();
  LotsView view{.account = account, .cash = *ledger->Cash(account)};
  std::vector<OpenLot> open_lots = ledger->OpenLots(account);
  if (as_of) {
    view.as_of = *as_of;
  } else {
    // Default: the latest day anything is known about the account, its last event or the
    // last price of a symbol it holds.
    if (!input->events.empty()) view.as_of = input->events.back().date;
    for (const OpenLot& open : open_lots) {
      Result<std::optional<std::pair<Date, Price>>> last =
          store.LatestPrice(open.symbol, *Date::Parse("2200-12-31"));
      if (!last.ok()) return last.status();
      if (last->has_value()) view.as_of = std::max(view.as_of, (*last)->first);
    }
  }
  for (OpenLot& open : open_lots) {
    LotLine line{.symbol = open.symbol, .lot = open.lot,
                 .term = TermOf(open.lot.holding_period_date, view.as_of)};
    Result<std::optional<std::pair<Date, Price>>> price = store.LatestPrice(open.symbol, view.as_of);
    if (!price.ok()) return price.status();
    if (price->has_value()) {
      line.price = (*price)->second;
      line.price_date = (*price)->first;
      line.market_value = Value(open.lot.shares, *line.price);
      view.market_value_total += *line.market_value;
    }
    view.basis_total += open.lot.basis;
    view.lots.push_back(std::move(line));
  }
  return view;
}

json LotsViewJson(const LotsView& view) {
  json lots = json::array();
  for (const LotLine& line : view.lots) {
    json lot = {{"symbol", line.symbol},
                {"lot_id", line.lot.lot_id},
                {"shares", line.lot.shares.ToDouble()},
                {"basis_total", Dollars(line.lot.basis)},
                {"acquired", line.lot.acquired.ToString()},
                {"acquired_for_holding_period", line.lot.holding_period_date.ToString()},
                {"term", std::string(ToString(line.term))}};
    if (line.price) {
      lot["price"] = line.price->ToDouble();
      lot["price_date"] = line.price_date->ToString();
      lot["market_value"] = Dollars(*line.market_value);
      lot["unrealized_gain"] = Dollars(*line.market_value - line.lot.basis);
    }
    lots.push_back(std::move(lot));
  }
  return {{"account", view.account},
          {"as_of", view.as_of.ToString()},
          {"cash", Dollars(view.cash)},
          {"basis_total", Dollars(view.basis_total)},
          {"market_value_total", Dollars(view.market_value_total)},
          {"lots", std::move(lots)}};
}

json Form8949Json(const std::string& account, int year, const Form8949& form) {
  auto part_json = [](const Form8949Part& part) {
    json rows = json::array();
    for (const Form8949Row& row : part.rows) {
      const Realization& r = *row.realization;
      rows.push_back({{"description", row.description},
                      {"lot_id", r.lot_id},
                      {"date_acquired", r.acquired.ToString()},
                      {"date_sold", r.sell_date.ToString()},
                      {"proceeds", Dollars(row.proceeds)},
                      {"basis", Dollars(row.basis)},
                      {"code", row.code},
                      {"adjustment", Dollars(row.adjustment)},
                      {"gain", Dollars(row.gain)},
                      {"disallowed_permanently", r.wash_disallowed_permanent.is_positive()}});
    }
    return json{{"rows", std::move(rows)},
                {"totals",
                 {{"proceeds", Dollars(part.proceeds)},
                  {"basis", Dollars(part.basis)},
                  {"adjustment", Dollars(part.adjustment)},
                  {"gain", Dollars(part.gain)}}}};
  };
  return {{"account", account},
          {"year", year},
          {"part_i_short_term", part_json(form.short_term)},
          {"part_ii_long_term", part_json(form.long_term)},
          {"totals",
           {{"net_short_term", Dollars(form.net_short_term)},
            {"net_long_term", Dollars(form.net_long_term)},
            {"net_total", Dollars(form.net_total)},
            {"wash_disallowed_total", Dollars(form.wash_disallowed_total)},
            {"wash_disallowed_permanent_total", Dollars(form.wash_disallowed_permanent_total)}}}};
}

void PrintLotsTable(const LotsView& view, std::ostream& out, size_t max_rows) {
  std::vector<const LotLine*> lines;
  for (const LotLine& line : view.lots) lines.push_back(&line);
  if (max_rows > 0 && lines.size() > max_rows) {
    std::stable_sort(lines.begin(), lines.end(), [](const LotLine* a, const LotLine* b) {
      return a->market_value.value_or(Money()) > b->market_value.value_or(Money());
    });
    lines.resize(max_rows);
  }
  TextTable table({"symbol", "lot", "shares", "acquired", "held since", "term", "basis",
                   "market value", "unrealized"},
                  {Align::kLeft, Align::kLeft, Align::kRight, Align::kLeft, Align::kLeft,
                   Align::kLeft, Align::kRight, Align::kRight, Align::kRight});
  for (const LotLine* line : lines) {
    table.AddRow({line->symbol, line->lot.lot_id, line->lot.shares.ToShortString(),
                  line->lot.acquired.ToString(),
                  line->lot.holding_period_date == line->lot.acquired
                      ? ""
                      : line->lot.holding_period_date.ToString(),
                  std::string(ToString(line->term)), Usd(line->lot.basis),
                  line->market_value ? Usd(*line->market_value) : "no price",
                  line->market_value ? Usd(*line->market_value - line->lot.basis) : ""});
  }
  table.AddRule();
  table.AddRow({"total", std::to_string(view.lots.size()) + " lots", "", "", "", "",
                Usd(view.basis_total), Usd(view.market_value_total),
                Usd(view.market_value_total - view.basis_total)});
  table.AddRow({"cash", "", "", "", "", "", "", Usd(view.cash), ""});
  table.Print(out);
  if (lines.size() < view.lots.size()) {
    out << "(the " << lines.size() << " largest of " << view.lots.size()
        << " lots; `arbor lots " << view.account << "` lists them all)\n";
  }
  bool tacked = std::any_of(lines.begin(), lines.end(), [](const LotLine* line) {
    return line->lot.holding_period_date != line->lot.acquired;
  });
  if (tacked) {
    out << "\"held since\": a washed lot's holding period tacked on to its replacement "
           "(Reg. 1.1091-2, IRS Pub. 550).\n";
  }
}

void PrintForm8949(const Form8949& form, std::ostream& out, size_t max_rows_per_part) {
  auto print_part = [&](const char* title, const Form8949Part& part) {
    out << "\n" << title << " (" << part.rows.size() << " rows)\n";
    TextTable table({"(a) description", "(b) acquired", "(c) sold", "(d) proceeds", "(e) basis",
                     "(f)", "(g) adjustment", "(h) gain"},
                    {Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight, Align::kRight,
                     Align::kLeft, Align::kRight, Align::kRight});
    std::vector<const Form8949Row*> rows;
    for (const Form8949Row& row : part.rows) rows.push_back(&row);
    if (max_rows_per_part > 0 && rows.size() > max_rows_per_part) {
      // Show the wash sales first: they are what a reader wants to check.
      std::stable_partition(rows.begin(), rows.end(),
                            [](const Form8949Row* row) { return !row->code.empty(); });
      rows.resize(max_rows_per_part);
    }
    for (const Form8949Row* row : rows) {
      const Realization& r = *row->realization;
      table.AddRow({row->description, r.acquired.ToString(), r.sell_date.ToString(),
                    Usd(row->proceeds), Usd(row->basis), row->code,
                    row->adjustment.is_zero() ? "" : Usd(row->adjustment), Usd(row->gain)});
    }
    table.AddRule();
    table.AddRow({"totals", "", "", Usd(part.proceeds), Usd(part.basis), "",
                  Usd(part.adjustment), Usd(part.gain)});
    table.Print(out);
    if (rows.size() < part.rows.size()) {
      out << "(" << rows.size() << " of " << part.rows.size() << " rows shown, wash sales first)\n";
    }
  };
  print_part("Part I, short-term", form.short_term);
  print_part("Part II, long-term", form.long_term);
  out << "\nNet short-term " << Usd(form.net_short_term) << ", net long-term "
      << Usd(form.net_long_term) << ", net " << Usd(form.net_total) << "\n";
  if (form.wash_disallowed_total.is_positive()) {
    out << "Wash-sale losses disallowed (code W): " << Usd(form.wash_disallowed_total);
    if (form.wash_disallowed_permanent_total.is_positive()) {
      out << ", of which " << Usd(form.wash_disallowed_permanent_total)
          << " permanently (replacement bought in an IRA, Rev. Rul. 2008-5)";
    }
    out << "\n";
  }
}

}  // namespace arbor::cli
