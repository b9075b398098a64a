// `arbor household` and `arbor import households` end to end, as an advisor runs them on a fresh
// database: create a household with its target, add the spouses' accounts, be refused a third
// person's account, see the members and the audit trail, import households from CSV and JSON
// (a bad file changes nothing), and set the firm's asset-location rules.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "adapters/storage/model_catalogue_files.h"
#include "arbor_cli_runner.h"

namespace arbor {
namespace {

namespace fs = std::filesystem;

class HouseholdCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("arbor_household_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const std::string& args :
         {"import securities " + Write("securities.csv", testing_util::kModelSecurities),
          "import accounts " + Write("accounts.csv",
                                     "id,type,taxpayers,household,name\n"
                                     "SMITH-JOINT,taxable,ann;bob,,Ann & Bob joint\n"
                                     "SMITH-IRA,traditional_ira,ann,,Ann's IRA\n"
                                     "SMITH-ROTH,roth_ira,bob,,Bob's Roth\n"
                                     "CARL,taxable,carl,,Carl\n"),
          "model import " + Write("sp500.csv", testing_util::kSp500Csv) + " --name SP500",
          "template import " + Write("balanced.json", testing_util::kBalancedV1),
          "screen import " + Write("screens.json", testing_util::kScreensJson)}) {
      const ArborRun run = Run(args);
      ASSERT_EQ(run.code, 0) << args << "\n" << run.out;
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    return WriteFile(dir_, name, text);
  }
  ArborRun Run(const std::string& args) { return RunArbor(dir_ / "arbor.db", args); }
  // Exit status 1 and one line naming the problem.
  void ExpectError(const std::string& args, const std::string& message) {
    const ArborRun run = Run(args);
    EXPECT_EQ(run.code, 1) << args << "\n" << run.out;
    EXPECT_NE(run.out.find(message), std::string::npos) << args << "\n" << run.out;
    EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1) << run.out;
  }

  fs::path dir_;
};

bool Has(const std::string& out, const std::string& text) {
  return out.find(text) != std::string::npos;
}

