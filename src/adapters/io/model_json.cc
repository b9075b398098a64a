// The JSON readers of model_files.h: templates, screens and customizations.
#include <string>
#include <vector>

#include "adapters/io/json_file.h"
#include "adapters/io/model_files.h"
#include "core/base/date.h"

namespace arbor {
namespace {

using nlohmann::json;

// Reads the fields of one JSON object, each error naming `path.key` at the object's line.
class Fields {
 public:
  Fields(const JsonFile& file, const json& object, std::string path)
      : file_(file), object_(object), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  Status Error(std::string_view key, std::string_view what) const {
    return file_.Error(object_, PathOf(key), what);
  }
  const json* Find(std::string_view key) const {
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  Status String(std::string_view key, bool required, std::string* out) const {
    const json* value = Find(key);
    if (value == nullptr) return required ? Error(key, "missing") : Status::Ok();
    if (!value->is_string()) return TypeError(key, "a string", *value);
    *out = value->get<std::string>();
    if (required && out->empty()) return Error(key, "must not be empty");
    return Status::Ok();
  }

  Status Number(std::string_view key, bool required, double* out) const {
    const json* value = Find(key);
    if (value == nullptr) return required ? Error(key, "missing") : Status::Ok();
    if (!value->is_number()) return TypeError(key, "a number", *value);
    *out = value->get<double>();
    return Status::Ok();
  }

  Status Bool(std::string_view key, bool* out) const {
    const json* value = Find(key);
    if (value == nullptr) return Status::Ok();
    if (!value->is_boolean()) return TypeError(key, "true or false", *value);
    *out = value->get<bool>();
    return Status::Ok();
  }

  Status PositiveInt(std::string_view key, int* out) const {
    const json* value = Find(key);
    if (value == nullptr) return Error(key, "missing");
    if (!value->is_number_integer() || value->get<int64_t>() < 1 ||
        value->get<int64_t>() > 1'000'000) {
      return Error(key, "must be a positive integer, got " + value->dump());
    }
    *out = value->get<int>();
    return Status::Ok();
  }

  Status DateField(std::string_view key, Date* out) const {
    std::string text;
    ARBOR_RETURN_IF_ERROR(String(key, true, &text));
    Result<Date> date = Date::Parse(text);
    if (!date.ok()) return Error(key, date.status().message());
    *out = *date;
    return Status::Ok();
  }

  Status Strings(std::string_view key, std::vector<std::string>* out) const {
    const json* value = Find(key);
    if (value == nullptr) return Status::Ok();
    if (!value->is_array()) return TypeError(key, "a list of strings", *value);
    for (size_t i = 0; i < value->size(); ++i) {
      const json& item = (*value)[i];
      const std::string at = std::string(key) + "[" + std::to_string(i) + "]";
      if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
        return Error(at, "must be a non-empty string, got " + item.dump());
      }
      out->push_back(item.get<std::string>());
    }
    return Status::Ok();
  }

  // The objects of a list field, each with its path ("classes[2]").
  Status Objects(std::string_view key, bool required,
                 std::vector<std::pair<const json*, std::string>>* out) const {
    const json* value = Find(key);
    if (value == nullptr) return required ? Error(key, "missing") : Status::Ok();
    if (!value->is_array()) return TypeError(key, "a list", *value);
    for (size_t i = 0; i < value->size(); ++i) {
      out->emplace_back(&(*value)[i], PathOf(key) + "[" + std::to_string(i) + "]");
    }
    return Status::Ok();
  }

 private:
  Status TypeError(std::string_view key, std::string_view expected, const json& value) const {
    return Error(key, "must be " + std::string(expected) + ", got " + value.dump());
  }

