#include "adapters/report/taxes_saved_output.h"

#include <cmath>
#include <cstdio>
#include <memory>

#include "adapters/io/csv.h"
#include "adapters/report/pdf_document.h"

namespace arbor::report {
namespace {

using taxsaved::SavingSource;
using taxsaved::TaxesSavedYear;

std::string Percent(double fraction, int decimals = 1) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f%%", decimals, fraction * 100);
  return text;
}

std::string BasisPoints(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", fraction * 10000);
  return text;
}

// 1234.5 -> "$1,235"; -1234.5 -> "-$1,235" (the client reads whole dollars).
std::string Dollars(double amount) {
  char digits[48];
  std::snprintf(digits, sizeof digits, "%.0f", std::fabs(amount));
  std::string plain = digits, grouped;
  for (size_t i = 0; i < plain.size(); ++i) {
    if (i > 0 && (plain.size() - i) % 3 == 0) grouped += ',';
    grouped += plain[i];
  }
  return (std::round(amount) < 0 ? "-$" : "$") + grouped;
}
std::string Dollars(Money amount) { return Dollars(amount.ToDouble()); }

std::string Cents(Money amount) { return amount.ToString(2); }
std::string Cents(double amount) { return Money::FromDouble(std::round(amount * 100) / 100).ToString(2); }

Money Source(const TaxesSavedYear& row, SavingSource source) {
  return row.sources[static_cast<int>(source)];
}

constexpr std::array<SavingSource, taxsaved::kSavingSources> kSources{
    SavingSource::kLossesHarvested, SavingSource::kShortTermGainsAvoided,
    SavingSource::kLongTermGainsDeferred, SavingSource::kLotSelection};

nlohmann::json YearJson(const TaxesSavedYear& row) {
  nlohmann::json sources = nlohmann::json::object();
  for (SavingSource source : kSources) sources[std::string(ToString(source))] = Cents(Source(row, source));
  return {{"account_tax", Cents(row.account_tax)},
          {"shadow_tax", Cents(row.shadow_tax)},
          {"saved_or_deferred", Cents(row.saved_or_deferred)},
          {"deferred", Cents(row.deferred)},
          {"saved_after_liquidation", Cents(row.saved_after_liquidation)},
          {"time_value_of_deferral", Cents(row.time_value)},
          {"sources", sources},
          {"account_liability", Cents(row.account_liability)},
          {"shadow_liability", Cents(row.shadow_liability)},
          {"account_carryforward", {{"short_term", Cents(row.account_carry_out.short_term)},
                                    {"long_term", Cents(row.account_carry_out.long_term)}}},
          {"shadow_carryforward", {{"short_term", Cents(row.shadow_carry_out.short_term)},
                                   {"long_term", Cents(row.shadow_carry_out.long_term)}}}};
}

nlohmann::json PathJson(const taxsaved::PathYear& y) {
  return {{"short_term_gains", Cents(y.short_term_gains)},
          {"short_term_losses", Cents(y.short_term_losses)},
          {"long_term_gains", Cents(y.long_term_gains)},
          {"long_term_losses", Cents(y.long_term_losses)},
          {"unrealized_short_term", Cents(y.unrealized.short_term)},
          {"unrealized_long_term", Cents(y.unrealized.long_term)},
          {"value", Cents(y.end_value)}};
}

std::string Subtitle(const TaxesSavedDocument& doc) {
  std::string who = doc.account_name.empty() ? doc.account : doc.account_name + " (" + doc.account + ")";
  return EscapeMarkup(who) + " \u00b7 " + doc.from.ToString() + " to " + doc.to.ToString();
}

void CoverPage(const TaxesSavedDocument& doc, PdfDocument& pdf) {
  const TaxesSavedYear& total = doc.report.total;
  pdf.Title("Taxes Saved or Deferred", Subtitle(doc));
  pdf.Paragraph("Compared with a tax-blind portfolio that made the same investments, received the "
                "same deposits and withdrawals and followed the same model changes, tax "
                "management of this account saved or deferred <b>" +
                Dollars(total.saved_or_deferred) + "</b> of taxes over the period.");
  std::string end = doc.to.ToString();
  if (total.deferred.is_negative()) {
    pdf.Paragraph("The account also ends with less tax built into its unrealized gains than the "
                  "tax-blind portfolio, so selling both on " + end + " would add to the "
                  "saving: <b>" + Dollars(total.saved_after_liquidation) +
                  "</b> would be saved after liquidation.");
  } else {
    pdf.Paragraph("Part of that is a deferral: the account holds more unrealized gains than the "
                  "tax-blind portfolio, so selling everything on " + end + " would give some "
                  "of it back. Even then, <b>" + Dollars(total.saved_after_liquidation) +
                  "</b> would remain saved. Until the deferred tax is paid it stays invested "
                  "for the client; at " + Percent(doc.assumptions.discount_rate) +
                  " a year that was worth about <b>" + Dollars(total.time_value) + "</b>.");
  }
  pdf.Heading("Summary");
  pdf.Table({.columns = {{"", Align::kLeft, 3}, {"Amount", Align::kRight, 1}},
             .rows = {{"Taxes saved or deferred (before liquidation)", Dollars(total.saved_or_deferred)},
                      {"  of which deferred", Dollars(total.deferred)},
                      {"Saved after liquidation on " + doc.to.ToString(),
                       Dollars(total.saved_after_liquidation)},
                      {"Time value of the deferral", Dollars(total.time_value)},
                      {"Tax on the account's realized gains", Dollars(total.account_tax)},
                      {"Tax the tax-blind portfolio would have paid", Dollars(total.shadow_tax)},
                      {"Tax due if the account were sold on " + doc.to.ToString(),
                       Dollars(total.account_liability)},
                      {"Tax due if the tax-blind portfolio were sold", Dollars(total.shadow_liability)}},
             .emphasized_rows = {0}});
  pdf.Heading("Where the saving came from");
  report::Table sources{.columns = {{"Source", Align::kLeft, 3}, {"Amount", Align::kRight, 1}}};
  for (SavingSource source : kSources) {
    sources.rows.push_back({std::string(Label(source)), Dollars(Source(total, source))});
  }
  sources.rows.push_back({"Total", Dollars(total.saved_or_deferred)});
  sources.emphasized_rows = {sources.rows.size() - 1};
  pdf.Table(sources);
  pdf.Note("Each source is the tax effect of that kind of decision, averaged over the orders in "
           "which the decisions could be counted (a Shapley split), so the sources add up to the "
           "total exactly. Negative amounts are years or sources that cost tax. Figures are "
           "estimates at the client's marginal rates; see the assumptions page.");
}

void YearlyPage(const TaxesSavedDocument& doc, PdfDocument& pdf) {
  pdf.NewPage();
  pdf.Heading("Year by year");
  report::Table years{.columns = {{"Year", Align::kLeft, 0.7},
                                  {"Tax paid", Align::kRight},
                                  {"Tax-blind tax", Align::kRight},
                                  {"Saved or deferred", Align::kRight},
                                  {"of which deferred", Align::kRight},
                                  {"Saved after liquidation", Align::kRight},
                                  {"Time value", Align::kRight}}};
  auto add = [&](const std::string& label, const TaxesSavedYear& row) {
    years.rows.push_back({label, Dollars(row.account_tax), Dollars(row.shadow_tax),
                          Dollars(row.saved_or_deferred), Dollars(row.deferred),
                          Dollars(row.saved_after_liquidation), Dollars(row.time_value)});
  };
  for (const TaxesSavedYear& row : doc.report.years) add(std::to_string(row.year), row);
  add("Total", doc.report.total);
  years.emphasized_rows = {years.rows.size() - 1};
  pdf.Table(years);

  LineChart chart{.title = "Cumulative taxes saved or deferred", .y_label = "US dollars",
                  .x_axis = XAxis::kDate, .height = 230};
  chart.series = {{"Saved or deferred", {}}, {"of which deferred", {}},
                  {"Saved after liquidation", {}}};
  double saved = 0, deferred = 0, after = 0;
  double start = doc.from.days();
  for (LineSeries& series : chart.series) series.points.push_back({start, 0});
  for (size_t y = 0; y < doc.report.years.size(); ++y) {
    const TaxesSavedYear& row = doc.report.years[y];
    saved += row.saved_or_deferred.ToDouble();
    deferred += row.deferred.ToDouble();
    after += row.saved_after_liquidation.ToDouble();
    double x = doc.account_years[y].end.days();
    chart.series[0].points.push_back({x, saved});
    chart.series[1].points.push_back({x, deferred});
    chart.series[2].points.push_back({x, after});
  }
  pdf.Chart(chart);

  pdf.Heading("Sources by year");
  report::Table sources{.columns = {{"Year", Align::kLeft, 0.7}}};
  for (SavingSource source : kSources) sources.columns.push_back({std::string(Label(source)), Align::kRight});
  sources.columns.push_back({"Total", Align::kRight});
  auto add_sources = [&](const std::string& label, const TaxesSavedYear& row) {
    std::vector<std::string> cells{label};
    for (SavingSource source : kSources) cells.push_back(Dollars(Source(row, source)));
    cells.push_back(Dollars(row.saved_or_deferred));
    sources.rows.push_back(std::move(cells));
  };
  for (const TaxesSavedYear& row : doc.report.years) add_sources(std::to_string(row.year), row);
  add_sources("Total", doc.report.total);
  sources.emphasized_rows = {sources.rows.size() - 1};
  pdf.Table(sources);

  pdf.Heading("Realized gains (net, after wash-sale adjustments)");
  report::Table realized{.columns = {{"Year", Align::kLeft, 0.7},
                                     {"Account short-term", Align::kRight},
                                     {"Account long-term", Align::kRight},
                                     {"Tax-blind short-term", Align::kRight},
                                     {"Tax-blind long-term", Align::kRight},
                                     {"Account value", Align::kRight},
                                     {"Tax-blind value", Align::kRight}}};
  for (size_t y = 0; y < doc.account_years.size(); ++y) {
    const taxsaved::PathYear& a = doc.account_years[y];
    const taxsaved::PathYear& s = doc.shadow_years[y];
    realized.rows.push_back({std::to_string(a.year), Dollars(a.Net().short_term),
                             Dollars(a.Net().long_term), Dollars(s.Net().short_term),
                             Dollars(s.Net().long_term), Dollars(a.end_value),
                             Dollars(s.end_value)});
  }
  pdf.Table(realized);
  pdf.Note("Values at each year's end. The liquidation figures include the tax on any "
           "difference in growth between the two portfolios.");
}

void AssumptionsPage(const TaxesSavedDocument& doc, PdfDocument& pdf) {
  pdf.NewPage();
  pdf.Heading("Method and assumptions");
  pdf.Paragraph(
      "The tax-blind portfolio (the \u201cshadow\u201d) starts on " + doc.from.ToString() +
      " from the account's own tax lots and receives the same deposits, withdrawals, fees, "
      "dividends and model changes. On each day the account was reviewed and traded it trades "
      "back to the account's targets without regard to taxes: first-in-first-out lots, no loss "
      "harvesting, the same prices and trading cost. Wash-sale rules apply to both, across all "
      "of the client's accounts. Each year's tax on the realized gains of both is computed at "
      "the client's rates, netting short- and long-term results, deducting up to the annual "
      "limit of net losses from ordinary income and carrying the rest forward by character: a "
      "carried-forward loss is worth nothing until it is used.");
  report::Table lines{.columns = {{"Assumption", Align::kLeft, 1.2}, {"Value", Align::kLeft, 3}}};
  for (const auto& [label, text] : AssumptionLines(doc.assumptions)) {
    lines.rows.push_back({EscapeMarkup(label), EscapeMarkup(text)});
  }
  pdf.Table(lines);
  pdf.Note("Past tax results do not guarantee future results. This report estimates tax effects "
           "at flat marginal rates and is not tax advice; the client's tax return is the record.");
}

}  // namespace

