#include "adapters/storage/workbench_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "adapters/storage/store.h"
#include "adapters/storage/store_test_util.h"
#include "adapters/storage/workbench_test_util.h"
#include "core/workbench/review_fields.h"

namespace arbor {
namespace {

using testing_util::ReviewResultRow;
using testing_util::ReviewTradeRow;
using workbench::BatchAction;
using workbench::ReviewStatus;

constexpr char kNow[] = "2024-06-28T14:00:00Z";

// Five accounts of run 2 (run 1 is older and smaller):
//   A  must trade, proposed, pending       D  no_trade, pending
//   B  score 40 bps, proposed, pending     E  suspended by the review's data checks
//   C  score 5 bps, proposed, review
std::vector<ReviewResultRow> RunTwo() {
  return {
      {.account = "A", .score_bps = 12, .must_trade = true, .flags = "must_trade,withdrawal"},
      {.account = "B", .advisor = "KIM", .score_bps = 40, .flags = "harvest,drift"},
      {.account = "C", .status = "review", .score_bps = 5, .flags = "high_turnover"},
      {.account = "D", .outcome = "no_trade", .score_bps = 0},
      {.account = "E", .outcome = "suspended", .status = "suspended", .reasons = "stale price"},
  };
}

class WorkbenchStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(Store::Open(dir_.Path("arbor.db"))).value();
    ASSERT_TRUE(testing_util::PutReviewRun(db(), {.id = 1, .as_of = "2024-06-27"},
                                           {{.account = "A"}, {.account = "B"}})
                    .ok());
    ASSERT_TRUE(testing_util::PutReviewRun(db(), {.id = 2}, RunTwo()).ok());
  }
  Database* db() { return store_->database(); }

  std::vector<std::string> Accounts(const Selection& selection, std::string sort = "account",
                                    bool descending = false) {
    Result<ReviewQueryResult> r = QueryReview(
        db(), {.selection = selection, .sort = std::move(sort), .descending = descending});
    EXPECT_TRUE(r.ok()) << r.status().message();
    std::vector<std::string> accounts;
    if (r.ok()) {
      for (const auto& row : r->rows) accounts.push_back(std::get<std::string>(row[0]));
    }
    return accounts;
  }

  std::string StatusOf(const std::string& account, int64_t run = 2) {
    Result<Statement> s =
        db()->Prepare("SELECT status FROM review_results WHERE run = ?1 AND account = ?2");
    s->Bind(1, run).Bind(2, account);
    return *s->Step() ? s->ColumnText(0) : "<none>";
  }

  BatchReport Apply(BatchAction action, Selection selection, std::string note = "") {
    Result<BatchReport> r = ApplyBatchAction(db(), {.action = action,
                                                    .selection = std::move(selection),
                                                    .user = "ann",
                                                    .at = kNow,
                                                    .note = std::move(note)});
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : BatchReport{};
  }

  testing_util::ScratchDir dir_{"workbench_store"};
  std::unique_ptr<Store> store_;
};

