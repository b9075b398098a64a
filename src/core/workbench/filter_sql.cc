// Filter::ToSql: the parsed tree printed as SQL with bound parameters.
#include <cassert>
#include <cctype>
#include <string>

#include "core/workbench/filter.h"

namespace arbor::workbench {
namespace {

std::string_view SqlOp(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return " = ";
    case CompareOp::kNe:
      return " <> ";
    case CompareOp::kLt:
      return " < ";
    case CompareOp::kLe:
      return " <= ";
    case CompareOp::kGt:
      return " > ";
    case CompareOp::kGe:
      return " >= ";
  }
  return " ? ";
}

// A column name stands alone; anything else (`status = 'suspended'`) is parenthesized so the
// operator after it cannot bind into it.
void AppendExpression(std::string_view expression, std::string& out) {
  bool plain = !expression.empty();
  for (char c : expression) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) plain = false;
  }
  if (plain) {
    out += expression;
  } else {
    out += "(";
    out += expression;
    out += ")";
  }
}

void AppendParam(const FieldValue& value, int first_param, SqlWhere& out) {
  out.sql += "?" + std::to_string(first_param + static_cast<int>(out.params.size()));
  out.params.push_back(value);
}

}  // namespace

SqlWhere Filter::ToSql(std::span<const std::string_view> columns, int first_param) const {
  assert(columns.size() == field_names_.size());
  SqlWhere out;
  PrintSql(root_, columns, first_param, out);
  return out;
}

void Filter::PrintSql(int index, std::span<const std::string_view> columns, int first_param,
                      SqlWhere& out) const {
  const Node& node = nodes_[index];
  switch (node.kind) {
    case Kind::kAnd:
    case Kind::kOr:
      out.sql += "(";
      for (size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) out.sql += node.kind == Kind::kAnd ? " AND " : " OR ";
        PrintSql(node.children[i], columns, first_param, out);
      }
      out.sql += ")";
      return;
    case Kind::kNot:
      out.sql += "NOT (";
      PrintSql(node.children[0], columns, first_param, out);
      out.sql += ")";
      return;
    case Kind::kField:
      AppendExpression(columns[node.slot], out.sql);
      out.sql += " = 1";
      return;
    case Kind::kCompare:
      AppendExpression(columns[node.slot], out.sql);
      out.sql += SqlOp(node.op);
      AppendParam(node.literal, first_param, out);
      return;
    case Kind::kIn:
      AppendExpression(columns[node.slot], out.sql);
      out.sql += node.negated ? " NOT IN (" : " IN (";
      for (size_t i = 0; i < node.list.size(); ++i) {
        if (i > 0) out.sql += ", ";
        AppendParam(node.list[i], first_param, out);
      }
      out.sql += ")";
      return;
  }
}

}  // namespace arbor::workbench
