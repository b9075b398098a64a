// Readers of the investment-model import files (docs/import-formats.md, "Investment models"):
// templates, screens and customizations as JSON, third-party security models and screens as CSV.
// They check the syntax, types and field names and turn each item into its core type; what the
// core validates (weights summing to 1, bands, cycles) and what needs the database (known
// symbols, accounts) is checked by the store, which names the item's place in the file.
//
//   Result<std::vector<Placed<models::Template>>> read = ReadTemplatesJson("templates.json");
//   if (!read.ok()) return read.status();   // "templates.json:9: classes[2].weight: must be ..."
//   for (const auto& [tmpl, place] : *read) ...   // place: "templates.json:3"
#pragma once

#include <string>
#include <vector>

#include "adapters/io/json_file.h"
#include "core/base/status.h"
#include "core/models/asset_class_template.h"
#include "core/models/customization.h"
#include "core/models/screen.h"
#include "core/models/security_model.h"

namespace arbor {

// An item read from a file, with `file:line` of where it starts, for the store's errors.
template <typename T>
struct Placed {
  T value;
  std::string place;
};

// {"templates": [...]}, a list of templates, or one template object; any number of templates
// and versions.
Result<std::vector<Placed<models::Template>>> ReadTemplatesJson(const std::string& path);
// {"screens": [...]}, a list, or one screen object.
Result<std::vector<Placed<models::Screen>>> ReadScreensJson(const std::string& path);
// {"customizations": [...]}, a list, or one customization object.
Result<std::vector<Placed<models::Customization>>> ReadCustomizationsJson(const std::string& path);
// The choices of a customization without its owner ({"template", "removals", "weights",
// "products", "screens"}), as an object inside another item holds them (a household's target);
// `path` names the object in errors.
Result<models::Customization> ReadCustomizationChoicesJson(const JsonFile& file,
                                                           const nlohmann::json& object,
                                                           const std::string& path);

// symbol,weight,effective_date[,model]: the rows of one model and effective date are one version
// (its `version` left 0 for the store to number). `default_name` names the rows without a model
// column or with an empty one; rows of one version are in file order.
Result<std::vector<Placed<models::SecurityModel>>> ReadSecurityModelsCsv(
    const std::string& path, const std::string& default_name);
// screen,sub_industry,symbol,include[,description]: each row adds its non-empty cells to its
// screen. The shared ESG data's files read as they are: `gics_sub_industry` is `sub_industry`,
// and their informational `security` and `gics_sector` columns are ignored.
Result<std::vector<Placed<models::Screen>>> ReadScreensCsv(const std::string& path);

}  // namespace arbor
