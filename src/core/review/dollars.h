// Dollar amounts as people read them in proposal texts: 1234567.891 -> "1,234,567.89".
#pragma once

#include <string>

#include "core/base/fixed.h"

namespace arbor::review {

std::string Dollars(Money amount);
// Rounded to the millionth first, then to cents.
std::string Dollars(double amount);

}  // namespace arbor::review
