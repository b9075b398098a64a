// arbor ledger checkpoint [--as-of DATE]: stores every wash-sale scope's replayed ledger as of
// the date (default: the review date, the last price date), so that the daily review on that
// date or later replays only the transactions after it (docs/review.md, "Ledger checkpoints").
// Run it after the day's imports; an import that changes the past drops the checkpoints it
// touches, and a review without one replays the whole history as before.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "adapters/storage/account_targets.h"
#include "adapters/storage/ledger_checkpoint_store.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/output.h"

namespace arbor::cli {

void AddLedgerCheckpointCommand(CLI::App& app, const GlobalOptions& global) {
  CLI::App* ledger = app.add_subcommand("ledger", "ledger maintenance");
  ledger->require_subcommand(1);
  auto as_of = std::make_shared<std::string>();
  CLI::App* checkpoint =
      ledger->add_subcommand("checkpoint",
                             "store every wash-sale scope's replayed ledger as of a date, so that "
                             "reviews on or after it replay only what follows");
  checkpoint->add_option("--as-of", *as_of, "YYYY-MM-DD (default: the last price date)");
  checkpoint->callback([&global, as_of] {
    const auto start = std::chrono::steady_clock::now();
    std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
    Result<Date> date = as_of->empty() ? DefaultReviewDate(*store) : Date::Parse(*as_of);
    if (!date.ok()) Fail(date.status().WithContext("--as-of"));
    const CheckpointRun run = OrFail(WriteLedgerCheckpoints(*store, *date));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char line[160];
    std::snprintf(line, sizeof line,
                  "ledger checkpoints as of %s: %zu wash-sale scopes (%zu continued from an "
                  "earlier checkpoint), %.1f MB, in %.1f s\n",
                  date->ToString().c_str(), run.scopes, run.from_checkpoint, run.bytes / 1e6,
                  seconds);
    std::cout << line;
  });
}

}  // namespace arbor::cli
