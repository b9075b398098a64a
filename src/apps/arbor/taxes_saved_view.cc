#include "apps/arbor/taxes_saved_view.h"

#include "apps/arbor/output.h"
#include "core/taxsaved/tax_paths.h"

namespace arbor::cli {
namespace {

std::string FilingStatusName(const std::string& status) {
  if (status == "single") return "single";
  if (status == "head") return "head of household";
  if (status == "separate") return "married filing separately";
  return "married filing jointly";
}

}  // namespace

Result<report::TaxesSavedDocument> TaxesSavedFor(Store& store, const std::string& account,
                                                 const TaxesSavedSettings& settings, Date to,
                                                 TaxesSavedPrices& prices) {
  Result<TaxesSavedSource> source = LoadTaxesSavedSource(store, account, settings.from, to, prices);
  if (!source.ok()) return source.status();
  Result<taxsaved::TaxPaths> paths = taxsaved::ReplayTaxPaths(source->paths);
  if (!paths.ok()) return paths.status();
  report::TaxesSavedDocument doc{.account = account, .from = source->paths.from, .to = to};
  report::TaxesSavedAssumptions& a = doc.assumptions;
  a.profile = {.rates = source->rates,
               .loss_offset_limit = settings.filing_status == "separate" ? 1500.0 : 3000.0};
  a.filing_status = FilingStatusName(settings.filing_status);
  a.outside = settings.outside_gains;
  a.discount_rate = settings.discount_rate;
  a.targets_from = source->targets_from;
  a.cost_rate = source->paths.shadow.cost_rate;
  a.min_trade = source->paths.shadow.min_trade.ToDouble();
  a.restrictions = source->paths.shadow.restrictions.size();
  a.review_days = paths->review_dates.size();
  a.shadow_trades = paths->shadow_trades.size();
  a.shadow_costs = paths->shadow_costs.ToDouble();
  taxsaved::TaxesSavedInput input{.profile = a.profile, .from = doc.from, .outside = a.outside,
                                  .discount_rate = a.discount_rate, .account = paths->account,
                                  .fifo = paths->fifo, .shadow = paths->shadow};
  Result<taxsaved::TaxesSavedReport> figures = taxsaved::ComputeTaxesSaved(input);
  if (!figures.ok()) return figures.status();
  doc.report = std::move(figures).value();
  doc.account_years = std::move(paths->account);
  doc.shadow_years = std::move(paths->shadow);
  for (const Account& stored : source->paths.accounts) {
    if (stored.id == account) doc.account_name = stored.name;
  }
  return doc;
}

void PrintTaxesSaved(const report::TaxesSavedDocument& doc, std::ostream& out) {
  out << "Taxes saved or deferred for " << doc.account << ", " << doc.from.ToString() << " to "
      << doc.to.ToString() << "\n\n";
  TextTable table({"year", "tax paid", "tax-blind tax", "saved or deferred", "of which deferred",
                   "saved after liquidation", "time value"},
                  {Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight,
                   Align::kRight, Align::kRight});
  auto add = [&](const std::string& label, const taxsaved::TaxesSavedYear& r) {
    table.AddRow({label, FormatDollars(r.account_tax.ToDouble()),
                  FormatDollars(r.shadow_tax.ToDouble()), FormatDollars(r.saved_or_deferred.ToDouble()),
                  FormatDollars(r.deferred.ToDouble()),
                  FormatDollars(r.saved_after_liquidation.ToDouble()),
                  FormatDollars(r.time_value.ToDouble())});
  };
  for (const taxsaved::TaxesSavedYear& r : doc.report.years) add(std::to_string(r.year), r);
  table.AddRule();
  add("total", doc.report.total);
  table.Print(out);
  out << "\nBy source:";
  for (int i = 0; i < taxsaved::kSavingSources; ++i) {
    out << (i ? ", " : " ") << Label(static_cast<taxsaved::SavingSource>(i)) << " "
        << FormatDollars(doc.report.total.sources[i].ToDouble());
  }
  out << "\n\nAssumptions\n";
  for (const auto& [label, text] : report::AssumptionLines(doc.assumptions)) {
    out << "  " << label << ": " << text << "\n";
  }
}

}  // namespace arbor::cli
