#include "adapters/storage/sqlite.h"

#include <gtest/gtest.h>

#include "adapters/storage/store_test_util.h"

namespace arbor {
namespace {

using testing_util::ScratchDir;

int64_t CountRows(Database* db, const std::string& table) {
  Result<Statement> count = db->Prepare("SELECT count(*) FROM " + table);
  EXPECT_TRUE(count.ok()) << count.status().message();
  Result<bool> row = count->Step();
  EXPECT_TRUE(row.ok() && *row);
  return count->ColumnInt(0);
}

TEST(SqliteTest, OpensWithWalForeignKeysAndBusyTimeout) {
  ScratchDir dir("sqlite_test");
  Result<Database> db = Database::Open(dir.Path("a.db"));
  ASSERT_TRUE(db.ok()) << db.status().message();
  auto pragma = [&](const std::string& name) {
    Result<Statement> s = db->Prepare("PRAGMA " + name);
    EXPECT_TRUE(s.ok());
    EXPECT_TRUE(*s->Step());
    return s->ColumnText(0);
  };
  EXPECT_EQ(pragma("journal_mode"), "wal");
  EXPECT_EQ(pragma("foreign_keys"), "1");
  EXPECT_EQ(pragma("busy_timeout"), "5000");
}

TEST(SqliteTest, OpenFailureNamesThePath) {
  Result<Database> db = Database::Open("/nonexistent-dir/x/arbor.db");
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("cannot open database '/nonexistent-dir/x/arbor.db'"),
            std::string::npos)
      << db.status().message();
}

TEST(SqliteTest, BindStepAndColumns) {
  Result<Database> db = Database::Open(":memory:");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->Exec("CREATE TABLE t (a INTEGER, b TEXT, c REAL, d TEXT)").ok());
  Result<Statement> insert = db->Prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)");
  ASSERT_TRUE(insert.ok());
  for (int i = 0; i < 3; ++i) {
    insert->Bind(1, int64_t{1} << 40 | i).Bind(2, "row " + std::to_string(i)).Bind(3, 0.5 * i);
    insert->BindTextOrNull(4, i == 1 ? "" : "x");
    ASSERT_TRUE(insert->Run().ok());
    EXPECT_EQ(db->Changes(), 1);
  }
  Result<Statement> select = db->Prepare("SELECT a, b, c, d FROM t ORDER BY a");
  ASSERT_TRUE(select.ok());
  int seen = 0;
  while (true) {
    Result<bool> row = select->Step();
    ASSERT_TRUE(row.ok());
    if (!*row) break;
    EXPECT_EQ(select->ColumnInt(0), int64_t{1} << 40 | seen);
    EXPECT_EQ(select->ColumnText(1), "row " + std::to_string(seen));
    EXPECT_DOUBLE_EQ(select->ColumnDouble(2), 0.5 * seen);
    EXPECT_EQ(select->ColumnIsNull(3), seen == 1);
    ++seen;
  }
  EXPECT_EQ(seen, 3);
  EXPECT_EQ(select->ColumnCount(), 4);
}

TEST(SqliteTest, ErrorsNameTheStatement) {
  Result<Database> db = Database::Open(":memory:");
  ASSERT_TRUE(db.ok());
  Result<Statement> bad = db->Prepare("SELEC 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("SELEC 1"), std::string::npos);
  ASSERT_TRUE(db->Exec("CREATE TABLE t (a INTEGER NOT NULL)").ok());
  Result<Statement> insert = db->Prepare("INSERT INTO t VALUES (?1)");
  ASSERT_TRUE(insert.ok());
  insert->BindNull(1);
  Status status = insert->Run();
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("NOT NULL"), std::string::npos) << status.message();
  // A bind error (no such parameter) is reported by the next Run.
  insert->Bind(7, int64_t{1});
  status = insert->Run();
  EXPECT_NE(status.message().find("cannot bind parameter 7"), std::string::npos)
      << status.message();
  // ... once: the statement is usable again afterwards.
  insert->Bind(1, int64_t{5});
  EXPECT_TRUE(insert->Run().ok());
}

TEST(SqliteTest, TransactionRollsBackUnlessCommitted) {
  ScratchDir dir("sqlite_test");
  Result<Database> db = Database::Open(dir.Path("t.db"));
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->Exec("CREATE TABLE t (a INTEGER)").ok());
  {
    Result<Transaction> txn = Transaction::Begin(&*db);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
    EXPECT_TRUE(db->InTransaction());
  }  // no Commit: rolled back
  EXPECT_FALSE(db->InTransaction());
  EXPECT_EQ(CountRows(&*db, "t"), 0);
  {
    Result<Transaction> txn = Transaction::Begin(&*db);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
    ASSERT_TRUE(txn->Commit().ok());
    EXPECT_FALSE(txn->Commit().ok());  // already finished
  }
  EXPECT_EQ(CountRows(&*db, "t"), 1);
  {
    Result<Transaction> txn = Transaction::Begin(&*db);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (2)").ok());
    txn->Rollback();
  }
  EXPECT_EQ(CountRows(&*db, "t"), 1);
}

TEST(SqliteTest, SecondWriterGetsBusyAfterTimeout) {
  ScratchDir dir("sqlite_test");
  Result<Database> first = Database::Open(dir.Path("busy.db"));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->Exec("CREATE TABLE t (a INTEGER)").ok());
  Result<Database> second = Database::Open(dir.Path("busy.db"), {.busy_timeout_ms = 50});
  ASSERT_TRUE(second.ok());
  Result<Transaction> holding = Transaction::Begin(&*first);
  ASSERT_TRUE(holding.ok());
  Result<Transaction> waiting = Transaction::Begin(&*second);
  ASSERT_FALSE(waiting.ok());
  EXPECT_EQ(waiting.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(waiting.status().message().find("retry later"), std::string::npos);
  // Readers are not blocked by the writer under WAL.
  EXPECT_EQ(CountRows(&*second, "t"), 0);
}

TEST(SqliteTest, MovedDatabaseKeepsWorking) {
  Result<Database> db = Database::Open(":memory:");
  ASSERT_TRUE(db.ok());
  Database moved = std::move(db).value();
  EXPECT_TRUE(moved.Exec("CREATE TABLE t (a INTEGER)").ok());
  EXPECT_EQ(moved.path(), ":memory:");
}

}  // namespace
}  // namespace arbor
