#include "apps/arbor/workbench_views.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "adapters/io/csv.h"
#include "apps/arbor/output.h"
#include "core/workbench/review_fields.h"

namespace arbor::cli {
namespace {

using workbench::FieldType;
using workbench::FieldValue;
using workbench::ReviewField;

// The columns of the query table: who, where the account stands and the metrics the daily
// workflow filters on most.
constexpr std::string_view kTableFields[] = {
    "account",  "advisor",   "account_type", "outcome", "status",      "market_value", "trades",
    "turnover", "score_bps", "score_usd",    "tax_usd", "harvest_usd", "drift_max",    "flags"};

// Fractions that read as percentages.
constexpr std::string_view kPercentFields[] = {"turnover", "drift_max", "drift_max_after",
                                               "tracking_error_before", "tracking_error_after"};

// The shortest text that reads back as the same double, without an exponent: a spreadsheet
// shows 1000000, not 1e+06.
std::string ExactNumber(double value) {
  char buffer[400];  // room for any double in fixed notation
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return std::string(buffer, end);
}

// For the table: dollars without cents, percentages, basis points to one decimal.
std::string Readable(std::string_view name, const FieldValue& value) {
  if (const bool* b = std::get_if<bool>(&value)) return *b ? "yes" : "no";
  if (const std::string* s = std::get_if<std::string>(&value)) return *s;
  const double d = std::get<double>(value);
  if (std::ranges::find(kPercentFields, name) != std::end(kPercentFields)) {
    return FormatPercent(d);
  }
  if (name.ends_with("_bps")) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", d);
    return buffer;
  }
  if (name.ends_with("_usd") || name.starts_with("cash_") || name == "market_value") {
    return FormatDollars(d, 0);
  }
  return ExactNumber(d);
}

std::string Exact(const FieldValue& value) {
  if (const bool* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const std::string* s = std::get_if<std::string>(&value)) return *s;
  return ExactNumber(std::get<double>(value));
}

std::string_view TypeName(FieldType type) {
  switch (type) {
    case FieldType::kNumber:
      return "number";
    case FieldType::kText:
      return "text";
    case FieldType::kBoolean:
      return "boolean";
  }
  return "?";
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// "A, B, C and 12 more"
std::string SomeAccounts(const std::vector<std::string>& accounts, size_t most = 8) {
  std::string text;
  for (size_t i = 0; i < accounts.size() && i < most; ++i) text += (i ? ", " : "") + accounts[i];
  if (accounts.size() > most) text += " and " + std::to_string(accounts.size() - most) + " more";
  return text;
}

void PrintQueryTable(const ReviewQueryResult& result, std::ostream& out) {
  std::vector<std::string> header;
  std::vector<Align> align;
  for (const ReviewField* field : result.fields) {
    header.emplace_back(field->name);
    align.push_back(field->type == FieldType::kNumber ? Align::kRight : Align::kLeft);
  }
  TextTable table(header, align);
  for (const auto& row : result.rows) {
    std::vector<std::string> cells;
    for (size_t i = 0; i < row.size(); ++i)
      cells.push_back(Readable(result.fields[i]->name, row[i]));
    table.AddRow(std::move(cells));
  }
  out << "review run " << result.run.id << " as of " << result.run.as_of
      << (result.run.finished ? "" : " (still running)") << ": " << result.matched << " of "
      << Plural(static_cast<size_t>(result.run.accounts), "account", "accounts");
  if (!result.filter.empty()) {
    out << " match " << (result.filter_name.empty() ? "" : result.filter_name + ": ")
        << result.filter;
  }
  if (static_cast<int64_t>(result.rows.size()) < result.matched) {
    out << " (the first " << result.rows.size() << " shown)";
  }
  out << "\n";
  if (!result.missing.empty()) {
    out << "not in run " << result.run.id << ": " << SomeAccounts(result.missing) << "\n";
  }
  if (!result.rows.empty()) {
    out << "\n";
    table.Print(out);
  }
}

void PrintQueryCsv(const ReviewQueryResult& result, std::ostream& out) {
  CsvWriter csv(&out);
  std::vector<std::string> header = {"run"};
  for (const ReviewField* field : result.fields) header.emplace_back(field->name);
  csv.WriteRow(header);
  for (const auto& row : result.rows) {
    std::vector<std::string> cells = {std::to_string(result.run.id)};
    for (const FieldValue& value : row) cells.push_back(Exact(value));
    csv.WriteRow(cells);
  }
}

void PrintQueryJson(const ReviewQueryResult& result, std::ostream& out) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& row : result.rows) {
    nlohmann::ordered_json object;
    for (size_t i = 0; i < row.size(); ++i) {
      std::visit([&](const auto& v) { object[std::string(result.fields[i]->name)] = v; }, row[i]);
    }
    rows.push_back(std::move(object));
  }
  nlohmann::ordered_json doc = {{"run", result.run.id},
                                {"as_of", result.run.as_of},
                                {"finished", result.run.finished},
                                {"filter", result.filter},
                                {"filter_name", result.filter_name},
                                {"matched", result.matched},
                                {"missing", result.missing},
                                {"rows", std::move(rows)}};
  out << doc.dump(2) << "\n";
}

}  // namespace

