// A thin RAII layer over the sqlite3 C API: a connection, prepared statements and a
// transaction guard, with every failure returned as a Status that names the SQL.
//
//   Result<Database> db = Database::Open("arbor.db");
//   if (!db.ok()) return db.status();
//   Result<Transaction> txn = Transaction::Begin(&*db);
//   Result<Statement> insert = db->Prepare("INSERT INTO prices VALUES (?1, ?2, ?3)");
//   insert->Bind(1, "AAPL").Bind(2, "2024-01-02").Bind(3, int64_t{185'640'000});
//   ARBOR_RETURN_IF_ERROR(insert->Run());   // steps to the end and resets for the next row
//   ARBOR_RETURN_IF_ERROR(txn->Commit());   // without this, ~Transaction rolls back
//
// A Database is one connection, used by one thread at a time (the batch runner opens one per
// thread). Statements and transactions borrow it and must not outlive it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace arbor {

struct DatabaseOptions {
  // How long a writer waits for another connection's lock before failing with "busy".
  int busy_timeout_ms = 5000;
  // Page cache per connection, allocated as used. Bulk imports write rows in key order, so
  // a larger cache did not make a million-lot import faster.
  int cache_size_kib = 64 * 1024;
  // WAL lets readers run while one writer imports; ignored for ":memory:".
  bool wal = true;
};

class Statement;

class Database {
 public:
  // Opens (creating if needed) the database file at `path`; ":memory:" for a private
  // in-memory database. Turns on foreign keys, WAL and the busy timeout.
  static Result<Database> Open(const std::string& path, DatabaseOptions options = {});

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more ';'-separated statements that return no rows.
  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);

  // Rows changed by the last INSERT, UPDATE or DELETE (0 for an ignored conflict).
  int64_t Changes() const;
  bool InTransaction() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }

  // `what: <sqlite's message>` for the last failed call on this connection.
  Status Error(std::string_view what) const;

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_ = nullptr;
  std::string path_;
};

// One prepared statement. Bind() calls chain; the first bind error is kept and returned by
// the next Step() or Run(), so call sites stay short without losing failures.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based (?1, ?2, ...). Text is copied, so temporaries are fine.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  // Bytes as a BLOB (copied).
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);
  // Binds NULL for an empty string: optional text columns store absence as NULL.
  Statement& BindTextOrNull(int index, std::string_view value);
  // Binds text without copying it: the caller keeps `value` alive until the statement has
  // run and been reset or rebound. For bulk inserts, where the copies show up in profiles.
  Statement& BindUnowned(int index, std::string_view value);
  Statement& BindUnownedOrNull(int index, std::string_view value) {
    return value.empty() ? BindNull(index) : BindUnowned(index, value);
  }

  // Advances to the next row: true when a row is available, false when done.
  Result<bool> Step();
  // Steps until done (ignoring rows) and resets the statement for reuse with new bindings.
  Status Run();
  // Makes the statement ready to run again; bindings are kept until rebound or cleared.
  void Reset();
  void ClearBindings();

  // Column getters for the current row (0-based). NULL reads as 0 or "".
  int64_t ColumnInt(int column) const;
  double ColumnDouble(int column) const;
  // Valid until the next Step() or Reset().
  std::string_view ColumnView(int column) const;
  std::string ColumnText(int column) const { return std::string(ColumnView(column)); }
  // A BLOB's bytes, valid until the next Step() or Reset().
  std::string_view ColumnBlob(int column) const;
  bool ColumnIsNull(int column) const;
  int ColumnCount() const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void NoteBindResult(int rc, int index);
  Status ErrorFor(int rc) const;

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  Status bind_status_;
};

enum class TransactionMode {
  // Takes the write lock up front, so two writers queue on the busy timeout instead of one
  // failing halfway when its read lock cannot be upgraded. For every write.
  kImmediate,
  // Locks on first use; for reads that want one consistent snapshot across queries.
  kDeferred,
};

// BEGIN ... COMMIT, rolled back by the destructor unless Commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> Begin(Database* db,
                                   TransactionMode mode = TransactionMode::kImmediate);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Commit();
  // Rolls back now (the destructor would do it anyway); for an explicit error path.
  void Rollback();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_ = nullptr;  // null once committed or rolled back
};

}  // namespace arbor
