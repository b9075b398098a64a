// A list of names for a one-line message: the first `most`, then how many more.
//
//   JoinSome({"AAPL", "MSFT", "IBM"}, 2);   // "AAPL, MSFT and 1 more"
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace arbor {

inline std::string JoinSome(const std::vector<std::string>& names, size_t most) {
  std::string text;
  for (size_t k = 0; k < names.size() && k < most; ++k) text += (k ? ", " : "") + names[k];
  if (names.size() > most) text += " and " + std::to_string(names.size() - most) + " more";
  return text;
}

}  // namespace arbor