std::vector<std::pair<std::string, std::string>> AssumptionLines(const TaxesSavedAssumptions& a) {
  const review::TaxRates& r = a.profile.rates;
  std::string outside;
  for (const auto& [year, gains] : a.outside) {
    if (!outside.empty()) outside += "; ";
    outside += std::to_string(year) + ": short-term " + Cents(gains.short_term) +
               ", long-term " + Cents(gains.long_term);
  }
  return {
      {"Federal rates", "ordinary income and short-term gains " + Percent(r.federal_short_term) +
                            ", long-term gains " + Percent(r.federal_long_term) +
                            " (flat marginal rates, no bracket crossed)"},
      {"Net investment income tax", Percent(r.net_investment_income) +
                                        " on net gains (IRC 1411; the client above the threshold)"},
      {"State rates", "short-term " + Percent(r.state_short_term) + ", long-term " +
                          Percent(r.state_long_term) + " (state netting as federal)"},
      {"Filing status", a.filing_status + ": up to " + Dollars(a.profile.loss_offset_limit) +
                            " of net capital loss offsets ordinary income a year (IRC 1211(b)), "
                            "valued at the ordinary, state and NIIT rates"},
      {"Loss carryforwards", "kept short- or long-term (IRC 1212(b)); counted only in the year "
                             "they are used"},
      {"Outside gains", outside.empty() ? "none supplied" : outside + " (added to both portfolios)"},
      {"Shadow targets", a.targets_from},
      {"Shadow trading", std::to_string(a.review_days) + " review days (the days the account "
                         "traded); " + std::to_string(a.shadow_trades) + " trades, FIFO lot "
                         "relief, no harvesting, trading cost " + Percent(a.cost_rate, 2) +
                         " of each trade (" + Dollars(a.shadow_costs) + "), no trade under " +
                         Dollars(a.min_trade)},
      {"Restrictions", std::to_string(a.restrictions) +
                           " of the account's security restrictions apply to the shadow too"},
      {"Cash flows", "the account's deposits, withdrawals, fees and dividend cash, on their dates"},
      {"Wash sales", "IRC 1091 across every account of the client, applied by the ledger to both"},
      {"Liquidation", "every lot sold at each year-end close; the deferred tax liability is the "
                      "extra tax of that sale in the year, using that year's carryforwards; it "
                      "includes the tax on any difference in growth between the two portfolios"},
      {"Time value of deferral", Percent(a.discount_rate) +
                                     " a year on the deferral at the start of each year, simple"},
      {"Sources", "Shapley split over losses harvested, short-term gains avoided, long-term "
                  "gains deferred and lot selection (the account's own trades with FIFO "
                  "relief); each rounded to the cent, the residue on the largest"},
  };
}

