#include "adapters/storage/migrations.h"

#include <gtest/gtest.h>

#include "adapters/storage/store.h"
#include "adapters/storage/store_test_util.h"

namespace arbor {
namespace {

using testing_util::ScratchDir;

bool TableExists(Database* db, const std::string& name) {
  Result<Statement> s =
      db->Prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
  EXPECT_TRUE(s.ok());
  s->Bind(1, name);
  EXPECT_TRUE(*s->Step());
  return s->ColumnInt(0) == 1;
}

// Every row a query returns, NULLs marked, as one string.
std::string Rows(Database* db, const std::string& sql) {
  Result<Statement> select = db->Prepare(sql);
  if (!select.ok()) return "error: " + select.status().message();
  std::string text;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return "error: " + row.status().message();
    if (!*row) return text;
    for (int c = 0; c < select->ColumnCount(); ++c) {
      text += select->ColumnIsNull(c) ? std::string("<null>") : select->ColumnText(c);
      text += '|';
    }
    text += '\n';
  }
}

TEST(MigrationsTest, NewDatabaseGetsEveryStepOnceAndRerunIsANoOp) {
  ScratchDir dir("migrations_test");
  Result<Database> db = Database::Open(dir.Path("m.db"));
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*SchemaVersion(&*db), 0);
  const int latest = static_cast<int>(SchemaMigrations().size());
  Result<int> applied = Migrate(&*db);
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  EXPECT_EQ(*applied, latest);
  EXPECT_EQ(*SchemaVersion(&*db), latest);
  for (const char* table :
       {"securities", "prices", "corporate_actions", "accounts", "transactions"}) {
    EXPECT_TRUE(TableExists(&*db, table)) << table;
  }
  std::string before = testing_util::Fingerprint(&*db);
  Result<int> again = Migrate(&*db);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);

  Result<Statement> rows =
      db->Prepare("SELECT version, name FROM schema_migrations ORDER BY version");
  ASSERT_TRUE(rows.ok());
  for (int version = 1; version <= latest; ++version) {
    ASSERT_TRUE(*rows->Step());
    EXPECT_EQ(rows->ColumnInt(0), version);
    EXPECT_EQ(rows->ColumnText(1), SchemaMigrations()[version - 1].name);
  }
  EXPECT_FALSE(*rows->Step());
  EXPECT_EQ(testing_util::Fingerprint(&*db), before);
}

