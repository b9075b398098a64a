// Test helpers for the storage adapter: a scratch directory per test, CSV files written into
// it, and a fingerprint of every stored row to prove that a failed import changed nothing.
//
//   ScratchDir dir("store_test");
//   std::string path = dir.Write("lots.csv", "account,symbol,...\n");
//   std::string before = Fingerprint(store->database());
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "adapters/storage/sqlite.h"
#include "core/ledger/event.h"

namespace arbor::testing_util {

// Four securities the storage tests share: two stocks and the SP500 wash-sale group.
inline constexpr char kSecurities[] =
    "symbol,name,type,sector,industry_group,industry,sub_industry,asset_class,fractional,"
    "wash_sale_group\n"
    "AAA,Alpha Corp,stock,Industrials,,,,US Large Cap,true,\n"
    "BBB,\"Beta, Inc.\",stock,Financials,,,,US Large Cap,false,\n"
    "SPY,SPDR S&P 500,etf,,,,,US Large Cap,true,SP500\n"
    "IVV,iShares Core S&P 500,etf,,,,,US Large Cap,true,SP500\n";

// A buy or sell of whole shares at a decimal price ("12.34").
inline Event Trade(const char* date, const char* account, EventAction action, const char* symbol,
                   int64_t shares, const char* price) {
  return {.date = *Date::Parse(date),
          .account = account,
          .action = action,
          .symbol = symbol,
          .shares = Shares::Units(shares),
          .price = *Price::Parse(price)};
}

// A fresh directory under the system temp dir, removed when the test ends.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix) {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = prefix + "_" + std::to_string(::getpid());
    if (test != nullptr) name += std::string("_") + test->test_suite_name() + "_" + test->name();
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string Path(const std::string& name) const { return (path_ / name).string(); }
  // Writes `text` to `name` (bytes as given) and returns the full path.
  std::string Write(const std::string& name, const std::string& text) const {
    std::string path = Path(name);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    return path;
  }

 private:
  std::filesystem::path path_;
};

// Every row of every Arbor table in a stable order, as one string.
inline std::string Fingerprint(Database* db) {
  static constexpr const char* kQueries[] = {
      "SELECT * FROM securities ORDER BY symbol",
      "SELECT * FROM prices ORDER BY symbol, date",
      "SELECT * FROM corporate_actions ORDER BY symbol, ex_date, kind",
      "SELECT * FROM accounts ORDER BY id",
      "SELECT * FROM transactions ORDER BY seq",
  };
  std::string text;
  for (const char* query : kQueries) {
    Result<Statement> select = db->Prepare(query);
    if (!select.ok()) return "error: " + select.status().message();
    text += query;
    text += '\n';
    while (true) {
      Result<bool> row = select->Step();
      if (!row.ok()) return "error: " + row.status().message();
      if (!*row) break;
      for (int c = 0; c < select->ColumnCount(); ++c) {
        text += select->ColumnIsNull(c) ? std::string("<null>") : select->ColumnText(c);
        text += '|';
      }
      text += '\n';
    }
  }
  return text;
}

}  // namespace arbor::testing_util