TEST_F(WorkbenchStoreTest, SavedFiltersAreCheckedAndStoredCanonically) {
  ASSERT_TRUE(SaveFilter(db(), {.name = "good-scores",
                                .text = "(score_bps >= 25) AND NOT suspended",
                                .description = "worth trading",
                                .created_by = "ann",
                                .created_at = kNow})
                  .ok());
  const SavedFilter saved = *LoadFilter(db(), "good-scores");
  EXPECT_EQ(saved.text, "score_bps >= 25 and not suspended");
  EXPECT_EQ(saved.description, "worth trading");
  EXPECT_EQ(saved.created_by, "ann");

  const Status bad = SaveFilter(db(), {.name = "x", .text = "scor_bps > 1", .created_at = kNow});
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message().substr(0, 40), "filter: column 1: unknown field 'scor_bp");
  EXPECT_NE(bad.message().find("\n  scor_bps > 1\n  ^"), std::string::npos) << bad.message();

  const Status twice =
      SaveFilter(db(), {.name = "good-scores", .text = "must_trade", .created_at = kNow});
  EXPECT_EQ(twice.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(twice.message(),
            "filter 'good-scores' is already saved as: score_bps >= 25 and not suspended");
  ASSERT_TRUE(SaveFilter(db(),
                         {.name = "good-scores", .text = "score_bps >= 30", .created_at = kNow},
                         /*replace=*/true)
                  .ok());
  EXPECT_EQ(LoadFilter(db(), "good-scores")->text, "score_bps >= 30");

  EXPECT_EQ(SaveFilter(db(), {.name = "a b", .text = "must_trade", .created_at = kNow}).message(),
            "filter name 'a b': use 1 to 64 letters, digits, '_', '-' or '.'");
  ASSERT_TRUE(SaveFilter(db(), {.name = "abc", .text = "must_trade", .created_at = kNow}).ok());
  std::vector<SavedFilter> all = *ListFilters(db());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "abc");
  ASSERT_TRUE(DeleteFilter(db(), "abc").ok());
  EXPECT_EQ(DeleteFilter(db(), "abc").message(), "no saved filter 'abc' (saved: good-scores)");
  EXPECT_EQ(LoadFilter(db(), "zzz").status().code(), StatusCode::kNotFound);
}

TEST_F(WorkbenchStoreTest, QueriesTheLatestRunByFilterSavedFilterOrAccounts) {
  EXPECT_EQ(Accounts({}), (std::vector<std::string>{"A", "B", "C", "D", "E"}));
  EXPECT_EQ(Accounts({.filter = "suspended = false and must_trade = true"}),
            (std::vector<std::string>{"A"}));
  EXPECT_EQ(Accounts({.filter = "harvest or high_turnover"}), (std::vector<std::string>{"B", "C"}));
  EXPECT_EQ(Accounts({.filter = "outcome in ('no_trade', 'suspended')"}),
            (std::vector<std::string>{"D", "E"}));
  EXPECT_EQ(Accounts({.filter = "not suspended"}, "score_bps", /*descending=*/true),
            (std::vector<std::string>{"B", "A", "C", "D"}));
  ASSERT_TRUE(
      SaveFilter(db(), {.name = "kim", .text = "advisor = 'KIM'", .created_at = kNow}).ok());
  EXPECT_EQ(Accounts({.saved = "kim"}), (std::vector<std::string>{"B"}));

  Result<ReviewQueryResult> by_id =
      QueryReview(db(), {.selection = {.accounts = {"C", "A", "Z"}}, .limit = 1});
  ASSERT_TRUE(by_id.ok()) << by_id.status().message();
  EXPECT_EQ(by_id->run.id, 2);
  EXPECT_EQ(by_id->filter, "account in ('C', 'A', 'Z')");
  EXPECT_EQ(by_id->matched, 2);
  ASSERT_EQ(by_id->rows.size(), 1u);
  EXPECT_EQ(by_id->missing, std::vector<std::string>{"Z"});

  Result<ReviewQueryResult> old = QueryReview(db(), {.run = 1});
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->matched, 2);
  EXPECT_EQ(old->run.as_of, "2024-06-27");
}

TEST_F(WorkbenchStoreTest, QueryRowsHoldEveryFieldTyped) {
  Result<ReviewQueryResult> r = QueryReview(db(), {.selection = {.filter = "account = 'B'"}});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.size(), 1u);
  const auto& row = r->rows[0];
  auto value = [&](std::string_view name) {
    return row[workbench::FindReviewField(name) - workbench::ReviewFields().data()];
  };
  EXPECT_EQ(std::get<std::string>(value("advisor")), "KIM");
  EXPECT_EQ(std::get<double>(value("score_bps")), 40);
  EXPECT_EQ(std::get<bool>(value("harvest")), true);
  EXPECT_EQ(std::get<bool>(value("cash")), false);
  EXPECT_EQ(std::get<bool>(value("suspended")), false);
}

