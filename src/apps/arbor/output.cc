#include "apps/arbor/output.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>

namespace arbor::cli {

void Fail(const Status& status) {
  std::cerr << "arbor: " << status.message() << "\n";
  throw CLI::RuntimeError(1);
}

std::string User(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') return user;
  Fail(Status::InvalidArgument("who is acting? pass --user NAME (or set $USER)"));
}

std::string Now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

TextTable::TextTable(std::vector<std::string> header, std::vector<Align> align)
    : header_(std::move(header)), align_(std::move(align)) {}

void TextTable::AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
void TextTable::AddRule() { rows_.emplace_back(); }

void TextTable::Print(std::ostream& out) const {
  std::vector<size_t> width(header_.size());
  for (size_t c = 0; c < header_.size(); ++c) width[c] = header_[c].size();
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size() && c < width.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    for (size_t c = 0; c < header_.size(); ++c) {
      const std::string cell = c < row.size() ? row[c] : "";
      std::string pad(width[c] - cell.size(), ' ');
      out << (c ? "  " : "") << (align_[c] == Align::kRight ? pad + cell : cell + pad);
    }
    out << "\n";
  };
  print_row(header_);
  size_t total = 0;
  for (size_t w : width) total += w + 2;
  for (const auto& row : rows_) {
    if (row.empty()) {
      out << std::string(total - 2, '-') << "\n";
    } else {
      print_row(row);
    }
  }
}

std::string FormatPercent(double fraction, int decimals) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f%%", decimals, 100 * fraction);
  return buffer;
}

std::string FormatDollars(double amount, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(amount));
  std::string digits = buf;
  size_t point = digits.find('.');
  std::string whole = digits.substr(0, point);
  std::string out;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  if (point != std::string::npos) out += digits.substr(point);
  bool negative = amount < 0 && out.find_first_not_of("0.,") != std::string::npos;
  return (negative ? "-" : "") + out;
}

}  // namespace arbor::cli
