#include "adapters/storage/cash_policy_store.h"

#include <gtest/gtest.h>

#include <memory>

#include "adapters/storage/store_test_util.h"

namespace arbor {
namespace {

using testing_util::ScratchDir;

Date D(const char* text) { return *Date::Parse(text); }
Money M(const char* text) { return *Money::Parse(text); }

std::string Rows(Database* db, const char* query) {
  Result<Statement> select = db->Prepare(query);
  std::string text;
  while (*select->Step()) {
    for (int c = 0; c < select->ColumnCount(); ++c) {
      text += (select->ColumnIsNull(c) ? std::string("<null>") : select->ColumnText(c)) + "|";
    }
    text += "\n";
  }
  return text;
}

std::string Everything(Database* db) {
  return Rows(db, "SELECT * FROM cash_policies ORDER BY account") +
         Rows(db, "SELECT * FROM scheduled_withdrawals ORDER BY account, id") +
         Rows(db, "SELECT * FROM withdrawal_requests ORDER BY account, id");
}

review::CashPolicy FullPolicy() {
  review::CashPolicy policy{.reserve_cap = M("15000"),
                            .withdrawal_lead_days = 7,
                            .accumulate_target = M("50000"),
                            .accumulate_reviews = 12,
                            .accumulate_from = D("2021-01-04")};
  policy.scheduled = {{.id = "W1", .amount = M("5000"), .first_date = D("2021-01-01")},
                      {.id = "W2",
                       .amount = M("1200.5"),
                       .day_of_month = 15,
                       .every_months = 3,
                       .first_date = D("2021-03-15"),
                       .last_date = D("2022-12-15")}};
  policy.requests = {{.id = "R1",
                      .amount = M("25000"),
                      .due = D("2021-05-03"),
                      .entered_by = "jdoe",
                      .entered_at = D("2021-04-21")},
                     {.id = "R2",
                      .amount = M("100"),
                      .due = D("2021-02-01"),
                      .entered_at = D("2021-01-20"),
                      .status = review::WithdrawalRequestStatus::kPaid}};
  return policy;
}

class CashPolicyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(Store::Open(dir_.Path("arbor.db"))).value();
    ASSERT_TRUE(store_
                    ->ImportAccounts({dir_.Write("a.csv",
                                                 "id,type,taxpayers\n"
                                                 "A,taxable,alice\n"
                                                 "B,ira,alice\n")})
                    .ok());
  }
  Database* db() { return store_->database(); }

  ScratchDir dir_{"cash_policy"};
  std::unique_ptr<Store> store_;
};

TEST_F(CashPolicyStoreTest, DefaultsWithoutRows) {
  const review::CashPolicy policy = LoadCashPolicy(db(), "A").value();
  EXPECT_TRUE(policy.reserve_cap.is_zero());
  EXPECT_EQ(policy.withdrawal_lead_days, 5);
  EXPECT_EQ(policy.accumulate_reviews, 0);
  EXPECT_TRUE(policy.scheduled.empty());
  EXPECT_TRUE(policy.requests.empty());
  EXPECT_TRUE(AccountsWithWithdrawals(db())->empty());
}

TEST_F(CashPolicyStoreTest, SaveAndLoadRoundTrip) {
  ASSERT_TRUE(SaveCashPolicy(db(), "A", FullPolicy()).ok());
  const review::CashPolicy policy = LoadCashPolicy(db(), "A").value();
  EXPECT_EQ(policy.reserve_cap, M("15000"));
  EXPECT_EQ(policy.withdrawal_lead_days, 7);
  EXPECT_EQ(policy.accumulate_target, M("50000"));
  EXPECT_EQ(policy.accumulate_reviews, 12);
  EXPECT_EQ(policy.accumulate_from, D("2021-01-04"));
  ASSERT_EQ(policy.scheduled.size(), 2u);
  EXPECT_EQ(policy.scheduled[1].amount, M("1200.5"));
  EXPECT_EQ(policy.scheduled[1].every_months, 3);
  EXPECT_EQ(policy.scheduled[1].last_date, D("2022-12-15"));
  EXPECT_FALSE(policy.scheduled[0].last_date.has_value());
  ASSERT_EQ(policy.requests.size(), 2u);
  EXPECT_EQ(policy.requests[0].id, "R2");  // by due date
  EXPECT_EQ(policy.requests[0].status, review::WithdrawalRequestStatus::kPaid);
  EXPECT_EQ(policy.requests[1].entered_by, "jdoe");
  EXPECT_EQ(policy.requests[1].entered_at, D("2021-04-21"));
  EXPECT_EQ(AccountsWithWithdrawals(db()).value(), std::vector<std::string>{"A"});

  // A save is the whole policy: what is left out is gone.
  review::CashPolicy fewer = policy;
  fewer.scheduled.pop_back();
  fewer.requests.clear();
  ASSERT_TRUE(SaveCashPolicy(db(), "A", fewer).ok());
  EXPECT_EQ(LoadCashPolicy(db(), "A")->scheduled.size(), 1u);
  EXPECT_TRUE(LoadCashPolicy(db(), "A")->requests.empty());
}

