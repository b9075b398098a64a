// Saving the investment models, each checked first; loading is in model_queries.cc, the file
// imports in model_import.cc.
#include "adapters/storage/model_store.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "adapters/storage/model_store_internal.h"
#include "core/models/resolution.h"
#include "core/models/screen.h"

namespace arbor {

using storage_internal::ForEachRow;
using storage_internal::LatestRevision;
using storage_internal::NewestCatalogueDate;
using storage_internal::ReadCustomization;
using storage_internal::ReadScreens;
using storage_internal::ReadSecurityModels;
using storage_internal::ReadTemplates;
using storage_internal::StoredDate;
using storage_internal::WriteScope;

namespace {

// A canonical text of everything stored of an item, to tell a re-import from a change. Doubles
// are written with 17 digits: SQLite REALs round-trip bit for bit, so equal text is equal data.
class Canonical {
 public:
  Canonical() { out_.precision(17); }
  template <typename T>
  Canonical& operator<<(const T& value) {
    out_ << value << '\x1f';
    return *this;
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

// Classes and products sorted by name: the order of a file is not part of a template's meaning.
std::string CanonicalText(const models::Template& tmpl) {
  Canonical text;
  text << tmpl.name << tmpl.version << tmpl.effective.ToString() << tmpl.description;
  std::vector<models::AssetClass> classes = tmpl.classes;
  std::sort(classes.begin(), classes.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const models::AssetClass& c : classes) {
    text << c.name << c.parent << c.weight << c.min_weight << c.max_weight << c.removable
         << c.default_product;
    std::vector<models::ProductOption> products = c.products;
    std::sort(products.begin(), products.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    for (const models::ProductOption& p : products) {
      text << p.id << models::ToString(p.kind) << p.reference;
    }
  }
  return text.str();
}

std::string CanonicalText(const models::SecurityModel& model) {
  Canonical text;
  text << model.name << model.version << model.effective.ToString() << model.description;
  std::vector<models::ModelWeight> weights = model.weights;
  std::sort(weights.begin(), weights.end(),
            [](const auto& a, const auto& b) { return a.symbol < b.symbol; });
  for (const models::ModelWeight& w : weights) text << w.symbol << w.weight;
  return text.str();
}

std::vector<std::string> Sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

std::string CanonicalText(const models::Screen& screen) {
  Canonical text;
  text << screen.name << screen.description;
  for (const auto* list : {&screen.sub_industries, &screen.symbols, &screen.includes}) {
    text << "|";
    for (const std::string& name : Sorted(*list)) text << name;
  }
  return text.str();
}

std::string CanonicalText(const models::Customization& c) {
  Canonical text;
  text << c.account << c.template_name << "|";
  for (const models::ClassRemoval& r : c.removals) {
    text << r.asset_class << models::ToString(r.rule) << r.to_class;
  }
  text << "|";
  for (const models::WeightOverride& w : c.weights) text << w.asset_class << w.weight;
  text << "|";
  for (const models::ProductChoice& p : c.products) text << p.asset_class << p.product;
  text << "|";
  for (const std::string& screen : c.screens) text << screen;
  return text.str();
}

Result<bool> Exists(Database* db, const std::string& sql, const std::string& key) {
  Result<Statement> select = db->Prepare(sql);
  if (!select.ok()) return select.status();
  select->Bind(1, key);
  Result<bool> row = select->Step();
  if (!row.ok()) return row.status();
  return *row;
}

// ---- writing ----

// (version, effective) of every stored version of a template or security model.
Result<std::vector<std::pair<int, Date>>> StoredVersions(Database* db, const std::string& table,
                                                         const std::string& name) {
  Result<Statement> select =
      db->Prepare("SELECT version, effective FROM " + table + " WHERE name = ?1 ORDER BY version");
  if (!select.ok()) return select.status();
  select->Bind(1, name);
  std::vector<std::pair<int, Date>> versions;
  ARBOR_RETURN_IF_ERROR(ForEachRow(*select, [&](const Statement& row) {
    Result<Date> effective = StoredDate(row, 1, name);
    if (!effective.ok()) return effective.status();
    versions.emplace_back(static_cast<int>(row.ColumnInt(0)), *effective);
    return Status::Ok();
  }));
  return versions;
}

// Whether a version is new: true when it must be written, false when it is stored already with
// the same content. `what` names it as the core does ("template Balanced v2"). A new version must
// be numbered and take effect after the latest one.
Result<bool> CheckNewVersion(const std::vector<std::pair<int, Date>>& stored,
                             const std::string& what, int version, Date effective,
                             const std::function<Result<bool>()>& same_as_stored) {
  for (const auto& [stored_version, stored_effective] : stored) {
    if (stored_version != version) continue;
    Result<bool> same = same_as_stored();
    if (!same.ok()) return same.status();
    if (*same) return false;
    return Status::AlreadyExists(what +
                                 " is already stored with different content; versions "
                                 "are never changed, so store the change as version " +
                                 std::to_string(stored.back().first + 1));
  }
  if (!stored.empty()) {
    const auto& [latest_version, latest_effective] = stored.back();
    if (version < latest_version) {
      return Status::InvalidArgument(what + " is older than the stored v" +
                                     std::to_string(latest_version) +
                                     "; a new version is numbered after the latest");
    }
    if (effective <= latest_effective) {
      return Status::InvalidArgument(what + " takes effect " + effective.ToString() +
                                     ", not after v" + std::to_string(latest_version) +
                                     " (effective " + latest_effective.ToString() +
                                     "); a new version must take effect later");
    }
  }
  return true;
}

Status CheckProducts(Database* db, const models::Template& tmpl) {
  for (const models::AssetClass& asset_class : tmpl.classes) {
    for (const models::ProductOption& product : asset_class.products) {
      const std::string field =
          "classes[" + asset_class.name + "].products[" + product.id + "].reference";
      Result<bool> known = true;
      std::string hint;
      switch (product.kind) {
        case models::ProductKind::kEtf:
        case models::ProductKind::kMutualFund:
          known = Exists(db, "SELECT 1 FROM securities WHERE symbol = ?1", product.reference);
          hint = "unknown symbol '" + product.reference +
                 "'; import it with `arbor import securities` first";
          break;
        case models::ProductKind::kDirectIndex:
        case models::ProductKind::kActiveModel:
          known = Exists(db, "SELECT 1 FROM security_models WHERE name = ?1", product.reference);
          hint = "unknown security model '" + product.reference +
                 "'; import it with `arbor model import` first";
          break;
        case models::ProductKind::kCash:
          break;
      }
      if (!known.ok()) return known.status();
      if (!*known) return Status::InvalidArgument(field + ": " + hint);
    }
  }
  return Status::Ok();
}

Status InsertTemplate(Database* db, const models::Template& tmpl) {
  Result<Statement> version = db->Prepare(
      "INSERT INTO model_templates (name, version, effective, description) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!version.ok()) return version.status();
  version->Bind(1, tmpl.name).Bind(2, tmpl.version).Bind(3, tmpl.effective.ToString());
  version->Bind(4, tmpl.description);
  ARBOR_RETURN_IF_ERROR(version->Run());
  Result<Statement> classes = db->Prepare(
      "INSERT INTO model_template_classes (template, version, name, position, parent, weight, "
      "min_weight, max_weight, removable, default_product) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  Result<Statement> products = db->Prepare(
      "INSERT INTO model_template_products (template, version, class, id, position, kind, "
      "reference) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!classes.ok()) return classes.status();
  if (!products.ok()) return products.status();
  for (size_t i = 0; i < tmpl.classes.size(); ++i) {
    const models::AssetClass& c = tmpl.classes[i];
    classes->Bind(1, tmpl.name).Bind(2, tmpl.version).Bind(3, c.name);
    classes->Bind(4, static_cast<int64_t>(i)).Bind(5, c.parent).Bind(6, c.weight);
    classes->Bind(7, c.min_weight).Bind(8, c.max_weight).Bind(9, c.removable ? 1 : 0);
    classes->Bind(10, c.default_product);
    ARBOR_RETURN_IF_ERROR(classes->Run());
    for (size_t k = 0; k < c.products.size(); ++k) {
      const models::ProductOption& p = c.products[k];
      products->Bind(1, tmpl.name).Bind(2, tmpl.version).Bind(3, c.name).Bind(4, p.id);
      products->Bind(5, static_cast<int64_t>(k)).Bind(6, models::ToString(p.kind));
      products->Bind(7, p.reference);
      ARBOR_RETURN_IF_ERROR(products->Run());
    }
  }
  return Status::Ok();
}

// The first symbol of `symbols` missing from the securities, as an error naming `field`.
Status CheckSymbols(Database* db, const std::vector<std::string>& symbols,
                    const std::string& field) {
  Result<Statement> select = db->Prepare("SELECT 1 FROM securities WHERE symbol = ?1");
  if (!select.ok()) return select.status();
  for (const std::string& symbol : symbols) {
    select->Reset();
    select->Bind(1, symbol);
    Result<bool> found = select->Step();
    if (!found.ok()) return found.status();
    if (!*found) {
      return Status::InvalidArgument(field + "[" + symbol + "]: unknown symbol '" + symbol +
                                     "'; import it with `arbor import securities` first");
    }
  }
  return Status::Ok();
}

Status InsertNames(Database* db, const std::string& table, const std::string& column,
                   const std::string& screen, int version, const std::vector<std::string>& names) {
  Result<Statement> insert = db->Prepare("INSERT OR IGNORE INTO " + table + " (screen, version, " +
                                         column + ") VALUES (?1, ?2, ?3)");
  if (!insert.ok()) return insert.status();
  for (const std::string& name : names) {
    insert->Bind(1, screen).Bind(2, version).Bind(3, name);
    ARBOR_RETURN_IF_ERROR(insert->Run());
  }
  return Status::Ok();
}

Status InsertCustomization(Database* db, const models::Customization& c, int revision,
                           const storage_internal::CustomizationTables& tables) {
  const std::string owner = tables.owner;
  Result<Statement> head = db->Prepare("INSERT INTO " + std::string(tables.head) + " (" + owner +
                                       ", revision, template) VALUES (?1, ?2, ?3)");
  if (!head.ok()) return head.status();
  head->Bind(1, c.account).Bind(2, revision).Bind(3, c.template_name);
  ARBOR_RETURN_IF_ERROR(head->Run());
  // One INSERT per part, the columns after (owner, revision, position) named in `columns`, their
  // values given by `bind`.
  auto insert_all = [&](const std::string& part, const std::string& columns, size_t count,
                        const std::function<void(Statement&, size_t)>& bind) -> Status {
    std::string values = "?4";
    for (int k = 5; k <= 4 + std::count(columns.begin(), columns.end(), ','); ++k) {
      values += ", ?" + std::to_string(k);
    }
    Result<Statement> insert =
        db->Prepare("INSERT INTO " + std::string(tables.parts_prefix) + part + " (" + owner +
                    ", revision, position, " + columns + ") VALUES (?1, ?2, ?3, " + values + ")");
    if (!insert.ok()) return insert.status();
    for (size_t i = 0; i < count; ++i) {
      insert->Bind(1, c.account).Bind(2, revision).Bind(3, static_cast<int64_t>(i));
      bind(*insert, i);
      Status status = insert->Run();
      if (!status.ok()) return status.WithContext(owner + " " + c.account);
    }
    return Status::Ok();
  };
  ARBOR_RETURN_IF_ERROR(insert_all(
      "removals", "asset_class, rule, to_class", c.removals.size(),
      [&](Statement& insert, size_t i) {
        insert.Bind(4, c.removals[i].asset_class).Bind(5, models::ToString(c.removals[i].rule));
        insert.Bind(6, c.removals[i].to_class);
      }));
  ARBOR_RETURN_IF_ERROR(insert_all(
      "weights", "asset_class, weight", c.weights.size(), [&](Statement& insert, size_t i) {
        insert.Bind(4, c.weights[i].asset_class).Bind(5, c.weights[i].weight);
      }));
  ARBOR_RETURN_IF_ERROR(insert_all(
      "products", "asset_class, product", c.products.size(), [&](Statement& insert, size_t i) {
        insert.Bind(4, c.products[i].asset_class).Bind(5, c.products[i].product);
      }));
  return insert_all("screens", "screen", c.screens.size(),
                    [&](Statement& insert, size_t i) { insert.Bind(4, c.screens[i]); });
}

// A screen named twice in one customization is an error rather than a primary-key failure
// (the resolver reports the other repeats, of classes).
Status CheckScreensOnce(const models::Customization& c, const std::string& owner) {
  std::set<std::string> seen;
  for (const std::string& screen : c.screens) {
    if (!seen.insert(screen).second) {
      return Status::InvalidArgument(owner + " " + c.account + ": screens: " + screen +
                                     " is named twice");
    }
  }
  return Status::Ok();
}

// The resolver calls every customization's owner an account; a household's target names its
// household instead.
Status OwnerNamed(const Status& status, const std::string& owner, const std::string& id) {
  const std::string resolver_prefix = "account " + id + ": ";
  if (owner == "account" || status.message().rfind(resolver_prefix, 0) != 0) return status;
  return Status(status.code(),
                owner + " " + id + ": " + status.message().substr(resolver_prefix.size()));
}

}  // namespace

namespace storage_internal {

Result<SaveOutcome> SaveCustomizationWith(Store& store, const models::Customization& customization,
                                          const models::ModelBook& book,
                                          const SecurityMaster& master,
                                          const CustomizationTables& tables) {
  Database* db = store.database();
  const std::string owner = tables.owner;
  if (customization.account.empty()) return Status::InvalidArgument(owner + ": missing");
  Result<bool> exists =
      Exists(db, "SELECT 1 FROM " + std::string(tables.owner_table) + " WHERE id = ?1",
             customization.account);
  if (!exists.ok()) return exists.status();
  if (!*exists) {
    return Status::NotFound("unknown " + owner + " '" + customization.account + "'; " +
                            tables.missing_hint);
  }
  if (book.TemplateHistory(customization.template_name) == nullptr) {
    return Status::NotFound(owner + " " + customization.account + ": unknown template '" +
                            customization.template_name +
                            "'; import it with `arbor template import` first");
  }
  Result<std::optional<Date>> as_of = NewestCatalogueDate(db);
  if (!as_of.ok()) return as_of.status();
  models::Resolver resolver(book, master);
  Result<models::Resolution> resolved = resolver.Resolve(customization, **as_of);
  if (!resolved.ok()) return OwnerNamed(resolved.status(), owner, customization.account);
  ARBOR_RETURN_IF_ERROR(CheckScreensOnce(customization, owner));

  Result<WriteScope> scope = WriteScope::Begin(db);
  if (!scope.ok()) return scope.status();
  Result<int> latest = LatestRevision(db, customization.account, tables);
  if (!latest.ok()) return latest.status();
  if (*latest > 0) {
    Result<models::Customization> stored =
        ReadCustomization(db, customization.account, *latest, tables);
    if (!stored.ok()) return stored.status();
    if (CanonicalText(*stored) == CanonicalText(customization)) return SaveOutcome::kUnchanged;
  }
  ARBOR_RETURN_IF_ERROR(InsertCustomization(db, customization, *latest + 1, tables));
  ARBOR_RETURN_IF_ERROR(scope->Commit());
  return SaveOutcome::kStored;
}

}  // namespace storage_internal

Result<SaveOutcome> SaveTemplate(Store& store, const models::Template& tmpl) {
  ARBOR_RETURN_IF_ERROR(models::ValidateTemplate(tmpl));
  const std::string what = "template " + tmpl.name + " v" + std::to_string(tmpl.version);
  Database* db = store.database();
  Result<WriteScope> scope = WriteScope::Begin(db);
  if (!scope.ok()) return scope.status();
  Result<std::vector<std::pair<int, Date>>> stored =
      StoredVersions(db, "model_templates", tmpl.name);
  if (!stored.ok()) return stored.status();
  Result<bool> is_new =
      CheckNewVersion(*stored, what, tmpl.version, tmpl.effective, [&]() -> Result<bool> {
        Result<std::map<std::pair<std::string, int>, models::Template>> all = ReadTemplates(db);
        if (!all.ok()) return all.status();
        return CanonicalText(all->at({tmpl.name, tmpl.version})) == CanonicalText(tmpl);
      });
  if (!is_new.ok()) return is_new.status();
  if (!*is_new) return SaveOutcome::kUnchanged;
  Status products = CheckProducts(db, tmpl);
  if (!products.ok()) return products.WithContext(what);
  ARBOR_RETURN_IF_ERROR(InsertTemplate(db, tmpl));
  ARBOR_RETURN_IF_ERROR(scope->Commit());
  return SaveOutcome::kStored;
}

Result<SaveOutcome> SaveSecurityModel(Store& store, const models::SecurityModel& model) {
  ARBOR_RETURN_IF_ERROR(models::ValidateSecurityModel(model));
  const std::string what = "security model " + model.name + " v" + std::to_string(model.version);
  Database* db = store.database();
  Result<WriteScope> scope = WriteScope::Begin(db);
  if (!scope.ok()) return scope.status();
  Result<std::vector<std::pair<int, Date>>> stored =
      StoredVersions(db, "security_models", model.name);
  if (!stored.ok()) return stored.status();
  Result<bool> is_new =
      CheckNewVersion(*stored, what, model.version, model.effective, [&]() -> Result<bool> {
        Result<std::map<std::pair<std::string, int>, models::SecurityModel>> all =
            ReadSecurityModels(db);
        if (!all.ok()) return all.status();
        return CanonicalText(all->at({model.name, model.version})) == CanonicalText(model);
      });
  if (!is_new.ok()) return is_new.status();
  if (!*is_new) return SaveOutcome::kUnchanged;
  std::vector<std::string> symbols;
  for (const models::ModelWeight& w : model.weights) symbols.push_back(w.symbol);
  Status known = CheckSymbols(db, symbols, "weights");
  if (!known.ok()) return known.WithContext(what);
  Result<Statement> version = db->Prepare(
      "INSERT INTO security_models (name, version, effective, description) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!version.ok()) return version.status();
  version->Bind(1, model.name).Bind(2, model.version).Bind(3, model.effective.ToString());
  version->Bind(4, model.description);
  ARBOR_RETURN_IF_ERROR(version->Run());
  Result<Statement> weight = db->Prepare(
      "INSERT INTO security_model_weights (model, version, symbol, weight) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!weight.ok()) return weight.status();
  for (const models::ModelWeight& w : model.weights) {
    weight->Bind(1, model.name).Bind(2, model.version).Bind(3, w.symbol).Bind(4, w.weight);
    ARBOR_RETURN_IF_ERROR(weight->Run());
  }
  ARBOR_RETURN_IF_ERROR(scope->Commit());
  return SaveOutcome::kStored;
}

Result<SaveOutcome> SaveScreen(Store& store, const models::Screen& screen) {
  ARBOR_RETURN_IF_ERROR(models::ValidateScreen(screen));
  const std::string what = "screen " + screen.name;
  // A screen's symbols need not be in the securities: a list says "never own this", whether
  // or not the firm trades it today.
  for (const std::string& symbol : screen.symbols) {
    Status symbol_ok = ValidateSymbol(symbol);
    if (!symbol_ok.ok()) return symbol_ok.WithContext(what + ": symbols[" + symbol + "]");
  }
  Database* db = store.database();
  Result<WriteScope> scope = WriteScope::Begin(db);
  if (!scope.ok()) return scope.status();
  Result<std::vector<models::Screen>> screens = ReadScreens(db);
  if (!screens.ok()) return screens.status();
  const models::Screen* stored = nullptr;
  for (const models::Screen& s : *screens) {
    if (s.name == screen.name) stored = &s;
  }
  if (stored != nullptr && CanonicalText(*stored) == CanonicalText(screen)) {
    return SaveOutcome::kUnchanged;
  }
  // Unknown includes and cycles, as the resolver will see them once this screen is stored.
  std::erase_if(*screens, [&](const models::Screen& s) { return s.name == screen.name; });
  screens->push_back(screen);
  Result<SecurityMaster> master = store.LoadSecurities();
  if (!master.ok()) return master.status();
  Result<std::vector<std::string>> screened =
      models::ScreenedSymbols({screen.name}, *screens, *master);
  if (!screened.ok()) return screened.status();
  Result<Statement> next =
      db->Prepare("SELECT coalesce(max(version), 0) + 1 FROM screens WHERE name = ?1");
  if (!next.ok()) return next.status();
  next->Bind(1, screen.name);
  Result<bool> row = next->Step();
  if (!row.ok()) return row.status();
  const int version = static_cast<int>(next->ColumnInt(0));
  Result<Statement> insert =
      db->Prepare("INSERT INTO screens (name, version, description) VALUES (?1, ?2, ?3)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, screen.name).Bind(2, version).Bind(3, screen.description);
  ARBOR_RETURN_IF_ERROR(insert->Run());
  ARBOR_RETURN_IF_ERROR(InsertNames(db, "screen_sub_industries", "sub_industry", screen.name,
                                    version, screen.sub_industries));
  ARBOR_RETURN_IF_ERROR(
      InsertNames(db, "screen_symbols", "symbol", screen.name, version, screen.symbols));
  ARBOR_RETURN_IF_ERROR(
      InsertNames(db, "screen_includes", "included", screen.name, version, screen.includes));
  ARBOR_RETURN_IF_ERROR(scope->Commit());
  return SaveOutcome::kStored;
}

Result<SaveOutcome> SaveCustomization(Store& store, const models::Customization& customization) {
  Result<models::ModelBook> book = LoadModelBook(store);
  if (!book.ok()) return book.status();
  Result<SecurityMaster> master = store.LoadSecurities();
  if (!master.ok()) return master.status();
  return storage_internal::SaveCustomizationWith(store, customization, *book, *master);
}

Result<size_t> SaveCustomizations(Store& store,
                                  const std::vector<models::Customization>& customizations) {
  Result<models::ModelBook> book = LoadModelBook(store);
  if (!book.ok()) return book.status();
  Result<SecurityMaster> master = store.LoadSecurities();
  if (!master.ok()) return master.status();
  Result<Transaction> txn = Transaction::Begin(store.database());
  if (!txn.ok()) return txn.status();
  size_t stored = 0;
  for (const models::Customization& customization : customizations) {
    Result<SaveOutcome> outcome =
        storage_internal::SaveCustomizationWith(store, customization, *book, *master);
    if (!outcome.ok()) return outcome.status();
    stored += *outcome == SaveOutcome::kStored;
  }
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return stored;
}

}  // namespace arbor
