#include "core/review/cash_plan.h"

#include <gtest/gtest.h>

#include "core/ledger/test_events.h"

namespace arbor::review {
namespace {

using arbor::testing::D;
using arbor::testing::M;

bool HasReason(const CashPlan& plan, const std::string& text) {
  for (const std::string& reason : plan.reasons) {
    if (reason.find(text) != std::string::npos) return true;
  }
  return false;
}

ScheduledWithdrawal Monthly(const char* id, const char* amount, int day, const char* first) {
  return {.id = id, .amount = M(amount), .day_of_month = day, .first_date = D(first)};
}

WithdrawalRequest Request(const char* id, const char* amount, const char* due,
                          WithdrawalRequestStatus status = WithdrawalRequestStatus::kPending) {
  return {.id = id,
          .amount = M(amount),
          .due = D(due),
          .entered_by = "jdoe",
          .entered_at = D("2021-01-04"),
          .status = status};
}

CashPlan Plan(const CashPolicy& policy, const char* as_of, const char* balance = "0") {
  return PlanCash(policy, {.as_of = D(as_of), .balance = M(balance)});
}

TEST(CashPlanTest, WithoutAPolicyThePlanIsTheSettings) {
  const CashPlan plan = PlanCash(
      {}, {.as_of = D("2021-04-28"), .balance = M("900"), .min = M("1000"), .max = M("5000")});
  EXPECT_EQ(plan.minimum, M("1000"));
  EXPECT_EQ(plan.maximum, M("5000"));
  EXPECT_TRUE(plan.withdrawal.is_zero());
  EXPECT_TRUE(plan.reasons.empty());
  // Below the settings' own minimum: short by 100.
  EXPECT_TRUE(plan.must_trade());
  EXPECT_EQ(plan.shortfall, M("100"));
}

TEST(CashPlanTest, ScheduledWithdrawalIsRaisedWithinTheLeadDaysAndNotOnItsDueDate) {
  CashPolicy policy{.withdrawal_lead_days = 5};
  policy.scheduled = {Monthly("W1", "5000", 1, "2021-01-01")};
  EXPECT_TRUE(Plan(policy, "2021-04-25").withdrawal.is_zero());  // 6 days before
  const CashPlan plan = Plan(policy, "2021-04-26", "1000");
  EXPECT_EQ(plan.withdrawal, M("5000"));
  EXPECT_TRUE(HasReason(plan, "scheduled withdrawal W1 of 5,000.00 due 2021-05-01"));
  EXPECT_TRUE(plan.must_trade());
  EXPECT_EQ(plan.shortfall, M("4000"));
  EXPECT_NE(plan.must_trade_reason.find("4,000.00 short"), std::string::npos);
  EXPECT_EQ(Plan(policy, "2021-04-30").withdrawal, M("5000"));
  // Paid by the custodian on the 1st: the ledger has it, the review does not raise it again.
  EXPECT_TRUE(Plan(policy, "2021-05-01").withdrawal.is_zero());
}

TEST(CashPlanTest, LeadDaysCrossMonthAndYearEnds) {
  CashPolicy policy{.withdrawal_lead_days = 5};
  policy.scheduled = {Monthly("W2", "100", 2, "2021-01-02")};
  const CashPlan plan = Plan(policy, "2021-12-28");
  EXPECT_EQ(plan.withdrawal, M("100"));
  EXPECT_TRUE(HasReason(plan, "due 2022-01-02"));
  policy.scheduled = {Monthly("W28", "100", 28, "2024-01-28")};
  policy.withdrawal_lead_days = 1;
  EXPECT_EQ(Plan(policy, "2024-02-27").withdrawal, M("100"));  // a leap February
  EXPECT_TRUE(Plan(policy, "2024-02-28").withdrawal.is_zero());
  EXPECT_TRUE(Plan(policy, "2024-03-26").withdrawal.is_zero());
  // Zero lead days: nothing is raised ahead.
  policy.withdrawal_lead_days = 0;
  EXPECT_TRUE(Plan(policy, "2024-02-27").withdrawal.is_zero());
}

TEST(CashPlanTest, LongLeadRaisesEveryPaymentInTheWindow) {
  CashPolicy policy{.withdrawal_lead_days = 45};
  policy.scheduled = {Monthly("W1", "5000", 1, "2021-01-01")};
  const CashPlan plan = Plan(policy, "2021-04-20");  // May 1 and June 1
  EXPECT_EQ(plan.withdrawal, M("10000"));
  EXPECT_TRUE(HasReason(plan, "due 2021-06-01"));
}

TEST(CashPlanTest, OccurrencesFollowFirstDateEveryMonthsAndLastDate) {
  ScheduledWithdrawal quarterly = Monthly("Q", "1", 1, "2021-01-15");
  quarterly.every_months = 3;
  // The first payment is the first 1st on or after January 15: February 1, then every quarter.
  EXPECT_EQ(NextOccurrence(quarterly, D("2020-06-30")), D("2021-02-01"));
  EXPECT_EQ(NextOccurrence(quarterly, D("2021-01-31")), D("2021-02-01"));
  EXPECT_EQ(NextOccurrence(quarterly, D("2021-02-01")), D("2021-05-01"));
  EXPECT_EQ(NextOccurrence(quarterly, D("2021-03-15")), D("2021-05-01"));
  EXPECT_EQ(NextOccurrence(quarterly, D("2021-11-01")), D("2022-02-01"));
  quarterly.last_date = D("2021-08-01");
  EXPECT_EQ(NextOccurrence(quarterly, D("2021-07-31")), D("2021-08-01"));
  EXPECT_EQ(NextOccurrence(quarterly, D("2021-08-01")), std::nullopt);
  ScheduledWithdrawal yearly = Monthly("Y", "1", 10, "2021-03-10");
  yearly.every_months = 12;
  EXPECT_EQ(NextOccurrence(yearly, D("2021-03-09")), D("2021-03-10"));
  EXPECT_EQ(NextOccurrence(yearly, D("2021-03-10")), D("2022-03-10"));
  EXPECT_EQ(NextOccurrence(yearly, D("2023-12-31")), D("2024-03-10"));
}

TEST(CashPlanTest, PendingRequestsWithinTheLeadAreRaisedOthersIgnored) {
  CashPolicy policy{.withdrawal_lead_days = 5};
  policy.requests = {Request("R1", "25000", "2021-05-03"),
                     Request("R2", "700", "2021-05-02", WithdrawalRequestStatus::kPaid),
                     Request("R3", "800", "2021-05-02", WithdrawalRequestStatus::kCancelled),
                     Request("R4", "900", "2021-05-20"), Request("R5", "300", "2021-04-27")};
  const CashPlan plan = Plan(policy, "2021-04-28", "50000");
  EXPECT_EQ(plan.withdrawal, M("25000"));
  EXPECT_TRUE(
      HasReason(plan, "withdrawal request R1 of 25,000.00 due 2021-05-03 (entered by jdoe)"));
  EXPECT_FALSE(HasReason(plan, "R2"));
  EXPECT_FALSE(HasReason(plan, "R3"));
  EXPECT_FALSE(HasReason(plan, "R4"));
  // Past its due date and still pending: reported, not raised.
  EXPECT_TRUE(HasReason(plan, "R5 of 300.00 was due 2021-04-27 and is still pending"));
  EXPECT_FALSE(plan.must_trade());
}

TEST(CashPlanTest, ReserveHoldsBackIncomeSinceTheLastWithdrawalUpToTheCap) {
  CashPolicy policy{.reserve_cap = M("1000")};
  CashPlanInput input{.as_of = D("2021-04-28"), .balance = M("5000"), .min = M("200")};
  input.movements = {{D("2021-01-15"), CashMovementKind::kIncome, M("400")},
                     {D("2021-02-01"), CashMovementKind::kWithdrawal, M("5000")},
                     {D("2021-02-01"), CashMovementKind::kIncome, M("50")},  // paid out with it
                     {D("2021-03-15"), CashMovementKind::kIncome, M("300")},
                     {D("2021-04-15"), CashMovementKind::kIncome, M("250.25")},
                     {D("2021-04-29"), CashMovementKind::kIncome, M("999")}};  // after as_of
  CashPlan plan = PlanCash(policy, input);
  EXPECT_EQ(plan.reserve, M("550.25"));
  EXPECT_EQ(plan.minimum, M("750.25"));
  EXPECT_TRUE(HasReason(plan,
                        "reserve: 550.25 of 550.25 dividends and interest received since "
                        "the withdrawal of 2021-02-01"));
  input.movements.push_back({D("2021-04-20"), CashMovementKind::kIncome, M("600")});
  plan = PlanCash(policy, input);
  EXPECT_EQ(plan.reserve, M("1000"));  // the cap
  // No withdrawal ever: all income so far counts.
  input.movements = {{D("2021-01-15"), CashMovementKind::kIncome, M("400")}};
  EXPECT_EQ(PlanCash(policy, input).reserve, M("400"));
  // No cap: nothing is held back.
  EXPECT_TRUE(PlanCash({}, input).reserve.is_zero());
}

TEST(CashPlanTest, AccumulationStepsSumToTheTargetWithoutRaisingAheadOfTheSchedule) {
  CashPolicy policy{.accumulate_target = M("50000"),
                    .accumulate_reviews = 12,
                    .accumulate_from = D("2021-01-04")};
  CashPlanInput input{.as_of = D("2021-03-01"), .reviews_before = 2};
  CashPlan plan = PlanCash(policy, input);
  EXPECT_EQ(plan.accumulation, M("12500"));
  EXPECT_TRUE(HasReason(plan, "accumulate cash: 3 of 12 reviews, 12,500.00 of 50,000.00"));
  // Each review needs only its step: with the last step held, the next one asks 1/12 more.
  policy.accumulate_target = M("1000");
  Money previous;
  for (int k = 0; k < 12; ++k) {
    input.reviews_before = k;
    const Money step = PlanCash(policy, input).accumulation - previous;
    EXPECT_GE(step, M("83.333333")) << k;
    EXPECT_LE(step, M("83.333334")) << k;
    previous += step;
  }
  EXPECT_EQ(previous, M("1000"));  // exactly the target
  input.reviews_before = 30;       // done: the target stays held
  EXPECT_EQ(PlanCash(policy, input).accumulation, M("1000"));
  input.as_of = D("2021-01-03");  // before accumulate_from
  EXPECT_TRUE(PlanCash(policy, input).accumulation.is_zero());
}

TEST(CashPlanTest, MinimumAddsEveryPartAndTheMaximumIsRaisedToIt) {
  CashPolicy policy{.reserve_cap = M("15000"),
                    .accumulate_target = M("1200"),
                    .accumulate_reviews = 12,
                    .accumulate_from = D("2021-01-04")};
  CashPlanInput input{.as_of = D("2021-04-28"),
                      .balance = M("1800"),
                      .min = M("1000"),
                      .max = M("1500"),
                      .withdrawal = M("200")};
  input.movements = {{D("2021-03-15"), CashMovementKind::kIncome, M("300")}};
  const CashPlan plan = PlanCash(policy, input);
  EXPECT_EQ(plan.minimum, M("1400"));  // 1000 + 300 + 100
  EXPECT_EQ(plan.maximum, M("1500"));
  EXPECT_EQ(plan.withdrawal, M("200"));
  EXPECT_TRUE(HasReason(plan, "withdrawal of 200.00 from the rebalance settings"));
  EXPECT_FALSE(plan.must_trade());  // 1800 >= 200 + 1400
  input.max = M("1200");
  const CashPlan raised = PlanCash(policy, input);
  EXPECT_EQ(raised.maximum, M("1400"));
  EXPECT_TRUE(HasReason(raised, "cash maximum 1,200.00 raised to the cash minimum 1,400.00"));
}

TEST(CashPlanTest, ValidationNamesTheField) {
  CashPolicy policy;
  policy.scheduled = {Monthly("W1", "5000", 31, "2021-01-01")};
  EXPECT_EQ(ValidateCashPolicy(policy).message(),
            "scheduled[W1]: day_of_month: must be 1..28 (every month has the day), got 31");
  policy.scheduled = {Monthly("W1", "5000", 1, "2021-01-01"), Monthly("W1", "1", 1, "2021-01-01")};
  EXPECT_EQ(ValidateCashPolicy(policy).message(), "scheduled[W1]: listed twice");
  policy.scheduled = {};
  policy.requests = {Request("R1", "10", "2021-01-04")};
  EXPECT_NE(ValidateCashPolicy(policy).message().find(
                "requests[R1]: due: 2021-01-04 must be after the entry date"),
            std::string::npos);
  policy.requests = {};
  policy.accumulate_target = M("100");
  EXPECT_NE(ValidateCashPolicy(policy).message().find("accumulate_reviews"), std::string::npos);
  policy.accumulate_reviews = 4;
  EXPECT_NE(ValidateCashPolicy(policy).message().find("accumulate_from: required"),
            std::string::npos);
  policy.accumulate_from = D("2021-01-04");
  EXPECT_TRUE(ValidateCashPolicy(policy).ok());
  policy.withdrawal_lead_days = 61;
  EXPECT_NE(ValidateCashPolicy(policy).message().find("withdrawal_lead_days"), std::string::npos);
}

TEST(CashPlanTest, RequestStatusNames) {
  for (auto status : {WithdrawalRequestStatus::kPending, WithdrawalRequestStatus::kPaid,
                      WithdrawalRequestStatus::kCancelled}) {
    EXPECT_EQ(*WithdrawalRequestStatusFromString(ToString(status)), status);
  }
  EXPECT_FALSE(WithdrawalRequestStatusFromString("done").ok());
}

}  // namespace
}  // namespace arbor::review