void WriteTaxesSavedCsv(const TaxesSavedDocument& doc, std::ostream& out) {
  CsvWriter csv(&out);
  std::vector<std::string> header{"account", "year", "account_tax", "shadow_tax",
                                  "saved_or_deferred", "deferred", "saved_after_liquidation",
                                  "time_value_of_deferral"};
  for (SavingSource source : kSources) header.push_back(std::string(ToString(source)));
  for (const char* field : {"account_liability", "shadow_liability", "account_short_term_net",
                            "account_long_term_net", "shadow_short_term_net",
                            "shadow_long_term_net", "account_value", "shadow_value"}) {
    header.push_back(field);
  }
  csv.WriteRow(header);
  auto row = [&](const std::string& year, const TaxesSavedYear& r, const taxsaved::PathYear* a,
                 const taxsaved::PathYear* s) {
    std::vector<std::string> cells{doc.account, year, Cents(r.account_tax), Cents(r.shadow_tax),
                                   Cents(r.saved_or_deferred), Cents(r.deferred),
                                   Cents(r.saved_after_liquidation), Cents(r.time_value)};
    for (SavingSource source : kSources) cells.push_back(Cents(Source(r, source)));
    cells.push_back(Cents(r.account_liability));
    cells.push_back(Cents(r.shadow_liability));
    for (double v : {a ? a->Net().short_term : 0, a ? a->Net().long_term : 0,
                     s ? s->Net().short_term : 0, s ? s->Net().long_term : 0,
                     a ? a->end_value : 0, s ? s->end_value : 0}) {
      cells.push_back(a ? Cents(v) : "");
    }
    csv.WriteRow(cells);
  };
  for (size_t y = 0; y < doc.report.years.size(); ++y) {
    row(std::to_string(doc.report.years[y].year), doc.report.years[y], &doc.account_years[y],
        &doc.shadow_years[y]);
  }
  row("total", doc.report.total, nullptr, nullptr);
}

