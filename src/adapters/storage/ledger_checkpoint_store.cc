#include "adapters/storage/ledger_checkpoint_store.h"

#include <algorithm>
#include <bit>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "adapters/storage/ledger_loader.h"
#include "adapters/storage/ledger_state_codec.h"
#include "adapters/storage/migrations.h"
#include "adapters/storage/store_writer.h"

namespace arbor {
namespace {

using storage_internal::AssembleLedgerInput;
using storage_internal::DividendRows;
using storage_internal::HistoryTail;

// Scopes in one write transaction: few enough that an import waiting for the lock is not held
// up long, enough that committing is not the cost.
constexpr size_t kScopesPerTransaction = 32;

// A scope is stored under its first account id; its members are checked when it is loaded.
std::string ScopeKey(const std::vector<Account>& scope) {
  return std::min_element(scope.begin(), scope.end(),
                          [](const Account& a, const Account& b) { return a.id < b.id; })
      ->id;
}

// FNV-1a over every (symbol, group): stable across builds, unlike std::hash.
uint64_t GroupsDigest(const std::vector<std::pair<std::string, std::string>>& groups) {
  uint64_t hash = 14695981039346656037ull;
  auto add = [&](std::string_view text) {
    for (char c : text) hash = (hash ^ static_cast<uint8_t>(c)) * 1099511628211ull;
    hash = (hash ^ 0xff) * 1099511628211ull;  // ends the text: ("ab","c") != ("a","bc")
  };
  for (const auto& [symbol, group] : groups) {
    add(symbol);
    add(group);
  }
  return hash;
}

int64_t CurrentSchemaVersion() { return static_cast<int64_t>(SchemaMigrations().size()); }

// What the state was replayed with: the format, the options, the groups and the accounts.
void PutHeader(const std::vector<Account>& scope, const LedgerOptions& options,
               uint64_t groups_digest, std::string* out) {
  PutVarint(kLedgerCheckpointVersion, out);
  PutVarint(static_cast<uint64_t>(options.default_lot_method), out);
  PutVarint(std::bit_cast<uint64_t>(options.short_term_rate), out);
  PutVarint(std::bit_cast<uint64_t>(options.long_term_rate), out);
  PutVarint(groups_digest, out);
  PutVarint(scope.size(), out);
  for (const Account& account : scope) {
    PutText(account.id, out);
    PutText(ToString(account.type), out);
    PutVarint(account.taxpayers.size(), out);
    for (const std::string& taxpayer : account.taxpayers) PutText(taxpayer, out);
  }
}

// True when the header is this version's and matches `scope` and `options` now; the groups
// are compared later, with the ones the tail is read with.
bool HeaderMatches(ByteReader& in, const std::vector<Account>& scope, const LedgerOptions& options,
                   uint64_t* groups_digest) {
  uint64_t version = 0, method = 0, short_rate = 0, long_rate = 0, accounts = 0;
  if (!in.Varint(&version) || version != kLedgerCheckpointVersion) return false;
  if (!in.Varint(&method) || method != static_cast<uint64_t>(options.default_lot_method) ||
      !in.Varint(&short_rate) || short_rate != std::bit_cast<uint64_t>(options.short_term_rate) ||
      !in.Varint(&long_rate) || long_rate != std::bit_cast<uint64_t>(options.long_term_rate) ||
      !in.Varint(groups_digest) || !in.Varint(&accounts) || accounts != scope.size()) {
    return false;
  }
  std::string text;
  for (const Account& account : scope) {
    uint64_t taxpayers = 0;
    if (!in.Text(&text) || text != account.id || !in.Text(&text) ||
        text != ToString(account.type) || !in.Varint(&taxpayers) ||
        taxpayers != account.taxpayers.size()) {
      return false;
    }
    for (const std::string& taxpayer : account.taxpayers) {
      if (!in.Text(&text) || text != taxpayer) return false;
    }
  }
  return true;
}

struct StoredCheckpoint {
  Date as_of;
  uint64_t groups_digest = 0;
  LedgerState state;
};

// The scope's newest checkpoint on or before `as_of`, unless it was written for another
// format, schema, options or membership, or does not decode.
Result<std::optional<StoredCheckpoint>> FindCheckpoint(Database* db,
                                                       const std::vector<Account>& scope,
                                                       Date as_of, const LedgerOptions& options) {
  const std::optional<StoredCheckpoint> none;
  Result<Statement> select = db->Prepare(
      "SELECT as_of, schema_version, state FROM ledger_checkpoints WHERE scope = ?1 AND "
      "as_of <= ?2 ORDER BY as_of DESC LIMIT 1");
  if (!select.ok()) return select.status();
  select->Bind(1, ScopeKey(scope)).Bind(2, as_of.ToString());
  Result<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row || select->ColumnInt(1) != CurrentSchemaVersion()) return none;
  Result<Date> date = Date::Parse(select->ColumnView(0));
  if (!date.ok()) return none;
  ByteReader in(select->ColumnBlob(2));
  StoredCheckpoint checkpoint{.as_of = *date};
  if (!HeaderMatches(in, scope, options, &checkpoint.groups_digest)) return none;
  std::string_view rest = in.rest();
  Result<LedgerState> state = DecodeLedgerState(&rest);
  if (!state.ok() || !rest.empty()) return none;
  checkpoint.state = std::move(state).value();
  return std::optional<StoredCheckpoint>(std::move(checkpoint));
}

// LoadScopeLedger inside a transaction the caller holds.
Result<Ledger> LoadScopeLedgerIn(Database* db, const std::vector<Account>& scope, Date as_of,
                                 ScopeLedgerLoad* how) {
  const LedgerOptions options;  // the review's, as BuildLedger's default
  Result<std::optional<StoredCheckpoint>> found = FindCheckpoint(db, scope, as_of, options);
  if (!found.ok()) return found.status();
  LedgerInput input;
  if (found->has_value()) {
    StoredCheckpoint& checkpoint = **found;
    HistoryTail tail{.after = checkpoint.as_of};
    for (const LedgerState::Position& position : checkpoint.state.positions) {
      tail.held.push_back(position.symbol);
    }
    ARBOR_RETURN_IF_ERROR(AssembleLedgerInput(db, scope, std::nullopt, as_of, {}, &input, nullptr,
                                              DividendRows::kMergedPerDay, &tail));
    if (GroupsDigest(input.wash_sale_groups) == checkpoint.groups_digest) {
      Result<Ledger> resumed = ResumeLedger(input, std::move(checkpoint.state), options);
      // A failure falls through: the full replay says what is wrong, if anything.
      if (resumed.ok()) {
        if (how != nullptr) {
          *how = {.from_checkpoint = true,
                  .checkpoint = checkpoint.as_of,
                  .events_replayed = input.events.size()};
        }
        return resumed;
      }
    }
  }
  ARBOR_RETURN_IF_ERROR(AssembleLedgerInput(db, scope, std::nullopt, as_of, {}, &input, nullptr,
                                            DividendRows::kMergedPerDay));
  if (how != nullptr) *how = {.events_replayed = input.events.size()};
  return BuildLedger(input, options);
}

// Deletes a scope's checkpoints and the list of its accounts.
Status DeleteScope(Database* db, const std::string& key) {
  for (const char* table : {"ledger_checkpoints", "ledger_checkpoint_accounts"}) {
    Result<Statement> remove =
        db->Prepare("DELETE FROM " + std::string(table) + " WHERE scope = ?1");
    if (!remove.ok()) return remove.status();
    ARBOR_RETURN_IF_ERROR(remove->Bind(1, key).Run());
  }
  return Status::Ok();
}

Status WriteCheckpoint(Database* db, const std::vector<Account>& scope, Date as_of,
                       uint64_t groups_digest, const Ledger& ledger, size_t* bytes) {
  std::string blob;
  PutHeader(scope, LedgerOptions{}, groups_digest, &blob);
  EncodeLedgerState(ledger.SaveState(), &blob);
  *bytes += blob.size();
  const std::string key = ScopeKey(scope);
  ARBOR_RETURN_IF_ERROR(DeleteScope(db, key));
  Result<Statement> insert = db->Prepare(
      "INSERT INTO ledger_checkpoints (scope, as_of, schema_version, state) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!insert.ok()) return insert.status();
  ARBOR_RETURN_IF_ERROR(insert->Bind(1, key)
                            .Bind(2, as_of.ToString())
                            .Bind(3, CurrentSchemaVersion())
                            .BindBlob(4, blob)
                            .Run());
  Result<Statement> member =
      db->Prepare("INSERT INTO ledger_checkpoint_accounts (account, scope) VALUES (?1, ?2)");
  if (!member.ok()) return member.status();
  for (const Account& account : scope) {
    ARBOR_RETURN_IF_ERROR(member->Bind(1, account.id).Bind(2, key).Run());
  }
  return Status::Ok();
}

// Deletes the checkpoints of scopes that are no more, e.g. one whose first account joined
// another taxpayer's scope: nothing would read or replace them.
Status DropOrphanCheckpoints(Database* db, const std::set<std::string>& keys) {
  Result<Statement> select = db->Prepare("SELECT DISTINCT scope FROM ledger_checkpoint_accounts");
  if (!select.ok()) return select.status();
  std::vector<std::string> orphans;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string scope = select->ColumnText(0);
    if (!keys.contains(scope)) orphans.push_back(std::move(scope));
  }
  select->Reset();
  for (const std::string& orphan : orphans) ARBOR_RETURN_IF_ERROR(DeleteScope(db, orphan));
  return Status::Ok();
}

}  // namespace