TEST_F(CashPolicyStoreTest, InvalidSaveNamesTheFieldAndChangesNothing) {
  ASSERT_TRUE(SaveCashPolicy(db(), "A", FullPolicy()).ok());
  const std::string before = Everything(db());
  review::CashPolicy bad = FullPolicy();
  bad.reserve_cap = M("1");  // a valid change that must not be stored either
  bad.scheduled[1].day_of_month = 31;
  Status status = SaveCashPolicy(db(), "A", bad);
  EXPECT_EQ(status.message(),
            "cash policy of A: scheduled[W2]: day_of_month: must be 1..28 (every month has the "
            "day), got 31");
  status = SaveCashPolicy(db(), "NOPE", FullPolicy());
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_NE(status.message().find("unknown account 'NOPE'"), std::string::npos);
  EXPECT_EQ(Everything(db()), before);
}

TEST_F(CashPolicyStoreTest, ImportCashPoliciesUpsertsAndKeepsTheWithdrawals) {
  ASSERT_TRUE(SaveCashPolicy(db(), "A", FullPolicy()).ok());
  const std::string file =
      dir_.Write("p.csv",
                 "account,reserve_cap,withdrawal_lead_days,accumulate_target,accumulate_reviews,"
                 "accumulate_from\n"
                 "A,10000,3,,,\n"
                 "B,,,24000,6,2021-02-01\n");
  ImportSummary summary = ImportCashPolicies(db(), {file}).value();
  EXPECT_EQ(summary.rows_read, 2u);
  EXPECT_EQ(summary.updated, 1u);
  EXPECT_EQ(summary.inserted, 1u);
  const review::CashPolicy a = LoadCashPolicy(db(), "A").value();
  EXPECT_EQ(a.reserve_cap, M("10000"));
  EXPECT_EQ(a.withdrawal_lead_days, 3);
  EXPECT_EQ(a.accumulate_reviews, 0);  // an empty field is the default
  EXPECT_EQ(a.scheduled.size(), 2u);   // kept
  EXPECT_EQ(a.requests.size(), 2u);
  const review::CashPolicy b = LoadCashPolicy(db(), "B").value();
  EXPECT_EQ(b.accumulate_target, M("24000"));
  EXPECT_EQ(b.withdrawal_lead_days, 5);
  summary = ImportCashPolicies(db(), {file}).value();
  EXPECT_EQ(summary.unchanged, 2u);
}

TEST_F(CashPolicyStoreTest, BadPolicyRowsNameFileLineFieldAndChangeNothing) {
  const std::string header =
      "account,reserve_cap,withdrawal_lead_days,accumulate_target,accumulate_reviews,"
      "accumulate_from\n";
  const std::string good = dir_.Write("good.csv", header + "A,500,,,,\n");
  const std::string before = Everything(db());
  struct Case {
    const char* row;
    const char* error;
  } cases[] = {
      {"B,-1,,,,", "bad.csv:2: reserve_cap: must not be negative"},
      {"B,,sixty,,,", "bad.csv:2: withdrawal_lead_days: 'sixty' is not a whole number"},
      {"B,,61,,,", "bad.csv:2: withdrawal_lead_days: must be 0..60, got 61"},
      {"B,,,1000,4,", "bad.csv:2: accumulate_from: required when accumulating cash"},
      {"B,,,1000,,2021-01-04", "bad.csv:2: accumulate_reviews: accumulate_target and"},
      {"B,,,1000,4,2021-02-30", "bad.csv:2: accumulate_from: invalid date '2021-02-30'"},
      {"Z,,,,,", "bad.csv:2: account: unknown"},
  };
  for (const Case& c : cases) {
    const std::string bad = dir_.Write("bad.csv", header + c.row + "\n");
    Result<ImportSummary> summary = ImportCashPolicies(db(), {good, bad});
    ASSERT_FALSE(summary.ok()) << c.row;
    EXPECT_EQ(summary.status().message().rfind(dir_.Path(c.error), 0), 0u)
        << c.row << ": " << summary.status().message();
    EXPECT_EQ(Everything(db()), before) << c.row;
  }
}

