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
