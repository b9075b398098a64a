// The CSV readers of model_files.h: third-party security models and screens.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "adapters/io/csv.h"
#include "adapters/io/model_files.h"
#include "adapters/io/text.h"
#include "core/base/date.h"
#include "core/market/security.h"

namespace arbor {
namespace {

// Header column -> index of its canonical name (`known` maps each accepted name to it; to "" for
// an informational column that is ignored), matched case-insensitively with spaces ignored; a
// column the format does not know is an error, so a misspelt `wieght` cannot drop the weights.
Result<std::map<std::string, size_t>> MatchHeader(const CsvReader& reader,
                                                  const std::map<std::string, std::string>& known,
                                                  const std::vector<std::string>& required) {
  std::map<std::string, size_t> index;
  std::string expected;
  for (const auto& [name, canonical] : known) {
    if (name == canonical) expected += (expected.empty() ? "" : ", ") + name;
  }
  for (size_t c = 0; c < reader.header().size(); ++c) {
    const std::string name = Lower(Trim(reader.header()[c]));
    auto it = known.find(name);
    if (it != known.end() && it->second.empty()) continue;  // informational, ignored
    if (it == known.end()) {
      return Status::InvalidArgument(reader.source() + ":1: " + reader.header()[c] +
                                     ": unknown column (expected " + expected + ")");
    }
    if (!index.emplace(it->second, c).second) {
      return Status::InvalidArgument(reader.source() + ":1: " + it->second +
                                     ": the header names this column twice");
    }
  }
  for (const std::string& column : required) {
    if (!index.contains(column)) {
      return Status::InvalidArgument(reader.source() + ":1: " + column +
                                     ": missing required column");
    }
  }
  return index;
}

std::string_view Cell(const CsvRow& row, const std::map<std::string, size_t>& index,
                      const std::string& column) {
  auto it = index.find(column);
  return it == index.end() ? std::string_view() : Trim(row[it->second]);
}

std::string Place(const CsvRow& row) { return row.source() + ":" + std::to_string(row.line()); }

// A plain decimal in (0, 1], any number of digits: index weights often carry more than six.
Result<double> ParseWeight(const CsvRow& row, std::string_view text) {
  double value = 0;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return FieldError(row, "weight", "'" + std::string(text) + "' is not a decimal number");
  }
  if (value <= 0 || value > 1) {
    return FieldError(row, "weight",
                      "must be in (0, 1] (a fraction of the model), got " + std::string(text));
  }
  return value;
}

}  // namespace

Result<std::vector<Placed<models::SecurityModel>>> ReadSecurityModelsCsv(
    const std::string& path, const std::string& default_name) {
  Result<CsvReader> reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  Result<std::map<std::string, size_t>> index = MatchHeader(*reader,
                                                            {{"symbol", "symbol"},
                                                             {"weight", "weight"},
                                                             {"effective_date", "effective_date"},
                                                             {"model", "model"}},
                                                            {"symbol", "weight", "effective_date"});
  if (!index.ok()) return index.status();
  std::vector<Placed<models::SecurityModel>> versions;
  std::map<std::pair<std::string, std::string>, size_t> version_of;  // (model, date) -> index
  std::map<std::pair<size_t, std::string>, int64_t> line_of;         // (version, symbol) -> line
  CsvRow row;
  while (reader->Next(&row)) {
    std::string name(Cell(row, *index, "model"));
    if (name.empty()) name = default_name;
    if (name.empty()) {
      return FieldError(row, "model", "missing: give the model a name with --name");
    }
    const std::string_view date_text = Cell(row, *index, "effective_date");
    Result<Date> effective = Date::Parse(date_text);
    if (!effective.ok()) return FieldError(row, "effective_date", effective.status().message());
    const std::string symbol(Cell(row, *index, "symbol"));
    Status valid_symbol = ValidateSymbol(symbol);
    if (!valid_symbol.ok()) return FieldError(row, "symbol", valid_symbol.message());
    Result<double> weight = ParseWeight(row, Cell(row, *index, "weight"));
    if (!weight.ok()) return weight.status();

    auto [it, added] = version_of.emplace(std::pair(name, effective->ToString()), versions.size());
    if (added) {
      models::SecurityModel model{.name = name, .version = 0, .effective = *effective};
      versions.push_back({std::move(model), Place(row)});
    }
    auto [line, first] = line_of.emplace(std::pair(it->second, symbol), row.line());
    if (!first) {
      return FieldError(row, "symbol",
                        symbol + " is listed twice for " + name + " effective " +
                            effective->ToString() + " (first on line " +
                            std::to_string(line->second) + ")");
    }
    versions[it->second].value.weights.push_back({.symbol = symbol, .weight = *weight});
  }
  ARBOR_RETURN_IF_ERROR(reader->status());
  return versions;
}

Result<std::vector<Placed<models::Screen>>> ReadScreensCsv(const std::string& path) {
  Result<CsvReader> reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  Result<std::map<std::string, size_t>> index = MatchHeader(*reader,
                                                            {{"screen", "screen"},
                                                             {"sub_industry", "sub_industry"},
                                                             {"gics_sub_industry", "sub_industry"},
                                                             {"symbol", "symbol"},
                                                             {"include", "include"},
                                                             {"description", "description"},
                                                             {"security", ""},
                                                             {"gics_sector", ""}},
                                                            {"screen"});
  if (!index.ok()) return index.status();
  std::vector<Placed<models::Screen>> screens;
  std::map<std::string, size_t> screen_of;
  auto add = [](std::vector<std::string>& list, std::string_view value) {
    if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end()) {
      list.emplace_back(value);
    }
  };
  CsvRow row;
  while (reader->Next(&row)) {
    const std::string name(Cell(row, *index, "screen"));
    if (name.empty()) return FieldError(row, "screen", "missing");
    auto [it, added] = screen_of.emplace(name, screens.size());
    if (added) screens.push_back({models::Screen{.name = name}, Place(row)});
    models::Screen& screen = screens[it->second].value;
    const std::string_view symbol = Cell(row, *index, "symbol");
    if (!symbol.empty()) {
      Status valid_symbol = ValidateSymbol(symbol);
      if (!valid_symbol.ok()) return FieldError(row, "symbol", valid_symbol.message());
    }
    const std::string_view description = Cell(row, *index, "description");
    if (!description.empty()) {
      if (!screen.description.empty() && screen.description != description) {
        return FieldError(
            row, "description",
            "screen " + name + " already has the description '" + screen.description + "'");
      }
      screen.description = description;
    }
    add(screen.sub_industries, Cell(row, *index, "sub_industry"));
    add(screen.symbols, symbol);
    add(screen.includes, Cell(row, *index, "include"));
  }
  ARBOR_RETURN_IF_ERROR(reader->status());
  return screens;
}

}  // namespace arbor