TEST_F(CashPolicyStoreTest, ImportScheduledWithdrawalsReplacesEachAccountsSchedule) {
  ASSERT_TRUE(SaveCashPolicy(db(), "A", FullPolicy()).ok());
  const std::string file =
      dir_.Write("w.csv",
                 "account,id,amount,day_of_month,every_months,first_date,last_date\n"
                 "A,W1,5000,1,,2021-01-01,\n"
                 "A,W3,300,10,12,2021-06-10,2030-06-10\n"
                 "B,M,2500.75,28,1,2021-01-28,\n");
  ImportSummary summary = ImportScheduledWithdrawals(db(), {file}).value();
  EXPECT_EQ(summary.rows_read, 3u);
  EXPECT_EQ(summary.unchanged, 1u);  // W1 as stored
  EXPECT_EQ(summary.inserted, 2u);
  const review::CashPolicy a = LoadCashPolicy(db(), "A").value();
  ASSERT_EQ(a.scheduled.size(), 2u);  // W2 is no longer in the file
  EXPECT_EQ(a.scheduled[1].id, "W3");
  EXPECT_EQ(a.scheduled[1].every_months, 12);
  EXPECT_EQ(a.reserve_cap, M("15000"));  // the rest of the policy is kept
  EXPECT_EQ(a.requests.size(), 2u);
  EXPECT_EQ(LoadCashPolicy(db(), "B")->scheduled.at(0).amount, M("2500.75"));
  EXPECT_EQ(AccountsWithWithdrawals(db()).value(), (std::vector<std::string>{"A", "B"}));
}

TEST_F(CashPolicyStoreTest, BadScheduleRowsNameFileLineFieldAndChangeNothing) {
  const std::string header = "account,id,amount,day_of_month,every_months,first_date,last_date\n";
  const std::string good = dir_.Write("good.csv", header + "A,W1,5000,1,,2021-01-01,\n");
  const std::string before = Everything(db());
  struct Case {
    const char* rows;
    const char* error;
  } cases[] = {
      {"B,W1,100,31,,2021-01-01,", "bad.csv:2: day_of_month: must be 1..28"},
      {"B,W1,100,1,2,2021-01-01,", "bad.csv:2: every_months: must be 1, 3, 6 or 12, got 2"},
      {"B,W1,0,1,,2021-01-01,", "bad.csv:2: amount: must be positive"},
      {"B,W1,1.0000001,1,,2021-01-01,", "bad.csv:2: amount:"},
      {"B,W1,100,1,,,", "bad.csv:2: first_date: missing"},
      {"B,W1,100,1,,2021-01-01,2020-12-01", "bad.csv:2: last_date: 2020-12-01 is before"},
      {"B,,100,1,,2021-01-01,", "bad.csv:2: id: missing"},
      {"B,W1,100,1,,2021-01-01,\nB,W1,200,2,,2021-01-01,",
       "bad.csv:3: id: W1 is listed twice for account B"},
      {"Z,W1,100,1,,2021-01-01,", "bad.csv:2: account: unknown"},
  };
  for (const Case& c : cases) {
    const std::string bad = dir_.Write("bad.csv", header + c.rows + "\n");
    Result<ImportSummary> summary = ImportScheduledWithdrawals(db(), {good, bad});
    ASSERT_FALSE(summary.ok()) << c.rows;
    EXPECT_EQ(summary.status().message().rfind(dir_.Path(c.error), 0), 0u)
        << c.rows << ": " << summary.status().message();
    EXPECT_EQ(Everything(db()), before) << c.rows;
  }
}

}  // namespace
}  // namespace arbor