TEST_F(HouseholdCliTest, CreateAddShowAndTheAuditTrail) {
  ArborRun run =
      Run("household create SMITH --name \"Ann & Bob Smith\" --template Balanced "
          "--weight \"US Large Cap=0.45\" --screen tobacco --account SMITH-JOINT --user ann");
  ASSERT_EQ(run.code, 0) << run.out;
  EXPECT_TRUE(
      Has(run.out,
          "household SMITH created: target Balanced, US Large Cap weight 0.45; screens tobacco"))
      << run.out;
  run = Run("household add-account SMITH SMITH-IRA --user ann");
  ASSERT_EQ(run.code, 0) << run.out;
  EXPECT_EQ(run.out, "account SMITH-IRA added to household SMITH\n");
  EXPECT_EQ(Run("household add-account SMITH SMITH-IRA --user ann").out,
            "account SMITH-IRA is already in household SMITH\n");
  ASSERT_EQ(Run("household add-account SMITH SMITH-ROTH --user bob").code, 0);

  ExpectError("household add-account SMITH CARL --user ann",
              "household SMITH: account CARL belongs to carl; a household holds the accounts of "
              "at most two people (now ann, bob)");
  ExpectError("household add-account SMITH NOBODY --user ann", "unknown account 'NOBODY'");
  ExpectError("household add-account NOPE CARL --user ann", "unknown household 'NOPE'");
  ExpectError("household create SMITH --template Balanced --weight \"US Large Cap=0.62\"",
              "household SMITH: US Large Cap weight 0.62 is outside the IPC band [0.30, 0.55]");
  ExpectError("household create \"BAD ID\"", "use letters, digits");

  run = Run("household show SMITH");
  ASSERT_EQ(run.code, 0) << run.out;
  EXPECT_TRUE(Has(run.out, "household SMITH: Ann & Bob Smith")) << run.out;
  EXPECT_TRUE(Has(run.out, "taxpayers: ann, bob (spouses: one wash-sale scope)")) << run.out;
  EXPECT_TRUE(Has(run.out, "target: Balanced, US Large Cap weight")) << run.out;
  EXPECT_TRUE(Has(run.out, "SMITH-IRA    traditional_ira  tax_deferred")) << run.out;
  EXPECT_TRUE(Has(run.out, "SMITH-ROTH   roth_ira         tax_exempt")) << run.out;
  EXPECT_TRUE(Has(run.out, "not reviewed")) << run.out;
  // No member has been reviewed, so the household has no value yet (not a value of zero).
  const size_t total_at = run.out.find("\ntotal ");
  ASSERT_NE(total_at, std::string::npos) << run.out;
  const std::string total_line = run.out.substr(total_at + 1, run.out.find('\n', total_at + 1) - total_at - 1);
  EXPECT_TRUE(Has(total_line, " - ") && Has(total_line, "not reviewed")) << total_line;
  EXPECT_TRUE(Has(run.out, "bob  SMITH-ROTH   joined SMITH")) << run.out;

  ASSERT_EQ(Run("household remove-account SMITH SMITH-ROTH --user bob").code, 0);
  ExpectError("household remove-account SMITH SMITH-ROTH --user bob",
              "account SMITH-ROTH is not in household SMITH (it is in none)");
  run = Run("household show SMITH --json");
  ASSERT_EQ(run.code, 0) << run.out;
  const nlohmann::json shown = nlohmann::json::parse(run.out);
  EXPECT_EQ(shown["members"].size(), 2u);
  EXPECT_EQ(shown["target"]["weights"]["US Large Cap"], 0.45);
  ASSERT_EQ(shown["audit"].size(), 4u);
  EXPECT_EQ(shown["audit"][3]["account"], "SMITH-ROTH");
  EXPECT_EQ(shown["audit"][3]["from"], "SMITH");
  EXPECT_EQ(shown["audit"][3]["to"], "");
  EXPECT_TRUE(shown["problem"].is_null());

  run = Run("household list");
  ASSERT_EQ(run.code, 0) << run.out;
  EXPECT_TRUE(Has(run.out, "SMITH      Ann & Bob Smith         2  Balanced")) << run.out;
}

TEST_F(HouseholdCliTest, ImportsAreAllOrNothing) {
  const std::string csv = Write("households.csv",
                                "household,account,name,template,drift_penalty\n"
                                "SMITH,SMITH-JOINT,Ann & Bob Smith,Balanced,0.001\n"
                                "SMITH,SMITH-IRA,,,\n"
                                "CARL,CARL,Carl,,\n");
  const std::string json = Write("households.json", R"json({"households": [
  {"id": "LONE", "name": "No accounts yet",
   "target": {"template": "Balanced", "removals": [{"asset_class": "Real Estate"}]}}
]})json");
  ArborRun run = Run("import households " + csv + " " + json + " --user ops");
  ASSERT_EQ(run.code, 0) << run.out;
  EXPECT_TRUE(Has(run.out, "4 read, 3 created, 0 updated, 0 unchanged")) << run.out;
  run = Run("household show LONE");
  EXPECT_TRUE(Has(run.out, "target: Balanced, remove Real Estate (pro rata)")) << run.out;

  const std::string bad = Write("bad.csv",
                                "household,account\n"
                                "LONE,SMITH-ROTH\n"
                                "LONE,CARL\n");
  ExpectError("import households " + bad + " --user ops",
              "bad.csv:3: account: account CARL is already in household CARL");
  EXPECT_EQ(nlohmann::json::parse(Run("household show LONE --json").out)["members"].size(), 0u);
}

