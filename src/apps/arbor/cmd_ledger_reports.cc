// arbor lots ACCOUNT [--as-of DATE] and arbor gains ACCOUNT --year YEAR: an account's open lots
// with market values, and its realized gains in Form 8949 layout. Both replay the account's
// whole wash-sale scope (every account of its taxpayers) from the database.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "adapters/io/csv.h"
#include "adapters/storage/ledger_loader.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/ledger_views.h"
#include "apps/arbor/output.h"
#include "core/ledger/form8949.h"

namespace arbor::cli {
namespace {


struct ReportOptions {
  std::string account;
  std::string as_of;
  int year = 0;
  std::string format = "text";
};

void AddFormatOption(CLI::App* cmd, ReportOptions* options) {
  cmd->add_option("--format", options->format, "text, csv or json")
      ->check(CLI::IsMember({"text", "csv", "json"}))
      ->capture_default_str();
}

void PrintLots(const LotsView& view, const std::string& format) {
  if (format == "json") {
    std::cout << LotsViewJson(view).dump(2) << "\n";
    return;
  }
  if (format == "csv") {
    CsvWriter csv(&std::cout);
    csv.WriteRow({"account", "symbol", "lot_id", "shares", "basis", "acquired",
                  "acquired_for_holding_period", "term", "price", "price_date", "market_value",
                  "unrealized_gain"});
    for (const LotLine& line : view.lots) {
      csv.WriteRow({view.account, line.symbol, line.lot.lot_id, line.lot.shares.ToShortString(),
                    line.lot.basis.ToString(2), line.lot.acquired.ToString(),
                    line.lot.holding_period_date.ToString(), std::string(ToString(line.term)),
                    line.price ? line.price->ToString(2) : "",
                    line.price_date ? line.price_date->ToString() : "",
                    line.market_value ? line.market_value->ToString(2) : "",
                    line.market_value ? (*line.market_value - line.lot.basis).ToString(2) : ""});
    }
    return;
  }
  std::cout << "Open lots of " << view.account << " as of " << view.as_of.ToString() << "\n\n";
  PrintLotsTable(view, std::cout, /*max_rows=*/0);
}

void PrintGains(const std::string& account, int year, const Form8949& form,
                const std::string& format) {
  if (format == "json") {
    std::cout << Form8949Json(account, year, form).dump(2) << "\n";
    return;
  }
  if (format == "csv") {
    CsvWriter csv(&std::cout);
    csv.WriteRow({"part", "description", "date_acquired", "date_sold", "proceeds", "basis", "code",
                  "adjustment", "gain", "lot_id", "disallowed_permanently"});
    for (const auto* part : {&form.short_term, &form.long_term}) {
      for (const Form8949Row& row : part->rows) {
        const Realization& r = *row.realization;
        csv.WriteRow({part == &form.short_term ? "I" : "II", row.description,
                      r.acquired.ToString(), r.sell_date.ToString(), row.proceeds.ToString(2),
                      row.basis.ToString(2), row.code, row.adjustment.ToString(2),
                      row.gain.ToString(2), r.lot_id,
                      r.wash_disallowed_permanent.is_positive() ? "true" : "false"});
      }
    }
    return;
  }
  std::cout << "Realized gains of " << account << " in " << year
            << " (IRS Form 8949 layout; (h) = (d) - (e) + (g))\n";
  PrintForm8949(form, std::cout, /*max_rows_per_part=*/0);
}

}  // namespace

void AddLedgerReportCommands(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<ReportOptions>();

  auto* lots = app.add_subcommand("lots", "Open tax lots of an account, with market values");
  lots->add_option("account", options->account, "account id")->required();
  lots->add_option("--as-of", options->as_of, "date YYYY-MM-DD (default: the last transaction)");
  AddFormatOption(lots, options.get());
  lots->callback([&global, options] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    std::optional<Date> as_of;
    if (!options->as_of.empty()) {
      Result<Date> parsed = Date::Parse(options->as_of);
      if (!parsed.ok()) Fail(parsed.status().WithContext("--as-of"));
      as_of = *parsed;
    }
    LotsView view = OrFail(LoadLotsView(*store, options->account, as_of));
    PrintLots(view, options->format);
  });

  auto* gains = app.add_subcommand("gains", "Realized gains of an account for a tax year (Form 8949)");
  gains->add_option("account", options->account, "account id")->required();
  gains->add_option("--year", options->year, "tax year")->required()->check(CLI::Range(1900, 2200));
  AddFormatOption(gains, options.get());
  gains->callback([&global, options] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    // The whole history, not just up to Dec 31: a purchase in early January can wash a
    // December loss, and that changes this year's form.
    LedgerInput input = OrFail(store->LoadLedgerInput(options->account, std::nullopt));
    Ledger ledger = OrFail(BuildLedger(input));
    const Account* info = ledger.FindAccount(options->account);
    if (info != nullptr && IsTaxDeferred(info->type) && options->format == "text") {
      std::cout << options->account << " is a " << ToString(info->type)
                << " account: its sales report no gain or loss (IRS Form 8949 covers taxable "
                   "accounts only).\n";
      return;
    }
    const std::string account = options->account;
    const int year = options->year;
    Form8949 form = BuildForm8949(ledger.realized(), [&](const Realization& r) {
      return r.account == account && r.sell_date.year() == year;
    });
    PrintGains(account, year, form, options->format);
  });
}

}  // namespace arbor::cli
