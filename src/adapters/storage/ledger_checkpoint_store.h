// Ledger checkpoints (issue 5, docs/review.md): a wash-sale scope's replayed ledger state on a
// date, stored in the ledger_checkpoints table, so that loading the scope's ledger on that
// date or later replays only the transactions after it instead of the whole history.
//
//   // nightly, after the imports (`arbor ledger checkpoint`): one per scope, as of the date
//   Result<CheckpointRun> run = WriteLedgerCheckpoints(store, as_of);
//   // the daily review, per account: the newest valid checkpoint on or before as_of, if any
//   Result<Ledger> ledger = LoadScopeLedger(store, context.ScopeOf("A"), as_of);
//
// The loaded ledger is the one a full replay (Store::LoadScopeLedgerInput, BuildLedger) gives,
// field for field. A checkpoint counts only while nothing it summarizes has changed:
// - triggers (schema migration 13) delete it when a transaction of one of its accounts dated
//   on or before it is inserted, updated or deleted, or a split on or before it is stored,
//   changed or removed (a bulk import drops the triggers and does the same per account);
// - loading ignores it unless its format version, the schema version it was written under,
//   the ledger options, the scope's accounts (ids, types, taxpayers) and the wash-sale groups
//   of the securities are all what they are now.
// Anything else (none stored, damaged) falls back to the full replay.
//
// Written by one writer at a time, each scope's replay and its checkpoint in one write
// transaction, so an import can never slip between the two; the review's threads only read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "adapters/storage/store.h"
#include "core/base/date.h"
#include "core/base/status.h"
#include "core/ledger/account.h"
#include "core/ledger/ledger.h"

namespace arbor {

// The format of a stored checkpoint. Bump it whenever its bytes (ledger_state_codec.h) or
// the results of replaying the same events (core/ledger) change: older checkpoints are then
// ignored.
inline constexpr uint64_t kLedgerCheckpointVersion = 1;

// How a scope's ledger was loaded, for tests and benchmarks.
struct ScopeLedgerLoad {
  bool from_checkpoint = false;
  Date checkpoint;             // its date, when from_checkpoint
  size_t events_replayed = 0;  // after the checkpoint, or all of them
};

// The ledger of `scope` (the accounts of one wash-sale scope, e.g. RebalanceContext::ScopeOf)
// with every event up to `as_of` inclusive, from a checkpoint when a valid one exists.
Result<Ledger> LoadScopeLedger(Store& store, const std::vector<Account>& scope, Date as_of,
                               ScopeLedgerLoad* how = nullptr);

struct CheckpointRun {
  size_t scopes = 0;
  size_t from_checkpoint = 0;  // scopes whose replay started from an earlier checkpoint
  size_t bytes = 0;            // of all the checkpoints written
};

// Replaces every scope's checkpoint with one as of `as_of` (the scope's other checkpoints are
// deleted: each scope keeps one).
Result<CheckpointRun> WriteLedgerCheckpoints(Store& store, Date as_of);

// What the transaction triggers do for a row of `account` dated `first_changed`, for a bulk
// import that drops them while it writes (store_writer.cc): deletes the checkpoints dated on
// or after it of the scopes that hold the account.
Status DropStaleLedgerCheckpoints(Database* db, std::string_view account, Date first_changed);

}  // namespace arbor
