// Versioned schema migrations: numbered SQL steps, each applied once, in its own transaction,
// and recorded in the `schema_migrations` table.
//
//   Result<Database> db = Database::Open("arbor.db");
//   Result<int> applied = Migrate(&*db);   // 2 on a new file, 0 when already current
//   SchemaVersion(&*db);                   // 2
//
// To change the schema, append a step with the next version; never edit or renumber a step
// that has shipped, since databases in the field have already recorded it as applied.
#pragma once

#include <string_view>
#include <vector>

#include "adapters/storage/sqlite.h"
#include "core/base/status.h"

namespace arbor {

struct Migration {
  int version = 0;        // 1, 2, 3, ... without gaps
  std::string_view name;  // what the step does, recorded beside its version
  std::string_view sql;   // one or more statements
};

// Arbor's schema, oldest step first.
const std::vector<Migration>& SchemaMigrations();

// The highest applied version; 0 for a database that was never migrated.
Result<int> SchemaVersion(Database* db);

// Applies the steps newer than the database's version and returns how many it applied. A
// step that fails is rolled back whole and stops the run. A database migrated by a newer
// Arbor (a version this list does not know) is refused rather than written to.
Result<int> Migrate(Database* db, const std::vector<Migration>& migrations = SchemaMigrations());

}  // namespace arbor
