// Filter::ToSql against Filter::Matches on random review results and random filters: SQLite,
// evaluating the SQL over the real review_results table and the review fields' expressions,
// must select exactly the rows Matches() accepts on values computed here independently
// (a flag is a word of `flags`, suspended is status = 'suspended').
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "adapters/storage/migrations.h"
#include "adapters/storage/sqlite.h"
#include "adapters/storage/workbench_internal.h"
#include "adapters/storage/workbench_test_util.h"
#include "core/workbench/review_fields.h"

namespace arbor {
namespace {

using testing_util::ReviewResultRow;
using workbench::FieldType;
using workbench::FieldValue;
using workbench::ReviewField;

// Few distinct values, so that equality and `in` hit as often as they miss; texts with quotes,
// commas, case and bytes above 127 to catch any quoting, collation or encoding difference.
const std::vector<double> kNumbers = {-1e6, -2.5, -0.03, 0, 1e-9, 0.03, 0.15, 1, 25, 1000, 3.5e6};
const std::vector<std::string> kTexts = {"",     "LEE", "lee", "O'NEIL", "a,b", "ira",
                                         "roth", "z",   "é",   "LEE ",   "'"};
const std::vector<std::string> kStatuses = {"pending", "suspended", "approved", "review",
                                            "released"};
const std::vector<std::string> kOutcomes = {"proposed", "no_trade", "suspended", "failed"};

template <typename T>
const T& Pick(const std::vector<T>& values, std::mt19937_64& rng) {
  return values[std::uniform_int_distribution<size_t>(0, values.size() - 1)(rng)];
}

ReviewResultRow RandomRow(int i, std::mt19937_64& rng) {
  auto number = [&] { return Pick(kNumbers, rng); };
  auto text = [&] { return Pick(kTexts, rng); };
  std::string flags;
  for (std::string_view flag : workbench::ReviewFlags()) {
    if (rng() % 3 == 0) flags += (flags.empty() ? "" : ",") + std::string(flag);
  }
  if (rng() % 5 == 0)
    flags += (flags.empty() ? "" : ",") + std::string("harvested");  // a near miss
  return {.account = "A" + std::to_string(i),
          .household = text(),
          .advisor = text(),
          .account_type = text(),
          .outcome = Pick(kOutcomes, rng),
          .status = Pick(kStatuses, rng),
          .reasons = text(),
          .warnings = static_cast<int64_t>(rng() % 3),
          .market_value = number(),
          .cash_before = number(),
          .cash_after = number(),
          .cash_required = number(),
          .withdrawal_usd = number(),
          .trades_count = static_cast<int64_t>(rng() % 4),
          .buy_usd = number(),
          .sell_usd = number(),
          .turnover = number(),
          .score_usd = number(),
          .score_bps = number(),
          .tax_usd = number(),
          .gains_usd = number(),
          .harvest_usd = number(),
          .tracking_error_before = number(),
          .tracking_error_after = number(),
          .drift_max = number(),
          .drift_max_after = number(),
          .must_trade = rng() % 2 == 0,
          .must_trade_reasons = text(),
          .flags = flags,
          .notes = text(),
          .seconds = number(),
          .household_joint = rng() % 2 == 0,
          .household_value = number(),
          .household_score_usd = number(),
          .household_score_bps = number(),
          .household_tracking_error_before = number(),
          .household_tracking_error_after = number(),
          .location_benefit_usd = number()};
}

bool HasWord(const std::string& list, std::string_view word) {
  size_t start = 0;
  while (start <= list.size()) {
    const size_t end = std::min(list.find(',', start), list.size());
    if (std::string_view(list).substr(start, end - start) == word) return true;
    start = end + 1;
  }
  return false;
}

// The row's value of every review field, computed without SQL.
std::vector<FieldValue> Values(const ReviewResultRow& r) {
  const std::map<std::string_view, FieldValue> columns = {
      {"account", r.account},
      {"household", r.household},
      {"advisor", r.advisor},
      {"account_type", r.account_type},
      {"outcome", r.outcome},
      {"status", r.status},
      {"suspended", r.status == "suspended"},
      {"reasons", r.reasons},
      {"warnings", static_cast<double>(r.warnings)},
      {"market_value", r.market_value},
      {"cash_before", r.cash_before},
      {"cash_after", r.cash_after},
      {"cash_required", r.cash_required},
      {"withdrawal_usd", r.withdrawal_usd},
      {"trades", static_cast<double>(r.trades_count)},
      {"buy_usd", r.buy_usd},
      {"sell_usd", r.sell_usd},
      {"turnover", r.turnover},
      {"score_usd", r.score_usd},
      {"score_bps", r.score_bps},
      {"tax_usd", r.tax_usd},
      {"gains_usd", r.gains_usd},
      {"harvest_usd", r.harvest_usd},
      {"tracking_error_before", r.tracking_error_before},
      {"tracking_error_after", r.tracking_error_after},
      {"drift_max", r.drift_max},
      {"drift_max_after", r.drift_max_after},
      {"must_trade", r.must_trade},
      {"must_trade_reasons", r.must_trade_reasons},
      {"flags", r.flags},
      {"notes", r.notes},
      {"seconds", r.seconds},
      {"household_joint", r.household_joint},
      {"household_value", r.household_value},
      {"household_score_usd", r.household_score_usd},
      {"household_score_bps", r.household_score_bps},
      {"household_tracking_error_before", r.household_tracking_error_before},
      {"household_tracking_error_after", r.household_tracking_error_after},
      {"location_benefit_usd", r.location_benefit_usd},
  };
  const auto flags = workbench::ReviewFlags();
  std::vector<FieldValue> values;
  for (const ReviewField& f : workbench::ReviewFields()) {
    if (auto it = columns.find(f.name); it != columns.end()) {
      values.push_back(it->second);
    } else if (std::ranges::find(flags, f.name) != flags.end()) {
      values.push_back(HasWord(r.flags, f.name));
    } else {
      ADD_FAILURE() << "no independent value for field " << f.name;
      values.push_back(false);
    }
  }
  return values;
}

std::string Literal(FieldType type, std::mt19937_64& rng) {
  switch (type) {
    case FieldType::kNumber: {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.17g", Pick(kNumbers, rng));
      return buffer;
    }
    case FieldType::kText: {
      // Sometimes a status or outcome name, so those fields match some rows.
      const std::string& t = rng() % 2 ? Pick(kTexts, rng) : Pick(kStatuses, rng);
      std::string quoted = "'";
      for (char c : t) quoted += c == '\'' ? std::string("''") : std::string(1, c);
      return quoted + "'";
    }
    case FieldType::kBoolean:
      return rng() % 2 ? "true" : "false";
  }
  return "";
}

std::string RandomCondition(std::mt19937_64& rng) {
  const auto fields = workbench::ReviewFields();
  const ReviewField& f = fields[rng() % fields.size()];
  const std::string name(f.name);
  switch (rng() % 4) {
    case 0:
      if (f.type == FieldType::kBoolean) return name;
      [[fallthrough]];
    case 1: {
      static const char* kOps[] = {"=", "!=", "<", "<=", ">", ">="};
      const char* op = kOps[f.type == FieldType::kBoolean ? rng() % 2 : rng() % 6];
      return name + " " + op + " " + Literal(f.type, rng);
    }
    default: {
      std::string list;
      for (int n = 1 + rng() % 3; n > 0; --n)
        list += (list.empty() ? "" : ", ") + Literal(f.type, rng);
      return name + (rng() % 2 ? " not in (" : " in (") + list + ")";
    }
  }
}

std::string RandomFilter(std::mt19937_64& rng, int depth) {
  if (depth >= 4 || rng() % 3 == 0) return RandomCondition(rng);
  switch (rng() % 4) {
    case 0:
      return "not " + RandomFilter(rng, depth + 1);
    case 1:
      return "(" + RandomFilter(rng, depth + 1) + ")";
    case 2:
      return RandomFilter(rng, depth + 1) + " and " + RandomFilter(rng, depth + 1);
    default:
      return RandomFilter(rng, depth + 1) + " or " + RandomFilter(rng, depth + 1);
  }
}

TEST(FilterSqlPropertyTest, SqliteSelectsExactlyWhatMatchesAccepts) {
  Result<Database> db = Database::Open(":memory:");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(Migrate(&*db).ok());
  std::mt19937_64 rng(20240628);
  std::vector<ReviewResultRow> rows;
  for (int i = 0; i < 300; ++i) rows.push_back(RandomRow(i, rng));
  ASSERT_TRUE(testing_util::PutReviewRun(&*db, {.id = 1}, rows).ok());

  // First the fields themselves: each expression reads back the independently computed value.
  {
    std::string columns = "account";
    for (const ReviewField& f : workbench::ReviewFields()) columns += ", " + std::string(f.sql);
    Result<Statement> select = workbench_internal::SelectResults(&*db, 1, {}, columns, "account");
    ASSERT_TRUE(select.ok()) << select.status().message();
    std::map<std::string, const ReviewResultRow*> by_account;
    for (const ReviewResultRow& r : rows) by_account[r.account] = &r;
    const auto fields = workbench::ReviewFields();
    while (*select->Step()) {
      const std::vector<FieldValue> want = Values(*by_account.at(select->ColumnText(0)));
      for (size_t i = 0; i < fields.size(); ++i) {
        const int c = static_cast<int>(i) + 1;
        const FieldValue got =
            fields[i].type == FieldType::kNumber ? FieldValue(select->ColumnDouble(c))
            : fields[i].type == FieldType::kText ? FieldValue(select->ColumnText(c))
                                                 : FieldValue(select->ColumnInt(c) != 0);
        ASSERT_EQ(got, want[i]) << select->ColumnText(0) << " " << fields[i].name;
      }
    }
  }

  std::vector<std::vector<FieldValue>> values;
  for (const ReviewResultRow& r : rows) values.push_back(Values(r));
  const workbench::FieldSchema schema = workbench::ReviewFieldSchema();
  int nonempty = 0, partial = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    const std::string text = RandomFilter(rng, 0);
    Result<workbench::Filter> filter = workbench::Filter::Parse(text, schema);
    ASSERT_TRUE(filter.ok()) << text << "\n" << filter.status().message();
    std::set<std::string> want;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (filter->Matches(values[i])) want.insert(rows[i].account);
    }
    workbench_internal::ResolvedSelection selection{.filter = std::move(*filter)};
    Result<Statement> select = workbench_internal::SelectResults(&*db, 1, selection, "account");
    ASSERT_TRUE(select.ok()) << text << "\n" << select.status().message();
    std::set<std::string> got;
    while (*select->Step()) got.insert(select->ColumnText(0));
    ASSERT_EQ(got, want) << text << "\nSQL: "
                         << selection.filter->ToSql(workbench::ReviewFieldSql(), 2).sql;
    nonempty += !want.empty();
    partial += !want.empty() && want.size() < rows.size();
  }
  // The random filters must exercise both answers, or the comparison proves little.
  EXPECT_GT(partial, 500);
  EXPECT_GT(nonempty, 600);
}

}  // namespace
}  // namespace arbor
