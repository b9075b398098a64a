#include "adapters/storage/sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <string>

namespace arbor {
namespace {

// The first line of a statement, enough to recognise it in an error message.
std::string Snippet(std::string_view sql) {
  size_t start = sql.find_first_not_of(" \n\t");
  if (start == std::string_view::npos) return "";
  sql.remove_prefix(start);
  size_t end = sql.find('\n');
  std::string first(sql.substr(0, std::min<size_t>(end, 80)));
  return first.size() < sql.size() ? first + " ..." : first;
}

}  // namespace

Result<Database> Database::Open(const std::string& path, DatabaseOptions options) {
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close(raw);
    return Status::InvalidArgument("cannot open database '" + path + "': " + message);
  }
  Database db(raw, path);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  ARBOR_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys = ON"));
  ARBOR_RETURN_IF_ERROR(db.Exec("PRAGMA cache_size = -" + std::to_string(options.cache_size_kib)));
  if (options.wal && path != ":memory:" && !path.empty()) {
    // journal_mode answers with the mode it got; a read-only or network file system may refuse.
    Result<Statement> wal = db.Prepare("PRAGMA journal_mode = WAL");
    if (!wal.ok()) return wal.status();
    Result<bool> row = wal->Step();
    if (!row.ok()) {
      return Status::InvalidArgument("cannot use database '" + path +
                                     "': " + row.status().message());
    }
    if (!*row || wal->ColumnView(0) != "wal") {
      return Status::FailedPrecondition("database '" + path +
                                        "': could not switch to WAL journal mode (is the file on "
                                        "a file system without shared memory?)");
    }
  }
  // With WAL, NORMAL syncs at checkpoints only: a crash loses at most the last commits, never
  // consistency, and bulk imports are several times faster than with FULL.
  ARBOR_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous = NORMAL"));
  return db;
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

// close_v2 defers the close until any forgotten statement is finalized, rather than failing.
Database::~Database() { sqlite3_close_v2(db_); }

Status Database::Error(std::string_view what) const {
  std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "database is closed";
  return Status::Internal(std::string(what) + ": " + message);
}

Status Database::Exec(std::string_view sql) {
  std::string statements(sql);
  char* error = nullptr;
  int rc = sqlite3_exec(db_, statements.c_str(), nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string message = error != nullptr ? error : sqlite3_errstr(rc);
  sqlite3_free(error);
  std::string text = "sqlite: " + message + " (in: " + Snippet(sql) + ")";
  if ((rc & 0xff) == SQLITE_BUSY) {
    return Status::FailedPrecondition(text + "; another process holds the database, retry later");
  }
  return Status::Internal(text);
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error("sqlite: cannot prepare '" + Snippet(sql) + "'");
  }
  return Statement(db_, stmt);
}

int64_t Database::Changes() const { return sqlite3_changes64(db_); }

bool Database::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_status_(std::move(other.bind_status_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_status_ = std::move(other.bind_status_);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::NoteBindResult(int rc, int index) {
  if (rc != SQLITE_OK && bind_status_.ok()) {
    bind_status_ =
        Status::Internal("sqlite: cannot bind parameter " + std::to_string(index) + " of '" +
                         Snippet(sqlite3_sql(stmt_)) + "': " + sqlite3_errstr(rc));
  }
}

Statement& Statement::Bind(int index, int64_t value) {
  NoteBindResult(sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  NoteBindResult(sqlite3_bind_double(stmt_, index, value), index);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  NoteBindResult(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      index);
  return *this;
}

Statement& Statement::BindUnowned(int index, std::string_view value) {
  NoteBindResult(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8),
      index);
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  NoteBindResult(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT),
                 index);
  return *this;
}

Statement& Statement::BindNull(int index) {
  NoteBindResult(sqlite3_bind_null(stmt_, index), index);
  return *this;
}

Statement& Statement::BindTextOrNull(int index, std::string_view value) {
  return value.empty() ? BindNull(index) : Bind(index, value);
}

Status Statement::ErrorFor(int rc) const {
  std::string message = sqlite3_errmsg(db_);
  if (message.empty()) message = sqlite3_errstr(rc);
  std::string text = "sqlite: " + message + " (in: " + Snippet(sqlite3_sql(stmt_)) + ")";
  if ((rc & 0xff) == SQLITE_BUSY) {
    return Status::FailedPrecondition(text + "; another process holds the database, retry later");
  }
  return Status::Internal(text);
}

Result<bool> Statement::Step() {
  if (!bind_status_.ok()) {
    Status status = bind_status_;
    bind_status_ = Status::Ok();
    sqlite3_reset(stmt_);
    return status;
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status status = ErrorFor(rc);
  sqlite3_reset(stmt_);
  return status;
}

Status Statement::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
  }
  sqlite3_reset(stmt_);
  return Status::Ok();
}

void Statement::Reset() { sqlite3_reset(stmt_); }

void Statement::ClearBindings() {
  sqlite3_clear_bindings(stmt_);
  bind_status_ = Status::Ok();
}

int64_t Statement::ColumnInt(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::ColumnDouble(int column) const { return sqlite3_column_double(stmt_, column); }

std::string_view Statement::ColumnBlob(int column) const {
  const void* bytes = sqlite3_column_blob(stmt_, column);
  if (bytes == nullptr) return {};
  return std::string_view(static_cast<const char*>(bytes),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string_view Statement::ColumnView(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(text),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int Statement::ColumnCount() const { return sqlite3_column_count(stmt_); }

Result<Transaction> Transaction::Begin(Database* db, TransactionMode mode) {
  ARBOR_RETURN_IF_ERROR(
      db->Exec(mode == TransactionMode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"));
  return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() { Rollback(); }

Status Transaction::Commit() {
  if (db_ == nullptr) return Status::FailedPrecondition("transaction already finished");
  Status status = db_->Exec("COMMIT");
  if (!status.ok()) {
    Rollback();
    return status;
  }
  db_ = nullptr;
  return Status::Ok();
}

void Transaction::Rollback() {
  if (db_ == nullptr) return;
  // A failed statement may already have ended the transaction (e.g. SQLITE_FULL).
  if (db_->InTransaction()) (void)db_->Exec("ROLLBACK");
  db_ = nullptr;
}

}  // namespace arbor
