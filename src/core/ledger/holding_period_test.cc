#include "core/ledger/holding_period.h"

#include <gtest/gtest.h>

namespace arbor {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

// IRS Pub. 550, "Holding Period": "If you buy stock on February 5, 2024, and sell it on
// February 5, 2025, your holding period is not more than 1 year"; sold February 6, 2025 it is.
TEST(HoldingPeriodTest, Pub550Example) {
  EXPECT_FALSE(IsLongTerm(D("2024-02-05"), D("2025-02-05")));
  EXPECT_TRUE(IsLongTerm(D("2024-02-05"), D("2025-02-06")));
}

// Counted by calendar, not 365 days: 2024 is a leap year, so a lot bought 2023-03-01 is
// long-term on 2024-03-02, 367 days later, and not on the 366th day.
TEST(HoldingPeriodTest, CalendarNot365Days) {
  EXPECT_FALSE(IsLongTerm(D("2023-03-01"), D("2024-03-01")));
  EXPECT_TRUE(IsLongTerm(D("2023-03-01"), D("2024-03-02")));
}

// The holding period starts the day after acquisition: bought Feb 28, 2024, it starts on
// Feb 29, 2024, whose anniversary in 2025 is Mar 1.
TEST(HoldingPeriodTest, Feb29Anniversaries) {
  EXPECT_EQ(FirstLongTermDate(D("2024-02-28")).ToString(), "2025-03-01");
  EXPECT_EQ(FirstLongTermDate(D("2024-02-29")).ToString(), "2025-03-01");
  EXPECT_EQ(FirstLongTermDate(D("2023-02-28")).ToString(), "2024-03-01");
  EXPECT_EQ(FirstLongTermDate(D("2027-02-28")).ToString(), "2028-03-01");
  EXPECT_EQ(FirstLongTermDate(D("2028-02-27")).ToString(), "2029-02-28");
  EXPECT_FALSE(IsLongTerm(D("2024-02-28"), D("2025-02-28")));
  EXPECT_TRUE(IsLongTerm(D("2024-02-28"), D("2025-03-01")));
}

// Reg. 1.1091-2 / Pub. 550: the replacement's holding period includes the washed shares'.
TEST(HoldingPeriodTest, TackedHoldingPeriod) {
  // Washed shares held 2024-01-10 .. 2024-06-10 (152 days); replacement bought 2024-06-20.
  EXPECT_EQ(TackedHoldingPeriodDate(D("2024-06-20"), D("2024-06-10"), D("2024-01-10")).ToString(),
            "2024-01-20");
}

}  // namespace
}  // namespace arbor
