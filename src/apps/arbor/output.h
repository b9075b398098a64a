// Small helpers shared by the commands: failing with a message, and aligned text tables.
//
//   TextTable table({"symbol", "shares"}, {Align::kLeft, Align::kRight});
//   table.AddRow({"AAPL", "100"});
//   table.Print(std::cout);
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "core/base/status.h"

namespace arbor::cli {

// Prints "arbor: <message>" to stderr and ends the command with exit status 1.
[[noreturn]] void Fail(const Status& status);
// Returns the value or fails the command.
template <typename T>
T OrFail(Result<T> result) {
  if (!result.ok()) Fail(result.status());
  return std::move(result).value();
}
inline void OrFail(const Status& status) {
  if (!status.ok()) Fail(status);
}

// Who acts, for an audit log: `given` (a --user option), else $USER; fails when neither is set.
std::string User(const std::string& given);
// ISO 8601 in UTC, to the second: text order is time order in the audit logs.
std::string Now();

enum class Align { kLeft, kRight };

class TextTable {
 public:
  TextTable(std::vector<std::string> header, std::vector<Align> align);
  void AddRow(std::vector<std::string> cells);
  void AddRule();  // a line of dashes, e.g. before totals
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;  // an empty row is a rule
};

// 1234567.891 -> "1,234,567.89"; negative amounts keep their minus sign.
std::string FormatDollars(double amount, int decimals = 2);
// 0.0532 -> "5.32%" (with decimals = 2).
std::string FormatPercent(double fraction, int decimals = 2);

}  // namespace arbor::cli
