// Households through the store: fields and target round trips, membership moves with their
// audit (complete even for changes made by an accounts import), the taxpayer rule, the firm's
// location policy, the imports, and the migration that turns existing household names into
// households. A failed call writes nothing.
#include "adapters/storage/household_store.h"

#include <gtest/gtest.h>

#include "adapters/storage/migrations.h"
#include "adapters/storage/model_test_util.h"
#include "adapters/storage/store_test_util.h"

namespace arbor {
namespace {

using testing_util::ScratchDir;

const HouseholdChange kAnn{.user = "ann", .at = "2026-11-28T09:00:00Z"};

std::string Rows(Database* db, const std::string& sql) {
  Result<Statement> select = db->Prepare(sql);
  EXPECT_TRUE(select.ok()) << select.status().message();
  std::string text;
  while (*select->Step()) {
    for (int c = 0; c < select->ColumnCount(); ++c) text += select->ColumnText(c) + "|";
    text += "\n";
  }
  return text;
}

// Every household table, to prove a failed call changed nothing.
std::string Fingerprint(Database* db) {
  std::string text;
  for (const char* table : {"households", "household_audit", "household_customizations",
                            "household_customization_weights", "location_rules"}) {
    text += Rows(db, std::string("SELECT * FROM ") + table + " ORDER BY 1, 2");
  }
  return text + Rows(db, "SELECT id, household FROM accounts ORDER BY id");
}

class HouseholdStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing_util::OpenCatalogue(dir_);
    // The Smiths (ann and bob, spouses), and carl.
    ASSERT_TRUE(store_
                    ->ImportAccounts({dir_.Write("family.csv",
                                                 "id,type,taxpayers\n"
                                                 "JOINT,taxable,ann;bob\n"
                                                 "IRA,traditional_ira,ann\n"
                                                 "ROTH,roth_ira,bob\n"
                                                 "CARL,taxable,carl\n")})
                    .ok());
  }
  Database* db() { return store_->database(); }
  household::Household Smith() {
    return {.id = "SMITH",
            .name = "Ann & Bob Smith",
            .target = {.template_name = "Balanced",
                       .weights = {{.asset_class = "US Large Cap", .weight = 0.45}},
                       .screens = {"tobacco"}},
            .drift_penalty = 0.001};
  }

  ScratchDir dir_{"household_store"};
  std::unique_ptr<Store> store_;
};

TEST_F(HouseholdStoreTest, HouseholdRoundTripsWithItsMembersAndTarget) {
  household::Household smith = Smith();
  smith.members = {{.id = "JOINT"}, {.id = "IRA"}};
  ASSERT_EQ(SaveHousehold(*store_, smith, kAnn).value(), SaveOutcome::kStored);
  EXPECT_EQ(SaveHousehold(*store_, smith, kAnn).value(), SaveOutcome::kUnchanged);

  household::Household loaded = LoadHousehold(*store_, "SMITH").value();
  EXPECT_EQ(loaded.name, "Ann & Bob Smith");
  EXPECT_EQ(loaded.drift_penalty, 0.001);
  ASSERT_EQ(loaded.members.size(), 2u);
  EXPECT_EQ(loaded.members[0].id, "IRA");
  EXPECT_EQ(loaded.members[0].type, AccountType::kTraditionalIra);
  EXPECT_EQ(loaded.members[1].taxpayers, (std::vector<std::string>{"ann", "bob"}));
  EXPECT_EQ(loaded.target.account, "SMITH");
  EXPECT_EQ(loaded.target.template_name, "Balanced");
  ASSERT_EQ(loaded.target.weights.size(), 1u);
  EXPECT_EQ(loaded.target.weights[0].weight, 0.45);
  EXPECT_EQ(loaded.target.screens, std::vector<std::string>{"tobacco"});
  EXPECT_TRUE(household::ValidateHousehold(loaded).ok());

  // A changed target is a new revision; the account customizations are untouched.
  smith.target.weights = {};
  ASSERT_EQ(SaveHousehold(*store_, smith, kAnn).value(), SaveOutcome::kStored);
  EXPECT_TRUE(LoadHousehold(*store_, "SMITH")->target.weights.empty());
  EXPECT_EQ(Rows(db(), "SELECT household, revision FROM household_customizations"),
            "SMITH|1|\nSMITH|2|\n");
  EXPECT_EQ(Rows(db(), "SELECT count(*) FROM account_customizations"), "0|\n");

  std::vector<HouseholdSummary> list = ListHouseholds(*store_).value();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].accounts, 2);
  EXPECT_EQ(list[0].template_name, "Balanced");
  EXPECT_EQ(LoadHousehold(*store_, "NOPE").status().message(),
            "unknown household 'NOPE'; create it with `arbor household create NOPE`");
}

