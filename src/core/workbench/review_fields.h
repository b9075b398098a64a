// The fields a workbench filter may use over a review run's results: one list, giving each
// field's name, type and SQL expression over the review_results table (migration 8), so the
// parser, the SQL a filter becomes, `arbor workbench fields` and docs/workbench.md agree.
//
//   Result<Filter> f = Filter::Parse("harvest and score_bps >= 25", ReviewFieldSchema());
//   if (!f.ok()) return f.status();
//   std::vector<std::string_view> sql = ReviewFieldSql();   // by slot, for Filter::ToSql
//   SqlWhere where = f->ToSql(sql, 2);  // "((CASE WHEN instr(flags, 'harvest') = 0 ..."
//
// Every expression is of its field's type and never NULL (booleans are 0 or 1), which is what
// Filter::ToSql needs for SQL to give the same answer as Filter::Matches.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "core/workbench/filter.h"

namespace arbor::workbench {

struct ReviewField {
  std::string_view name;
  FieldType type;
  std::string_view sql;          // over review_results' columns
  std::string_view description;  // one line, for people
};

// Every field, in schema order: slot i of ReviewFieldSchema() is ReviewFields()[i].
std::span<const ReviewField> ReviewFields();
FieldSchema ReviewFieldSchema();
// The SQL expressions by slot.
std::vector<std::string_view> ReviewFieldSql();
// nullptr when there is no field of that name.
const ReviewField* FindReviewField(std::string_view name);

// The words the review may write in the `flags` column, each also a boolean field.
std::span<const std::string_view> ReviewFlags();

}  // namespace arbor::workbench
