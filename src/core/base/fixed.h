// Exact decimal quantities with six fractional digits: Money (dollars), Shares and Price.
//
//   Shares q = Shares::FromMicros(1'500'000);          // 1.5 shares
//   Price p = *Price::Parse("101.25");
//   Money proceeds = Value(q, p);                       // 151.875 dollars, exactly
//   Money part = proceeds.Prorate(Shares::Units(1), q); // 101.25
//
// Why six digits: fractional shares are traded to 1e-6 and money is kept to a millionth of a
// dollar so that repeated lot splits never drift; cents appear only where the IRS forms want
// them (RoundedToCents). All arithmetic is integer; a product or a proration goes through
// 128 bits and rounds half away from zero exactly once.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/status.h"

namespace arbor {

inline constexpr int64_t kMicrosPerUnit = 1'000'000;

// Rounds numerator / denominator to the nearest integer, halves away from zero.
int64_t RoundedDivide(__int128 numerator, __int128 denominator);

// What ParseMicros does with significant digits past the sixth decimal.
enum class ExtraDigits {
  kReject,  // input that would lose information is an error (user input, imports)
  kRound,   // round half away from zero (market data files with long decimals)
};

// Parses a decimal like "-12.345" into millionths. Exponents and trailing garbage are errors.
Result<int64_t> ParseMicros(std::string_view text, ExtraDigits extra = ExtraDigits::kReject);
// Formats millionths with exactly `decimals` (0..6) digits, rounding half away from zero.
std::string FormatMicros(int64_t micros, int decimals);
std::string FormatMicrosShort(int64_t micros);

template <typename Tag>
class Fixed {
 public:
  constexpr Fixed() = default;
  static constexpr Fixed FromMicros(int64_t micros) { return Fixed(micros); }
  static constexpr Fixed Units(int64_t units) { return Fixed(units * kMicrosPerUnit); }
  // Nearest millionth of `value`; for values that came from text or JSON numbers.
  static Fixed FromDouble(double value) {
    double scaled = value * static_cast<double>(kMicrosPerUnit);
    return Fixed(static_cast<int64_t>(scaled < 0 ? scaled - 0.5 : scaled + 0.5));
  }
  static Result<Fixed> Parse(std::string_view text) {
    Result<int64_t> micros = ParseMicros(text);
    if (!micros.ok()) return micros.status();
    return Fixed(*micros);
  }

  constexpr int64_t micros() const { return micros_; }
  double ToDouble() const { return static_cast<double>(micros_) / kMicrosPerUnit; }
  std::string ToString(int decimals = 6) const { return FormatMicros(micros_, decimals); }
  // All significant digits, no trailing zeros: "100", "0.5", "33.333333".
  std::string ToShortString() const { return FormatMicrosShort(micros_); }

  constexpr bool is_zero() const { return micros_ == 0; }
  constexpr bool is_negative() const { return micros_ < 0; }
  constexpr bool is_positive() const { return micros_ > 0; }

  // This quantity scaled by part / whole, e.g. the basis of `part` shares of a lot of `whole`.
  template <typename OtherTag>
  Fixed Prorate(Fixed<OtherTag> part, Fixed<OtherTag> whole) const {
    return Fixed(RoundedDivide(static_cast<__int128>(micros_) * part.micros(), whole.micros()));
  }
  Fixed RoundedToCents() const { return Fixed(RoundedDivide(micros_, 10'000) * 10'000); }

  constexpr Fixed operator-() const { return Fixed(-micros_); }
  constexpr Fixed operator+(Fixed o) const { return Fixed(micros_ + o.micros_); }
  constexpr Fixed operator-(Fixed o) const { return Fixed(micros_ - o.micros_); }
  constexpr Fixed& operator+=(Fixed o) {
    micros_ += o.micros_;
    return *this;
  }
  constexpr Fixed& operator-=(Fixed o) {
    micros_ -= o.micros_;
    return *this;
  }
  constexpr auto operator<=>(const Fixed&) const = default;

 private:
  constexpr explicit Fixed(int64_t micros) : micros_(micros) {}
  int64_t micros_ = 0;
};

struct MoneyTag {};
struct SharesTag {};
struct PriceTag {};
using Money = Fixed<MoneyTag>;
using Shares = Fixed<SharesTag>;
using Price = Fixed<PriceTag>;  // dollars per share

// shares x price, rounded once to the millionth of a dollar.
inline Money Value(Shares shares, Price price) {
  return Money::FromMicros(
      RoundedDivide(static_cast<__int128>(shares.micros()) * price.micros(), kMicrosPerUnit));
}

// money / shares, rounded to the millionth (a per-share figure for ranking and display only).
inline Price PerShare(Money money, Shares shares) {
  return Price::FromMicros(
      RoundedDivide(static_cast<__int128>(money.micros()) * kMicrosPerUnit, shares.micros()));
}

}  // namespace arbor
