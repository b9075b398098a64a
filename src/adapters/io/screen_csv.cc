#include "adapters/io/screen_csv.h"

#include <algorithm>
#include <utility>

#include "adapters/io/csv.h"
#include "adapters/io/market_data.h"
#include "adapters/io/text.h"
#include "core/market/security.h"

namespace arbor {
namespace {

Status RequireColumns(const CsvReader& reader, std::initializer_list<std::string_view> columns) {
  for (std::string_view column : columns) {
    Result<size_t> found = reader.RequireColumn(column);
    if (!found.ok()) return found.status();
  }
  return Status::Ok();
}

// The screen's name: required, lower case letters, digits and '_' (it is typed on command lines
// and stored in customizations).
Result<std::string> ScreenName(const CsvRow& row) {
  const std::string name(Trim(row.Get("screen")));
  const bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (!valid) {
    return FieldError(row, "screen",
                      "'" + name + "' is not a screen name (lower case letters, digits, '_')");
  }
  return name;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

Result<std::vector<models::Screen>> ReadScreenDefinitions(const std::string& path) {
  Result<CsvReader> reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  ARBOR_RETURN_IF_ERROR(RequireColumns(*reader, {"screen", "gics_sub_industry"}));
  std::vector<models::Screen> screens;
  CsvRow row;
  while (reader->Next(&row)) {
    Result<std::string> name = ScreenName(row);
    if (!name.ok()) return name.status();
    const std::string sub_industry(Trim(row.Get("gics_sub_industry")));
    if (!GicsFromSubIndustry(sub_industry)) {
      return FieldError(row, "gics_sub_industry",
                        "'" + sub_industry + "' is not a GICS sub-industry");
    }
    auto screen = std::find_if(screens.begin(), screens.end(),
                               [&](const models::Screen& s) { return s.name == *name; });
    if (screen == screens.end()) {
      screens.push_back({.name = *name});
      screen = std::prev(screens.end());
    }
    if (Contains(screen->sub_industries, sub_industry)) {
      return FieldError(row, "gics_sub_industry",
                        "'" + sub_industry + "' is listed twice for screen '" + *name + "'");
    }
    screen->sub_industries.push_back(sub_industry);
  }
  ARBOR_RETURN_IF_ERROR(reader->status());
  if (screens.empty()) return Status::InvalidArgument(path + ": no screens");
  for (models::Screen& screen : screens) {
    screen.description = "GICS sub-industries: ";
    for (size_t i = 0; i < screen.sub_industries.size(); ++i) {
      screen.description += (i ? ", " : "") + screen.sub_industries[i];
    }
  }
  return screens;
}

Status ReadScreenSymbols(const std::string& path, std::vector<models::Screen>* screens) {
  Result<CsvReader> reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  ARBOR_RETURN_IF_ERROR(RequireColumns(*reader, {"screen", "gics_sub_industry", "symbol"}));
  CsvRow row;
  while (reader->Next(&row)) {
    Result<std::string> name = ScreenName(row);
    if (!name.ok()) return name.status();
    auto screen = std::find_if(screens->begin(), screens->end(),
                               [&](const models::Screen& s) { return s.name == *name; });
    if (screen == screens->end()) {
      return FieldError(row, "screen", "'" + *name + "' is not a defined screen");
    }
    const std::string sub_industry(Trim(row.Get("gics_sub_industry")));
    if (!Contains(screen->sub_industries, sub_industry)) {
      return FieldError(
          row, "gics_sub_industry",
          "'" + sub_industry + "' is not one of screen '" + *name + "''s sub-industries");
    }
    const std::string symbol(Trim(row.Get("symbol")));
    if (Status valid = ValidateSymbol(symbol); !valid.ok()) {
      return FieldError(row, "symbol", valid.message());
    }
    if (!Contains(screen->symbols, symbol)) screen->symbols.push_back(symbol);
  }
  ARBOR_RETURN_IF_ERROR(reader->status());
  for (models::Screen& screen : *screens) {
    std::sort(screen.symbols.begin(), screen.symbols.end());
  }
  return Status::Ok();
}

Result<std::vector<models::Screen>> LoadGicsScreens(const std::string& data_dir) {
  const std::string dir = data_dir + "/esg-screens/";
  Result<std::vector<models::Screen>> screens =
      ReadScreenDefinitions(dir + "gics_screen_definitions.csv");
  if (!screens.ok()) return screens.status();
  ARBOR_RETURN_IF_ERROR(
      ReadScreenSymbols(dir + "gics_exclusion_screens_2026-08-08.csv", &*screens));
  return screens;
}

}  // namespace arbor
