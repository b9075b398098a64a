#include "core/workbench/filter.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <system_error>
#include <utility>

namespace arbor::workbench {
namespace {

// Deep enough for any filter a person writes; bounds the parser's recursion on hostile input.
constexpr int kMaxDepth = 100;

enum class TokenType { kIdent, kNumber, kString, kLParen, kRParen, kComma, kOp, kEnd };

struct Token {
  TokenType type;
  std::string_view raw;  // the source text, quoted in errors
  int column;            // 1-based
  std::string word;      // kIdent: lowercased, for keywords; kString: the unescaped text
  double number = 0;
  CompareOp op = CompareOp::kEq;
};

std::string Describe(const Token& t) {
  if (t.type == TokenType::kEnd) return "end of filter";
  if (t.type == TokenType::kString) return std::string(t.raw);  // already quoted
  return "'" + std::string(t.raw) + "'";
}

bool IsKeyword(const Token& t, std::string_view keyword) {
  return t.type == TokenType::kIdent && t.word == keyword;
}

bool IsReserved(const Token& t) {
  for (std::string_view k : {"and", "or", "not", "in", "true", "false"}) {
    if (IsKeyword(t, k)) return true;
  }
  return false;
}

std::string_view OpText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNe:
      return "!=";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return ">=";
  }
  return "?";
}

std::string_view TypeWithArticle(FieldType type) {
  switch (type) {
    case FieldType::kNumber:
      return "a number";
    case FieldType::kText:
      return "text";
    case FieldType::kBoolean:
      return "a boolean";
  }
  return "?";
}

// What a literal of `type` looks like, for "expected ..." messages.
std::string_view LiteralHint(FieldType type) {
  switch (type) {
    case FieldType::kNumber:
      return "a number";
    case FieldType::kText:
      return "a quoted text such as 'abc'";
    case FieldType::kBoolean:
      return "true or false";
  }
  return "?";
}

std::string FormatNumber(double value) {
  char buf[64];
  // Shortest text that reads back as the same double, so ToString() round-trips exactly.
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, end);
}

std::string QuoteText(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  out += "'";
  return out;
}

void AppendLiteral(const FieldValue& value, std::string& out) {
  if (const double* d = std::get_if<double>(&value)) {
    out += FormatNumber(*d);
  } else if (const std::string* s = std::get_if<std::string>(&value)) {
    out += QuoteText(*s);
  } else {
    out += std::get<bool>(value) ? "true" : "false";
  }
}

bool Compare(CompareOp op, const auto& a, const auto& b) {
  switch (op) {
    case CompareOp::kEq:
      return a == b;
    case CompareOp::kNe:
      return a != b;
    case CompareOp::kLt:
      return a < b;
    case CompareOp::kLe:
      return a <= b;
    case CompareOp::kGt:
      return a > b;
    case CompareOp::kGe:
      return a >= b;
  }
  return false;
}

}  // namespace

class FilterParser {
 public:
  FilterParser(std::string_view text, const FieldSchema& schema) : text_(text), schema_(schema) {}

  Result<Filter> Run() {
    ARBOR_RETURN_IF_ERROR(Lex());
    for (const SchemaField& f : schema_.fields) filter_.field_names_.push_back(f.name);
    Result<int> root = ParseOr(0);
    if (!root.ok()) return root.status();
    const Token& t = Peek();
    if (t.type == TokenType::kRParen) {
      return Error(t.column, "unbalanced parenthesis: ')' has no matching '('");
    }
    if (t.type != TokenType::kEnd) {
      return Error(t.column, "expected 'and', 'or' or end of filter, got " + Describe(t));
    }
    filter_.root_ = *root;
    return std::move(filter_);
  }

 private:
  using Node = Filter::Node;
  using Kind = Filter::Kind;

  Status Error(int column, const std::string& message) const {
    return Status::InvalidArgument("filter: column " + std::to_string(column) + ": " + message +
                                   "\n  " + std::string(text_) + "\n  " +
                                   std::string(column - 1, ' ') + "^");
  }

