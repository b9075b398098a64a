// A calendar date (proleptic Gregorian), stored as days since 1970-01-01.
//
//   Date d = *Date::Parse("2024-02-29");
//   d.AddYears(1);         // 2025-03-01: a Feb 29 anniversary rolls to Mar 1
//   d.AddDays(30) - d;     // 30
//
// No clock: "today" is always passed in by the caller.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/status.h"

namespace arbor {

class Date {
 public:
  constexpr Date() = default;
  static Date FromDays(int32_t days_since_epoch) { return Date(days_since_epoch); }
  static Result<Date> FromYmd(int year, int month, int day);
  // Strict ISO form YYYY-MM-DD.
  static Result<Date> Parse(std::string_view text);

  int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  std::string ToString() const;

  Date AddDays(int32_t n) const { return Date(days_ + n); }
  // Same month and day `n` years later; Feb 29 becomes Mar 1 in a common year.
  Date AddYears(int n) const;
  int32_t operator-(Date other) const { return days_ - other.days_; }
  auto operator<=>(const Date&) const = default;

 private:
  constexpr explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

bool IsLeapYear(int year);

}  // namespace arbor
