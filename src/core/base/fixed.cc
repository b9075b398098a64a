#include "core/base/fixed.h"

#include <cstdlib>

namespace arbor {

int64_t RoundedDivide(__int128 numerator, __int128 denominator) {
  assert(denominator != 0);
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  __int128 quotient = numerator / denominator;
  __int128 remainder = numerator % denominator;
  if (remainder * 2 >= denominator) ++quotient;
  if (-remainder * 2 >= denominator) --quotient;
  return static_cast<int64_t>(quotient);
}

Result<int64_t> ParseMicros(std::string_view text, ExtraDigits extra) {
  auto invalid = [&](const char* why) {
    return Status::InvalidArgument("'" + std::string(text) + "' is not a decimal number (" +
                                   why + ")");
  };
  std::string_view s = text;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return invalid("empty");
  bool negative = false;
  if (s.front() == '-' || s.front() == '+') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  __int128 whole = 0;
  int64_t fraction = 0;
  int fraction_digits = 0;
  bool round_up = false;
  bool seen_point = false;
  bool seen_digit = false;
  for (char c : s) {
    if (c == '.') {
      if (seen_point) return invalid("two decimal points");
      seen_point = true;
    } else if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (seen_point) {
        if (++fraction_digits > 6) {
          if (extra == ExtraDigits::kRound) {
            if (fraction_digits == 7) round_up = c >= '5';  // the seventh digit decides
          } else if (c != '0') {
            return invalid("more than 6 decimal places");
          }
          continue;
        }
        fraction = fraction * 10 + (c - '0');
      } else {
        whole = whole * 10 + (c - '0');
        if (whole > 9'000'000'000'000) return invalid("too large");
      }
    } else {
      return invalid("unexpected character");
    }
  }
  if (!seen_digit) return invalid("no digits");
  for (int i = fraction_digits; i < 6; ++i) fraction *= 10;
  int64_t micros = static_cast<int64_t>(whole) * kMicrosPerUnit + fraction + (round_up ? 1 : 0);
  return negative ? -micros : micros;
}

std::string FormatMicros(int64_t micros, int decimals) {
  int64_t scale = 1;
  for (int i = decimals; i < 6; ++i) scale *= 10;
  int64_t rounded = RoundedDivide(micros, scale);
  bool negative = rounded < 0;
  uint64_t magnitude = negative ? -static_cast<uint64_t>(rounded) : rounded;
  uint64_t unit = 1;
  for (int i = 0; i < decimals; ++i) unit *= 10;
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / unit);
  if (decimals > 0) {
    std::string frac = std::to_string(magnitude % unit);
    out += '.';
    out += std::string(decimals - frac.size(), '0') + frac;
  }
  return out;
}

std::string FormatMicrosShort(int64_t micros) {
  std::string text = FormatMicros(micros, 6);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace arbor
