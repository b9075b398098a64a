#include "core/review/dollars.h"

namespace arbor::review {

std::string Dollars(Money amount) {
  const std::string digits = amount.ToString(2);
  const size_t sign = amount.is_negative() ? 1 : 0;
  const size_t point = digits.find('.');
  std::string out = digits.substr(0, sign);
  for (size_t k = sign; k < point; ++k) {
    if (k > sign && (point - k) % 3 == 0) out += ',';
    out += digits[k];
  }
  return out + digits.substr(point);
}

std::string Dollars(double amount) { return Dollars(Money::FromDouble(amount)); }

}  // namespace arbor::review
