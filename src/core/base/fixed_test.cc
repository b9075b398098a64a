#include "core/base/fixed.h"

#include <gtest/gtest.h>

namespace arbor {
namespace {

TEST(FixedTest, ParsesAndFormatsExactly) {
  EXPECT_EQ(Money::Parse("12.345678")->micros(), 12'345'678);
  EXPECT_EQ(Money::Parse("-0.5")->micros(), -500'000);
  EXPECT_EQ(Money::Parse("7")->micros(), 7'000'000);
  EXPECT_EQ(Money::Parse("1.2500000")->micros(), 1'250'000);  // trailing zeros lose nothing
  EXPECT_EQ(Money::FromMicros(12'345'678).ToString(2), "12.35");
  EXPECT_EQ(Money::FromMicros(-12'345'000).ToString(2), "-12.35");  // half away from zero
  EXPECT_EQ(Money::FromMicros(-5'000).ToString(2), "-0.01");
  EXPECT_EQ(Money::FromMicros(3'000).ToString(2), "0.00");
  EXPECT_EQ(Shares::FromMicros(1).ToString(), "0.000001");
  EXPECT_EQ(Shares::FromMicros(100'000'000).ToShortString(), "100");
  EXPECT_EQ(Shares::FromMicros(-1'500'000).ToShortString(), "-1.5");
}

TEST(FixedTest, RoundsExtraDigitsWhenAsked) {
  EXPECT_EQ(*ParseMicros("24.313047409057617", ExtraDigits::kRound), 24'313'047);
  EXPECT_EQ(*ParseMicros("0.0000005", ExtraDigits::kRound), 1);
  EXPECT_EQ(*ParseMicros("-0.0000005", ExtraDigits::kRound), -1);
  EXPECT_EQ(*ParseMicros("1.0000004999", ExtraDigits::kRound), 1'000'000);
}

TEST(FixedTest, RejectsWhatWouldLoseInformation) {
  EXPECT_FALSE(Money::Parse("1.0000001").ok());
  EXPECT_FALSE(Money::Parse("1e5").ok());
  EXPECT_FALSE(Money::Parse("").ok());
  EXPECT_FALSE(Money::Parse("1.2.3").ok());
  EXPECT_FALSE(Money::Parse("abc").ok());
  EXPECT_FALSE(Money::Parse("99999999999999999999").ok());
}

TEST(FixedTest, ValueRoundsOnceToTheMicroDollar) {
  Shares third = Shares::FromMicros(333'333);
  Price price = *Price::Parse("10.00");
  EXPECT_EQ(Value(third, price).micros(), 3'333'330);
  EXPECT_EQ(Value(Shares::Units(100), *Price::Parse("10.123456")).ToString(6), "1012.345600");
}

TEST(FixedTest, ProratedPartsOfALotAddUpExactly) {
  // A $1,000.00 lot of 3 shares split one share at a time: the remainders carry every micro.
  Money basis = *Money::Parse("1000");
  Shares shares = Shares::Units(3);
  Money first = basis.Prorate(Shares::Units(1), shares);
  Money rest = basis - first;
  Money second = rest.Prorate(Shares::Units(1), Shares::Units(2));
  Money third = rest - second;
  EXPECT_EQ(first + second + third, basis);
  EXPECT_EQ(first.micros(), 333'333'333);
}

TEST(FixedTest, RoundsToCentsHalfAwayFromZero) {
  EXPECT_EQ(Money::FromMicros(1'005'000).RoundedToCents().micros(), 1'010'000);
  EXPECT_EQ(Money::FromMicros(-1'005'000).RoundedToCents().micros(), -1'010'000);
  EXPECT_EQ(Money::FromMicros(1'004'999).RoundedToCents().micros(), 1'000'000);
}

TEST(FixedTest, RoundedDivideHandlesSigns) {
  EXPECT_EQ(RoundedDivide(5, 2), 3);
  EXPECT_EQ(RoundedDivide(-5, 2), -3);
  EXPECT_EQ(RoundedDivide(5, -2), -3);
  EXPECT_EQ(RoundedDivide(4, 3), 1);
  EXPECT_EQ(RoundedDivide(-4, 3), -1);
}

}  // namespace
}  // namespace arbor