Result<Ledger> LoadScopeLedger(Store& store, const std::vector<Account>& scope, Date as_of,
                               ScopeLedgerLoad* how) {
  if (scope.empty()) return Status::InvalidArgument("scope: no accounts");
  // One snapshot for the checkpoint and the rows after it, so a concurrent import (which
  // deletes the checkpoint it touches) is seen whole or not at all.
  Result<Transaction> snapshot = Transaction::Begin(store.database(), TransactionMode::kDeferred);
  if (!snapshot.ok()) return snapshot.status();
  Result<Ledger> ledger = LoadScopeLedgerIn(store.database(), scope, as_of, how);
  if (!ledger.ok()) return ledger.status();
  ARBOR_RETURN_IF_ERROR(snapshot->Commit());
  return ledger;
}

Status DropStaleLedgerCheckpoints(Database* db, std::string_view account, Date first_changed) {
  Result<Statement> remove = db->Prepare(
      "DELETE FROM ledger_checkpoints WHERE as_of >= ?2 AND scope IN "
      "(SELECT scope FROM ledger_checkpoint_accounts WHERE account = ?1)");
  if (!remove.ok()) return remove.status();
  return remove->Bind(1, account).Bind(2, first_changed.ToString()).Run();
}

Result<CheckpointRun> WriteLedgerCheckpoints(Store& store, Date as_of) {
  Database* db = store.database();
  Result<std::vector<Account>> accounts = store.LoadAccounts();
  if (!accounts.ok()) return accounts.status();
  const std::vector<size_t> roots = storage_internal::WashSaleScopeRoots(*accounts);
  std::map<size_t, std::vector<Account>> by_root;
  for (size_t i = 0; i < accounts->size(); ++i) by_root[roots[i]].push_back((*accounts)[i]);
  std::vector<std::vector<Account>> scopes;
  std::set<std::string> keys;
  for (auto& [root, scope] : by_root) {
    keys.insert(ScopeKey(scope));
    scopes.push_back(std::move(scope));
  }
  {
    Result<Transaction> txn = Transaction::Begin(db);
    if (!txn.ok()) return txn.status();
    ARBOR_RETURN_IF_ERROR(DropOrphanCheckpoints(db, keys));
    ARBOR_RETURN_IF_ERROR(txn->Commit());
  }

  CheckpointRun run;
  for (size_t begin = 0; begin < scopes.size(); begin += kScopesPerTransaction) {
    // The replay and its checkpoint in one write transaction: no import can come between.
    Result<Transaction> txn = Transaction::Begin(db);
    if (!txn.ok()) return txn.status();
    Result<std::vector<std::pair<std::string, std::string>>> groups =
        storage_internal::ReadWashSaleGroups(db);
    if (!groups.ok()) return groups.status();
    const uint64_t digest = GroupsDigest(*groups);
    for (size_t i = begin; i < std::min(scopes.size(), begin + kScopesPerTransaction); ++i) {
      ScopeLedgerLoad how;
      Result<Ledger> ledger = LoadScopeLedgerIn(db, scopes[i], as_of, &how);
      if (!ledger.ok()) {
        return ledger.status().WithContext("the wash-sale scope of account '" +
                                           ScopeKey(scopes[i]) + "'");
      }
      ARBOR_RETURN_IF_ERROR(WriteCheckpoint(db, scopes[i], as_of, digest, *ledger, &run.bytes));
      ++run.scopes;
      run.from_checkpoint += how.from_checkpoint;
    }
    ARBOR_RETURN_IF_ERROR(txn->Commit());
  }
  return run;
}

}  // namespace arbor