// The target is checked like an account's customization, against the IPC's bands.
TEST_F(HouseholdStoreTest, ATargetOutOfBoundsWritesNothing) {
  const std::string before = Fingerprint(db());
  household::Household smith = Smith();
  smith.target.weights = {{.asset_class = "US Large Cap", .weight = 0.62}};
  smith.members = {{.id = "JOINT"}};
  EXPECT_EQ(SaveHousehold(*store_, smith, kAnn).status().message(),
            "household SMITH: US Large Cap weight 0.62 is outside the IPC band [0.30, 0.55]");
  smith = Smith();
  smith.target.template_name = "Aggressive";
  EXPECT_EQ(SaveHousehold(*store_, smith, kAnn).status().message(),
            "household SMITH: unknown template 'Aggressive'; import it with `arbor template "
            "import` first");
  EXPECT_EQ(Fingerprint(db()), before);
}

TEST_F(HouseholdStoreTest, MovesAreAuditedAndCheckedOneTransactionEach) {
  ASSERT_TRUE(SaveHousehold(*store_, Smith(), kAnn).ok());
  ASSERT_TRUE(SaveHousehold(*store_, {.id = "CARL"}, kAnn).ok());
  EXPECT_TRUE(AddAccountToHousehold(*store_, "SMITH", "JOINT", kAnn).value());
  EXPECT_TRUE(AddAccountToHousehold(*store_, "SMITH", "ROTH", kAnn).value());
  EXPECT_FALSE(AddAccountToHousehold(*store_, "SMITH", "ROTH", kAnn).value());  // already in
  const std::string before = Fingerprint(db());
  EXPECT_EQ(AddAccountToHousehold(*store_, "SMITH", "CARL", kAnn).status().message(),
            "household SMITH: account CARL belongs to carl; a household holds the accounts of at "
            "most two people (now ann, bob)");
  EXPECT_EQ(AddAccountToHousehold(*store_, "CARL", "ROTH", kAnn).status().message(),
            "account ROTH is already in household SMITH; remove it from there first");
  EXPECT_EQ(AddAccountToHousehold(*store_, "SMITH", "NOPE", kAnn).status().message(),
            "unknown account 'NOPE'; import it with `arbor import accounts` first");
  EXPECT_EQ(AddAccountToHousehold(*store_, "NOPE", "IRA", kAnn).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(RemoveAccountFromHousehold(*store_, "CARL", "ROTH", kAnn).message(),
            "account ROTH is not in household CARL (it is in SMITH)");
  EXPECT_FALSE(AddAccountToHousehold(*store_, "SMITH", "IRA", {.user = "", .at = "x"}).ok());
  EXPECT_EQ(Fingerprint(db()), before);

  // Moving ROTH to another household is two audited steps.
  ASSERT_TRUE(RemoveAccountFromHousehold(*store_, "SMITH", "ROTH", kAnn).ok());
  const HouseholdChange bob{.user = "bob", .at = "2026-11-28T10:00:00Z"};
  ASSERT_TRUE(AddAccountToHousehold(*store_, "CARL", "ROTH", bob).ok());
  std::vector<HouseholdAuditEntry> audit = LoadHouseholdAudit(*store_, "SMITH").value();
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].account, "JOINT");
  EXPECT_EQ(audit[2].account, "ROTH");
  EXPECT_EQ(audit[2].from_household, "SMITH");
  EXPECT_EQ(audit[2].to_household, "");
  EXPECT_EQ(audit[2].user, "ann");
  audit = LoadHouseholdAudit(*store_, "CARL").value();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].user, "bob");
  EXPECT_EQ(audit[0].at, "2026-11-28T10:00:00Z");
  EXPECT_EQ(LoadHousehold(*store_, "CARL")->members[0].id, "ROTH");
}