TEST_F(WorkbenchStoreTest, QueryReadsOnlyTheFieldsAskedFor) {
  Result<ReviewQueryResult> r = QueryReview(
      db(), {.sort = "score_bps", .descending = true, .fields = {"score_bps", "harvest"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->fields.size(), 2u);
  EXPECT_EQ(r->fields[1]->name, "harvest");
  ASSERT_EQ(r->rows.size(), 5u);
  EXPECT_EQ(r->rows[0], (std::vector<workbench::FieldValue>{40.0, true}));  // B
  EXPECT_EQ(QueryReview(db(), {.fields = {"score"}}).status().message(),
            "unknown field 'score' (`arbor workbench fields` lists them)");
}

TEST_F(WorkbenchStoreTest, QueryErrors) {
  EXPECT_EQ(QueryReview(db(), {.sort = "scor"}).status().message(),
            "unknown sort field 'scor' (`arbor workbench fields` lists them)");
  EXPECT_EQ(QueryReview(db(), {.run = 9}).status().message(), "no review run 9");
  EXPECT_EQ(QueryReview(db(), {.selection = {.filter = "a", .saved = "b"}}).status().message(),
            "choose accounts one way: a filter, a saved filter or ids");
  EXPECT_EQ(QueryReview(db(), {.selection = {.saved = "nope"}}).status().code(),
            StatusCode::kNotFound);
  const Status bad = QueryReview(db(), {.selection = {.filter = "score_bps >= abc"}}).status();
  EXPECT_EQ(bad.message().substr(0, bad.message().find('\n')),
            "filter: column 14: expected a number after '>=', got 'abc'");
}

TEST_F(WorkbenchStoreTest, ApproveMovesEligibleAccountsAndReportsTheOthers) {
  const BatchReport report = Apply(BatchAction::kApprove, {.filter = "not must_trade"}, "scores");
  EXPECT_EQ(report.run, 2);
  EXPECT_EQ(report.filter, "not must_trade");
  ASSERT_EQ(report.changed.size(), 2u);  // B pending, C review
  EXPECT_EQ(report.changed[0].account, "B");
  EXPECT_EQ(report.changed[1].account, "C");
  EXPECT_EQ(report.changed[1].from, ReviewStatus::kReview);
  ASSERT_EQ(report.skipped.size(), 2u);
  EXPECT_EQ(report.skipped[0].account, "D");
  EXPECT_EQ(report.skipped[0].why, "outcome no_trade: only a proposal can be approved");
  EXPECT_EQ(report.skipped[1].why, "status suspended: approve takes pending or review");
  EXPECT_EQ(StatusOf("B"), "approved");
  EXPECT_EQ(StatusOf("D"), "pending");
  EXPECT_EQ(StatusOf("B", 1), "pending");  // other runs are untouched

  const std::vector<AuditEntry> audit = *ListAudit(db(), 2);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].id, report.audit_id);
  EXPECT_EQ(audit[0].user, "ann");
  EXPECT_EQ(audit[0].at, kNow);
  EXPECT_EQ(audit[0].action, "approve");
  EXPECT_EQ(audit[0].filter, "not must_trade");
  EXPECT_EQ(audit[0].accounts, 2);
  EXPECT_EQ(audit[0].detail, "scores; 2 skipped");
  const std::vector<AuditAccount> accounts = *ListAuditAccounts(db(), report.audit_id);
  ASSERT_EQ(accounts.size(), 2u);
  EXPECT_EQ(accounts[1].account, "C");
  EXPECT_EQ(accounts[1].from_status, "review");
  EXPECT_EQ(accounts[1].to_status, "approved");
  EXPECT_TRUE(ListAudit(db(), 1)->empty());
}

