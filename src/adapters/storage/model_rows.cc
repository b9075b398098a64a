// Reading the model tables back into core types, for loading and for the store's checks.
#include <algorithm>
#include <functional>
#include <map>

#include "adapters/storage/model_store_internal.h"

namespace arbor::storage_internal {

Status ForEachRow(Statement& select, const std::function<Status(const Statement&)>& use) {
  while (true) {
    Result<bool> row = select.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    ARBOR_RETURN_IF_ERROR(use(select));
  }
}

Result<Date> StoredDate(const Statement& row, int column, const std::string& what) {
  Result<Date> date = Date::Parse(row.ColumnView(column));
  if (!date.ok()) return date.status().WithContext("stored " + what);
  return *date;
}

Result<std::map<std::pair<std::string, int>, models::Template>> ReadTemplates(Database* db) {
  std::map<std::pair<std::string, int>, models::Template> templates;
  Result<Statement> versions = db->Prepare(
      "SELECT name, version, effective, description FROM model_templates ORDER BY name, version");
  if (!versions.ok()) return versions.status();
  ARBOR_RETURN_IF_ERROR(ForEachRow(*versions, [&](const Statement& row) {
    models::Template tmpl{.name = row.ColumnText(0), .version = static_cast<int>(row.ColumnInt(1))};
    Result<Date> effective = StoredDate(row, 2, "template " + tmpl.name);
    if (!effective.ok()) return effective.status();
    tmpl.effective = *effective;
    tmpl.description = row.ColumnText(3);
    templates[{tmpl.name, tmpl.version}] = std::move(tmpl);
    return Status::Ok();
  }));
  Result<Statement> classes = db->Prepare(
      "SELECT template, version, name, parent, weight, min_weight, max_weight, removable, "
      "default_product FROM model_template_classes ORDER BY template, version, position");
  if (!classes.ok()) return classes.status();
  ARBOR_RETURN_IF_ERROR(ForEachRow(*classes, [&](const Statement& row) {
    templates[{row.ColumnText(0), static_cast<int>(row.ColumnInt(1))}].classes.push_back(
        {.name = row.ColumnText(2),
         .parent = row.ColumnText(3),
         .weight = row.ColumnDouble(4),
         .min_weight = row.ColumnDouble(5),
         .max_weight = row.ColumnDouble(6),
         .removable = row.ColumnInt(7) != 0,
         .default_product = row.ColumnText(8)});
    return Status::Ok();
  }));
  Result<Statement> products = db->Prepare(
      "SELECT template, version, class, id, kind, reference FROM model_template_products "
      "ORDER BY template, version, class, position");
  if (!products.ok()) return products.status();
  ARBOR_RETURN_IF_ERROR(ForEachRow(*products, [&](const Statement& row) {
    models::Template& tmpl = templates[{row.ColumnText(0), static_cast<int>(row.ColumnInt(1))}];
    const std::string class_name = row.ColumnText(2);
    auto asset_class = std::find_if(tmpl.classes.begin(), tmpl.classes.end(),
                                    [&](const auto& c) { return c.name == class_name; });
    Result<models::ProductKind> kind = models::ProductKindFromString(row.ColumnView(4));
    if (!kind.ok()) return kind.status().WithContext("stored template " + tmpl.name);
    // The foreign key guarantees the class exists.
    asset_class->products.push_back(
        {.id = row.ColumnText(3), .kind = *kind, .reference = row.ColumnText(5)});
    return Status::Ok();
  }));
  return templates;
}

Result<std::map<std::pair<std::string, int>, models::SecurityModel>> ReadSecurityModels(
    Database* db) {
  std::map<std::pair<std::string, int>, models::SecurityModel> models;
  Result<Statement> versions = db->Prepare(
      "SELECT name, version, effective, description FROM security_models ORDER BY name, version");
  if (!versions.ok()) return versions.status();
  ARBOR_RETURN_IF_ERROR(ForEachRow(*versions, [&](const Statement& row) {
    models::SecurityModel model{.name = row.ColumnText(0),
                                .version = static_cast<int>(row.ColumnInt(1))};
    Result<Date> effective = StoredDate(row, 2, "security model " + model.name);
    if (!effective.ok()) return effective.status();
    model.effective = *effective;
    model.description = row.ColumnText(3);
    models[{model.name, model.version}] = std::move(model);
    return Status::Ok();
  }));
  Result<Statement> weights = db->Prepare(
      "SELECT model, version, symbol, weight FROM security_model_weights "
      "ORDER BY model, version, symbol");
  if (!weights.ok()) return weights.status();
  ARBOR_RETURN_IF_ERROR(ForEachRow(*weights, [&](const Statement& row) {
    models[{row.ColumnText(0), static_cast<int>(row.ColumnInt(1))}].weights.push_back(
        {.symbol = row.ColumnText(2), .weight = row.ColumnDouble(3)});
    return Status::Ok();
  }));
  return models;
}

// The latest version of every screen.
Result<std::vector<models::Screen>> ReadScreens(Database* db) {
  std::map<std::string, models::Screen> screens;
  std::map<std::string, int> version_of;
  Result<Statement> latest = db->Prepare(
      "SELECT name, version, description FROM screens s "
      "WHERE version = (SELECT max(version) FROM screens WHERE name = s.name) ORDER BY name");
  if (!latest.ok()) return latest.status();
  ARBOR_RETURN_IF_ERROR(ForEachRow(*latest, [&](const Statement& row) {
    screens[row.ColumnText(0)] = {.name = row.ColumnText(0), .description = row.ColumnText(2)};
    version_of[row.ColumnText(0)] = static_cast<int>(row.ColumnInt(1));
    return Status::Ok();
  }));
  struct Part {
    const char* table;
    const char* column;
    std::vector<std::string> models::Screen::*list;
  };
  for (const Part& part :
       {Part{"screen_sub_industries", "sub_industry", &models::Screen::sub_industries},
        Part{"screen_symbols", "symbol", &models::Screen::symbols},
        Part{"screen_includes", "included", &models::Screen::includes}}) {
    Result<Statement> select =
        db->Prepare(std::string("SELECT screen, version, ") + part.column + " FROM " + part.table +
                    " ORDER BY screen, version, " + part.column);
    if (!select.ok()) return select.status();
    ARBOR_RETURN_IF_ERROR(ForEachRow(*select, [&](const Statement& row) {
      auto version = version_of.find(row.ColumnText(0));
      if (version != version_of.end() && version->second == row.ColumnInt(1)) {
        (screens[version->first].*part.list).push_back(row.ColumnText(2));
      }
      return Status::Ok();
    }));
  }
  std::vector<models::Screen> out;
  for (auto& [name, screen] : screens) out.push_back(std::move(screen));
  return out;
}

// The owner's latest revision number, 0 when it has none.
Result<int> LatestRevision(Database* db, const std::string& owner,
                           const CustomizationTables& tables) {
  Result<Statement> select =
      db->Prepare("SELECT coalesce(max(revision), 0) FROM " + std::string(tables.head) + " WHERE " +
                  tables.owner + " = ?1");
  if (!select.ok()) return select.status();
  select->Bind(1, owner);
  Result<bool> row = select->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(select->ColumnInt(0));
}

Result<models::Customization> ReadCustomization(Database* db, const std::string& owner,
                                                int revision, const CustomizationTables& tables) {
  models::Customization customization{.account = owner};
  Result<Statement> head = db->Prepare("SELECT template FROM " + std::string(tables.head) +
                                       " WHERE " + tables.owner + " = ?1 AND revision = ?2");
  if (!head.ok()) return head.status();
  head->Bind(1, owner).Bind(2, revision);
  ARBOR_RETURN_IF_ERROR(ForEachRow(*head, [&](const Statement& row) {
    customization.template_name = row.ColumnText(0);
    return Status::Ok();
  }));
  // `columns` of one part table, e.g. ("asset_class, weight", "weights").
  auto select = [&](const std::string& columns, const std::string& part) -> Result<Statement> {
    Result<Statement> statement =
        db->Prepare("SELECT " + columns + " FROM " + tables.parts_prefix + part + " WHERE " +
                    tables.owner + " = ?1 AND revision = ?2 ORDER BY position");
    if (statement.ok()) statement->Bind(1, owner).Bind(2, revision);
    return statement;
  };
  Result<Statement> removals = select("asset_class, rule, to_class", "removals");
  if (!removals.ok()) return removals.status();
  ARBOR_RETURN_IF_ERROR(ForEachRow(*removals, [&](const Statement& row) {
    Result<models::Redistribution> rule = models::RedistributionFromString(row.ColumnView(1));
    if (!rule.ok()) {
      return rule.status().WithContext("stored customization of " + std::string(tables.owner) +
                                       " " + owner);
    }
    customization.removals.push_back(
        {.asset_class = row.ColumnText(0), .rule = *rule, .to_class = row.ColumnText(2)});
    return Status::Ok();
  }));
  Result<Statement> weights = select("asset_class, weight", "weights");
  if (!weights.ok()) return weights.status();
  ARBOR_RETURN_IF_ERROR(ForEachRow(*weights, [&](const Statement& row) {
    customization.weights.push_back(
        {.asset_class = row.ColumnText(0), .weight = row.ColumnDouble(1)});
    return Status::Ok();
  }));
  Result<Statement> products = select("asset_class, product", "products");
  if (!products.ok()) return products.status();
  ARBOR_RETURN_IF_ERROR(ForEachRow(*products, [&](const Statement& row) {
    customization.products.push_back(
        {.asset_class = row.ColumnText(0), .product = row.ColumnText(1)});
    return Status::Ok();
  }));
  Result<Statement> screens = select("screen", "screens");
  if (!screens.ok()) return screens.status();
  ARBOR_RETURN_IF_ERROR(ForEachRow(*screens, [&](const Statement& row) {
    customization.screens.push_back(row.ColumnText(0));
    return Status::Ok();
  }));
  return customization;
}

Result<std::optional<Date>> NewestCatalogueDate(Database* db) {
  Result<Statement> select = db->Prepare(
      "SELECT max(effective) FROM (SELECT effective FROM model_templates "
      "UNION ALL SELECT effective FROM security_models)");
  if (!select.ok()) return select.status();
  Result<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (select->ColumnIsNull(0)) return std::optional<Date>();
  Result<Date> date = StoredDate(*select, 0, "effective date");
  if (!date.ok()) return date.status();
  return std::optional<Date>(*date);
}

}  // namespace arbor::storage_internal