TEST_F(HouseholdStoreTest, TheAuditIsAppendOnlyAndCompleteForImports) {
  ASSERT_TRUE(SaveHousehold(*store_, Smith(), kAnn).ok());
  ASSERT_TRUE(AddAccountToHousehold(*store_, "SMITH", "IRA", kAnn).ok());
  EXPECT_NE(db()->Exec("UPDATE household_audit SET user = 'mallory'")
                .message()
                .find("the household audit log is append-only"),
            std::string::npos);
  EXPECT_FALSE(db()->Exec("DELETE FROM household_audit").ok());

  // An accounts import that names a household creates it and is recorded without a user.
  ASSERT_TRUE(store_
                  ->ImportAccounts({dir_.Write("moved.csv",
                                               "id,type,taxpayers,household\n"
                                               "CARL,taxable,carl,CARLSON\n"
                                               "IRA,traditional_ira,ann,SMITH\n"
                                               "NEW,roth_ira,dee,DEE\n")})
                  .ok());
  EXPECT_EQ(Rows(db(),
                 "SELECT user, account, from_household, to_household FROM household_audit "
                 "ORDER BY id"),
            "ann|IRA||SMITH|\n|CARL||CARLSON|\n|NEW||DEE|\n");
  EXPECT_EQ(Rows(db(), "SELECT id FROM households ORDER BY id"), "CARLSON|\nDEE|\nSMITH|\n");
}

TEST_F(HouseholdStoreTest, LocationPolicyDefaultsUntilTheFirmSetsItsOwn) {
  StoredLocationPolicy stored = LoadLocationPolicy(*store_).value();
  EXPECT_TRUE(stored.defaults);
  EXPECT_EQ(stored.policy.rules, household::DefaultLocationPolicy().rules);

  household::LocationPolicy firm{
      .rules = {*household::ParseLocationRule("symbol=VNQ: tax_deferred 0.003"),
                *household::ParseLocationRule("asset_class=Core Bonds: tax_deferred 0.002, "
                                              "tax_exempt 0.001")}};
  ASSERT_TRUE(SaveLocationPolicy(*store_, firm, kAnn).ok());
  stored = LoadLocationPolicy(*store_).value();
  EXPECT_FALSE(stored.defaults);
  EXPECT_EQ(stored.saved_by, "ann");
  EXPECT_EQ(stored.policy.rules, firm.rules);

  const std::string before = Fingerprint(db());
  household::LocationPolicy bad = firm;
  bad.rules[1].taxable = 0.5;
  EXPECT_FALSE(SaveLocationPolicy(*store_, bad, kAnn).ok());
  EXPECT_EQ(Fingerprint(db()), before);

  ASSERT_TRUE(SaveLocationPolicy(*store_, {}, kAnn).ok());  // asset location off
  stored = LoadLocationPolicy(*store_).value();
  EXPECT_FALSE(stored.defaults);
  EXPECT_TRUE(stored.policy.rules.empty());
  ASSERT_TRUE(ResetLocationPolicy(*store_).ok());
  EXPECT_TRUE(LoadLocationPolicy(*store_)->defaults);
}

