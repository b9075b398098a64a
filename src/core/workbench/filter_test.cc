#include "core/workbench/filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace arbor::workbench {
namespace {

// The metrics of one proposal, as the tests write them; ToRow() lays them out in schema order.
struct Metrics {
  double score_bps = 0;
  double turnover = 0;
  double harvest_usd = 0;
  double drift_max = 0;
  std::string advisor;
  std::string account_type;
  bool suspended = false;
  bool must_trade = false;
};

FieldSchema TestSchema() {
  return {{{"score_bps", FieldType::kNumber},
           {"turnover", FieldType::kNumber},
           {"harvest_usd", FieldType::kNumber},
           {"drift_max", FieldType::kNumber},
           {"advisor", FieldType::kText},
           {"account_type", FieldType::kText},
           {"suspended", FieldType::kBoolean},
           {"must_trade", FieldType::kBoolean}}};
}

std::vector<FieldValue> ToRow(const Metrics& m) {
  return {m.score_bps, m.turnover,     m.harvest_usd, m.drift_max,
          m.advisor,   m.account_type, m.suspended,   m.must_trade};
}

Filter MustParse(std::string_view text) {
  Result<Filter> f = Filter::Parse(text, TestSchema());
  EXPECT_TRUE(f.ok()) << text << "\n" << f.status().message();
  if (!f.ok()) return *Filter::Parse("suspended and not suspended", TestSchema());  // never matches
  return *std::move(f);
}

bool Match(std::string_view text, const Metrics& m) { return MustParse(text).Matches(ToRow(m)); }

// The first line of the error for `text`, or "ok" when it parses.
std::string ErrorOf(std::string_view text) {
  Result<Filter> f = Filter::Parse(text, TestSchema());
  if (f.ok()) return "ok";
  const std::string message = f.status().message();
  return message.substr(0, message.find('\n'));
}

TEST(FilterTest, NotBindsTighterThanAndTighterThanOr) {
  const Metrics suspended{.suspended = true};
  // or-first would read (suspended or must_trade) and score_bps > 1: false.
  EXPECT_TRUE(Match("suspended or must_trade and score_bps > 1", suspended));
  EXPECT_FALSE(Match("(suspended or must_trade) and score_bps > 1", suspended));
  // not over the whole `and` would be true for a row with neither flag.
  EXPECT_FALSE(Match("not suspended and must_trade", Metrics{}));
  EXPECT_TRUE(Match("not (suspended and must_trade)", Metrics{}));
  EXPECT_TRUE(Match("must_trade and score_bps > 1 or suspended", suspended));
  EXPECT_FALSE(Match("must_trade and (score_bps > 1 or suspended)", suspended));
  EXPECT_TRUE(Match("not not suspended", suspended));
  EXPECT_TRUE(Match("((((suspended))))", suspended));
}

TEST(FilterTest, ToStringKeepsOnlyTheParenthesesPrecedenceNeeds) {
  EXPECT_EQ(MustParse("(suspended) OR (must_trade AND score_bps>1)").ToString(),
            "suspended or must_trade and score_bps > 1");
  EXPECT_EQ(MustParse("(suspended or must_trade) and score_bps > 1").ToString(),
            "(suspended or must_trade) and score_bps > 1");
  EXPECT_EQ(MustParse("not (suspended and must_trade)").ToString(),
            "not (suspended and must_trade)");
  EXPECT_EQ(MustParse("not (suspended) and must_trade").ToString(), "not suspended and must_trade");
  EXPECT_EQ(MustParse("suspended and (must_trade and (score_bps = 1))").ToString(),
            "suspended and must_trade and score_bps = 1");
  EXPECT_EQ(MustParse("not(advisor not in('a','b'))").ToString(), "not advisor not in ('a', 'b')");
}

TEST(FilterTest, NumberOperators) {
  const Metrics m{.score_bps = 25};
  struct Case {
    std::string text;
    bool want;
  };
  for (const Case& c : std::vector<Case>{{"score_bps = 25", true},
                                         {"score_bps = 24", false},
                                         {"score_bps != 25", false},
                                         {"score_bps != 24", true},
                                         {"score_bps < 25", false},
                                         {"score_bps < 25.5", true},
                                         {"score_bps <= 25", true},
                                         {"score_bps <= 24.99", false},
                                         {"score_bps > 25", false},
                                         {"score_bps > -3", true},
                                         {"score_bps >= 25", true},
                                         {"score_bps >= 25.01", false},
                                         {"score_bps = 2.5e1", true},
                                         {"score_bps=25", true},
                                         {"score_bps>=-1E-3", true}}) {
    EXPECT_EQ(Match(c.text, m), c.want) << c.text;
  }
  EXPECT_TRUE(Match("drift_max < -0.03", Metrics{.drift_max = -0.04}));
  EXPECT_FALSE(Match("drift_max < -0.03", Metrics{.drift_max = -0.03}));
}

TEST(FilterTest, TextOperatorsCompareExactlyAndByteWise) {
  const Metrics m{.advisor = "LEE"};
  EXPECT_TRUE(Match("advisor = 'LEE'", m));
  EXPECT_FALSE(Match("advisor = 'lee'", m));  // values are case-sensitive, keywords are not
  EXPECT_TRUE(Match("advisor != 'lee'", m));
  EXPECT_FALSE(Match("advisor != 'LEE'", m));
  EXPECT_TRUE(Match("advisor < 'LEF'", m));
  EXPECT_FALSE(Match("advisor < 'LEE'", m));
  EXPECT_TRUE(Match("advisor <= 'LEE'", m));
  EXPECT_TRUE(Match("advisor > 'LE'", m));
  EXPECT_FALSE(Match("advisor > 'M'", m));
  EXPECT_TRUE(Match("advisor >= 'LEE'", m));
  EXPECT_FALSE(Match("advisor >= 'LEEA'", m));
}

TEST(FilterTest, BooleanOperatorsAndBareFields) {
  const Metrics m{.suspended = false, .must_trade = true};
  EXPECT_TRUE(Match("suspended = false and must_trade = true", m));
  EXPECT_FALSE(Match("suspended = true", m));
  EXPECT_TRUE(Match("suspended != true", m));
  EXPECT_FALSE(Match("must_trade != true", m));
  EXPECT_TRUE(Match("must_trade", m));
  EXPECT_FALSE(Match("suspended", m));
  EXPECT_TRUE(Match("not suspended", m));
}

TEST(FilterTest, InAndNotIn) {
  const Metrics m{.score_bps = 10, .advisor = "LEE", .account_type = "roth", .must_trade = true};
  EXPECT_TRUE(Match("account_type in ('ira', 'roth')", m));
  EXPECT_FALSE(Match("account_type in ('ira', 'taxable')", m));
  EXPECT_FALSE(Match("account_type not in ('ira', 'roth')", m));
  EXPECT_TRUE(Match("account_type not in ('ira')", m));
  EXPECT_TRUE(Match("score_bps in (1, 10, -2.5)", m));
  EXPECT_FALSE(Match("score_bps in (1, 10.5)", m));
  EXPECT_TRUE(Match("must_trade in (true)", m));
  EXPECT_FALSE(Match("must_trade not in (true)", m));
  EXPECT_FALSE(Match("not (account_type in ('ira', 'roth')) and advisor = 'LEE'", m));
  EXPECT_TRUE(Match("not (account_type in ('ira', 'taxable')) and advisor = 'LEE'", m));
}

TEST(FilterTest, KeywordsAreCaseInsensitiveFieldNamesAreNot) {
  const Metrics m{.advisor = "LEE", .account_type = "ira", .suspended = false};
  EXPECT_TRUE(Match("NOT suspended AND advisor IN ('LEE') Or suspended", m));
  EXPECT_EQ(ErrorOf("Suspended = false"),
            "filter: column 1: unknown field 'Suspended' (fields: score_bps, turnover, "
            "harvest_usd, drift_max, advisor, account_type, suspended, must_trade)");
  EXPECT_TRUE(Match("suspended = FALSE and account_type NoT iN ('roth')", m));
  EXPECT_EQ(MustParse("suspended = TRUE oR NOT must_trade").ToString(),
            "suspended = true or not must_trade");
}

TEST(FilterTest, QuotesInTextAreDoubled) {
  EXPECT_TRUE(Match("advisor = 'O''NEIL'", Metrics{.advisor = "O'NEIL"}));
  EXPECT_FALSE(Match("advisor = 'O''NEIL'", Metrics{.advisor = "O''NEIL"}));
  EXPECT_TRUE(Match("advisor = ''''", Metrics{.advisor = "'"}));
  EXPECT_TRUE(Match("advisor = ''", Metrics{.advisor = ""}));
  EXPECT_TRUE(Match("advisor = 'a and b'", Metrics{.advisor = "a and b"}));
  EXPECT_EQ(MustParse("advisor in ('O''NEIL', '', 'x')").ToString(),
            "advisor in ('O''NEIL', '', 'x')");
}

TEST(FilterTest, ErrorsNameTheColumnAndTheToken) {
  struct Case {
    std::string text;
    std::string error;
  };
  for (const Case& c : std::vector<Case>{
           {"score_bps >= 25 and scor_bps < 3",
            "filter: column 21: unknown field 'scor_bps' (fields: score_bps, turnover, "
            "harvest_usd, "
            "drift_max, advisor, account_type, suspended, must_trade)"},
           {"turnover < 1 and score_bps >= abc",
            "filter: column 31: expected a number after '>=', got 'abc'"},
           {"advisor = LEE",
            "filter: column 11: expected a quoted text such as 'abc' after '=', got 'LEE'"},
           {"suspended = yes", "filter: column 13: expected true or false after '=', got 'yes'"},
           {"(suspended or must_trade",
            "filter: column 1: unbalanced parenthesis: '(' is never closed"},
           {"suspended)", "filter: column 10: unbalanced parenthesis: ')' has no matching '('"},
           {"advisor in ('a', 'b'",
            "filter: column 12: unbalanced parenthesis: '(' is never closed"},
           {"(suspended must_trade)",
            "filter: column 12: expected 'and', 'or' or ')', got 'must_trade'"},
           {"score_bps # 1", "filter: column 11: unexpected character '#'"},
           {"score_bps ! 1", "filter: column 11: unexpected character '!'"},
           {"advisor = 'LEE", "filter: column 11: unterminated text: no closing quote"},
           {"", "filter: column 1: expected a field name, 'not' or '(', got end of filter"},
           {"suspended and",
            "filter: column 14: expected a field name, 'not' or '(', got end of filter"},
           {"and = 1", "filter: column 1: expected a field name, 'not' or '(', got 'and'"},
           {"suspended must_trade",
            "filter: column 11: expected 'and', 'or' or end of filter, got 'must_trade'"},
           {"score_bps 25",
            "filter: column 11: expected a comparison (= != < <= > >= in) after a number field "
            "'score_bps', got '25'"},
           {"advisor in 'a'", "filter: column 12: expected '(' after 'in', got 'a'"},
           {"advisor in ('a' 'b')",
            "filter: column 17: expected ',' or ')' in the list after 'in', got 'b'"},
           {"advisor in ()",
            "filter: column 13: expected a quoted text such as 'abc' after '(', got ')'"},
           {"score_bps in (1,)", "filter: column 17: expected a number after ',', got ')'"},
           {"score_bps > 1e999", "filter: column 13: number out of range '1e999'"},
           {"suspended < true",
            "filter: column 11: 'suspended' is a boolean: only = and != apply to it, got '<'"},
       }) {
    EXPECT_EQ(ErrorOf(c.text), c.error) << c.text;
  }
}

TEST(FilterTest, ErrorsShowTheTextWithACaret) {
  Result<Filter> f = Filter::Parse("score_bps >= abc", TestSchema());
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(f.status().message(),
            "filter: column 14: expected a number after '>=', got 'abc'\n"
            "  score_bps >= abc\n"
            "               ^");
}

TEST(FilterTest, DeepNestingIsAnErrorNotACrash) {
  const std::string deep = std::string(100, '(') + "suspended" + std::string(100, ')');
  EXPECT_EQ(ErrorOf(deep), "filter: column 101: filter nested deeper than 100 levels");
  const std::string ok = std::string(99, '(') + "suspended" + std::string(99, ')');
  EXPECT_EQ(ErrorOf(ok), "ok");
  EXPECT_EQ(ErrorOf(std::string(200, '(') + "suspended"),
            "filter: column 101: filter nested deeper than 100 levels");
}

TEST(FilterTest, TypeErrors) {
  struct Case {
    std::string text;
    std::string error;
  };
  for (const Case& c : std::vector<Case>{
           {"score_bps = 'abc'",
            "filter: column 13: cannot compare a number field 'score_bps' with text 'abc'"},
           {"advisor > 5",
            "filter: column 11: cannot compare text field 'advisor' with a number '5'"},
           {"suspended = 1",
            "filter: column 13: cannot compare a boolean field 'suspended' with a number '1'"},
           {"score_bps = true",
            "filter: column 13: cannot compare a number field 'score_bps' with a boolean 'true'"},
           {"account_type in ('ira', 3)",
            "filter: column 25: cannot compare text field 'account_type' with a number '3'"},
           {"score_bps and suspended",
            "filter: column 11: expected a comparison (= != < <= > >= in) after a number field "
            "'score_bps', got 'and'"},
           {"suspended or not advisor",
            "filter: column 25: expected a comparison (= != < <= > >= in) after text field "
            "'advisor', got end of filter"},
       }) {
    EXPECT_EQ(ErrorOf(c.text), c.error) << c.text;
  }
}

// Random filters, written with every compound operand in parentheses so their meaning is known
// without the parser, and with random keyword case, spacing and redundant parentheses.
class RandomFilters {
 public:
  explicit RandomFilters(uint32_t seed) : rng_(seed) {}

