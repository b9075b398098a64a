// Investment models in the database (schema: the "investment models" migration): the IPC's
// asset-allocation templates and security models with every version, the firm's screens, and
// each account's customization of its template. Import formats in docs/import-formats.md.
//
//   Result<ImportSummary> s = ImportTemplates(*store, {"templates.json"});   // all or nothing
//   Result<models::ModelBook> book = LoadModelBook(*store);
//   const models::Template* t = book->FindTemplate("Balanced 60/40", as_of);   // as of a date
//   Result<SaveOutcome> saved = SaveCustomization(
//       *store, {.account = "SMITH", .template_name = "Balanced 60/40",
//                .weights = {{"US Large Cap", 0.62}}});
//   // "account SMITH: US Large Cap weight 0.62 is outside the IPC band [0.30, 0.55]"
//
// History is kept: a template or security model version, once stored, is never changed (saving
// the same version again with the same content is a no-op, with different content an error), a
// new version must take effect after the latest one, and a changed screen or customization is
// stored as a new version (revision) beside the old. Everything is validated by the core before
// it is written, each call is one SQLite transaction (or part of the caller's open one), and a
// failed call writes nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/store.h"
#include "core/base/date.h"
#include "core/base/status.h"
#include "core/models/customization.h"
#include "core/models/model_book.h"

namespace arbor {

enum class SaveOutcome {
  kStored,     // a new version (or revision) was written
  kUnchanged,  // identical to what was stored
};

// The referenced products must exist: a fund's symbol in the securities, a model's name among
// the security models.
Result<SaveOutcome> SaveTemplate(Store& store, const models::Template& tmpl);
// Every symbol must be in the securities.
Result<SaveOutcome> SaveSecurityModel(Store& store, const models::SecurityModel& model);
// Replaces the screen of that name for every later review; its includes must be stored screens
// and form no cycle, its symbols be in the securities.
Result<SaveOutcome> SaveScreen(Store& store, const models::Screen& screen);
// Replaces the account's customization, once it resolves against the newest catalogue (every
// template and model version stored, as of the latest effective date among them): unknown
// classes, products or screens, a class that may not be removed and a weight outside its band
// are rejected. Screens are re-allocated pro rata for this check; the bands are on classes.
Result<SaveOutcome> SaveCustomization(Store& store, const models::Customization& customization);
// Many at once, for bulk loads: the catalogue is read once and all are written in one
// transaction, or none. Returns how many were stored (the rest were unchanged).
Result<size_t> SaveCustomizations(Store& store,
                                  const std::vector<models::Customization>& customizations);

// Every version of every template and security model, and the current version of each screen.
Result<models::ModelBook> LoadModelBook(Store& store);
// The account's current customization; nullopt when it has none.
Result<std::optional<models::Customization>> LoadCustomization(Store& store,
                                                               const std::string& account);

struct TemplateSummary {
  std::string name;
  int versions = 0;
  int latest_version = 0;
  Date latest_effective;
  std::string description;  // of the latest version
  int accounts = 0;         // accounts customized on it
};
struct SecurityModelSummary {
  std::string name;
  int versions = 0;
  int latest_version = 0;
  Date latest_effective;
  int securities = 0;  // names in the latest version
  std::string description;
};
Result<std::vector<TemplateSummary>> ListTemplates(Store& store);
Result<std::vector<SecurityModelSummary>> ListSecurityModels(Store& store);

// Accounts whose current customization is on the template, sorted.
Result<std::vector<std::string>> AccountsUsingTemplate(Store& store,
                                                       const std::string& template_name);
struct TemplateVersionRef {
  std::string name;
  int version = 0;
  std::string asset_class;  // the class offering the model as a product
};
// Template versions with a product implemented by the security model, for reporting how far
// a model update cascades (to every account on those templates).
Result<std::vector<TemplateVersionRef>> TemplatesUsingSecurityModel(Store& store,
                                                                    const std::string& model);

// File imports (model_import.cc). All files of one call are imported in one transaction, or
// nothing is; errors name `file:line` and the field. Re-importing a file is a no-op.
// JSON: {"templates": [...]}, any number of templates and versions.
Result<ImportSummary> ImportTemplates(Store& store, const std::vector<std::string>& files);
// CSV symbol,weight,effective_date[,model]: the rows of one effective date are one version,
// numbered after the model's stored versions. `name` names the rows without a model column.
Result<ImportSummary> ImportSecurityModels(Store& store, const std::vector<std::string>& files,
                                           const std::string& name);
// JSON {"screens": [...]} (*.json) or CSV screen,sub_industry,symbol,include (other files).
Result<ImportSummary> ImportScreens(Store& store, const std::vector<std::string>& files);
// JSON {"customizations": [...]}: each replaces its account's customization.
Result<ImportSummary> ImportCustomizations(Store& store, const std::vector<std::string>& files);

}  // namespace arbor