nlohmann::json TaxesSavedJson(const TaxesSavedDocument& doc) {
  nlohmann::json years = nlohmann::json::array();
  for (size_t y = 0; y < doc.report.years.size(); ++y) {
    nlohmann::json row = YearJson(doc.report.years[y]);
    row["year"] = doc.report.years[y].year;
    row["account"] = PathJson(doc.account_years[y]);
    row["shadow"] = PathJson(doc.shadow_years[y]);
    years.push_back(row);
  }
  nlohmann::json assumptions = nlohmann::json::object();
  for (const auto& [label, text] : AssumptionLines(doc.assumptions)) assumptions[label] = text;
  const review::TaxRates& r = doc.assumptions.profile.rates;
  return {{"account", doc.account},
          {"from", doc.from.ToString()},
          {"to", doc.to.ToString()},
          {"rates", {{"federal_short_term", r.federal_short_term},
                     {"federal_long_term", r.federal_long_term},
                     {"state_short_term", r.state_short_term},
                     {"state_long_term", r.state_long_term},
                     {"net_investment_income", r.net_investment_income},
                     {"loss_offset_limit", doc.assumptions.profile.loss_offset_limit},
                     {"discount_rate", doc.assumptions.discount_rate}}},
          {"assumptions", assumptions},
          {"years", years},
          {"total", YearJson(doc.report.total)}};
}