  const JsonFile& file_;
  const json& object_;
  std::string path_;
};

// The items of a file: {"<list_key>": [...]}, a bare list, or a single item object (one with
// `item_key`).
Result<std::vector<std::pair<const json*, std::string>>> Items(const JsonFile& file,
                                                               const char* list_key,
                                                               const char* item_key) {
  const json& root = file.root();
  const json* list = &root;
  std::string path = "";
  if (root.is_object() && root.contains(list_key)) {
    ARBOR_RETURN_IF_ERROR(file.CheckKeys(root, "(top level)", {list_key}));
    list = &root[list_key];
    path = list_key;
  } else if (root.is_object() && root.contains(item_key)) {
    return std::vector<std::pair<const json*, std::string>>{{&root, ""}};
  }
  if (!list->is_array()) {
    return Status::InvalidArgument(file.source() + ": expected {\"" + list_key +
                                   "\": [...]}, a list, or one object with \"" + item_key + "\"");
  }
  std::vector<std::pair<const json*, std::string>> items;
  for (size_t i = 0; i < list->size(); ++i) {
    items.emplace_back(&(*list)[i], path + "[" + std::to_string(i) + "]");
  }
  return items;
}

Result<models::ProductOption> ReadProduct(const JsonFile& file, const json& object,
                                          const std::string& path) {
  ARBOR_RETURN_IF_ERROR(file.CheckKeys(object, path, {"id", "kind", "reference"}));
  Fields fields(file, object, path);
  models::ProductOption product;
  std::string kind;
  ARBOR_RETURN_IF_ERROR(fields.String("id", true, &product.id));
  ARBOR_RETURN_IF_ERROR(fields.String("kind", true, &kind));
  Result<models::ProductKind> parsed = models::ProductKindFromString(kind);
  if (!parsed.ok()) return fields.Error("kind", parsed.status().message());
  product.kind = *parsed;
  ARBOR_RETURN_IF_ERROR(fields.String("reference", false, &product.reference));
  return product;
}

Result<models::AssetClass> ReadClass(const JsonFile& file, const json& object,
                                     const std::string& path) {
  ARBOR_RETURN_IF_ERROR(file.CheckKeys(object, path,
                                       {"name", "parent", "weight", "min_weight", "max_weight",
                                        "removable", "products", "default_product"}));
  Fields fields(file, object, path);
  models::AssetClass asset_class;
  ARBOR_RETURN_IF_ERROR(fields.String("name", true, &asset_class.name));
  ARBOR_RETURN_IF_ERROR(fields.String("parent", false, &asset_class.parent));
  ARBOR_RETURN_IF_ERROR(fields.Number("weight", true, &asset_class.weight));
  ARBOR_RETURN_IF_ERROR(fields.Number("min_weight", false, &asset_class.min_weight));
  ARBOR_RETURN_IF_ERROR(fields.Number("max_weight", false, &asset_class.max_weight));
  ARBOR_RETURN_IF_ERROR(fields.Bool("removable", &asset_class.removable));
  std::vector<std::pair<const json*, std::string>> products;
  ARBOR_RETURN_IF_ERROR(fields.Objects("products", false, &products));
  for (const auto& [product, product_path] : products) {
    Result<models::ProductOption> option = ReadProduct(file, *product, product_path);
    if (!option.ok()) return option.status();
    asset_class.products.push_back(std::move(option).value());
  }
  ARBOR_RETURN_IF_ERROR(fields.String("default_product", false, &asset_class.default_product));
  // One approved product is its own default: the IPC need not repeat it.
  if (asset_class.default_product.empty() && asset_class.products.size() == 1) {
    asset_class.default_product = asset_class.products[0].id;
  }
  return asset_class;
}

Result<models::Template> ReadTemplate(const JsonFile& file, const json& object,
                                      const std::string& path) {
  ARBOR_RETURN_IF_ERROR(
      file.CheckKeys(object, path, {"name", "version", "effective", "description", "classes"}));
  Fields fields(file, object, path);
  models::Template tmpl;
  ARBOR_RETURN_IF_ERROR(fields.String("name", true, &tmpl.name));
  ARBOR_RETURN_IF_ERROR(fields.PositiveInt("version", &tmpl.version));
  ARBOR_RETURN_IF_ERROR(fields.DateField("effective", &tmpl.effective));
  ARBOR_RETURN_IF_ERROR(fields.String("description", false, &tmpl.description));
  std::vector<std::pair<const json*, std::string>> classes;
  ARBOR_RETURN_IF_ERROR(fields.Objects("classes", true, &classes));
  for (const auto& [item, class_path] : classes) {
    Result<models::AssetClass> asset_class = ReadClass(file, *item, class_path);
    if (!asset_class.ok()) return asset_class.status();
    tmpl.classes.push_back(std::move(asset_class).value());
  }
  return tmpl;
}

Result<models::Screen> ReadScreen(const JsonFile& file, const json& object,
                                  const std::string& path) {
  ARBOR_RETURN_IF_ERROR(file.CheckKeys(
      object, path, {"name", "description", "sub_industries", "symbols", "includes"}));
  Fields fields(file, object, path);
  models::Screen screen;
  ARBOR_RETURN_IF_ERROR(fields.String("name", true, &screen.name));
  ARBOR_RETURN_IF_ERROR(fields.String("description", false, &screen.description));
  ARBOR_RETURN_IF_ERROR(fields.Strings("sub_industries", &screen.sub_industries));
  ARBOR_RETURN_IF_ERROR(fields.Strings("symbols", &screen.symbols));
  ARBOR_RETURN_IF_ERROR(fields.Strings("includes", &screen.includes));
  return screen;
}

// A removal is a class name (pro rata) or {"asset_class", "rule", "to_class"}; a to_class
// implies the to_class rule.
Result<models::ClassRemoval> ReadRemoval(const JsonFile& file, const json& item,
                                         const std::string& path, const json& parent) {
  if (item.is_string()) {
    if (item.get_ref<const std::string&>().empty()) {
      return file.Error(parent, path, "must not be empty");
    }
    return models::ClassRemoval{.asset_class = item.get<std::string>()};
  }
  ARBOR_RETURN_IF_ERROR(file.CheckKeys(item, path, {"asset_class", "rule", "to_class"}));
  Fields fields(file, item, path);
  models::ClassRemoval removal;
  std::string rule;
  ARBOR_RETURN_IF_ERROR(fields.String("asset_class", true, &removal.asset_class));
  ARBOR_RETURN_IF_ERROR(fields.String("rule", false, &rule));
  ARBOR_RETURN_IF_ERROR(fields.String("to_class", false, &removal.to_class));
  if (rule.empty()) {
    removal.rule = removal.to_class.empty() ? models::Redistribution::kProRata
                                            : models::Redistribution::kToClass;
  } else {
    Result<models::Redistribution> parsed = models::RedistributionFromString(rule);
    if (!parsed.ok()) return fields.Error("rule", parsed.status().message());
    removal.rule = *parsed;
  }
  if (removal.rule == models::Redistribution::kToClass && removal.to_class.empty()) {
    return fields.Error("to_class", "missing: the to_class rule needs the class to give to");
  }
  if (removal.rule == models::Redistribution::kProRata && !removal.to_class.empty()) {
    return fields.Error("to_class", "only the to_class rule takes a class");
  }
  return removal;
}

// A customization's choices, the fields after its owner, into `customization`.
Status ReadChoices(const JsonFile& file, const json& object, const Fields& fields,
                   models::Customization& customization) {
  ARBOR_RETURN_IF_ERROR(fields.String("template", true, &customization.template_name));
  if (const json* removals = fields.Find("removals")) {
    if (!removals->is_array()) return fields.Error("removals", "must be a list");
    for (size_t i = 0; i < removals->size(); ++i) {
      Result<models::ClassRemoval> removal = ReadRemoval(
          file, (*removals)[i], fields.PathOf("removals") + "[" + std::to_string(i) + "]", object);
      if (!removal.ok()) return removal.status();
      customization.removals.push_back(std::move(removal).value());
    }
  }
  if (const json* weights = fields.Find("weights")) {
    if (!weights->is_object()) {
      return fields.Error("weights", "must be an object of class: weight, e.g. {\"Bonds\": 0.4}");
    }
    ARBOR_RETURN_IF_ERROR(
        file.ForEachMember(*weights, [&](const std::string& name, const json& value) {
          if (!value.is_number()) {
            return file.Error(*weights, fields.PathOf("weights") + "." + name,
                              "must be a number, got " + value.dump());
          }
          customization.weights.push_back({.asset_class = name, .weight = value.get<double>()});
          return Status::Ok();
        }));
  }
  if (const json* products = fields.Find("products")) {
    if (!products->is_object()) {
      return fields.Error("products",
                          "must be an object of class: product id, e.g. {\"US Large Cap\": "
                          "\"SP500-DI\"}");
    }
    ARBOR_RETURN_IF_ERROR(file.ForEachMember(*products, [&](const std::string& name,
                                                            const json& value) {
      if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
        return file.Error(*products, fields.PathOf("products") + "." + name,
                          "must be a product id, got " + value.dump());
      }
      customization.products.push_back({.asset_class = name, .product = value.get<std::string>()});
      return Status::Ok();
    }));
  }
  return fields.Strings("screens", &customization.screens);
}

Result<models::Customization> ReadCustomization(const JsonFile& file, const json& object,
                                                const std::string& path) {
  ARBOR_RETURN_IF_ERROR(file.CheckKeys(
      object, path, {"account", "template", "removals", "weights", "products", "screens"}));
  Fields fields(file, object, path);
  models::Customization customization;
  ARBOR_RETURN_IF_ERROR(fields.String("account", true, &customization.account));
  ARBOR_RETURN_IF_ERROR(ReadChoices(file, object, fields, customization));
  return customization;
}

template <typename T>
using Reader = Result<T> (*)(const JsonFile&, const json&, const std::string&);

template <typename T>
Result<std::vector<Placed<T>>> ReadAll(const std::string& path, const char* list_key,
                                       const char* item_key, Reader<T> read) {
  Result<JsonFile> file = JsonFile::Read(path);
  if (!file.ok()) return file.status();
  Result<std::vector<std::pair<const json*, std::string>>> items = Items(*file, list_key, item_key);
  if (!items.ok()) return items.status();
  std::vector<Placed<T>> out;
  for (const auto& [item, item_path] : *items) {
    Result<T> value = read(*file, *item, item_path);
    if (!value.ok()) return value.status();
    out.push_back(
        {std::move(value).value(), file->source() + ":" + std::to_string(file->LineOf(*item))});
  }
  return out;
}

}  // namespace

Result<std::vector<Placed<models::Template>>> ReadTemplatesJson(const std::string& path) {
  return ReadAll<models::Template>(path, "templates", "classes", &ReadTemplate);
}

Result<std::vector<Placed<models::Screen>>> ReadScreensJson(const std::string& path) {
  return ReadAll<models::Screen>(path, "screens", "name", &ReadScreen);
}

Result<std::vector<Placed<models::Customization>>> ReadCustomizationsJson(const std::string& path) {
  return ReadAll<models::Customization>(path, "customizations", "account", &ReadCustomization);
}

Result<models::Customization> ReadCustomizationChoicesJson(const JsonFile& file,
                                                           const nlohmann::json& object,
                                                           const std::string& path) {
  ARBOR_RETURN_IF_ERROR(
      file.CheckKeys(object, path, {"template", "removals", "weights", "products", "screens"}));
  Fields fields(file, object, path);
  models::Customization customization;
  ARBOR_RETURN_IF_ERROR(ReadChoices(file, object, fields, customization));
  return customization;
}

}  // namespace arbor