  Status Lex() {
    size_t i = 0;
    const size_t n = text_.size();
    auto is_digit = [&](size_t k) {
      return k < n && std::isdigit(static_cast<unsigned char>(text_[k]));
    };
    while (true) {
      while (i < n && std::isspace(static_cast<unsigned char>(text_[i]))) ++i;
      Token t{.type = TokenType::kEnd, .raw = {}, .column = static_cast<int>(i) + 1};
      if (i == n) {
        tokens_.push_back(t);
        return Status::Ok();
      }
      const size_t start = i;
      const char c = text_[i];
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        while (i < n && (std::isalnum(static_cast<unsigned char>(text_[i])) || text_[i] == '_'))
          ++i;
        t.type = TokenType::kIdent;
        for (size_t k = start; k < i; ++k) {
          t.word += static_cast<char>(std::tolower(static_cast<unsigned char>(text_[k])));
        }
      } else if (is_digit(i) || (c == '-' && is_digit(i + 1))) {
        if (c == '-') ++i;
        while (is_digit(i)) ++i;
        if (i < n && text_[i] == '.' && is_digit(i + 1)) {
          ++i;
          while (is_digit(i)) ++i;
        }
        if (i < n && (text_[i] == 'e' || text_[i] == 'E')) {
          size_t k = i + 1;
          if (k < n && (text_[k] == '+' || text_[k] == '-')) ++k;
          if (is_digit(k)) {
            i = k;
            while (is_digit(i)) ++i;
          }
        }
        t.type = TokenType::kNumber;
        auto [ptr, ec] = std::from_chars(text_.data() + start, text_.data() + i, t.number);
        if (ec != std::errc() || !std::isfinite(t.number)) {
          return Error(t.column,
                       "number out of range '" + std::string(text_.substr(start, i - start)) + "'");
        }
      } else if (c == '\'') {
        ++i;
        bool closed = false;
        while (i < n) {
          if (text_[i] == '\'') {
            if (i + 1 < n && text_[i + 1] == '\'') {
              t.word += '\'';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          t.word += text_[i++];
        }
        if (!closed) return Error(t.column, "unterminated text: no closing quote");
        t.type = TokenType::kString;
      } else if (c == '(' || c == ')' || c == ',') {
        ++i;
        t.type = c == '(' ? TokenType::kLParen : c == ')' ? TokenType::kRParen : TokenType::kComma;
      } else if (c == '=' || c == '<' || c == '>' ||
                 (c == '!' && i + 1 < n && text_[i + 1] == '=')) {
        const bool eq_next = i + 1 < n && text_[i + 1] == '=';
        t.type = TokenType::kOp;
        if (c == '=') {
          t.op = CompareOp::kEq;
        } else if (c == '!') {
          t.op = CompareOp::kNe;
        } else if (c == '<') {
          t.op = eq_next ? CompareOp::kLe : CompareOp::kLt;
        } else {
          t.op = eq_next ? CompareOp::kGe : CompareOp::kGt;
        }
        i += (c != '=' && eq_next) ? 2 : 1;
      } else {
        return Error(t.column, "unexpected character '" + std::string(1, c) + "'");
      }
      t.raw = text_.substr(start, i - start);
      tokens_.push_back(std::move(t));
    }
  }

  const Token& Peek() const { return tokens_[pos_]; }
  // Stays on the end token once there, so every error path can still name what it got.
  const Token& Next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }

  int Add(Node node) {
    filter_.nodes_.push_back(std::move(node));
    return static_cast<int>(filter_.nodes_.size()) - 1;
  }

  // `a and (b and c)` is stored as one node with three children: one shape per meaning keeps
  // ToString() canonical.
  int AddJunction(Kind kind, const std::vector<int>& operands) {
    if (operands.size() == 1) return operands[0];
    Node node{.kind = kind};
    for (int child : operands) {
      const Node& c = filter_.nodes_[child];
      if (c.kind == kind) {
        node.children.insert(node.children.end(), c.children.begin(), c.children.end());
      } else {
        node.children.push_back(child);
      }
    }
    return Add(std::move(node));
  }

  Result<int> ParseOr(int depth) {
    std::vector<int> operands;
    while (true) {
      Result<int> operand = ParseAnd(depth);
      if (!operand.ok()) return operand.status();
      operands.push_back(*operand);
      if (!IsKeyword(Peek(), "or")) break;
      Next();
    }
    return AddJunction(Kind::kOr, operands);
  }