TEST_F(WorkbenchStoreTest, IllegalTransitionsAreSkippedNotApplied) {
  const BatchReport release = Apply(BatchAction::kRelease, {.accounts = {"A", "B", "Q"}});
  EXPECT_TRUE(release.changed.empty());
  ASSERT_EQ(release.skipped.size(), 3u);
  EXPECT_EQ(release.skipped[0].why, "status pending: release takes approved");
  EXPECT_EQ(release.skipped[2].account, "Q");
  EXPECT_EQ(release.skipped[2].why, "not in run 2");

  Apply(BatchAction::kApprove, {.accounts = {"A"}});
  Apply(BatchAction::kRelease, {.accounts = {"A"}});
  const BatchReport suspend = Apply(BatchAction::kSuspend, {.accounts = {"A", "E"}});
  EXPECT_TRUE(suspend.changed.empty());
  EXPECT_EQ(suspend.skipped[0].why,
            "status released: released is final, its trades may be at the trading desk");
  EXPECT_EQ(suspend.skipped[1].why, "already suspended");
  EXPECT_EQ(StatusOf("A"), "released");
  EXPECT_EQ(ListAudit(db(), std::nullopt)->size(), 4u);  // every attempt is on record
}

TEST_F(WorkbenchStoreTest, ActionsNeedSelectionUserTimeAndAFinishedRun) {
  EXPECT_EQ(ApplyBatchAction(db(), {.action = BatchAction::kApprove, .user = "ann", .at = kNow})
                .status()
                .message(),
            "approve needs accounts: a filter, a saved filter or account ids");
  EXPECT_EQ(ApplyBatchAction(db(), {.action = BatchAction::kApprove,
                                    .selection = {.filter = "must_trade"},
                                    .at = kNow})
                .status()
                .message(),
            "approve needs a user");
  ASSERT_TRUE(testing_util::PutReviewRun(db(), {.id = 3, .finished = false}, RunTwo()).ok());
  const Status running = ApplyBatchAction(db(), {.action = BatchAction::kApprove,
                                                 .selection = {.filter = "must_trade"},
                                                 .user = "ann",
                                                 .at = kNow})
                             .status();
  EXPECT_EQ(running.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(running.message(),
            "review run 3 has not finished: approve waits until the review has written every "
            "account");
  EXPECT_TRUE(ListAudit(db(), std::nullopt)->empty());
}

TEST_F(WorkbenchStoreTest, AnActionIsOneTransaction) {
  // The audit insert fails after the status updates ran: nothing of the action may remain.
  ASSERT_TRUE(db()->Exec("CREATE TEMP TRIGGER audit_fails BEFORE INSERT ON workbench_audit "
                         "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
                  .ok());
  Result<BatchReport> r = ApplyBatchAction(db(), {.action = BatchAction::kApprove,
                                                  .selection = {.filter = "score_bps > 1"},
                                                  .user = "ann",
                                                  .at = kNow});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(StatusOf("A"), "pending");
  EXPECT_EQ(StatusOf("B"), "pending");
}

TEST_F(WorkbenchStoreTest, TheAuditLogIsAppendOnly) {
  const BatchReport report = Apply(BatchAction::kSuspend, {.accounts = {"A"}});
  for (const char* sql : {"UPDATE workbench_audit SET user = 'eve'", "DELETE FROM workbench_audit",
                          "UPDATE workbench_audit_accounts SET to_status = 'pending'",
                          "DELETE FROM workbench_audit_accounts"}) {
    const Status s = db()->Exec(sql);
    EXPECT_FALSE(s.ok()) << sql;
    EXPECT_NE(s.message().find("the workbench audit log is append-only"), std::string::npos)
        << s.message();
  }
  EXPECT_EQ(ListAudit(db(), 2)->at(0).user, "ann");
  EXPECT_EQ(ListAuditAccounts(db(), report.audit_id)->size(), 1u);
}

class WorkbenchExportTest : public WorkbenchStoreTest {
 protected:
  void SetUp() override {
    WorkbenchStoreTest::SetUp();
    std::vector<ReviewResultRow> rows = {
        {.account = "P1",
         .trades = {{.symbol = "AAPL",
                     .side = "sell",
                     .shares = "10",
                     .price = "150",
                     .reason = "harvest",
                     .lots = "L1:4;L2:6"},
                    {.symbol = "MSFT", .side = "buy", .shares = "2.5", .price = "300.1"}}},
        {.account = "P2",
         .trades = {{.symbol = "AAPL",
                     .side = "sell",
                     .shares = "0.333333",
                     .price = "150",
                     .lots = "L7:0.333333"}}},
        {.account = "P3", .trades = {{.symbol = "MSFT", .side = "buy", .shares = "1"}}},
    };
    ASSERT_TRUE(testing_util::PutReviewRun(db(), {.id = 3}, rows).ok());
  }

  Result<TradeExport> Export(bool again = false, Status write_status = Status::Ok()) {
    return ExportReleasedTrades(db(),
                                {.again = again, .user = "ann", .at = kNow, .detail = "files"},
                                [&](const TradeExport&) { return write_status; });
  }
};

TEST_F(WorkbenchExportTest, ExportsReleasedAccountsOnceInBlocks) {
  EXPECT_EQ(Export().status().message(), "review run 3 has no released accounts");
  Apply(BatchAction::kApprove, {.accounts = {"P1", "P2", "P3"}});
  Apply(BatchAction::kRelease, {.accounts = {"P1", "P2"}});

  Result<TradeExport> first = Export();
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->run, 3);
  EXPECT_EQ(first->accounts, (std::vector<std::string>{"P1", "P2"}));
  ASSERT_EQ(first->trades.size(), 3u);
  ASSERT_EQ(first->blocks.size(), 2u);
  EXPECT_EQ(first->blocks[0].symbol, "AAPL");
  EXPECT_EQ(first->blocks[0].shares, *Shares::Parse("10.333333"));
  EXPECT_EQ(first->blocks[0].allocations.size(), 2u);
  EXPECT_EQ(first->blocks[1].amount, *Money::Parse("750.25"));

  const AuditEntry entry = ListAudit(db(), 3)->back();
  EXPECT_EQ(entry.id, first->audit_id);
  EXPECT_EQ(entry.action, "export");
  EXPECT_EQ(entry.accounts, 2);
  EXPECT_EQ(entry.detail, "files; 3 trades in 2 blocks");

  // P3 released later goes out alone; then nothing is left, unless asked again.
  Apply(BatchAction::kRelease, {.accounts = {"P3"}});
  Result<TradeExport> second = Export();
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->accounts, std::vector<std::string>{"P3"});
  EXPECT_EQ(Export().status().message(),
            "every released account of review run 3 (3) is in an earlier export; export again "
            "to rewrite them");
  Result<TradeExport> again = Export(/*again=*/true);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->accounts.size(), 3u);
}

