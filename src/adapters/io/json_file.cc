#include "adapters/io/json_file.h"

#include <fstream>
#include <set>
#include <sstream>
#include <vector>

namespace arbor {
namespace {

using nlohmann::json;

// The line of an object is kept inside it under a key no JSON text can produce by accident,
// because nlohmann offers no per-value position and values move as their parents grow.
constexpr const char* kLineKey = "\x01line";

// The line of every '{' outside strings, in document order: the order in which the parser
// starts objects.
std::vector<int> ObjectStartLines(std::string_view text) {
  std::vector<int> lines;
  int line = 1;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (in_string) {
      if (c == '\\') {
        ++i;  // an escaped quote does not end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      lines.push_back(line);
    }
  }
  return lines;
}

// "[json.exception.parse_error.101] parse error at line 3, ..." without the bracketed tag.
std::string WithoutTag(const std::string& what) {
  const size_t end = what.find("] ");
  return what.front() == '[' && end != std::string::npos ? what.substr(end + 2) : what;
}

}  // namespace

Result<JsonFile> JsonFile::Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return FromString(text.str(), path);
}

Result<JsonFile> JsonFile::FromString(std::string_view text, std::string source) {
  const std::vector<int> start_lines = ObjectStartLines(text);
  size_t started = 0;
  std::vector<int> open_lines;
  std::vector<std::set<std::string>> open_keys;
  std::string repeated_key;
  int repeated_line = 0;
  auto track = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        open_lines.push_back(started < start_lines.size() ? start_lines[started] : 0);
        ++started;
        open_keys.emplace_back();
        break;
      case json::parse_event_t::key:
        if (repeated_key.empty() && !open_keys.back().insert(parsed.get<std::string>()).second) {
          repeated_key = parsed.get<std::string>();
          repeated_line = open_lines.back();
        }
        break;
      case json::parse_event_t::object_end:
        parsed[kLineKey] = open_lines.back();
        open_lines.pop_back();
        open_keys.pop_back();
        break;
      default:
        break;
    }
    return true;
  };
  json root;
  try {
    root = json::parse(text, track);
  } catch (const json::exception& error) {
    return Status::InvalidArgument(source + ": not valid JSON: " + WithoutTag(error.what()));
  }
  if (!repeated_key.empty()) {
    return Status::InvalidArgument(source + ":" + std::to_string(repeated_line) + ": " +
                                   repeated_key + ": the key appears twice in one object");
  }
  return JsonFile(std::move(root), std::move(source));
}

int JsonFile::LineOf(const json& object) const {
  if (!object.is_object()) return 0;
  auto line = object.find(kLineKey);
  return line == object.end() ? 0 : line->get<int>();
}

Status JsonFile::Error(const json& object, std::string_view field, std::string_view what) const {
  const int line = LineOf(object);
  return Status::InvalidArgument(source_ + (line > 0 ? ":" + std::to_string(line) : "") + ": " +
                                 std::string(field) + ": " + std::string(what));
}

Status JsonFile::CheckKeys(const json& object, std::string_view field,
                           std::initializer_list<std::string_view> known) const {
  if (!object.is_object()) {
    return Error(object, field, std::string("must be a JSON object, got ") + object.type_name());
  }
  std::string expected;
  for (std::string_view key : known) expected += (expected.empty() ? "" : ", ") + std::string(key);
  return ForEachMember(object, [&](const std::string& key, const json&) {
    for (std::string_view name : known) {
      if (key == name) return Status::Ok();
    }
    return Error(object, field.empty() ? key : std::string(field) + "." + key,
                 "unknown field (expected " + expected + ")");
  });
}

Status JsonFile::ForEachMember(
    const json& object,
    const std::function<Status(const std::string& key, const json& value)>& use) const {
  if (!object.is_object()) return Status::Ok();
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (it.key() == kLineKey) continue;
    ARBOR_RETURN_IF_ERROR(use(it.key(), it.value()));
  }
  return Status::Ok();
}

}  // namespace arbor
