// Randomized robustness test of the CSV imports: thousands of mutations of valid files
// (truncated lines, garbage bytes, swapped columns, huge numbers, empty fields, stray quotes,
// dropped and repeated lines) with a fixed seed. Every import must either succeed or fail
// with a message, never crash, and a failed import must leave every stored row as it was.
#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "adapters/storage/store.h"
#include "adapters/storage/store_test_util.h"

namespace arbor {
namespace {

using testing_util::Fingerprint;
using testing_util::ScratchDir;

using testing_util::kSecurities;

constexpr char kAccounts[] =
    "id,type,taxpayers,household,name\n"
    "A,taxable,T1,H1,Alice\n"
    "B,traditional_ira,T1,H1,Alice IRA\n"
    "J,taxable,T1;T2,H1,Joint\n"
    "C,roth_ira,T3,H2,Carol\n";

constexpr char kPrices[] =
    "symbol,date,close\n"
    "AAA,2024-01-02,10.5\n"
    "AAA,2024-01-03,10.75\n"
    "BBB,2024-01-02,20\n"
    "SPY,2024-01-02,470.25\n"
    "IVV,2024-01-02,472.1\n";

// The AlphaVantage daily layout; the symbol comes from the file name.
constexpr char kAlphaVantage[] =
    "timestamp,open,close,adjusted_close,volume,dividend_amount,split_coefficient\n"
    "2024-01-02,10.1,10.5,10.4,1000,0.0,1.0\n"
    "2024-01-03,10.5,10.75,10.6,1200,0.25,1.0\n"
    "2024-01-04,10.7,5.4,5.35,900,0.0,2.0\n"
    "2024-01-05,5.4,5.5,5.45,950,0.0,1.0\n";

constexpr char kLots[] =
    "account,symbol,lot_id,shares,basis,acquired,acquired_for_holding_period\n"
    "A,AAA,L1,100,1000.50,2020-03-15,\n"
    "A,BBB,L2,10.5,200,2021-06-01,2021-05-01\n"
    "B,SPY,L3,5,2000,2019-01-02,\n"
    "C,IVV,L4,3,1200,2018-07-09,\n";

constexpr char kTransactions[] =
    "id,date,account,action,symbol,shares,price,fees,amount,lot_id,lot_method,lots\n"
    "t1,2024-01-02,A,deposit,,,,,10000,,,\n"
    "t2,2024-01-03,A,buy,AAA,100,10,1,,B1,,\n"
    "t3,2024-01-04,A,buy,AAA,50,12,0,,B2,,\n"
    "t4,2024-03-01,A,sell,AAA,60,11,1,,,,B1:40;B2:20\n"
    "t5,2024-03-05,A,dividend,AAA,,,,25.5,,,\n"
    "t6,2024-03-06,J,buy,SPY,2,470,0,,,,\n"
    "t7,2024-03-07,A,sell,BBB,1.5,21,0,,,fifo,\n"
    "t8,2024-03-08,B,buy,IVV,1,480,0,,,,\n";

enum class Kind { kSecurities, kAccounts, kPrices, kAlphaVantage, kLots, kTransactions };

struct Base {
  Kind kind;
  const char* file_name;
  const char* text;
};

constexpr Base kBases[] = {
    {Kind::kSecurities, "securities.csv", kSecurities},
    {Kind::kAccounts, "accounts.csv", kAccounts},
    {Kind::kPrices, "prices.csv", kPrices},
    {Kind::kAlphaVantage, "AAA.csv", kAlphaVantage},
    {Kind::kLots, "lots.csv", kLots},
    {Kind::kTransactions, "transactions.csv", kTransactions},
};

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

// Splits on commas only (quotes are part of what gets mangled).
std::vector<std::string> SplitFields(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    size_t end = line.find(',', start);
    fields.push_back(
        line.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return fields;
}

std::string JoinFields(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + fields[i];
  return line;
}

class Mutator {
 public:
  explicit Mutator(uint32_t seed) : rng_(seed) {}

  size_t Below(size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }

  std::string Mutate(const std::string& text) {
    std::string out = text;
    const size_t count = 1 + Below(3);
    for (size_t i = 0; i < count; ++i) out = MutateOnce(out);
    return out;
  }

 private:
  std::string MutateOnce(const std::string& text) {
    std::vector<std::string> lines = SplitLines(text);
    if (lines.empty()) return "garbage\n";
    size_t line = Below(lines.size());
    std::string& l = lines[line];
    switch (Below(11)) {
      case 0:  // truncated line
        l = l.substr(0, Below(l.size() + 1));
        break;
      case 1: {  // garbage bytes
        std::string garbage;
        for (size_t n = 1 + Below(6); n > 0; --n) garbage += static_cast<char>(Below(256));
        l.insert(Below(l.size() + 1), garbage);
        break;
      }
      case 2: {  // swapped columns
        std::vector<std::string> fields = SplitFields(l);
        if (fields.size() > 1)
          std::swap(fields[Below(fields.size())], fields[Below(fields.size())]);
        l = JoinFields(fields);
        break;
      }
      case 3: {  // huge or odd numbers
        static const char* kNumbers[] = {"99999999999999999999",
                                         "9223372036854775807",
                                         "1e308",
                                         "-0",
                                         "0.0000001",
                                         "-1",
                                         "0",
                                         "nan",
                                         "inf",
                                         "1.2.3",
                                         "999999999999.999999",
                                         "+5"};
        std::vector<std::string> fields = SplitFields(l);
        fields[Below(fields.size())] = kNumbers[Below(std::size(kNumbers))];
        l = JoinFields(fields);
        break;
      }
      case 4: {  // empty field
        std::vector<std::string> fields = SplitFields(l);
        fields[Below(fields.size())].clear();
        l = JoinFields(fields);
        break;
      }
      case 5:  // stray quote
        l.insert(Below(l.size() + 1), "\"");
        break;
      case 6:  // dropped line
        lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(line));
        break;
      case 7:  // repeated line
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(line), l);
        break;
      case 8:  // truncated file
        return text.substr(0, Below(text.size() + 1));
      case 9: {  // another valid-looking date
        std::vector<std::string> fields = SplitFields(l);
        char date[16];
        std::snprintf(date, sizeof date, "%04zu-%02zu-%02zu", 1990 + Below(40), 1 + Below(13),
                      1 + Below(31));
        fields[Below(fields.size())] = date;
        l = JoinFields(fields);
        break;
      }
      default: {  // a field copied from another line
        std::string& other = lines[Below(lines.size())];
        std::vector<std::string> from = SplitFields(other);
        std::vector<std::string> to = SplitFields(l);
        to[Below(to.size())] = from[Below(from.size())];
        l = JoinFields(to);
        break;
      }
    }
    return JoinLines(lines);
  }