TEST_F(WorkbenchExportTest, AFailedWriteLeavesNoAuditEntry) {
  Apply(BatchAction::kApprove, {.accounts = {"P1"}});
  Apply(BatchAction::kRelease, {.accounts = {"P1"}});
  const size_t entries = ListAudit(db(), 3)->size();
  EXPECT_EQ(Export(false, Status::Internal("disk full")).status().message(), "disk full");
  EXPECT_EQ(ListAudit(db(), 3)->size(), entries);
  EXPECT_TRUE(Export().ok());  // still to export
}

TEST_F(WorkbenchExportTest, LotsThatDoNotAddUpStopTheExport) {
  ASSERT_TRUE(
      testing_util::PutReviewRun(
          db(), {.id = 4},
          {{.account = "P1",
            .trades = {{.symbol = "AAPL", .side = "sell", .shares = "10", .lots = "L1:4"}}}})
          .ok());
  Apply(BatchAction::kApprove, {.accounts = {"P1"}});
  Apply(BatchAction::kRelease, {.accounts = {"P1"}});
  EXPECT_EQ(Export().status().message(),
            "run 4: account P1, trade 0 (sell 10 AAPL): its lots add up to 4 shares");
  EXPECT_TRUE(ListAudit(db(), 4)->size() == 2u);  // the approve and the release only
}

}  // namespace
}  // namespace arbor
