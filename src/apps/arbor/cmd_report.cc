// arbor report taxes-saved ACCOUNT [--from DATE] [--to DATE] [--format text|csv|json|pdf]
// [--out FILE], and arbor report taxes-saved --all: what tax management saved or deferred
// against a tax-blind shadow portfolio, for one account or summarized over the book
// (docs/taxes-saved.md).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <unistd.h>

#include "adapters/report/taxes_saved_output.h"
#include "adapters/storage/account_targets.h"
#include "adapters/storage/store.h"
#include "adapters/storage/taxes_saved_loader.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/output.h"
#include "apps/arbor/taxes_saved_view.h"
#include "core/taxsaved/tax_paths.h"

namespace arbor::cli {
namespace {

struct TaxesSavedOptions {
  std::string account;
  bool all = false;
  std::string from;
  std::string to;
  std::string format;
  std::string out;
  std::string filing_status = "joint";
  std::vector<std::string> outside_gains;
  double discount_rate = 0.04;
};

std::optional<Date> ParseDate(const std::string& text, const char* option) {
  if (text.empty()) return std::nullopt;
  Result<Date> date = Date::Parse(text);
  if (!date.ok()) Fail(date.status().WithContext(option));
  return *date;
}

// "2021:12000:-3000": the client's other net short- and long-term gains of a year.
std::map<int, taxsaved::YearGains> ParseOutsideGains(const std::vector<std::string>& values) {
  std::map<int, taxsaved::YearGains> out;
  for (const std::string& value : values) {
    int year = 0;
    double short_term = 0, long_term = 0;
    char tail = 0;
    if (std::sscanf(value.c_str(), "%d:%lf:%lf%c", &year, &short_term, &long_term, &tail) != 3) {
      Fail(Status::InvalidArgument("--outside-gains '" + value +
                                   "': expected YEAR:SHORT_TERM:LONG_TERM, e.g. 2021:12000:-3000"));
    }
    out[year] = {.short_term = short_term, .long_term = long_term};
  }
  return out;
}

TaxesSavedSettings Settings(const TaxesSavedOptions& options) {
  return {.from = ParseDate(options.from, "--from"),
          .filing_status = options.filing_status,
          .outside_gains = ParseOutsideGains(options.outside_gains),
          .discount_rate = options.discount_rate};
}

// Writes to --out, or to standard output when none is given (a PDF needs --out).
template <typename WriteFn>
void Emit(const TaxesSavedOptions& options, WriteFn write) {
  if (options.out.empty()) {
    write(std::cout);
    return;
  }
  std::ofstream file(options.out);
  if (!file) Fail(Status::InvalidArgument("--out " + options.out + ": cannot write"));
  write(file);
  std::cerr << "wrote " << options.out << "\n";
}

void RunOne(Store& store, const TaxesSavedOptions& options, Date to) {
  std::optional<Date> from = ParseDate(options.from, "--from");
  TaxesSavedPrices prices(store, from ? from->AddDays(-31) : Date::FromDays(0), to);
  report::TaxesSavedDocument doc = OrFail(TaxesSavedFor(store, options.account, Settings(options), to, prices));
  if (options.format == "pdf") {
    if (options.out.empty()) Fail(Status::InvalidArgument("--format pdf needs --out FILE.pdf"));
    OrFail(report::WriteTaxesSavedPdf(doc, options.out));
    std::cerr << "wrote " << options.out << "\n";
  } else if (options.format == "csv") {
    Emit(options, [&](std::ostream& out) { report::WriteTaxesSavedCsv(doc, out); });
  } else if (options.format == "json") {
    Emit(options, [&](std::ostream& out) { out << report::TaxesSavedJson(doc).dump(2) << "\n"; });
  } else {
    Emit(options, [&](std::ostream& out) { PrintTaxesSaved(doc, out); });
  }
}

void RunAll(Store& store, const TaxesSavedOptions& options, Date to) {
  if (options.format == "pdf") Fail(Status::InvalidArgument("--all: use --format text, csv or json"));
  std::optional<Date> from = ParseDate(options.from, "--from");
  TaxesSavedPrices prices(store, from ? from->AddDays(-31) : Date::FromDays(0), to);
  report::FirmTaxesSaved firm{.to = to};
  const TaxesSavedSettings settings = Settings(options);
  const bool progress = ::isatty(STDERR_FILENO);
  for (const Account& account : OrFail(store.LoadAccounts())) {
    if (IsTaxDeferred(account.type)) continue;
    Result<report::TaxesSavedDocument> doc = TaxesSavedFor(store, account.id, settings, to, prices);
    if (!doc.ok()) {
      firm.skipped.push_back({account.id, doc.status().message()});
      continue;
    }
    double value = 0;
    for (const taxsaved::PathYear& y : doc->account_years) value += y.end_value;
    firm.accounts.push_back(
        {.account = account.id,
         .saved_or_deferred = doc->report.total.saved_or_deferred,
         .saved_after_liquidation = doc->report.total.saved_after_liquidation,
         .average_value = doc->account_years.empty() ? 0 : value / doc->account_years.size(),
         .years = (to - doc->from + 1) / 365.25});
    if (progress) std::cerr << "\r" << firm.accounts.size() << " accounts reported" << std::flush;
  }
  if (progress) std::cerr << "\n";
  firm.summary = taxsaved::SummarizeFirm(firm.accounts);
  if (options.format == "csv") {
    Emit(options, [&](std::ostream& out) { report::WriteFirmTaxesSavedCsv(firm, out); });
  } else if (options.format == "json") {
    Emit(options, [&](std::ostream& out) { out << report::FirmTaxesSavedJson(firm).dump(2) << "\n"; });
  } else {
    Emit(options, [&](std::ostream& out) { report::WriteFirmTaxesSavedText(firm, out); });
  }
}

}  // namespace

void AddReportCommands(CLI::App& app, const GlobalOptions& global) {
  auto* report = app.add_subcommand("report", "Client reports");
  report->require_subcommand(1);
  auto options = std::make_shared<TaxesSavedOptions>();
  auto* taxes = report->add_subcommand(
      "taxes-saved",
      "Taxes saved or deferred against a tax-blind shadow portfolio (docs/taxes-saved.md)");
  taxes->add_option("account", options->account, "account id");
  taxes->add_flag("--all", options->all, "every taxable account: the firm-wide summary");
  taxes->add_option("--from", options->from, "first day YYYY-MM-DD (default: onboarding)");
  taxes->add_option("--to", options->to, "last day (default: the last price date)");
  taxes->add_option("--format", options->format,
                    "text, csv, json or pdf (default: from --out's extension, else text)")
      ->check(CLI::IsMember({"text", "csv", "json", "pdf"}));
  taxes->add_option("--out", options->out, "file to write (default: standard output)");
  taxes->add_option("--filing-status", options->filing_status,
                    "joint, single, head or separate (separate: $1,500 loss offset)")
      ->check(CLI::IsMember({"joint", "single", "head", "separate"}))
      ->capture_default_str();
  taxes->add_option("--outside-gains", options->outside_gains,
                    "YEAR:SHORT:LONG, the client's other net gains of a year (repeatable)");
  taxes->add_option("--discount-rate", options->discount_rate,
                    "a year, for the time value of deferral")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  taxes->callback([&global, options] {
    if (options->all == !options->account.empty()) {
      Fail(Status::InvalidArgument("give an ACCOUNT or --all"));
    }
    if (options->format.empty()) {
      const std::string& out = options->out;
      auto ends = [&](const char* ext) {
        return out.size() > 4 && out.compare(out.size() - 4, 4, ext) == 0;
      };
      options->format = ends(".pdf") ? "pdf" : ends(".csv") ? "csv" : ends("json") ? "json" : "text";
    }
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    std::optional<Date> to = ParseDate(options->to, "--to");
    Date last = to ? *to : OrFail(DefaultReviewDate(*store));
    if (options->all) RunAll(*store, *options, last);
    else RunOne(*store, *options, last);
  });
}

}  // namespace arbor::cli
