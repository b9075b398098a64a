#include "apps/arbor/transition_report.h"

#include <algorithm>
#include <optional>
#include <ostream>

#include "adapters/io/csv.h"
#include "adapters/report/pdf_document.h"
#include "apps/arbor/output.h"

namespace arbor::cli {
namespace {

using transition::TransitionPath;
using transition::TransitionPlan;
using transition::TransitionYear;
using json = nlohmann::ordered_json;
namespace pdf = arbor::report;

// A table as both outputs draw it: header, right-aligned columns after the first `left` ones.
struct Rows {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  size_t left = 1;
};

std::string Usd(Money money) { return FormatDollars(money.ToDouble(), 0); }
std::string Usd(double dollars) { return FormatDollars(dollars, 0); }
// A plain decimal for CSV: 1234567.891 -> "1234567.89".
std::string Cents(double dollars) { return Money::FromDouble(dollars).ToString(2); }

std::string YearsToGoal(const TransitionPath& path, int years) {
  if (!path.years_to_goal) return "not within " + std::to_string(years);
  return std::to_string(*path.years_to_goal);
}

Rows Comparison(const TransitionPlan& plan) {
  const std::string goal = FormatPercent(plan.options.goal_tracking_error, 1);
  Rows table{.header = {"budget", "year-1 tax", "total tax", "years to TE < " + goal,
                        "TE after yr 1", "TE after yr " + std::to_string(plan.options.years),
                        "gain left"}};
  for (const TransitionPath& path : plan.paths) {
    const TransitionYear& first = path.years.front();
    const TransitionYear& last = path.years.back();
    table.rows.push_back(
        {transition::BudgetLabel(path.budget), Usd(first.realized.tax), Usd(path.total_tax),
         YearsToGoal(path, plan.options.years), FormatPercent(first.tracking_error_after),
         FormatPercent(last.tracking_error_after), Usd(last.unrealized_gain_after)});
  }
  return table;
}

// One row per year, one column per budget, `cell` filling it.
template <typename Cell>
Rows ByYear(const TransitionPlan& plan, Cell cell) {
  Rows table{.header = {"year", "review"}, .left = 2};
  for (const TransitionPath& path : plan.paths)
    table.header.push_back(transition::BudgetLabel(path.budget));
  for (int y = 0; y < plan.options.years; ++y) {
    std::vector<std::string> row = {std::to_string(y + 1),
                                    plan.paths.front().years[y].as_of.ToString()};
    for (const TransitionPath& path : plan.paths) row.push_back(cell(path.years[y]));
    table.rows.push_back(std::move(row));
  }
  return table;
}

Rows TrackingErrorPath(const TransitionPlan& plan) {
  Rows table =
      ByYear(plan, [](const TransitionYear& y) { return FormatPercent(y.tracking_error_after); });
  std::vector<std::string> start = {"0", "legacy"};
  start.resize(table.header.size(), FormatPercent(plan.start_tracking_error));
  table.rows.insert(table.rows.begin(), std::move(start));
  return table;
}

Rows TaxByYear(const TransitionPlan& plan) {
  return ByYear(plan, [](const TransitionYear& y) {
    return Usd(y.realized.tax) + " (" + Usd(y.realized.Net()) + ")";
  });
}

// The largest sales of a budget's first year, by amount.
Rows FirstSales(const TransitionPath& path, size_t most) {
  Rows table{.header = {"symbol", "shares", "amount", "short-term", "long-term", "lots"}};
  std::vector<const review::Trade*> sells;
  for (const review::Trade& trade : path.years.front().trades) {
    if (trade.side == review::TradeSide::kSell) sells.push_back(&trade);
  }
  std::ranges::stable_sort(sells,
                           [](const auto* a, const auto* b) { return a->amount > b->amount; });
  for (size_t i = 0; i < sells.size() && i < most; ++i) {
    Money short_term, long_term;
    for (const review::LotSale& sale : sells[i]->lots) {
      (sale.term == Term::kLong ? long_term : short_term) += sale.Gain();
    }
    table.rows.push_back({sells[i]->symbol, sells[i]->shares.ToShortString(), Usd(sells[i]->amount),
                          Usd(short_term), Usd(long_term), std::to_string(sells[i]->lots.size())});
  }
  return table;
}

std::string AssumptionsLine(const TransitionReport& report) {
  const transition::TransitionOptions& o = report.plan.options;
  return "expected price return " + FormatPercent(o.market.expected_return) +
         " a year, volatility " + FormatPercent(o.market.volatility) + "; tax rates " +
         FormatPercent(report.tax_rates.ShortTerm(), 1) + " short-term, " +
         FormatPercent(report.tax_rates.LongTerm(), 1) +
         " long-term (federal, state, NIIT); risk aversion " +
         FormatDollars(report.risk_aversion, 0) + "; " + std::to_string(o.years) +
         " yearly reviews; dividends paid out; the risk model and targets held fixed";
}

std::string BuysLine(const TransitionPath& path) {
  size_t buys = 0;
  for (const review::Trade& trade : path.years.front().trades)
    buys += trade.side == review::TradeSide::kBuy;
  const TransitionYear& first = path.years.front();
  return std::to_string(buys) + " buys for " + Usd(first.bought) + "; sold " + Usd(first.sold) +
         ", net gain " + Usd(first.realized.Net()) + " (short-term " +
         Usd(first.realized.short_term) + ", long-term " + Usd(first.realized.long_term) +
         "), tax " + Usd(first.realized.tax);
}

// The first year a budget is left mostly unspent while the tracking error is still above the
// goal: the engine judged the gains left to cost more tax than the risk they remove is worth.
std::optional<int> FirstUnspentYear(const TransitionPath& path, double goal) {
  const double budget = path.budget.dollars.ToDouble();
  if (path.budget.kind == transition::BudgetKind::kLiquidation || budget <= 0) return std::nullopt;
  for (const TransitionYear& y : path.years) {
    const double spent = path.budget.kind == transition::BudgetKind::kTax
                             ? y.realized.tax.ToDouble()
                             : y.realized.Net().ToDouble();
    if (y.tracking_error_after >= goal && spent < 0.9 * budget) return y.year;
  }
  return std::nullopt;
}

void PrintRows(const Rows& rows, std::ostream& out) {
  std::vector<Align> align(rows.header.size(), Align::kRight);
  std::fill_n(align.begin(), rows.left, Align::kLeft);
  TextTable table(rows.header, align);
  for (const std::vector<std::string>& row : rows.rows) table.AddRow(row);
  table.Print(out);
}

pdf::Table PdfTable(const Rows& rows) {
  pdf::Table table;
  for (size_t c = 0; c < rows.header.size(); ++c) {
    table.columns.push_back({.title = pdf::EscapeMarkup(rows.header[c]),
                             .align = c < rows.left ? pdf::Align::kLeft : pdf::Align::kRight});
  }
  for (const std::vector<std::string>& row : rows.rows) {
    std::vector<std::string> cells;
    for (const std::string& cell : row) cells.push_back(pdf::EscapeMarkup(cell));
    table.rows.push_back(std::move(cells));
  }
  return table;
}

std::string Headline(const TransitionReport& report) {
  const TransitionPlan& plan = report.plan;
  return plan.account + ": " + std::to_string(report.legacy_positions) + " positions in " +
         std::to_string(report.legacy_lots) + " lots worth " + Usd(plan.start_value) +
         ", unrealized gain " + Usd(plan.start_unrealized_gain) + ", tracking error " +
         FormatPercent(plan.start_tracking_error) + " against " + report.target;
}

json YearJson(const TransitionYear& y) {
  json row = {{"year", y.year},
              {"as_of", y.as_of.ToString()},
              {"value", y.value},
              {"value_one_sigma", {y.value_range.low, y.value_range.high}},
              {"sold", y.sold.ToDouble()},
              {"bought", y.bought.ToDouble()},
              {"short_term_gain", y.realized.short_term.ToDouble()},
              {"long_term_gain", y.realized.long_term.ToDouble()},
              {"tax", y.realized.tax.ToDouble()},
              {"tax_budget", y.tax_budget ? json(y.tax_budget->ToDouble()) : json(nullptr)},
              {"tracking_error_before", y.tracking_error_before},
              {"tracking_error_after", y.tracking_error_after},
              {"unrealized_gain_after", y.unrealized_gain_after.ToDouble()},
              {"trades", y.trades.size()},
              {"notes", y.notes}};
  return row;
}

json TradesJson(const std::vector<review::Trade>& trades) {
  json list = json::array();
  for (const review::Trade& trade : trades) {
    json row = {{"side", std::string(ToString(trade.side))},
                {"symbol", trade.symbol},
                {"shares", trade.shares.ToDouble()},
                {"price", trade.price.ToDouble()},
                {"amount", trade.amount.ToDouble()}};
    if (trade.side == review::TradeSide::kSell) {
      json lots = json::array();
      for (const review::LotSale& sale : trade.lots) {
        lots.push_back({{"lot_id", sale.lot_id},
                        {"acquired", sale.acquired.ToString()},
                        {"shares", sale.shares.ToDouble()},
                        {"gain", sale.Gain().ToDouble()},
                        {"term", std::string(ToString(sale.term))}});
      }
      row["lots"] = std::move(lots);
    }
    list.push_back(std::move(row));
  }
  return list;
}

}  // namespace

void PrintTransitionSummary(const TransitionReport& report, std::ostream& out) {
  const TransitionPlan& plan = report.plan;
  out << "Transition plan as of " << plan.as_of.ToString() << "\n" << Headline(report) << "\n";
  out << "Assumptions: " << AssumptionsLine(report) << "\n\nBudgets compared\n";
  PrintRows(Comparison(plan), out);
  out << "\nTracking error after each year's trades\n";
  PrintRows(TrackingErrorPath(plan), out);
  out << "\nTax each year (net realized gain)\n";
  PrintRows(TaxByYear(plan), out);
  const TransitionPath& detailed = plan.paths[report.detailed_budget];
  out << "\nFirst trades under " << transition::BudgetLabel(detailed.budget) << ": "
      << BuysLine(detailed) << "\nLargest sales\n";
  PrintRows(FirstSales(detailed, 12), out);
  std::vector<std::string> notes = report.notes;
  for (const TransitionPath& path : plan.paths) {
    if (std::optional<int> year = FirstUnspentYear(path, plan.options.goal_tracking_error)) {
      notes.push_back(transition::BudgetLabel(path.budget) + ": from year " +
                      std::to_string(*year) +
                      " the budget is not spent: the gains left cost more tax than the tracking "
                      "error they remove is worth at risk aversion " +
                      FormatDollars(report.risk_aversion, 0) + " (--risk-aversion trades faster)");
    }
    for (const TransitionYear& y : path.years) {
      for (const std::string& note : y.notes) {
        notes.push_back(transition::BudgetLabel(path.budget) + ", year " + std::to_string(y.year) +
                        ": " + note);
      }
    }
  }
  if (!notes.empty()) {
    out << "\nNotes\n";
    for (const std::string& note : notes) out << "  " << note << "\n";
  }
  int rebalances = 0;
  for (const TransitionPath& path : plan.paths) rebalances += path.rebalances;
  out << "\n"
      << plan.paths.size() << " budgets x " << plan.options.years << " years: " << rebalances
      << " rebalances in " << FormatDollars(report.seconds, 1) << " s\n";
}

void WriteTransitionYearsCsv(const TransitionPlan& plan, std::ostream* out) {
  CsvWriter csv(out);
  csv.WriteRow({"budget", "kind", "budget_dollars", "year", "as_of", "value", "value_low",
                "value_high", "sold", "bought", "short_term_gain", "long_term_gain", "tax",
                "tax_budget", "tracking_error_before", "tracking_error_after",
                "unrealized_gain_after", "trades"});
  for (const TransitionPath& path : plan.paths) {
    for (const TransitionYear& y : path.years) {
      csv.WriteRow({transition::BudgetLabel(path.budget), std::string(ToString(path.budget.kind)),
                    path.budget.dollars.ToString(2), std::to_string(y.year), y.as_of.ToString(),
                    Cents(y.value), Cents(y.value_range.low), Cents(y.value_range.high),
                    y.sold.ToString(2), y.bought.ToString(2), y.realized.short_term.ToString(2),
                    y.realized.long_term.ToString(2), y.realized.tax.ToString(2),
                    y.tax_budget ? y.tax_budget->ToString(2) : "",
                    std::to_string(y.tracking_error_before), std::to_string(y.tracking_error_after),
                    y.unrealized_gain_after.ToString(2), std::to_string(y.trades.size())});
    }
  }
}

void WriteFirstTradesCsv(const TransitionPlan& plan, std::ostream* out) {
  CsvWriter csv(out);
  csv.WriteRow({"budget", "side", "symbol", "shares", "price", "amount", "lot_id", "acquired",
                "term", "gain"});
  for (const TransitionPath& path : plan.paths) {
    const std::string label = transition::BudgetLabel(path.budget);
    for (const review::Trade& t : path.years.front().trades) {
      const std::string side(ToString(t.side));
      if (t.side == review::TradeSide::kBuy) {
        csv.WriteRow({label, side, t.symbol, t.shares.ToShortString(), t.price.ToShortString(),
                      t.amount.ToString(2), "", "", "", ""});
      }
      for (const review::LotSale& s : t.lots) {
        csv.WriteRow({label, side, t.symbol, s.shares.ToShortString(), t.price.ToShortString(),
                      s.proceeds.ToString(2), s.lot_id, s.acquired.ToString(),
                      std::string(ToString(s.term)), s.Gain().ToString(2)});
      }
    }
  }
}

json TransitionJson(const TransitionReport& report) {
  const TransitionPlan& plan = report.plan;
  const transition::TransitionOptions& o = plan.options;
  json budgets = json::array();
  for (const TransitionPath& path : plan.paths) {
    json years = json::array();
    for (const TransitionYear& y : path.years) years.push_back(YearJson(y));
    budgets.push_back(
        {{"label", transition::BudgetLabel(path.budget)},
         {"kind", std::string(ToString(path.budget.kind))},
         {"dollars", path.budget.dollars.ToDouble()},
         {"total_tax", path.total_tax.ToDouble()},
         {"years_to_goal", path.years_to_goal ? json(*path.years_to_goal) : json(nullptr)},
         {"rebalances", path.rebalances},
         {"years", std::move(years)},
         {"first_trades", TradesJson(path.years.front().trades)}});
  }
  return {{"prospect", plan.account},
          {"as_of", plan.as_of.ToString()},
          {"target", report.target},
          {"legacy",
           {{"file", report.legacy_file},
            {"lots", report.legacy_lots},
            {"positions", report.legacy_positions},
            {"value", plan.start_value},
            {"unrealized_gain", plan.start_unrealized_gain.ToDouble()},
            {"tracking_error", plan.start_tracking_error}}},
          {"assumptions",
           {{"expected_return", o.market.expected_return},
            {"volatility", o.market.volatility},
            {"short_term_rate", report.tax_rates.ShortTerm()},
            {"long_term_rate", report.tax_rates.LongTerm()},
            {"risk_aversion", report.risk_aversion},
            {"years", o.years},
            {"goal_tracking_error", o.goal_tracking_error}}},
          {"budgets", std::move(budgets)},
          {"notes", report.notes}};
}

Status WriteTransitionPdf(const TransitionReport& report, const std::string& path) {
  const TransitionPlan& plan = report.plan;
  Result<std::unique_ptr<pdf::PdfDocument>> created = pdf::PdfDocument::Create(
      path,
      {.footer = "Arbor - tax-sensitive transition plan for " + pdf::EscapeMarkup(plan.account)});
  if (!created.ok()) return created.status();
  pdf::PdfDocument& doc = **created;
  doc.Title("Tax-sensitive transition plan",
            pdf::EscapeMarkup(plan.account + ", as of " + plan.as_of.ToString()));
  doc.Paragraph(pdf::EscapeMarkup(Headline(report)) + ".");
  doc.Paragraph(
      "Each budget below is a yearly limit the rebalance may spend; every year the whole budget "
      "goes to "
      "the trades that cut tracking error the most per dollar of tax, and losses are harvested "
      "where they "
      "help. Choose the row that fits the client.");
  doc.Heading("Budgets compared");
  doc.Table(PdfTable(Comparison(plan)));
  pdf::LineChart chart{
      .title = "Tracking error after each year's trades (year 0: the legacy portfolio)",
      .y_label = "tracking error, %"};
  chart.y_format = [](double y) { return FormatPercent(y / 100, 1); };
  for (const TransitionPath& p : plan.paths) {
    pdf::LineSeries series{.name = pdf::EscapeMarkup(transition::BudgetLabel(p.budget)),
                           .points = {{0, 100 * plan.start_tracking_error}}};
    for (const TransitionYear& y : p.years)
      series.points.push_back({y.year, 100 * y.tracking_error_after});
    chart.series.push_back(std::move(series));
  }
  doc.Chart(chart);
  doc.Note("Year N is the review of " + plan.as_of.ToString() +
           " plus N-1 years, after its trades.");
  doc.NewPage();
  doc.Heading("Tax each year (net realized gain in brackets)");
  doc.Table(PdfTable(TaxByYear(plan)));
  const TransitionPath& detailed = plan.paths[report.detailed_budget];
  doc.Heading("First trades under " + pdf::EscapeMarkup(transition::BudgetLabel(detailed.budget)));
  doc.Paragraph(pdf::EscapeMarkup(BuysLine(detailed)) + ".");
  doc.Table(PdfTable(FirstSales(detailed, 20)));
  doc.Heading("Assumptions");
  doc.Paragraph(pdf::EscapeMarkup(AssumptionsLine(report)) + ".");
  doc.Paragraph(
      "Tax is each lot's gain or loss at its term's rate, the term by IRS Publication 550 (held "
      "more than "
      "one year: long-term). Projected prices grow at the expected return; they are assumptions, "
      "not "
      "forecasts, and the value's one-sigma range widens with the volatility.");
  for (const std::string& note : report.notes) doc.Note(pdf::EscapeMarkup(note));
  return doc.Finish();
}

}  // namespace arbor::cli