TEST_F(HouseholdStoreTest, ImportsJsonAndCsvAllOrNothing) {
  const std::string json = dir_.Write("households.json", R"json({"households": [
  {"id": "SMITH", "name": "Ann & Bob Smith", "drift_penalty": 0.002,
   "accounts": ["JOINT", "IRA"],
   "target": {"template": "Balanced", "weights": {"US Large Cap": 0.45}, "screens": ["tobacco"]}}
]})json");
  const std::string csv = dir_.Write("households.csv",
                                     "household,account,name,template,drift_penalty\n"
                                     "CARL,CARL,Carl Jones,Balanced,\n");
  ImportSummary summary = ImportHouseholds(*store_, {json, csv}, kAnn).value();
  EXPECT_EQ(summary.rows_read, 2u);
  EXPECT_EQ(summary.inserted, 2u);
  household::Household smith = LoadHousehold(*store_, "SMITH").value();
  EXPECT_EQ(smith.members.size(), 2u);
  EXPECT_EQ(smith.drift_penalty, 0.002);
  EXPECT_EQ(smith.target.screens, std::vector<std::string>{"tobacco"});
  EXPECT_EQ(LoadHousehold(*store_, "CARL")->target.template_name, "Balanced");
  summary = ImportHouseholds(*store_, {json, csv}, kAnn).value();
  EXPECT_EQ(summary.unchanged, 2u);

  const std::string before = Fingerprint(db());
  const std::string third = dir_.Write("third.csv",
                                       "household,account\n"
                                       "SMITH,ROTH\n"
                                       "SMITH,CARL\n");
  EXPECT_EQ(ImportHouseholds(*store_, {third}, kAnn).status().message(),
            dir_.Path("third.csv") +
                ":3: account: account CARL is already in household CARL; remove it from there "
                "first");
  const std::string typo = dir_.Write("typo.json", R"json({"households": [
  {"id": "DEE",
   "target": {"template": "Balanced", "weight": {"US Large Cap": 0.45}}}
]})json");
  EXPECT_NE(ImportHouseholds(*store_, {typo}, kAnn)
                .status()
                .message()
                .find("typo.json:3: households[0].target"),
            std::string::npos)
      << ImportHouseholds(*store_, {typo}, kAnn).status().message();
  const std::string clash = dir_.Write("clash.csv",
                                       "household,account,name\n"
                                       "DEE,,Dee\n"
                                       "DEE,,Dee Smith\n");
  EXPECT_EQ(ImportHouseholds(*store_, {clash}, kAnn).status().message(),
            dir_.Path("clash.csv") +
                ":3: name: 'Dee Smith' differs from 'Dee' on an earlier row of the household");
  EXPECT_EQ(Fingerprint(db()), before);
}

// Databases from before households keep the household names their accounts carry.
TEST(HouseholdMigrationTest, ExistingHouseholdNamesBecomeHouseholds) {
  ScratchDir dir("household_migration");
  Result<Database> db = Database::Open(dir.Path("old.db"));
  ASSERT_TRUE(db.ok());
  const std::vector<Migration>& all = SchemaMigrations();
  ASSERT_TRUE(Migrate(&*db, {all.begin(), all.begin() + 8}).ok());
  ASSERT_TRUE(db->Exec("INSERT INTO accounts (id, type, taxpayers, household) VALUES "
                       "('A', 'taxable', 'ann', 'SMITH'), ('B', 'roth_ira', 'ann', 'SMITH'), "
                       "('C', 'taxable', 'carl', '')")
                  .ok());
  ASSERT_EQ(Migrate(&*db).value(), static_cast<int>(all.size()) - 8);
  EXPECT_EQ(Rows(&*db, "SELECT id, name FROM households"), "SMITH||\n");
  EXPECT_EQ(Rows(&*db, "SELECT count(*) FROM household_audit"), "0|\n");
}

}  // namespace
}  // namespace arbor