TEST(MigrationsTest, StoreOpenMigratesAndReopens) {
  ScratchDir dir("migrations_test");
  {
    Result<std::unique_ptr<Store>> store = Store::Open(dir.Path("s.db"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    EXPECT_EQ(*SchemaVersion((*store)->database()), static_cast<int>(SchemaMigrations().size()));
  }
  Result<std::unique_ptr<Store>> reopened = Store::Open(dir.Path("s.db"));
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*SchemaVersion((*reopened)->database()), static_cast<int>(SchemaMigrations().size()));
}

// Migration 12 rebuilds the transactions table keyed by (account, date, seq): a database of the
// earlier schema, its rows stored day by day across accounts, keeps every row, every check and
// every answer of the queries the store asks, now read along the new key.
TEST(MigrationsTest, TransactionsMoveToTheAccountKeyWithRowsAndAnswersUnchanged) {
  ScratchDir dir("migrations_test");
  Result<Database> db = Database::Open(dir.Path("m.db"));
  ASSERT_TRUE(db.ok());
  std::vector<Migration> before_clustering(SchemaMigrations().begin(),
                                           SchemaMigrations().begin() + 11);
  ASSERT_TRUE(Migrate(&*db, before_clustering).ok());
  ASSERT_TRUE(db->Exec("INSERT INTO securities (symbol) VALUES ('AAA'), ('BBB');"
                       "INSERT INTO accounts (id, type, taxpayers) VALUES "
                       "('A', 'taxable', 'T1'), ('B', 'roth_ira', 'T1'), ('C', 'taxable', 'T2');")
                  .ok());
  {
    Result<Statement> insert = db->Prepare(
        "INSERT INTO transactions (id, seq, date, account, action, symbol, shares_micros, "
        "price_micros, amount_micros, lot_method, lots, acquired, hp_date, source) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'old.csv')");
    ASSERT_TRUE(insert.ok());
    // Day by day across the accounts, ids out of both orders, one day with two rows per account.
    int seq = 0;
    for (int day = 1; day <= 9; ++day) {
      for (const char* account : {"C", "A", "B"}) {
        for (int k = 0; k < (day == 5 ? 2 : 1); ++k) {
          ++seq;
          const std::string date = "2020-01-0" + std::to_string(day);
          const bool buy = seq % 3 != 0;
          insert->Reset();
          insert->Bind(1, "t" + std::to_string(1000 - 7 * seq))
              .Bind(2, seq)
              .Bind(3, date)
              .Bind(4, account)
              .Bind(5, day == 1 ? "deposit" : (buy ? "buy" : "sell"))
              .Bind(7, day == 1 ? 0 : 1'000'000 * seq)
              .Bind(8, day == 1 ? 0 : 10'000'000)
              .Bind(9, day == 1 ? 1'000'000'000 : 0);
          if (day == 1) {
            insert->BindNull(6).BindNull(10).BindNull(11).BindNull(12).BindNull(13);
          } else {
            insert->Bind(6, seq % 2 == 0 ? "AAA" : "BBB")
                .Bind(10, buy ? "" : "specific")
                .Bind(11, buy ? "" : "L1:1")
                .Bind(12, "2019-12-31")
                .BindNull(13);
          }
          ASSERT_TRUE(insert->Run().ok());
        }
      }
    }
  }
  const std::vector<std::string> queries = {
      "SELECT * FROM transactions WHERE account = 'A' AND seq <= 1000 AND date <= '2020-01-06' "
      "ORDER BY date, seq",
      "SELECT * FROM transactions WHERE account = 'B' AND seq <= 20 AND date <= '9999-12-31' "
      "ORDER BY date, seq",
      "SELECT * FROM transactions WHERE id = 't811'",
      "SELECT count(*) FROM transactions WHERE id > 't8' AND id < 't9'",
      "SELECT coalesce(max(seq), 0) FROM transactions",
      "SELECT DISTINCT account FROM transactions WHERE symbol IN ('AAA') ORDER BY account",
      "SELECT date, action FROM transactions WHERE account = 'C' AND action IN ('deposit', 'sell') "
      "AND date >= coalesce((SELECT max(date) FROM transactions WHERE account = 'C' AND "
      "action = 'deposit'), '')",
  };
  std::vector<std::string> answers;
  for (const std::string& query : queries) answers.push_back(Rows(&*db, query));
  const std::string rows = testing_util::Fingerprint(&*db);

  std::vector<Migration> through_clustering(SchemaMigrations().begin(),
                                            SchemaMigrations().begin() + 12);
  Result<int> applied = Migrate(&*db, through_clustering);
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  EXPECT_EQ(*applied, 1);
  EXPECT_EQ(testing_util::Fingerprint(&*db), rows);
  for (size_t i = 0; i < queries.size(); ++i) {
    EXPECT_EQ(Rows(&*db, queries[i]), answers[i]) << queries[i];
  }
  EXPECT_NE(
      Rows(&*db, "SELECT sql FROM sqlite_master WHERE name = 'transactions'").find("WITHOUT ROWID"),
      std::string::npos);
  // One account's history is a range of the table's key; an id or seq is an index probe.
  EXPECT_NE(Rows(&*db, "EXPLAIN QUERY PLAN " + queries[0]).find("USING PRIMARY KEY (account=?"),
            std::string::npos)
      << Rows(&*db, "EXPLAIN QUERY PLAN " + queries[0]);
  EXPECT_NE(Rows(&*db, "EXPLAIN QUERY PLAN " + queries[2]).find("USING INDEX"), std::string::npos);
  EXPECT_NE(Rows(&*db, "EXPLAIN QUERY PLAN " + queries[4]).find("transactions_by_seq"),
            std::string::npos);
  EXPECT_NE(Rows(&*db,
                 "EXPLAIN QUERY PLAN SELECT symbol, ex_date FROM corporate_actions WHERE kind = "
                 "'split' AND ex_date >= '2020-01-01' ORDER BY symbol, ex_date")
                .find("corporate_actions_splits"),
            std::string::npos);
  // The checks, references and unique keys came along.
  const std::string columns = "INSERT INTO transactions (id, seq, date, account, action, source) ";
  EXPECT_FALSE(db->Exec(columns + "VALUES ('t811', 99, '2020-02-01', 'A', 'fee', 'x')").ok());
  EXPECT_FALSE(db->Exec(columns + "VALUES ('n1', 1, '2020-02-01', 'A', 'fee', 'x')").ok());
  EXPECT_FALSE(db->Exec(columns + "VALUES ('n2', 99, '2020-02-01', 'Z', 'fee', 'x')").ok());
  EXPECT_FALSE(db->Exec(columns + "VALUES ('n3', 99, '2020-02-01', 'A', 'gift', 'x')").ok());
  EXPECT_TRUE(db->Exec(columns + "VALUES ('n4', 99, '2020-02-01', 'A', 'fee', 'x')").ok());
}

// Ledger checkpoints stay correct only while every write of a transaction or a split deletes
// the checkpoints it makes stale: a later step that rebuilds either table must create the
// triggers of migration 13 again (ledger_checkpoint_store_test checks what they do).
TEST(MigrationsTest, LedgerCheckpointTriggersWatchTransactionsAndSplits) {
  ScratchDir dir("migrations_test");
  Result<Database> db = Database::Open(dir.Path("m.db"));
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(Migrate(&*db).ok());
  EXPECT_EQ(Rows(&*db,
                 "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
                 "'ledger_checkpoints_%' ORDER BY tbl_name, name"),
            "corporate_actions|ledger_checkpoints_split_deleted|\n"
            "corporate_actions|ledger_checkpoints_split_inserted|\n"
            "corporate_actions|ledger_checkpoints_split_updated|\n"
            "transactions|ledger_checkpoints_transaction_deleted|\n"
            "transactions|ledger_checkpoints_transaction_inserted|\n"
            "transactions|ledger_checkpoints_transaction_updated|\n");
}

TEST(MigrationsTest, AppliesOnlyTheNewSteps) {
  ScratchDir dir("migrations_test");
  Result<Database> db = Database::Open(dir.Path("m.db"));
  ASSERT_TRUE(db.ok());
  std::vector<Migration> steps = {{1, "one", "CREATE TABLE one (a INTEGER);"}};
  EXPECT_EQ(*Migrate(&*db, steps), 1);
  steps.push_back({2, "two", "CREATE TABLE two (a INTEGER); INSERT INTO one VALUES (1);"});
  EXPECT_EQ(*Migrate(&*db, steps), 1);
  EXPECT_EQ(*SchemaVersion(&*db), 2);
  EXPECT_TRUE(TableExists(&*db, "two"));
  EXPECT_EQ(*Migrate(&*db, steps), 0);
}

TEST(MigrationsTest, FailedStepIsRolledBackWhole) {
  ScratchDir dir("migrations_test");
  Result<Database> db = Database::Open(dir.Path("m.db"));
  ASSERT_TRUE(db.ok());
  std::vector<Migration> steps = {
      {1, "one", "CREATE TABLE one (a INTEGER);"},
      {2, "broken", "CREATE TABLE two (a INTEGER); CREATE TABLE one (b INTEGER);"},
  };
  Result<int> applied = Migrate(&*db, steps);
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.status().message().find("migration 2 (broken)"), std::string::npos)
      << applied.status().message();
  EXPECT_EQ(*SchemaVersion(&*db), 1);
  EXPECT_FALSE(TableExists(&*db, "two"));  // the step's first statement was undone too
}

TEST(MigrationsTest, RefusesADatabaseFromANewerBuild) {
  ScratchDir dir("migrations_test");
  Result<Database> db = Database::Open(dir.Path("m.db"));
  ASSERT_TRUE(db.ok());
  std::vector<Migration> newer = {{1, "one", "SELECT 1;"}, {2, "two", "SELECT 1;"}};
  ASSERT_TRUE(Migrate(&*db, newer).ok());
  std::vector<Migration> older = {{1, "one", "SELECT 1;"}};
  Result<int> applied = Migrate(&*db, older);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(applied.status().message().find("schema version 2, newer than this build"),
            std::string::npos)
      << applied.status().message();
}

TEST(MigrationsTest, RejectsMisnumberedSteps) {
  Result<Database> db = Database::Open(":memory:");
  ASSERT_TRUE(db.ok());
  std::vector<Migration> steps = {{1, "one", "SELECT 1;"}, {3, "three", "SELECT 1;"}};
  EXPECT_FALSE(Migrate(&*db, steps).ok());
}

}  // namespace
}  // namespace arbor