  struct Generated {
    std::string text;
    std::function<bool(const Metrics&)> eval;
  };

  Generated Expr(int depth) {
    const int pick = depth <= 0 ? 0 : Uniform(0, 3);
    if (pick == 0) return MaybeParen(Condition());
    if (pick == 1) {
      Generated inner = Operand(depth - 1);
      return {Keyword("not") + " " + inner.text,
              [e = inner.eval](const Metrics& m) { return !e(m); }};
    }
    const bool is_and = pick == 2;
    Generated a = Operand(depth - 1), b = Operand(depth - 1);
    return {a.text + Space() + Keyword(is_and ? "and" : "or") + Space() + b.text,
            [is_and, ea = a.eval, eb = b.eval](const Metrics& m) {
              return is_and ? (ea(m) && eb(m)) : (ea(m) || eb(m));
            }};
  }

  Metrics Row() {
    return {.score_bps = Pick(kNumbers),
            .turnover = Pick(kNumbers),
            .harvest_usd = Pick(kNumbers),
            .drift_max = Pick(kNumbers),
            .advisor = Pick(kTexts),
            .account_type = Pick(kTexts),
            .suspended = Uniform(0, 1) == 1,
            .must_trade = Uniform(0, 1) == 1};
  }

 private:
  static constexpr double kNumbers[] = {-1.5, 0, 0.03, 1, 25, 1e6};
  static inline const std::string kTexts[] = {"", "LEE", "O'NEIL", "ira", "roth"};

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <typename T, size_t N>
  const T& Pick(const T (&values)[N]) {
    return values[Uniform(0, N - 1)];
  }

