#include "core/base/date.h"

#include <gtest/gtest.h>

namespace arbor {
namespace {

TEST(DateTest, ParsesAndFormatsRoundTrip) {
  for (const char* text : {"1970-01-01", "2000-02-29", "2024-02-29", "2099-12-31", "1999-03-01"}) {
    Result<Date> d = Date::Parse(text);
    ASSERT_TRUE(d.ok()) << text;
    EXPECT_EQ(d->ToString(), text);
  }
  EXPECT_EQ(Date::Parse("1970-01-02")->days(), 1);
}

TEST(DateTest, RejectsInvalidDates) {
  for (const char* text : {"2023-02-29", "2024-13-01", "2024-00-10", "2024-1-01", "20240101",
                           "2024-04-31", "abcd-ef-gh", "2100-02-29"}) {
    EXPECT_FALSE(Date::Parse(text).ok()) << text;
  }
  EXPECT_NE(Date::Parse("2023-02-29").status().message().find("2023-02-29"), std::string::npos);
}

TEST(DateTest, DayArithmeticCrossesLeapDays) {
  Date d = *Date::Parse("2024-02-28");
  EXPECT_EQ(d.AddDays(1).ToString(), "2024-02-29");
  EXPECT_EQ(d.AddDays(2).ToString(), "2024-03-01");
  EXPECT_EQ(*Date::Parse("2025-01-01") - *Date::Parse("2024-01-01"), 366);
}

TEST(DateTest, AnniversaryOfFeb29RollsToMarch1) {
  EXPECT_EQ(Date::Parse("2024-02-29")->AddYears(1).ToString(), "2025-03-01");
  EXPECT_EQ(Date::Parse("2024-02-29")->AddYears(4).ToString(), "2028-02-29");
  EXPECT_EQ(Date::Parse("2023-03-15")->AddYears(1).ToString(), "2024-03-15");
}

TEST(DateTest, ExhaustiveRoundTripOverTwoCenturies) {
  Date start = *Date::Parse("1900-01-01");
  Date end = *Date::Parse("2200-12-31");
  for (Date d = start; d <= end; d = d.AddDays(1)) {
    Result<Date> back = Date::FromYmd(d.year(), d.month(), d.day());
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(back->days(), d.days());
  }
}

}  // namespace
}  // namespace arbor