  Result<int> ParseAnd(int depth) {
    std::vector<int> operands;
    while (true) {
      Result<int> operand = ParseUnary(depth);
      if (!operand.ok()) return operand.status();
      operands.push_back(*operand);
      if (!IsKeyword(Peek(), "and")) break;
      Next();
    }
    return AddJunction(Kind::kAnd, operands);
  }

  Result<int> ParseUnary(int depth) {
    if (depth >= kMaxDepth) {
      return Error(Peek().column,
                   "filter nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    const Token& t = Peek();
    if (IsKeyword(t, "not")) {
      Next();
      Result<int> operand = ParseUnary(depth + 1);
      if (!operand.ok()) return operand.status();
      return Add(Node{.kind = Kind::kNot, .children = {*operand}});
    }
    if (t.type == TokenType::kLParen) {
      const Token& open = Next();
      Result<int> inner = ParseOr(depth + 1);
      if (!inner.ok()) return inner.status();
      const Token& close = Next();
      if (close.type == TokenType::kEnd) {
        return Error(open.column, "unbalanced parenthesis: '(' is never closed");
      }
      if (close.type != TokenType::kRParen) {
        return Error(close.column, "expected 'and', 'or' or ')', got " + Describe(close));
      }
      return inner;
    }
    return ParseCondition();
  }

  Result<int> ParseCondition() {
    const Token& name = Next();
    if (name.type != TokenType::kIdent || IsReserved(name)) {
      return Error(name.column, "expected a field name, 'not' or '(', got " + Describe(name));
    }
    int slot = -1;
    for (size_t i = 0; i < schema_.fields.size(); ++i) {
      if (schema_.fields[i].name == name.raw) slot = static_cast<int>(i);
    }
    if (slot < 0) {
      std::string known;
      for (const SchemaField& f : schema_.fields) known += (known.empty() ? "" : ", ") + f.name;
      return Error(name.column, "unknown field " + Describe(name) + " (fields: " + known + ")");
    }
    const FieldType type = schema_.fields[slot].type;
    const Token& t = Peek();

    if (t.type == TokenType::kOp) {
      const Token& op = Next();
      if (type == FieldType::kBoolean && op.op != CompareOp::kEq && op.op != CompareOp::kNe) {
        return Error(op.column, Describe(name) + " is a boolean: only = and != apply to it, got " +
                                    Describe(op));
      }
      Result<FieldValue> literal = ParseLiteral(name, type, op);
      if (!literal.ok()) return literal.status();
      return Add(
          Node{.kind = Kind::kCompare, .slot = slot, .op = op.op, .literal = std::move(*literal)});
    }

    const bool negated = IsKeyword(t, "not") && IsKeyword(tokens_[pos_ + 1], "in");
    if (negated || IsKeyword(t, "in")) {
      if (negated) Next();
      const Token& in = Next();
      const Token& open = Next();
      if (open.type != TokenType::kLParen) {
        return Error(open.column, "expected '(' after 'in', got " + Describe(open));
      }
      Node node{.kind = Kind::kIn, .slot = slot, .negated = negated};
      const Token* after = &open;
      while (true) {
        Result<FieldValue> literal = ParseLiteral(name, type, *after);
        if (!literal.ok()) return literal.status();
        node.list.push_back(std::move(*literal));
        const Token& sep = Next();
        if (sep.type == TokenType::kRParen) break;
        if (sep.type == TokenType::kEnd) {
          return Error(open.column, "unbalanced parenthesis: '(' is never closed");
        }
        if (sep.type != TokenType::kComma) {
          return Error(sep.column, "expected ',' or ')' in the list after " + Describe(in) +
                                       ", got " + Describe(sep));
        }
        after = &sep;
      }
      return Add(std::move(node));
    }

    if (type == FieldType::kBoolean) return Add(Node{.kind = Kind::kField, .slot = slot});
    return Error(t.column, "expected a comparison (= != < <= > >= in) after " +
                               std::string(TypeWithArticle(type)) + " field " + Describe(name) +
                               ", got " + Describe(t));
  }

  // The literal after `prev` (an operator, '(' or ','), which must be of the field's type.
  Result<FieldValue> ParseLiteral(const Token& name, FieldType type, const Token& prev) {
    const Token& t = Next();
    FieldValue value;
    FieldType got;
    if (t.type == TokenType::kNumber) {
      value = t.number;
      got = FieldType::kNumber;
    } else if (t.type == TokenType::kString) {
      value = t.word;
      got = FieldType::kText;
    } else if (IsKeyword(t, "true") || IsKeyword(t, "false")) {
      value = t.word == "true";
      got = FieldType::kBoolean;
    } else {
      return Error(t.column, "expected " + std::string(LiteralHint(type)) + " after " +
                                 Describe(prev) + ", got " + Describe(t));
    }
    if (got != type) {
      return Error(t.column, "cannot compare " + std::string(TypeWithArticle(type)) + " field " +
                                 Describe(name) + " with " + std::string(TypeWithArticle(got)) +
                                 " " + Describe(t));
    }
    return value;
  }

  std::string_view text_;
  const FieldSchema& schema_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  Filter filter_;
};

Result<Filter> Filter::Parse(std::string_view text, const FieldSchema& schema) {
  return FilterParser(text, schema).Run();
}

bool Filter::Matches(std::span<const FieldValue> row) const { return Eval(root_, row); }

bool Filter::Eval(int index, std::span<const FieldValue> row) const {
  const Node& node = nodes_[index];
  switch (node.kind) {
    case Kind::kAnd:
      for (int child : node.children) {
        if (!Eval(child, row)) return false;
      }
      return true;
    case Kind::kOr:
      for (int child : node.children) {
        if (Eval(child, row)) return true;
      }
      return false;
    case Kind::kNot:
      return !Eval(node.children[0], row);
    case Kind::kField:
      return std::get<bool>(row[node.slot]);
    case Kind::kCompare: {
      const FieldValue& value = row[node.slot];
      if (const double* d = std::get_if<double>(&node.literal)) {
        return Compare(node.op, std::get<double>(value), *d);
      }
      if (const std::string* s = std::get_if<std::string>(&node.literal)) {
        return Compare(node.op, std::get<std::string>(value), *s);
      }
      return Compare(node.op, std::get<bool>(value), std::get<bool>(node.literal));
    }
    case Kind::kIn: {
      const FieldValue& value = row[node.slot];
      if (value.index() != node.list[0].index()) throw std::bad_variant_access();
      bool found = false;
      for (const FieldValue& item : node.list) {
        if (item == value) {
          found = true;
          break;
        }
      }
      return found != node.negated;
    }
  }
  return false;
}

std::string Filter::ToString() const {
  std::string out;
  Print(root_, out);
  return out;
}

void Filter::Print(int index, std::string& out) const {
  const Node& node = nodes_[index];
  // An `or` inside `and` or `not`, and an `and` inside `not`, need parentheses; nothing else does.
  auto print_child = [&](int child, bool paren_and) {
    const Kind k = nodes_[child].kind;
    const bool paren = k == Kind::kOr || (paren_and && k == Kind::kAnd);
    if (paren) out += "(";
    Print(child, out);
    if (paren) out += ")";
  };
  switch (node.kind) {
    case Kind::kAnd:
    case Kind::kOr:
      for (size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) out += node.kind == Kind::kAnd ? " and " : " or ";
        print_child(node.children[i], false);
      }
      return;
    case Kind::kNot:
      out += "not ";
      print_child(node.children[0], true);
      return;
    case Kind::kField:
      out += field_names_[node.slot];
      return;
    case Kind::kCompare:
      out += field_names_[node.slot];
      out += " ";
      out += OpText(node.op);
      out += " ";
      AppendLiteral(node.literal, out);
      return;
    case Kind::kIn:
      out += field_names_[node.slot];
      out += node.negated ? " not in (" : " in (";
      for (size_t i = 0; i < node.list.size(); ++i) {
        if (i > 0) out += ", ";
        AppendLiteral(node.list[i], out);
      }
      out += ")";
      return;
  }
}

}  // namespace arbor::workbench
