// What `arbor rebalance` and `arbor household rebalance` share: the --as-of option and the
// --trades-csv file.
#pragma once

#include <fstream>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "apps/arbor/output.h"
#include "core/base/date.h"

namespace arbor::cli {

// Absent when the option was not given (the loaders then take the last price date).
inline std::optional<Date> AsOfOption(const std::string& text) {
  if (text.empty()) return std::nullopt;
  Result<Date> parsed = Date::Parse(text);
  if (!parsed.ok()) Fail(parsed.status().WithContext("--as-of"));
  return *parsed;
}

// Writes the trade list to `path` when one was given; fails the command when it cannot.
inline void WriteTradesCsv(const std::string& path, const std::function<void(std::ostream*)>& write) {
  if (path.empty()) return;
  std::ofstream file(path);
  if (!file) Fail(Status::FailedPrecondition("cannot write " + path));
  write(&file);
  file.close();
  if (!file) Fail(Status::Internal("writing " + path + " failed"));
}

}  // namespace arbor::cli