  std::string Keyword(std::string word) {
    for (char& c : word) {
      if (Uniform(0, 1)) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return word;
  }
  std::string Space() { return std::string(Uniform(1, 3), ' '); }

  Generated Operand(int depth) {
    Generated g = Expr(depth);
    return {"(" + g.text + ")", g.eval};
  }
  Generated MaybeParen(Generated g) {
    if (Uniform(0, 3) == 0) g.text = "(" + g.text + ")";
    return g;
  }

  static std::string Quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }
  static std::string Num(double d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", d);
    return buf;
  }

  Generated Condition() {
    static const char* kOps[] = {"=", "!=", "<", "<=", ">", ">="};
    const int kind = Uniform(0, 3);
    if (kind == 0) {  // number comparison
      using Get = double Metrics::*;
      static const std::pair<const char*, Get> kFields[] = {{"score_bps", &Metrics::score_bps},
                                                            {"turnover", &Metrics::turnover},
                                                            {"harvest_usd", &Metrics::harvest_usd},
                                                            {"drift_max", &Metrics::drift_max}};
      const auto& [name, get] = Pick(kFields);
      const int op = Uniform(0, 5);
      const double v = Pick(kNumbers);
      return {std::string(name) + Space() + kOps[op] + Space() + Num(v),
              [get, op, v](const Metrics& m) { return Cmp(op, m.*get, v); }};
    }
    if (kind == 1) {  // text comparison
      const bool advisor = Uniform(0, 1);
      const int op = Uniform(0, 5);
      const std::string v = Pick(kTexts);
      return {std::string(advisor ? "advisor" : "account_type") + " " + kOps[op] + " " + Quote(v),
              [advisor, op, v](const Metrics& m) {
                return Cmp(op, advisor ? m.advisor : m.account_type, v);
              }};
    }
    if (kind == 2) {  // text in / not in
      const bool negated = Uniform(0, 1);
      std::vector<std::string> list;
      std::string text =
          std::string("advisor ") + (negated ? Keyword("not") + " " : "") + Keyword("in") + " (";
      for (int i = Uniform(1, 3); i > 0; --i) {
        list.push_back(Pick(kTexts));
        text += Quote(list.back()) + (i > 1 ? "," : "");
      }
      return {text + ")", [negated, list](const Metrics& m) {
                return (std::find(list.begin(), list.end(), m.advisor) != list.end()) != negated;
              }};
    }
    const bool suspended = Uniform(0, 1);  // boolean: bare or compared
    const bool value = Uniform(0, 1);
    std::string name = suspended ? "suspended" : "must_trade";
    auto get = [suspended](const Metrics& m) { return suspended ? m.suspended : m.must_trade; };
    if (Uniform(0, 1)) return {name, get};
    const bool eq = Uniform(0, 1);
    return {name + (eq ? " = " : " != ") + Keyword(value ? "true" : "false"),
            [get, eq, value](const Metrics& m) { return (get(m) == value) == eq; }};
  }

