// arbor review [--as-of DATE] [--threads N] [--new] [--account ID]...: the daily review of every
// account (docs/review.md), with progress on stderr and a summary at the end; arbor review show
// ACCOUNT [--run N]: one account's stored result; arbor import positions FILE...: the
// custodian's positions, which the review reconciles the lots with.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>

#include "adapters/batch/review_runner.h"
#include "adapters/storage/custodian_positions_store.h"
#include "adapters/storage/review_store.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/csv_import_command.h"
#include "apps/arbor/output.h"
#include "apps/arbor/review_report.h"

namespace arbor::cli {
namespace {

struct ReviewCommand {
  std::string as_of;
  int threads = 0;
  bool new_run = false;
  std::vector<std::string> accounts;
  bool quiet = false;
};

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

// One line, rewritten in place on a terminal; every tenth of the run otherwise (logs).
class ProgressLine {
 public:
  explicit ProgressLine(bool quiet) : quiet_(quiet), terminal_(isatty(STDERR_FILENO) != 0) {}

  void Update(const ReviewProgress& p) {
    if (quiet_ || p.total == 0) return;
    const double rate = p.seconds > 0 ? p.done_this_session / p.seconds : 0;
    const double eta = rate > 0 ? (p.total - p.done) / rate : 0;
    char line[160];
    std::snprintf(line, sizeof(line), "reviewing: %zu of %zu accounts (%.0f%%), %.1f/s, ETA %.0f s",
                  p.done, p.total, 100.0 * p.done / p.total, rate, eta);
    if (terminal_) {
      std::cerr << "\r" << line << "   " << std::flush;
      shown_ = true;
    } else if (p.done * 10 / p.total != last_decile_ || p.done == p.total) {
      last_decile_ = p.done * 10 / p.total;
      std::cerr << line << "\n";
    }
  }
  void Finish() {
    if (shown_) std::cerr << "\n";
  }

 private:
  bool quiet_, terminal_;
  bool shown_ = false;
  size_t last_decile_ = 0;
};

void RunReview(const GlobalOptions& global, const ReviewCommand& command) {
  ReviewRunOptions options{.threads = command.threads,
                           .resume = !command.new_run,
                           .accounts = command.accounts,
                           .started_at = UtcNow(),
                           .now = UtcNow};
  if (!command.as_of.empty()) {
    Result<Date> as_of = Date::Parse(command.as_of);
    if (!as_of.ok()) Fail(as_of.status().WithContext("--as-of"));
    options.as_of = *as_of;
  }
  ProgressLine progress(command.quiet);
  Result<ReviewRunOutcome> outcome = RunDailyReview(
      global.db_path, options, [&](const ReviewProgress& p) { progress.Update(p); });
  progress.Finish();
  if (!outcome.ok()) Fail(outcome.status());
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  PrintReviewSummary(*outcome, OrFail(LoadReviewTotals(store->database(), outcome->run)),
                     std::cout);
}

}  // namespace

void AddReviewCommands(CLI::App& app, const GlobalOptions& global) {
  auto command = std::make_shared<ReviewCommand>();
  auto* review = app.add_subcommand(
      "review", "Review every account: data checks, proposals, flags (docs/review.md)");
  review->add_option("--as-of", command->as_of, "date YYYY-MM-DD (default: the last price date)");
  review->add_option("--threads", command->threads, "worker threads (default: one per core)")
      ->check(CLI::Range(0, 256));
  review->add_flag("--new", command->new_run,
                   "start a new run even if the date's last run did not finish");
  review->add_option("--account", command->accounts, "review only these accounts");
  review->add_flag("--quiet", command->quiet, "no progress line");
  auto show_account = std::make_shared<std::string>();
  auto show_run = std::make_shared<int64_t>(0);
  auto* show = review->add_subcommand("show", "One account's result in a review run");
  show->add_option("account", *show_account, "account id")->required();
  show->add_option("--run", *show_run, "review run (default: the latest)");
  show->callback([&global, show_account, show_run] {
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    PrintStoredReview(*store->database(), *show_account,
                      *show_run > 0 ? std::optional<int64_t>(*show_run) : std::nullopt, std::cout);
  });
  review->callback([&global, command, review, show] {
    if (review->got_subcommand(show)) return;
    RunReview(global, *command);
  });

  AddCsvImport(app.get_subcommand("import"), global, "positions",
               "account,as_of,symbol,shares: the custodian's positions, to reconcile the lots with",
               ImportCustodianPositions);
}

}  // namespace arbor::cli
