// arbor demo: the main job. Builds a database from the real data in ../shared/data (the S&P 500
// security master with GICS, 14 years of daily prices with splits and dividends), simulates a
// small firm's accounts trading from 2013 to 2021, stores everything, replays every account
// from the database and prints its lots and realized gains; then estimates the risk model and
// shows the tax-aware rebalance Arbor proposes for one account in the March 2020 crash.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "adapters/demo/demo_firm.h"
#include "adapters/demo/demo_models.h"
#include "adapters/demo/firm_generator.h"
#include "adapters/storage/fund_holdings_store.h"
#include "adapters/storage/ledger_checkpoint_store.h"
#include "adapters/storage/model_store.h"
#include "adapters/io/market_data.h"
#include "adapters/storage/ledger_loader.h"
#include "adapters/storage/rebalance_input_loader.h"
#include "adapters/storage/risk_model_store.h"
#include "adapters/storage/risk_universe.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/demo_household.h"
#include "apps/arbor/demo_review.h"
#include "apps/arbor/ledger_views.h"
#include "apps/arbor/output.h"
#include "apps/arbor/model_diff_report.h"
#include "apps/arbor/proposal_output.h"
#include "apps/arbor/review_report.h"
#include "apps/arbor/taxes_saved_view.h"
#include "apps/arbor/whatif_report.h"
#include "core/models/risk_reallocator.h"
#include "core/review/rebalance.h"

namespace arbor::cli {
namespace {

struct DemoCommandOptions {
  std::string data_dir = ARBOR_SHARED_DATA_DIR;
  std::string db_path = "arbor-demo.db";
  int accounts = 300;                // the client firm's size
  double direct_index_share = 0.3;   // of its accounts holding the S&P 500 direct index
  bool review = true;                // run the daily review and the workflow at the end
};

class Steps {
 public:
  explicit Steps(int total) : total_(total), start_(std::chrono::steady_clock::now()) {}
  void Begin(const std::string& what) {
    std::cout << "[" << ++done_ << "/" << total_ << "] " << what << " ... " << std::flush;
    step_start_ = std::chrono::steady_clock::now();
  }
  void End(const std::string& result) {
    std::cout << result << " (" << Seconds(step_start_) << ")\n";
  }
  std::string Total() const { return Seconds(start_); }