  std::mt19937 rng_;
};

Result<ImportSummary> Import(Store* store, Kind kind, const std::string& path) {
  switch (kind) {
    case Kind::kSecurities:
      return store->ImportSecurities({path});
    case Kind::kAccounts:
      return store->ImportAccounts({path});
    case Kind::kPrices:
    case Kind::kAlphaVantage:
      return store->ImportPrices({path});
    case Kind::kLots:
      return store->ImportLots({path});
    case Kind::kTransactions:
      return store->ImportTransactions({path});
  }
  return Status::Internal("unreachable");
}

TEST(ImporterFuzzTest, MutatedFilesNeverCrashOrWritePartially) {
  ScratchDir dir("importer_fuzz_test");
  Result<std::unique_ptr<Store>> opened = Store::Open(dir.Path("fuzz.db"));
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  Store* store = opened->get();
  // The valid files import cleanly, in dependency order.
  for (const Base& base : kBases) {
    Result<ImportSummary> s = Import(store, base.kind, dir.Write(base.file_name, base.text));
    ASSERT_TRUE(s.ok()) << base.file_name << ": " << s.status().message();
  }

  Mutator mutator(20240601);
  constexpr int kIterations = 4000;
  int accepted = 0, rejected = 0;
  std::string before = Fingerprint(store->database());
  for (int i = 0; i < kIterations; ++i) {
    const Base& base = kBases[mutator.Below(std::size(kBases))];
    std::string text = mutator.Mutate(base.text);
    // AlphaVantage files are named by symbol; the others get a fresh name per iteration so
    // that accepted rows carry distinct sources.
    std::string name = base.kind == Kind::kAlphaVantage
                           ? std::string(base.file_name)
                           : "m" + std::to_string(i) + "_" + base.file_name;
    std::string path = dir.Write(name, text);
    Result<ImportSummary> result = Import(store, base.kind, path);
    std::string after = Fingerprint(store->database());
    if (result.ok()) {
      ++accepted;
      EXPECT_EQ(result->rows_read, result->inserted + result->unchanged + result->updated)
          << "iteration " << i;
    } else {
      ++rejected;
      EXPECT_FALSE(result.status().message().empty()) << "iteration " << i;
      ASSERT_EQ(after, before) << "iteration " << i << ": a failed import of " << name
                               << " changed the database\n--- file ---\n"
                               << text << "--- error ---\n"
                               << result.status().message();
    }
    before = std::move(after);
  }
  // Most mutations break a file, but some (a repeated line, a dropped one) keep it valid.
  EXPECT_GT(accepted, kIterations / 20);
  EXPECT_GT(rejected, kIterations / 2);
  std::cout << "fuzz: " << accepted << " imports accepted, " << rejected << " rejected\n";

  // Whatever was accepted still replays.
  Result<std::vector<Account>> accounts = store->LoadAccounts();
  ASSERT_TRUE(accounts.ok());
  for (const Account& account : *accounts) {
    Result<LedgerInput> input = store->LoadLedgerInput(account.id, std::nullopt);
    ASSERT_TRUE(input.ok()) << input.status().message();
    Result<Ledger> ledger = BuildLedger(*input);
    EXPECT_TRUE(ledger.ok()) << account.id << ": " << ledger.status().message();
  }
}

}  // namespace
}  // namespace arbor
