// What a ledger replay needs from storage, and the replay itself: accounts of one wash-sale
// scope, the wash-sale groups, and their events (transactions merged with splits) in order.
//
//   Result<LedgerInput> input = store->LoadLedgerInput("A", as_of);
//   if (!input.ok()) return input.status();
//   Result<Ledger> ledger = BuildLedger(*input);
//   ledger->OpenLots("A");
//
// Kept apart from the Store so that a caller holding events from elsewhere (a what-if, a
// test) replays them the same way.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/base/status.h"
#include "core/ledger/account.h"
#include "core/ledger/event.h"
#include "core/ledger/ledger.h"
#include "core/ledger/ledger_state.h"

namespace arbor {

struct LedgerInput {
  std::vector<Account> accounts;
  std::vector<std::pair<std::string, std::string>> wash_sale_groups;  // (symbol, group)
  // By date; on one date a split comes before the transactions, which keep their stored order.
  std::vector<Event> events;
  // Parallel to `events`: the transaction id, or "split:<symbol>:<ex_date>". Names the
  // event when the replay fails.
  std::vector<std::string> event_ids;
};

// Declares the accounts and groups on a fresh Ledger and applies every event. A failure names
// the event ("transaction 'T17' (2024-03-01 sell XYZ in account 'A'): ...") and, if
// `failed_event` is given, stores its index there (events.size() when a declaration failed).
Result<Ledger> BuildLedger(const LedgerInput& input, LedgerOptions options = {},
                           size_t* failed_event = nullptr);

// As BuildLedger on a caller's fresh `ledger`, but a failure is the ledger's own status,
// without the event context, and `*failed_event` (required) is its index; for callers that
// map events back to their source rows.
Status ReplayInto(const LedgerInput& input, Ledger* ledger, size_t* failed_event);

// As BuildLedger, but from `state`: a saved ledger (a checkpoint, ledger_checkpoint_store.h) of
// the accounts and groups `tail` declares, replayed up to before the tail's events.
Result<Ledger> ResumeLedger(const LedgerInput& tail, LedgerState state, LedgerOptions options = {});

// "2024-03-01 sell XYZ in account 'A'", for messages about one event.
std::string DescribeEvent(const Event& event);

}  // namespace arbor