 private:
  static std::string Seconds(std::chrono::steady_clock::time_point since) {
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", s);
    return buf;
  }
  int total_;
  int done_ = 0;
  std::chrono::steady_clock::time_point start_, step_start_;
};

std::string Count(size_t n) { return FormatDollars(static_cast<double>(n), 0); }
std::string Usd(Money money) { return FormatDollars(money.ToDouble(), 0); }

std::vector<PriceHistory> LoadPrices(const std::string& data_dir, const SecurityMaster& master,
                                     size_t* closes, size_t* splits, size_t* dividends) {
  std::vector<std::string> symbols = OrFail(ListAlphaVantageSymbols(data_dir));
  // A price file of a name the constituents lists do not classify (VAR, acquired days before
  // the April 2021 list) is left out rather than stored unclassified.
  std::erase_if(symbols, [&](const std::string& s) { return !master.Contains(s); });
  std::vector<PriceHistory> histories = OrFail(LoadAlphaVantageUniverse(
      data_dir, symbols, [](size_t done, size_t total) {
        if (done % 100 == 0 || done == total) std::cout << done << "/" << total << " " << std::flush;
      }));
  // The demo firm's funds, and the products of the IPC's templates.
  Date last_stock_close;
  for (const PriceHistory& h : histories) {
    if (!h.bars.empty()) last_stock_close = std::max(last_stock_close, h.bars.back().date);
  }
  for (const char* etf : {"SPY", "AGG", "VNQ", "IJH", "IWM", "EFA", "VWO", "TLT"}) {
    PriceHistory history = OrFail(LoadEtfPrices(data_dir, etf, EtfSeries::kRawClose));
    // The funds' files run to 2024; the stocks' end in April 2021, which is the demo's today.
    std::erase_if(history.bars, [&](const DailyBar& bar) { return bar.date > last_stock_close; });
    histories.push_back(std::move(history));
  }
  for (const PriceHistory& history : histories) {
    *closes += history.bars.size();
    for (const DailyBar& bar : history.bars) {
      *splits += bar.split_numerator != bar.split_denominator;
      *dividends += bar.dividend_per_share.is_positive();
    }
  }
  return histories;
}

void PrintFirm(Store& store, const DemoFirm& firm, Date as_of) {
  std::cout << "\nAccounts as of " << as_of.ToString() << " (market value at that day's close)\n\n";
  TextTable accounts({"account", "type", "taxpayers", "lots", "cost basis", "market value",
                      "unrealized", "cash"},
                     {Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight, Align::kRight,
                      Align::kRight, Align::kRight, Align::kRight});
  for (const Account& account : firm.accounts) {
    LotsView view = OrFail(LoadLotsView(store, account.id, as_of));
    std::string taxpayers;
    for (const std::string& t : account.taxpayers) taxpayers += (taxpayers.empty() ? "" : "+") + t;
    accounts.AddRow({account.id, std::string(ToString(account.type)), taxpayers,
                     Count(view.lots.size()), Usd(view.basis_total), Usd(view.market_value_total),
                     Usd(view.market_value_total - view.basis_total), Usd(view.cash)});
  }
  accounts.Print(std::cout);

  std::cout << "\nRealized gains of the taxable accounts by year (Form 8949 totals; wash-sale\n"
               "losses disallowed are added back in column (g) and move into the replacement's basis)\n\n";
  TextTable years({"year", "sales", "short-term", "long-term", "net", "wash sales",
                   "disallowed", "of which permanent"},
                  {Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight,
                   Align::kRight, Align::kRight, Align::kRight});
  std::map<int, std::vector<Realization>> realized_by_year;
  for (const Account& account : firm.accounts) {
    if (IsTaxDeferred(account.type)) continue;
    LedgerInput input = OrFail(store.LoadLedgerInput(account.id, std::nullopt));
    Ledger ledger = OrFail(BuildLedger(input));
    for (const Realization& r : ledger.realized()) {
      if (r.account == account.id) realized_by_year[r.sell_date.year()].push_back(r);
    }
  }
  for (const auto& [year, realized] : realized_by_year) {
    Realizations rows;
    for (const Realization& r : realized) rows.push_back(r);
    Form8949 form = BuildForm8949(rows, [](const Realization&) { return true; });
    size_t washed = 0;
    for (const Realization& r : realized) washed += r.wash_disallowed.is_positive();
    years.AddRow({std::to_string(year), Count(realized.size()), Usd(form.net_short_term),
                  Usd(form.net_long_term), Usd(form.net_total), Count(washed),
                  Usd(form.wash_disallowed_total), Usd(form.wash_disallowed_permanent_total)});
  }
  years.Print(std::cout);

  // Replacement lots still held that carry a washed loss: basis raised, holding period tacked.
  TextTable carried({"account", "symbol", "lot", "shares", "bought", "held since", "basis"},
                    {Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight, Align::kLeft,
                     Align::kLeft, Align::kRight});
  size_t carried_count = 0;
  for (const Account& account : firm.accounts) {
    if (IsTaxDeferred(account.type)) continue;
    for (const LotLine& line : OrFail(LoadLotsView(store, account.id, as_of)).lots) {
      if (line.lot.holding_period_date == line.lot.acquired) continue;
      ++carried_count;
      carried.AddRow({account.id, line.symbol, line.lot.lot_id, line.lot.shares.ToShortString(),
                      line.lot.acquired.ToString(), line.lot.holding_period_date.ToString(),
                      FormatDollars(line.lot.basis.ToDouble())});
    }
  }
  if (carried_count > 0) {
    std::cout << "\nOpen replacement lots carrying a washed loss (its basis added, its holding "
                 "period tacked on: Reg. 1.1091-2)\n\n";
    carried.Print(std::cout);
  }

  const std::string showcase = "SMITH-JOINT";
  std::cout << "\nLargest open lots of " << showcase << "\n\n";
  PrintLotsTable(OrFail(LoadLotsView(store, showcase, as_of)), std::cout, /*max_rows=*/12);

  LedgerInput input = OrFail(store.LoadLedgerInput(showcase, std::nullopt));
  Ledger ledger = OrFail(BuildLedger(input));
  Form8949 form2020 = BuildForm8949(ledger.realized(), [&](const Realization& r) {
    return r.account == showcase && r.sell_date.year() == 2020;
  });
  std::cout << "\nForm 8949 of " << showcase << " for 2020 (the COVID crash: losses harvested;"
            << " some washed by the\nIRA of the same taxpayer, which disallows them for good)\n";
  PrintForm8949(form2020, std::cout, /*max_rows_per_part=*/8);
}

// The crash of March 2020: the day the demo's proposal is made.
const Date kHarvestDate = Date::FromYmd(2020, 3, 20).value();

// Risk models for the harvest date and for the end of the data, so that `arbor rebalance`
// works on the demo database at either.
void BuildRiskModels(Store& store, Date end, Steps& steps) {
  steps.Begin("estimating the risk model (market, 11 GICS sectors, 8 statistical factors)");
  for (Date as_of : {kHarvestDate, end}) {
    RiskModel model = OrFail(EstimateRiskModelFromStore(store, as_of));
    OrFail(SaveRiskModel(store.database(), model));
    std::cout << as_of.ToString() << " (" << model.symbols.size() << " stocks and funds) "
              << std::flush;
  }
  steps.End("stored");
}

// The IPC's catalogue and a few hundred client accounts customized on it; returns the account
// the what-if is shown on: the largest taxable direct-index account without screens.
std::string BuildClientBook(Store& store, const DemoCommandOptions& options,
                            const SecurityMaster& master,
                            const std::vector<PriceHistory>& histories, Steps& steps) {
  steps.Begin("the investment committee's catalogue: templates, S&P 500 direct indexes, screens");
  const RiskModel sampling_risk = OrFail(LoadRiskModel(store.database(), kHarvestDate));
  DemoCatalogue catalogue =
      OrFail(BuildDemoCatalogue(options.data_dir, master, histories, sampling_risk));
  char sampled[96];
  std::snprintf(sampled, sizeof sampled, "SP500-100 sampled (ex-ante TE %.2f%%)",
                100 * catalogue.sampled_tracking_error);
  steps.End(Count(catalogue.templates.size()) + " template versions, " +
            Count(catalogue.security_models.size() - 1) + " yearly SP500 versions (" +
            Count(catalogue.security_models[2].weights.size()) + " names in 2021), " + sampled + ", " + Count(catalogue.screens.size()) + " screens");
  for (const models::SecurityModel& m : catalogue.security_models) OrFail(SaveSecurityModel(store, m));
  for (const models::Template& t : catalogue.templates) OrFail(SaveTemplate(store, t));
  for (const models::Screen& s : catalogue.screens) OrFail(SaveScreen(store, s));
  for (const models::FundHoldings& h : catalogue.fund_holdings) OrFail(SaveFundHoldings(store, h));

  steps.Begin(Count(static_cast<size_t>(options.accounts)) +
              " client accounts funded since 2013, carried forward by quarterly reviews");
  int shown = 0;
  FirmOptions firm_options{.accounts = options.accounts,
                           .direct_index_share = options.direct_index_share,
                           .dividends = options.accounts > 1000 ? DividendEntries::kPerReview
                                                                : DividendEntries::kEachPayment,
                           .progress = [&shown](int done, int total) {
                             if (done * 10 / total > shown) {
                               shown = done * 10 / total;
                               std::cout << 10 * shown << "% " << std::flush;
                             }
                           }};
  FirmData clients = OrFail(GenerateFirm(catalogue, master, histories, firm_options));
  OrFail(StoreFirm(store, clients));
  steps.End(Count(clients.accounts.size()) + " accounts of " + Count(clients.advisors.size()) +
            " advisors, " + Count(clients.events.size()) + " transactions, " +
            Count(clients.problems.size()) + " data problems planted");

  steps.Begin("resolving every account's targets as of 2021-04-21 (lineage kept)");
  const Date end = Date::FromYmd(2021, 4, 21).value();
  const RiskModel risk = OrFail(LoadRiskModel(store.database(), end));
  const models::ModelBook book = OrFail(LoadModelBook(store));
  models::RiskModelReallocator reallocator(risk, master);
  models::Resolver resolver(book, master, &reallocator);
  struct Row {
    int accounts = 0, direct_index = 0, screened = 0, removals = 0;
    size_t targets = 0;
  };
  std::map<std::string, Row> by_template;
  std::string showcase;
  double showcase_value = 0;
  std::map<std::string, double> deposits;
  for (const Event& e : clients.events) {
    if (e.action == EventAction::kDeposit) deposits[e.account] += e.amount.ToDouble();
  }
  for (const models::Customization& c : clients.customizations) {
    const models::Resolution r = OrFail(resolver.Resolve(c, end));
    Row& row = by_template[c.template_name + " v" + std::to_string(r.template_version)];
    ++row.accounts;
    row.direct_index += !c.products.empty();
    row.screened += !c.screens.empty();
    row.removals += !c.removals.empty();
    row.targets += r.targets.size();
    if (!c.products.empty() && c.products[0].product == "SP500-DI" && c.screens.empty() &&
        c.account.ends_with("-TAX") && deposits[c.account] > showcase_value &&
        deposits[c.account] < 5e6) {
      showcase = c.account;
      showcase_value = deposits[c.account];
    }
  }
  steps.End(Count(clients.customizations.size()) + " resolved");
  std::cout << "\n";
  TextTable table({"template", "accounts", "direct index", "screened", "class removed",
                   "targets per account"},
                  {Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight,
                   Align::kRight});
  for (const auto& [name, row] : by_template) {
    table.AddRow({name, Count(row.accounts), Count(row.direct_index), Count(row.screened),
                  Count(row.removals), Count(row.targets / row.accounts)});
  }
  table.Print(std::cout);
  std::cout << "\nThe IPC's tactical shift (`arbor model diff \"Balanced 60/40\"`):\n\n";
  ReportModelDiff(store, "Balanced 60/40", 0);
  std::cout << "\n";
  return showcase;
}

void ShowWhatIf(Store& store, const std::string& account, Steps& steps) {
  steps.Begin("what-if for " + account + ": add the fossil-fuels screen to its direct index");
  std::ostringstream report;
  ReportWhatIf(store, {.account = account, .change = {.add_screens = {"fossil_fuels"}}}, report);
  steps.End("done");
  std::cout << "\n" << report.str();
}

void ShowHarvest(Store& store, Steps& steps) {
  const std::string account = "SMITH-JOINT";
  steps.Begin("rebalancing " + account + " as of " + kHarvestDate.ToString());
  review::RebalanceInput input = OrFail(LoadRebalanceInput(store, account, kHarvestDate));
  review::Proposal proposal = OrFail(review::Rebalance(input));
  steps.End(std::to_string(proposal.trades.size()) + " trades");
  std::cout << "\nWhat Arbor would have proposed in the crash: harvest losses, keep the market exposure\n"
               "through correlated names, and never buy back what it sells at a loss within 30 days.\n\n";
  // Shown: the largest sells and the largest buys; the full list is `arbor rebalance`'s.
  constexpr size_t kShownPerSide = 7;
  std::vector<review::Trade>& trades = proposal.trades;
  std::stable_sort(trades.begin(), trades.end(), [](const review::Trade& a, const review::Trade& b) {
    if (a.side != b.side) return a.side == review::TradeSide::kSell;
    return a.amount > b.amount;
  });
  const auto first_buy = std::find_if(trades.begin(), trades.end(),
                                      [](const review::Trade& t) { return t.side == review::TradeSide::kBuy; });
  const size_t sells = static_cast<size_t>(first_buy - trades.begin());
  if (sells > kShownPerSide) std::rotate(trades.begin() + kShownPerSide, first_buy, trades.end());
  const size_t buys = trades.size() - sells;
  PrintProposal(proposal, std::cout,
                {.max_trades = std::min(sells, kShownPerSide) + std::min(buys, kShownPerSide), .max_wash_sale_notes = 6});
}

void ShowTaxesSaved(Store& store, const std::string& account, Date to, Steps& steps) {
  steps.Begin("what tax management did for " + account + ": its taxes against a tax-blind shadow");
  TaxesSavedPrices prices(store, Date::FromDays(0), to);
  const report::TaxesSavedDocument doc = OrFail(TaxesSavedFor(store, account, {}, to, prices));
  steps.End(FormatDollars(doc.report.total.saved_or_deferred.ToDouble(), 0) + " saved or deferred");
  std::cout << "\n";
  PrintTaxesSaved(doc, std::cout);
}

}  // namespace

void AddDemoCommand(CLI::App& app) {
  // The demo deletes and rebuilds its database, so it takes its own --out rather than --db.
  auto options = std::make_shared<DemoCommandOptions>();
  auto* cmd = app.add_subcommand(
      "demo", "Build a demo database from ../shared/data and print its lots and realized gains");
  cmd->add_option("--data", options->data_dir, "the market data folder")->capture_default_str();
  cmd->add_option("--out", options->db_path, "database to (re)create")->capture_default_str();
  cmd->add_option("--accounts", options->accounts, "client accounts to generate")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  cmd->add_option("--direct-index-share", options->direct_index_share,
                  "share of the accounts holding the S&P 500 direct index")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_flag("!--no-review", options->review,
                "stop before the daily review (e.g. to build a firm for review_benchmark)");
  cmd->callback([options] {
    Steps steps(options->review ? 16 : 14);
    std::cout << "Arbor demo: a small firm on real S&P 500 prices, 2013-01-02 .. 2021-04-21\n"
              << "data: " << options->data_dir << "\n\n";
    std::filesystem::remove(options->db_path);
    std::filesystem::remove(options->db_path + "-wal");
    std::filesystem::remove(options->db_path + "-shm");

    steps.Begin("security master");
    SecurityMaster master = OrFail(LoadSp500SecurityMaster(options->data_dir));
    size_t etfs = 0;
    for (const Security& s : master.securities()) etfs += s.type == SecurityType::kEtf;
    steps.End(Count(master.size() - etfs) + " stocks with GICS classification, " + Count(etfs) +
              " ETFs");

    steps.Begin("daily prices");
    size_t closes = 0, splits = 0, dividends = 0;
    std::vector<PriceHistory> histories = LoadPrices(options->data_dir, master, &closes, &splits, &dividends);
    steps.End(Count(histories.size()) + " securities, " + Count(closes) + " closes, " +
              Count(splits) + " splits, " + Count(dividends) + " dividends");

    steps.Begin("storing securities and prices in " + options->db_path);
    std::unique_ptr<Store> store = OrFail(Store::Open(options->db_path));
    OrFail(store->PutSecurities(master));
    OrFail(store->PutPriceHistories(histories));
    StoreCounts counts = OrFail(store->Counts());
    steps.End(Count(counts.prices) + " prices, " + Count(counts.corporate_actions) +
              " corporate actions");

    steps.Begin("simulating 5 accounts of 3 households, month by month");
    DemoOptions demo_options{.progress = [](const std::string& stage) {
      std::cout << stage.substr(stage.size() - 4) << " " << std::flush;
    }};
    DemoFirm firm = OrFail(BuildDemoFirm(master, histories, demo_options));
    steps.End(Count(firm.events.size()) + " transactions in " + Count(firm.symbols.size()) +
              " securities");

    steps.Begin("storing accounts and transactions (each checked by a ledger replay)");
    OrFail(store->PutAccounts(firm.accounts));
    OrFail(store->AppendTransactions(firm.events, "demo"));
    steps.End("stored");

    steps.Begin("replaying every account from the database");
    Date as_of = demo_options.end;
    std::cout << "\n";
    PrintFirm(*store, firm, as_of);
    std::cout << "\n";
    BuildRiskModels(*store, as_of, steps);
    ShowHarvest(*store, steps);
    std::cout << "\n";
    const std::string showcase = BuildClientBook(*store, *options, master, histories, steps);
    ShowWhatIf(*store, showcase, steps);
    std::cout << "\n";
    ShowTaxesSaved(*store, showcase, as_of, steps);
    std::cout << "\n";
    // Before the daily review, which then reviews the household as one unit.
    steps.Begin("a household's taxable, IRA and Roth rebalanced jointly from 60/40 to 70/30");
    const DemoHousehold household = RunDemoHousehold(*store, master, histories);
    steps.End(household.Summary());
    PrintDemoHousehold(household, std::cout);

    // So that reviews on the date replay only what follows it (docs/review.md).
    const CheckpointRun checkpoints = OrFail(WriteLedgerCheckpoints(*store, as_of));
    std::cout << "ledger checkpoints as of " << as_of.ToString() << ": "
              << Count(checkpoints.scopes) << " wash-sale scopes\n";

    if (options->review) {
      steps.Begin("the daily review of every account as of " + as_of.ToString() +
                  ": data checks, proposals, flags");
      const ReviewRunOutcome review = RunDemoReview(options->db_path, as_of, std::cout);
      steps.End("run " + std::to_string(review.run));
      std::cout << "\n";
      PrintReviewSummary(review, OrFail(LoadReviewTotals(store->database(), review.run)),
                         std::cout);

      steps.Begin("the rebalancing group's day: saved filters, batch actions, trade files");
      std::cout << "\n\n";
      RunDemoWorkflow(*store, review.run, options->db_path, std::cout);
      steps.End("audited");
    }
    std::cout << "\nDone in " << steps.Total() << ". Explore the database:\n"
              << "  build/arbor --db " << options->db_path << " lots LEE-TAXABLE\n"
              << "  build/arbor --db " << options->db_path << " lots SMITH-JOINT --as-of 2020-03-31\n"
              << "  build/arbor --db " << options->db_path << " gains SMITH-JOINT --year 2020 --format csv\n"
              << "  build/arbor --db " << options->db_path << " rebalance LEE-TAXABLE --as-of 2020-03-20\n"
              << "  build/arbor --db " << options->db_path << " riskmodel show --as-of 2020-03-20\n"
              << "  build/arbor --db " << options->db_path << " template show \"Balanced 60/40\"\n"
              << "  build/arbor --db " << options->db_path << " account show " << showcase << "\n"
              << "  build/arbor --db " << options->db_path << " whatif " << showcase
              << " --product \"US Large Cap=SP500-100-DI\"\n"
              << "  build/arbor --db " << options->db_path << " model diff SP500\n"
              << "  build/arbor --db " << options->db_path << " review show " << showcase << "\n"
              << "  build/arbor --db " << options->db_path << " workbench query --saved outliers\n"
              << "  build/arbor --db " << options->db_path << " workbench audit\n"
              << "  build/arbor --db " << options->db_path << " household rebalance "
              << household.scenario.household << "\n"
              << "  build/arbor --db " << options->db_path << " report taxes-saved " << showcase
              << " --out taxes-saved.pdf\n"
              << "  build/arbor --db " << options->db_path << " report taxes-saved --all\n"
              << "  build/arbor --db " << options->db_path
              << " transition --lots docs/examples/transition-legacy-lots.csv --model SP500 --pdf plan.pdf\n"
              << "  build/arbor solve --problem ../shared/docs/reference-problems/ref01.json\n"
              << "  build/arbor replay --input docs/examples/wash-sale-replay.json\n";
  });
}

}  // namespace arbor::cli