TEST_F(HouseholdCliTest, LocationRules) {
  ArborRun run = Run("household location show");
  ASSERT_EQ(run.code, 0) << run.out;
  EXPECT_TRUE(Has(run.out, "asset location: Arbor's defaults")) << run.out;
  EXPECT_TRUE(Has(run.out, "asset_class  Core Bonds")) << run.out;
  EXPECT_TRUE(Has(run.out, "20 bps")) << run.out;

  run =
      Run("household location set --user ann --rule \"symbol=VNQ: tax_deferred 0.003\" "
          "--rule \"product=direct_index: taxable 0.002, tax_exempt -0.001\"");
  ASSERT_EQ(run.code, 0) << run.out;
  EXPECT_EQ(run.out, "asset location: 2 rules saved\n");
  const nlohmann::json shown = nlohmann::json::parse(Run("household location show --json").out);
  EXPECT_FALSE(shown["defaults"]);
  EXPECT_EQ(shown["saved_by"], "ann");
  ASSERT_EQ(shown["rules"].size(), 2u);
  EXPECT_EQ(shown["rules"][1]["tax_exempt"], -0.001);

  ExpectError("household location set --user ann --rule \"asset_class=Bonds: ira 0.002\"",
              "unknown tax treatment 'ira'");
  EXPECT_EQ(nlohmann::json::parse(Run("household location show --json").out)["rules"].size(), 2u);
  ASSERT_EQ(Run("household location set --defaults").code, 0);
  EXPECT_TRUE(Has(Run("household location show").out, "Arbor's defaults"));
}

// A 401k's fund menu (docs/households.md): set from a list or a file, shown with its changes and
// in the household, cleared; an import with a bad line changes nothing.
TEST_F(HouseholdCliTest, FundMenus) {
  ASSERT_EQ(Run("household create SMITH --account SMITH-JOINT --account SMITH-IRA --user ann").code,
            0);
  ArborRun run = Run("account menu set SMITH-IRA IVV,AGG --user ann");
  ASSERT_EQ(run.code, 0) << run.out;
  EXPECT_EQ(run.out,
            "account SMITH-IRA: fund menu of 2 (AGG, IVV); the rebalance buys nothing else in "
            "it\n");
  run = Run("account menu set SMITH-IRA --file " + Write("plan.txt", "IVV\nAGG\nEFA\n") +
            " --user bob");
  ASSERT_EQ(run.code, 0) << run.out;
  run = Run("account menu show SMITH-IRA");
  ASSERT_EQ(run.code, 0) << run.out;
  EXPECT_TRUE(Has(run.out, "account SMITH-IRA: fund menu of 3, set by bob at ")) << run.out;
  EXPECT_TRUE(Has(run.out, "iShares MSCI EAFE")) << run.out;
  EXPECT_TRUE(Has(run.out, "set: AGG, IVV")) << run.out;
  EXPECT_TRUE(Has(run.out, "added EFA")) << run.out;
  EXPECT_TRUE(Has(Run("household show SMITH").out, "fund menu of SMITH-IRA: AGG, EFA, IVV"));

  ExpectError("account menu set SMITH-IRA IVV,NOPE --user ann",
              "symbol: unknown symbol 'NOPE' on the menu of account SMITH-IRA");
  ExpectError("account menu set NOBODY IVV --user ann", "account: unknown account 'NOBODY'");
  const std::string bad = Write("menus.csv",
                                "account,symbol\n"
                                "SMITH-ROTH,IVV\n"
                                "SMITH-IRA,AGG\n"
                                "SMITH-IRA,AGG\n");
  ExpectError("import menus " + bad + " --user ops",
              "menus.csv:4: symbol: AGG is listed twice for account SMITH-IRA");
  EXPECT_TRUE(
      nlohmann::json::parse(Run("account menu show SMITH-ROTH --json").out)["menu"].is_null());
  run = Run("import menus " + Write("good.csv", "account,symbol\nSMITH-ROTH,IVV\n") +
            " --user ops");
  ASSERT_EQ(run.code, 0) << run.out;
  EXPECT_TRUE(Has(run.out, "1 rows read; menus: 1 new, 0 replaced, 0 unchanged")) << run.out;

  run = Run("account menu clear SMITH-IRA --user ann");
  ASSERT_EQ(run.code, 0) << run.out;
  EXPECT_TRUE(Has(run.out, "fund menu cleared")) << run.out;
  const nlohmann::json shown = nlohmann::json::parse(Run("account menu show SMITH-IRA --json").out);
  EXPECT_TRUE(shown["menu"].is_null());
  EXPECT_EQ(shown["audit"].size(), 3u);
}

}  // namespace
}  // namespace arbor