void PrintFields(std::ostream& out) {
  TextTable table({"field", "type", "meaning"}, {Align::kLeft, Align::kLeft, Align::kLeft});
  for (const ReviewField& f : workbench::ReviewFields()) {
    table.AddRow({std::string(f.name), std::string(TypeName(f.type)), std::string(f.description)});
  }
  table.Print(out);
}

void PrintFilters(const std::vector<SavedFilter>& filters, std::ostream& out) {
  if (filters.empty()) {
    out << "no saved filters: `arbor workbench filter save NAME TEXT` saves one\n";
    return;
  }
  TextTable table({"name", "filter", "description", "saved by", "at"},
                  {Align::kLeft, Align::kLeft, Align::kLeft, Align::kLeft, Align::kLeft});
  for (const SavedFilter& f : filters) {
    table.AddRow({f.name, f.text, f.description, f.created_by, f.created_at});
  }
  table.Print(out);
}

std::vector<std::string> QueryFields(std::string_view sort, std::string_view format) {
  if (format != "table") return {};  // every field
  std::vector<std::string> fields(std::begin(kTableFields), std::end(kTableFields));
  if (std::ranges::find(fields, sort) == fields.end()) fields.emplace_back(sort);
  return fields;
}

void PrintQuery(const ReviewQueryResult& result, std::string_view format, std::ostream& out) {
  if (format == "csv") {
    PrintQueryCsv(result, out);
  } else if (format == "json") {
    PrintQueryJson(result, out);
  } else {
    PrintQueryTable(result, out);
  }
}

void PrintBatchReport(const BatchReport& report, workbench::BatchAction action,
                      const std::string& user, std::ostream& out) {
  const std::string to(ToString(workbench::TargetStatus(action)));
  out << ToString(action) << " on review run " << report.run << " by " << user << " (audit #"
      << report.audit_id << "): " << Plural(report.changed.size(), "account", "accounts") << " -> "
      << to << ", " << report.skipped.size() << " skipped\n";
  out << "  accounts: "
      << (report.filter_name.empty() ? "" : "saved filter " + report.filter_name + ": ")
      << report.filter << "\n";
  std::map<std::string, std::vector<std::string>> by_from;
  for (const StatusChange& c : report.changed)
    by_from[std::string(ToString(c.from))].push_back(c.account);
  for (const auto& [from, accounts] : by_from) {
    out << "  " << from << " -> " << to << ": " << SomeAccounts(accounts) << "\n";
  }
  std::map<std::string, std::vector<std::string>> by_why;
  for (const SkippedAccount& s : report.skipped) by_why[s.why].push_back(s.account);
  for (const auto& [why, accounts] : by_why) {
    out << "  skipped, " << why << ": " << SomeAccounts(accounts) << "\n";
  }
}

void PrintAudit(const std::vector<AuditEntry>& entries,
                const std::vector<std::vector<AuditAccount>>& accounts, std::ostream& out) {
  if (entries.empty()) {
    out << "the audit log has no entries for this selection\n";
    return;
  }
  TextTable table({"#", "at", "user", "action", "run", "accounts", "filter", "detail"},
                  {Align::kRight, Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight,
                   Align::kRight, Align::kLeft, Align::kLeft});
  for (size_t i = 0; i < entries.size(); ++i) {
    const AuditEntry& e = entries[i];
    table.AddRow({std::to_string(e.id), e.at, e.user, e.action, e.run ? std::to_string(*e.run) : "",
                  std::to_string(e.accounts),
                  (e.filter_name.empty() ? "" : e.filter_name + ": ") + e.filter, e.detail});
    if (i < accounts.size()) {
      for (const AuditAccount& a : accounts[i]) {
        table.AddRow(
            {"", "", "", "", "", "", "  " + a.account, a.from_status + " -> " + a.to_status});
      }
    }
  }
  table.Print(out);
}

void PrintExport(const TradeExport& result, const TradeFilePaths& paths, std::ostream& out) {
  out << "export #" << result.audit_id << " of review run " << result.run << ": "
      << Plural(result.accounts.size(), "account", "accounts") << ", "
      << Plural(result.trades.size(), "trade", "trades") << " in "
      << Plural(result.blocks.size(), "block", "blocks") << "\n"
      << "  blotter: " << paths.blotter << "\n  blocks:  " << paths.blocks << "\n\n";
  TextTable table({"block", "side", "symbol", "shares", "est. price", "est. value", "accounts"},
                  {Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight, Align::kRight,
                   Align::kRight, Align::kRight});
  for (const workbench::Block& b : result.blocks) {
    table.AddRow({BlockId(result.run, result.audit_id, b.number), std::string(ToString(b.side)),
                  b.symbol, b.shares.ToShortString(), b.price.ToString(2),
                  FormatDollars(b.amount.ToDouble()), std::to_string(b.allocations.size())});
  }
  table.Print(out);
}

}  // namespace arbor::cli
