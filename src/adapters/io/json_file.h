// A JSON file read for an import, whose errors point at the line to fix like the CSV imports do:
// every object remembers the line it starts on, and a key repeated in one object is an error
// (nlohmann would silently keep the last one).
//
//   Result<JsonFile> file = JsonFile::Read("templates.json");
//   if (!file.ok()) return file.status();      // "templates.json: not valid JSON: ... line 7"
//   const nlohmann::json& item = file->root()["templates"][0];
//   ARBOR_RETURN_IF_ERROR(file->CheckKeys(item, "templates[0]", {"name", "version"}));
//   return file->Error(item, "templates[0].version", "must be a positive integer");
//   // "templates.json:3: templates[0].version: must be a positive integer"
#pragma once

#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/base/status.h"

namespace arbor {

class JsonFile {
 public:
  static Result<JsonFile> Read(const std::string& path);
  // For tests and text already in memory; `source` names it in errors.
  static Result<JsonFile> FromString(std::string_view text, std::string source);

  const nlohmann::json& root() const { return root_; }
  const std::string& source() const { return source_; }

  // The line on which `object` starts; 0 for anything but an object of this file.
  int LineOf(const nlohmann::json& object) const;
  // `source:line: field: what`, the line being that of `object` (the innermost object holding
  // the field).
  Status Error(const nlohmann::json& object, std::string_view field, std::string_view what) const;
  // `object` must be a JSON object with only the `known` keys: a misspelt key is an error
  // rather than a setting silently ignored.
  Status CheckKeys(const nlohmann::json& object, std::string_view field,
                   std::initializer_list<std::string_view> known) const;
  // The key-value pairs of `object` in key order (use this, not items(), to iterate a map);
  // nothing for a value that is not an object.
  Status ForEachMember(
      const nlohmann::json& object,
      const std::function<Status(const std::string& key, const nlohmann::json& value)>& use) const;

 private:
  JsonFile(nlohmann::json root, std::string source)
      : root_(std::move(root)), source_(std::move(source)) {}
  nlohmann::json root_;
  std::string source_;
};

}  // namespace arbor
