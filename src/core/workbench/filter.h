// Workbench filters: a small query language over proposal and account metrics, so the central
// rebalancing group can pick rows ("which accounts should we look at?") without a code change.
//
//   FieldSchema schema{{{"score_bps", FieldType::kNumber}, {"advisor", FieldType::kText},
//                       {"suspended", FieldType::kBoolean}}};
//   Result<Filter> f = Filter::Parse("score_bps >= 25 and not suspended", schema);
//   if (!f.ok()) return f.status();  // a typo: "filter: column 1: unknown field 'scor_bps' ..."
//   std::vector<FieldValue> row = {31.0, std::string("LEE"), false};  // in schema order
//   f->Matches(row);                                                  // true
//   std::vector<std::string_view> sql = {"score_bps", "advisor", "status = 'suspended'"};
//   SqlWhere w = f->ToSql(sql);  // "(score_bps >= ?1 AND NOT ((status = 'suspended') = 1))"
//   w.params;                    // {25.0}: literals are bound, never spliced into the SQL
//
// The grammar, the type rules and the error format are in docs/workbench-filters.md.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/base/status.h"

namespace arbor::workbench {

enum class FieldType { kNumber, kText, kBoolean };

// A field's value for one row: number, text or boolean.
using FieldValue = std::variant<double, std::string, bool>;

struct SchemaField {
  std::string name;
  FieldType type;
};

// The fields a filter may use and their types, so a filter is checked once, before any row.
// The order is the row layout: Matches() reads field i from row[i], which lets it go straight
// to a value instead of looking a name up for every row.
struct FieldSchema {
  std::vector<SchemaField> fields;
};

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };

// A filter as a SQL boolean expression, for a database to evaluate (Filter::ToSql).
struct SqlWhere {
  std::string sql;  // e.g. "(score_bps >= ?2 AND must_trade = 1)"
  // params[i] is the value of parameter ?(first_param + i); a boolean binds as 0 or 1.
  std::vector<FieldValue> params;
};

class Filter {
 public:
  // Parses and type-checks `text`. Errors name the 1-based column and the token, followed by the
  // text and a caret under that column:
  //   filter: column 1: unknown field 'scor_bps' (fields: score_bps, advisor, suspended)
  //     scor_bps >= 25
  //     ^
  static Result<Filter> Parse(std::string_view text, const FieldSchema& schema);

  // True when the row matches. `row` holds one value per schema field, in schema order, each of
  // the field's type; a value of another type is a programmer error (std::bad_variant_access).
  bool Matches(std::span<const FieldValue> row) const;

  // The same condition in SQL. `columns[i]` is the SQL expression of schema field i: it must
  // be of the field's type and never NULL (a boolean is 0 or 1), and text must compare byte-wise
  // (SQLite's default BINARY collation); then the SQL selects exactly the rows Matches() does.
  // Every literal becomes a numbered parameter, ?first_param upwards, never text in the SQL, so
  // a quote in a value cannot change the statement.
  SqlWhere ToSql(std::span<const std::string_view> columns, int first_param = 1) const;

  // Canonical text: lowercase keywords, single spaces, only the parentheses precedence needs.
  // Parsing it gives a filter with the same ToString() and the same matches.
  std::string ToString() const;

 private:
  enum class Kind { kAnd, kOr, kNot, kCompare, kIn, kField };

  struct Node {
    Kind kind;
    std::vector<int> children;  // kAnd, kOr (two or more), kNot (one)
    int slot = -1;              // kCompare, kIn, kField: the field's index in the schema
    CompareOp op = CompareOp::kEq;
    FieldValue literal;            // kCompare
    std::vector<FieldValue> list;  // kIn
    bool negated = false;          // kIn: `not in`
  };

  friend class FilterParser;

  bool Eval(int node, std::span<const FieldValue> row) const;
  void Print(int node, std::string& out) const;
  void PrintSql(int node, std::span<const std::string_view> columns, int first_param,
                SqlWhere& out) const;

  std::vector<std::string> field_names_;  // by slot, for ToString()
  std::vector<Node> nodes_;
  int root_ = -1;
};

}  // namespace arbor::workbench
