#include "core/base/date.h"

#include <cstdio>

namespace arbor {
namespace {

// Civil date <-> day count via 400-year eras (146097 days each), years starting in March so
// that the leap day falls at the end.
int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

struct Ymd {
  int year;
  unsigned month;
  unsigned day;
};

Ymd CivilFromDays(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

Result<Date> Date::FromYmd(int year, int month, int day) {
  if (year < 1900 || year > 2200) {
    return Status::InvalidArgument("year " + std::to_string(year) + " out of range 1900..2200");
  }
  if (month < 1 || month > 12) {
    return Status::InvalidArgument("month " + std::to_string(month) + " out of range");
  }
  if (day < 1 || day > DaysInMonth(year, month)) {
    return Status::InvalidArgument("day " + std::to_string(day) + " out of range for " +
                                   std::to_string(year) + "-" + std::to_string(month));
  }
  return Date(DaysFromCivil(year, month, day));
}

Result<Date> Date::Parse(std::string_view text) {
  auto digits = [&](size_t from, size_t count, int* out) {
    int v = 0;
    for (size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(0, 4, &y) ||
      !digits(5, 2, &m) || !digits(8, 2, &d)) {
    return Status::InvalidArgument("invalid date '" + std::string(text) +
                                   "' (expected YYYY-MM-DD)");
  }
  Result<Date> date = FromYmd(y, m, d);
  if (!date.ok()) {
    return Status::InvalidArgument("invalid date '" + std::string(text) + "': " +
                                   date.status().message());
  }
  return date;
}

int Date::year() const { return CivilFromDays(days_).year; }
int Date::month() const { return static_cast<int>(CivilFromDays(days_).month); }
int Date::day() const { return static_cast<int>(CivilFromDays(days_).day); }

std::string Date::ToString() const {
  Ymd ymd = CivilFromDays(days_);
  char buf[32];  // 11 bytes suffice for years 1900..2200; the rest keeps -Wformat quiet
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", ymd.year, ymd.month, ymd.day);
  return buf;
}

Date Date::AddYears(int n) const {
  Ymd ymd = CivilFromDays(days_);
  int year = ymd.year + n;
  if (ymd.month == 2 && ymd.day == 29 && !IsLeapYear(year)) {
    return Date(DaysFromCivil(year, 3, 1));
  }
  return Date(DaysFromCivil(year, ymd.month, ymd.day));
}

}  // namespace arbor