  template <typename T>
  static bool Cmp(int op, const T& a, const T& b) {
    switch (op) {
      case 0:
        return a == b;
      case 1:
        return a != b;
      case 2:
        return a < b;
      case 3:
        return a <= b;
      case 4:
        return a > b;
      default:
        return a >= b;
    }
  }

  std::mt19937 rng_;
};

TEST(FilterTest, RandomFiltersRoundTripAndMatchTheirMeaning) {
  RandomFilters gen(20261127);
  std::vector<Metrics> rows;
  for (int i = 0; i < 40; ++i) rows.push_back(gen.Row());
  int matched = 0, checked = 0;
  for (int i = 0; i < 500; ++i) {
    const RandomFilters::Generated g = gen.Expr(i % 5);
    Result<Filter> parsed = Filter::Parse(g.text, TestSchema());
    ASSERT_TRUE(parsed.ok()) << g.text << "\n" << parsed.status().message();
    const std::string canonical = parsed->ToString();
    Result<Filter> reparsed = Filter::Parse(canonical, TestSchema());
    ASSERT_TRUE(reparsed.ok()) << canonical << "\n" << reparsed.status().message();
    EXPECT_EQ(reparsed->ToString(), canonical) << g.text;
    for (const Metrics& m : rows) {
      const std::vector<FieldValue> row = ToRow(m);
      const bool want = g.eval(m);
      EXPECT_EQ(parsed->Matches(row), want) << g.text;
      EXPECT_EQ(reparsed->Matches(row), want) << canonical;
      matched += want;
      ++checked;
    }
  }
  // Both outcomes occur often enough for the comparison to mean something.
  EXPECT_GT(matched, checked / 10);
  EXPECT_LT(matched, checked * 9 / 10);
}

TEST(FilterTest, TableOfRowsAgainstHandWrittenPredicates) {
  const std::vector<Metrics> table = {
      {.score_bps = 30,
       .turnover = 0.10,
       .harvest_usd = 500,
       .drift_max = 0.01,
       .advisor = "LEE",
       .account_type = "taxable",
       .must_trade = true},
      {.score_bps = 25,
       .turnover = 0.15,
       .harvest_usd = 1500,
       .drift_max = 0.02,
       .advisor = "KIM",
       .account_type = "ira"},
      {.score_bps = 10,
       .turnover = 0.05,
       .harvest_usd = 0,
       .drift_max = 0.05,
       .advisor = "LEE",
       .account_type = "roth",
       .suspended = true},
      {.score_bps = -5,
       .turnover = 0.30,
       .harvest_usd = 1000,
       .drift_max = 0.03,
       .advisor = "O'NEIL",
       .account_type = "taxable",
       .suspended = true,
       .must_trade = true},
      {.score_bps = 25,
       .turnover = 0.149,
       .harvest_usd = 1000.01,
       .drift_max = 0.0,
       .advisor = "LEE",
       .account_type = "trust"},
  };
  struct Case {
    std::string text;
    std::function<bool(const Metrics&)> want;
  };
  const std::vector<Case> cases = {
      {"suspended = false and must_trade = true",
       [](const Metrics& m) { return !m.suspended && m.must_trade; }},
      {"score_bps >= 25 and turnover < 0.15",
       [](const Metrics& m) { return m.score_bps >= 25 && m.turnover < 0.15; }},
      {"harvest_usd > 1000 or drift_max > 0.03",
       [](const Metrics& m) { return m.harvest_usd > 1000 || m.drift_max > 0.03; }},
      {"not (account_type in ('ira', 'roth')) and advisor = 'LEE'",
       [](const Metrics& m) {
         return m.account_type != "ira" && m.account_type != "roth" && m.advisor == "LEE";
       }},
      {"advisor != 'LEE' or suspended and score_bps < 0",
       [](const Metrics& m) { return m.advisor != "LEE" || (m.suspended && m.score_bps < 0); }},
      {"account_type not in ('taxable') and not must_trade",
       [](const Metrics& m) { return m.account_type != "taxable" && !m.must_trade; }},
  };
  for (const Case& c : cases) {
    const Filter f = MustParse(c.text);
    int matches = 0;
    for (size_t i = 0; i < table.size(); ++i) {
      const bool want = c.want(table[i]);
      EXPECT_EQ(f.Matches(ToRow(table[i])), want) << c.text << " row " << i;
      matches += want;
    }
    EXPECT_GT(matches, 0) << c.text;  // each filter picks some rows and leaves others
    EXPECT_LT(matches, static_cast<int>(table.size())) << c.text;
  }
}

}  // namespace
}  // namespace arbor::workbench
