// `arbor workbench` end to end, as the central rebalancing group runs it on a finished review
// run: the four-step daily workflow of the product brief with saved filters (suspend data
// problems, approve must-trades, approve by score threshold, send outliers to review), then the
// release and the trade files, and the audit log of it all. The run's results are written
// straight into the review tables (adapters/storage/workbench_test_util.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "adapters/storage/store.h"
#include "adapters/storage/workbench_test_util.h"
#include "arbor_cli_runner.h"
#include "core/base/fixed.h"

namespace arbor {
namespace {

namespace fs = std::filesystem;
using testing_util::ReviewResultRow;
using testing_util::ReviewTradeRow;

// Eleven accounts, as a review would leave them:
//   D1     suspended by the data checks (stale price)
//   D2     proposed, but with warnings (lots disagree with the custodian)
//   D3     the review failed (and suspended it)
//   M1 M2  must trade: a withdrawal, a screened name to sell
//   S1 S2  good scores, moderate turnover
//   O1     a good score, but 40% turnover: an outlier to review
//   O2     drifted 8 points: an outlier
//   L1     a proposal not worth its cost (2 bps)
//   N1     nothing to trade
std::vector<ReviewResultRow> Accounts() {
  auto proposed = [](std::string account, double score_bps, double turnover, std::string flags,
                     std::vector<ReviewTradeRow> trades) {
    ReviewResultRow row{.account = std::move(account),
                        .trades_count = static_cast<int64_t>(trades.size()),
                        .turnover = turnover,
                        .score_usd = score_bps * 100,
                        .score_bps = score_bps,
                        .flags = std::move(flags),
                        .trades = std::move(trades)};
    return row;
  };
  const ReviewTradeRow sell_aapl{.symbol = "AAPL",
                                 .side = "sell",
                                 .shares = "10",
                                 .price = "150.25",
                                 .reason = "harvest",
                                 .lots = "L1:4;L2:6"};
  const ReviewTradeRow buy_msft{.symbol = "MSFT", .side = "buy", .shares = "2.5", .price = "300.1"};
  std::vector<ReviewResultRow> rows = {
      {.account = "D1",
       .outcome = "suspended",
       .status = "suspended",
       .reasons = "stale price: XYZ last closed 2024-06-20"},
      proposed("D2", 30, 0.05, "", {buy_msft}),
      {.account = "D3",
       .outcome = "failed",
       .status = "suspended",
       .reasons = "solver: did not converge"},
      proposed("M1", 3, 0.02, "must_trade,withdrawal",
               {{.symbol = "AAPL",
                 .side = "sell",
                 .shares = "0.333333",
                 .price = "150.25",
                 .reason = "cash",
                 .lots = "L7:0.333333"}}),
      proposed("M2", 12, 0.06, "must_trade,new_restriction", {sell_aapl, buy_msft}),
      proposed("S1", 40, 0.08, "harvest", {sell_aapl, buy_msft}),
      proposed("S2", 26, 0.10, "drift", {buy_msft}),
      proposed("O1", 60, 0.40, "high_turnover", {buy_msft}),
      proposed("O2", 35, 0.12, "drift", {buy_msft}),
      proposed("L1", 2, 0.01, "", {buy_msft}),
      {.account = "N1", .outcome = "no_trade"},
  };
  rows[1].warnings = 2;
  rows[3].must_trade = rows[4].must_trade = true;
  rows[8].drift_max = 0.08;
  return rows;
}

class WorkbenchCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("arbor_workbench_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::unique_ptr<Store> store = std::move(Store::Open((dir_ / "arbor.db").string())).value();
    ASSERT_TRUE(testing_util::PutReviewRun(store->database(), {.id = 1}, Accounts()).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  ArborRun Run(const std::string& args) { return RunArbor(dir_ / "arbor.db", args); }
  std::string Ok(const std::string& args) {
    const ArborRun run = Run(args);
    EXPECT_EQ(run.code, 0) << args << "\n" << run.out;
    return run.out;
  }
  // The accounts a filter selects, by account.
  std::vector<std::string> Select(const std::string& filter) {
    const nlohmann::json doc =
        nlohmann::json::parse(Ok("workbench query --format json --filter \"" + filter + "\""));
    std::vector<std::string> accounts;
    for (const auto& row : doc["rows"]) accounts.push_back(row["account"]);
    return accounts;
  }
  std::string Read(const std::string& name) {
    std::ifstream in(dir_ / name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  fs::path dir_;
};

bool Has(const std::string& out, const std::string& text) {
  return out.find(text) != std::string::npos;
}

using Ids = std::vector<std::string>;

TEST_F(WorkbenchCliTest, TheFourStepDailyWorkflowThenReleaseAndTradeFiles) {
  // The saved filters the group works with every day.
  Ok("workbench filter save data-problems \"warnings > 0 or outcome = 'failed'\" --user crg "
     "--description \"the review noticed something\"");
  Ok("workbench filter save must-trade \"must_trade and not suspended\" --user crg");
  Ok("workbench filter save good-score "
     "\"score_bps >= 25 and turnover < 0.15 and not (drift_max > 0.05)\" --user crg");
  Ok("workbench filter save outliers \"not suspended and (high_turnover or drift_max > 0.05)\" "
     "--user crg");
  const std::string list = Ok("workbench filter list");
  EXPECT_TRUE(Has(list, "score_bps >= 25 and turnover < 0.15 and not drift_max > 0.05")) << list;
  EXPECT_TRUE(Has(list, "the review noticed something")) << list;

  // 1. Suspend the data problems. The review suspended D1 (its data checks) and D3 (it failed).
  const std::string suspend =
      Ok("workbench suspend --saved data-problems --user crg --note \"data checks\"");
  EXPECT_TRUE(Has(suspend,
                  "suspend on review run 1 by crg (audit #1): 1 account -> suspended, 1 "
                  "skipped"))
      << suspend;
  EXPECT_TRUE(Has(suspend, "pending -> suspended: D2")) << suspend;
  EXPECT_TRUE(Has(suspend, "skipped, already suspended: D3")) << suspend;
  EXPECT_EQ(Select("suspended"), (Ids{"D1", "D2", "D3"}));

  // 2. Approve every account that must trade, in one step.
  const std::string must = Ok("workbench approve --saved must-trade --user crg");
  EXPECT_TRUE(Has(must, "2 accounts -> approved")) << must;
  EXPECT_TRUE(Has(must, "pending -> approved: M1, M2")) << must;

  // 3. Approve by score threshold: D2 scores 30 but stays suspended, and says why.
  const std::string good = Ok("workbench approve --saved good-score --user crg");
  EXPECT_TRUE(Has(good, "2 accounts -> approved, 1 skipped")) << good;
  EXPECT_TRUE(Has(good, "skipped, status suspended: approve takes pending or review: D2")) << good;
  EXPECT_EQ(Select("status = 'approved'"), (Ids{"M1", "M2", "S1", "S2"}));

  // 4. Send the outliers to review; a person looks and approves one of them.
  Ok("workbench review --saved outliers --user crg");
  EXPECT_EQ(Select("status = 'review'"), (Ids{"O1", "O2"}));
  const std::string look =
      Ok("workbench query --filter \"status = 'review'\" --sort turnover --desc");
  EXPECT_TRUE(Has(look, "2 of 11 accounts match status = 'review'")) << look;
  EXPECT_LT(look.find("O1"), look.find("O2")) << look;  // 40% turnover first
  Ok("workbench approve --account O2 --user lee --note \"drift from a model change, fine\"");

  // What is left pending: the low score and the account with nothing to trade.
  EXPECT_EQ(Select("status = 'pending'"), (Ids{"L1", "N1"}));

  // Release the approved proposals and write the trade files.
  const std::string release = Ok("workbench release --filter \"status = 'approved'\" --user crg");
  EXPECT_TRUE(Has(release, "5 accounts -> released")) << release;
  const std::string trades =
      Ok("workbench trades --user crg --blotter " + (dir_ / "blotter.csv").string() + " --blocks " +
         (dir_ / "blocks.csv").string());
  EXPECT_TRUE(Has(trades, "export #7 of review run 1: 5 accounts, 7 trades in 2 blocks")) << trades;

  const std::string blotter = Read("blotter.csv");
  EXPECT_EQ(std::count(blotter.begin(), blotter.end(), '\n'), 8) << blotter;
  EXPECT_TRUE(
      Has(blotter, "1,M1,0,AAPL,sell,0.333333,150.25,50.083283,0,L7:0.333333,cash,R1-X7-001\n"))
      << blotter;
  EXPECT_TRUE(Has(blotter, "1,S1,0,AAPL,sell,10,150.25,1502.5,0,L1:4;L2:6,harvest,R1-X7-001\n"))
      << blotter;
  EXPECT_FALSE(Has(blotter, ",O1,")) << blotter;  // in review, never released
  // Blocks: AAPL sold by M1, M2, S1; MSFT bought by M2, O2, S1, S2, whose shares add up exactly.
  const std::string blocks = Read("blocks.csv");
  EXPECT_TRUE(Has(blocks,
                  "R1-X7-001,AAPL,sell,20.333333,150.25,3055.083283,3,M1,0.333333,"
                  "50.083283,L7:0.333333\n"))
      << blocks;
  EXPECT_TRUE(Has(blocks, "R1-X7-002,MSFT,buy,10,300.1,3001,4,S2,2.5,750.25,\n")) << blocks;

  // A second export has nothing new; --again writes the same accounts anew.
  const ArborRun twice = Run("workbench trades --user crg --blotter " + (dir_ / "b2.csv").string() +
                             " --blocks " + (dir_ / "k2.csv").string());
  EXPECT_EQ(twice.code, 1);
  EXPECT_TRUE(Has(twice.out, "is in an earlier export")) << twice.out;
  EXPECT_FALSE(fs::exists(dir_ / "b2.csv"));

  // The audit log has it all, in order, with who, what and which filter.
  const std::string audit = Ok("workbench audit --run 1");
  for (const std::string& line :
       {"suspend", "data-problems: warnings > 0 or outcome = 'failed'", "data checks",
        "must-trade: must_trade and not suspended", "account in ('O2')",
        "drift from a model change, fine", "export", "7 trades in 2 blocks"}) {
    EXPECT_TRUE(Has(audit, line)) << line << "\n" << audit;
  }
  const std::string with_accounts = Ok("workbench audit --accounts");
  EXPECT_TRUE(Has(with_accounts, "review -> approved")) << with_accounts;
  EXPECT_TRUE(Has(with_accounts, "released -> released")) << with_accounts;
}

TEST_F(WorkbenchCliTest, IllegalTransitionsAreReportedAndChangeNothing) {
  const std::string out = Ok("workbench release --account L1 N1 NOPE --user crg");
  EXPECT_TRUE(Has(out, "0 accounts -> released, 3 skipped")) << out;
  EXPECT_TRUE(Has(out, "skipped, status pending: release takes approved: L1, N1")) << out;
  EXPECT_TRUE(Has(out, "skipped, not in run 1: NOPE")) << out;
  const std::string approve = Ok("workbench approve --account N1 D1 --user crg");
  EXPECT_TRUE(Has(approve, "skipped, outcome no_trade: only a proposal can be approved: N1"))
      << approve;
  EXPECT_TRUE(Has(approve, "skipped, status suspended: approve takes pending or review: D1"))
      << approve;
  EXPECT_EQ(Select("status = 'pending'").size(), 9u);
}

TEST_F(WorkbenchCliTest, BadFiltersPointAtTheToken) {
  const ArborRun bad = Run("workbench query --filter \"score_bps >= 25 and turnovr < 0.1\"");
  EXPECT_EQ(bad.code, 1) << bad.out;
  EXPECT_TRUE(
      Has(bad.out, "arbor: filter: column 21: unknown field 'turnovr' (fields: account, household"))
      << bad.out;
  EXPECT_TRUE(Has(bad.out, "\n  score_bps >= 25 and turnovr < 0.1\n                      ^\n"))
      << bad.out;

  const ArborRun save = Run("workbench filter save x \"score_bps >= abc\" --user crg");
  EXPECT_EQ(save.code, 1);
  EXPECT_TRUE(Has(save.out, "column 14: expected a number after '>=', got 'abc'")) << save.out;
  const ArborRun action = Run("workbench approve --filter \"must_trade = 1\" --user crg");
  EXPECT_EQ(action.code, 1);
  EXPECT_TRUE(Has(action.out, "cannot compare a boolean field 'must_trade' with a number '1'"))
      << action.out;
  EXPECT_EQ(Select("status = 'approved'").size(), 0u);
  EXPECT_TRUE(Has(Ok("workbench audit"), "no entries")) << "failed commands are not actions";
}

TEST_F(WorkbenchCliTest, ActionsNeedAccountsAndTheAuditLogIsAppendOnly) {
  const ArborRun none = Run("workbench approve --user crg");
  EXPECT_EQ(none.code, 1);
  EXPECT_TRUE(Has(none.out, "approve needs --filter TEXT, --saved NAME or --account ID..."))
      << none.out;
  Ok("workbench suspend --account L1 --user crg");

  Result<Database> db = Database::Open((dir_ / "arbor.db").string());
  ASSERT_TRUE(db.ok());
  const Status update = db->Exec("UPDATE workbench_audit SET user = 'someone else'");
  EXPECT_TRUE(Has(update.message(), "the workbench audit log is append-only")) << update.message();
  EXPECT_FALSE(db->Exec("DELETE FROM workbench_audit_accounts").ok());
  EXPECT_TRUE(Has(Ok("workbench audit"), "crg"));
}

TEST_F(WorkbenchCliTest, QueryFormatsAndFields) {
  const std::string fields = Ok("workbench fields");
  EXPECT_TRUE(Has(fields, "score_bps")) << fields;
  EXPECT_TRUE(Has(fields, "harvest_usd of $1,000 or more")) << fields;

  const std::string table =
      Ok("workbench query --filter \"score_bps >= 25\" --sort score_bps "
         "--desc --limit 2");
  EXPECT_TRUE(Has(table,
                  "review run 1 as of 2024-06-28: 5 of 11 accounts match score_bps >= 25 "
                  "(the first 2 shown)"))
      << table;
  EXPECT_LT(table.find("O1"), table.find("S1")) << table;
  EXPECT_FALSE(Has(table, "O2")) << table;

  const ArborRun unknown = Run("workbench query --saved nope");
  EXPECT_EQ(unknown.code, 1);
  EXPECT_TRUE(Has(unknown.out, "no saved filter 'nope' (saved: none)")) << unknown.out;
  const std::string all = Ok("workbench query --format csv --filter \"account = 'S1'\"");
  EXPECT_TRUE(
      all.starts_with("run,account,household,advisor,account_type,outcome,status,"
                      "suspended,reasons,warnings,market_value,"))
      << all;
  EXPECT_TRUE(Has(all, "\n1,S1,H1,LEE,taxable,proposed,pending,false,,0,1000000,")) << all;
}

}  // namespace
}  // namespace arbor