Status WriteTaxesSavedPdf(const TaxesSavedDocument& doc, const std::string& path) {
  Result<std::unique_ptr<PdfDocument>> pdf = PdfDocument::Create(
      path, {.paper = Paper::kLetter,
             .footer = "Taxes Saved or Deferred \u00b7 " + EscapeMarkup(doc.account) + " \u00b7 " +
                       doc.from.ToString() + " to " + doc.to.ToString() + " \u00b7 Arbor"});
  if (!pdf.ok()) return pdf.status();
  CoverPage(doc, **pdf);
  YearlyPage(doc, **pdf);
  AssumptionsPage(doc, **pdf);
  return (*pdf)->Finish();
}

void WriteFirmTaxesSavedCsv(const FirmTaxesSaved& firm, std::ostream& out) {
  CsvWriter csv(&out);
  csv.WriteRow({"account", "saved_or_deferred", "saved_after_liquidation", "average_value",
                "years", "saved_rate_bps_a_year", "after_liquidation_rate_bps_a_year"});
  for (const taxsaved::AccountSaving& a : firm.accounts) {
    csv.WriteRow({a.account, Cents(a.saved_or_deferred), Cents(a.saved_after_liquidation),
                  Cents(a.average_value), std::to_string(a.years).substr(0, 5),
                  BasisPoints(a.SavedRate()), BasisPoints(a.AfterLiquidationRate())});
  }
}

nlohmann::json FirmTaxesSavedJson(const FirmTaxesSaved& firm) {
  auto rates = [](const taxsaved::RateSummary& r) {
    return nlohmann::json{{"asset_weighted", r.asset_weighted},
                          {"account_weighted", r.account_weighted},
                          {"median", r.median},
                          {"first_quartile", r.first_quartile},
                          {"third_quartile", r.third_quartile}};
  };
  nlohmann::json accounts = nlohmann::json::array();
  for (const taxsaved::AccountSaving& a : firm.accounts) {
    accounts.push_back({{"account", a.account},
                        {"saved_or_deferred", Cents(a.saved_or_deferred)},
                        {"saved_after_liquidation", Cents(a.saved_after_liquidation)},
                        {"average_value", Cents(a.average_value)},
                        {"years", a.years},
                        {"saved_rate", a.SavedRate()},
                        {"after_liquidation_rate", a.AfterLiquidationRate()}});
  }
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& [account, why] : firm.skipped) skipped.push_back({{"account", account}, {"why", why}});
  return {{"to", firm.to.ToString()},
          {"accounts", firm.summary.accounts},
          {"saved_or_deferred", Cents(firm.summary.saved_or_deferred)},
          {"saved_after_liquidation", Cents(firm.summary.saved_after_liquidation)},
          {"rates_a_year", {{"saved_or_deferred", rates(firm.summary.saved_or_deferred_rate)},
                            {"after_liquidation", rates(firm.summary.after_liquidation_rate)}}},
          {"by_account", accounts},
          {"skipped", skipped}};
}

void WriteFirmTaxesSavedText(const FirmTaxesSaved& firm, std::ostream& out) {
  const taxsaved::FirmSummary& s = firm.summary;
  out << "Taxes saved or deferred, whole book, through " << firm.to.ToString() << "\n"
      << s.accounts << " taxable accounts reported, " << firm.skipped.size() << " skipped\n"
      << "saved or deferred " << Dollars(s.saved_or_deferred) << ", saved after liquidation "
      << Dollars(s.saved_after_liquidation) << "\n\n"
      << "bps of assets a year        asset-weighted  account-weighted  median  interquartile range\n";
  auto line = [&](const char* label, const taxsaved::RateSummary& r) {
    char text[200];
    std::snprintf(text, sizeof text, "%-27s %14s  %16s  %6s  %s to %s\n", label,
                  BasisPoints(r.asset_weighted).c_str(), BasisPoints(r.account_weighted).c_str(),
                  BasisPoints(r.median).c_str(), BasisPoints(r.first_quartile).c_str(),
                  BasisPoints(r.third_quartile).c_str());
    out << text;
  };
  line("saved or deferred", s.saved_or_deferred_rate);
  line("saved after liquidation", s.after_liquidation_rate);
  for (const auto& [account, why] : firm.skipped) out << "skipped " << account << ": " << why << "\n";
}

}  // namespace arbor::report
