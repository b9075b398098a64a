// Loading the catalogue and a customization, and the listings of who uses what.
#include <map>

#include "adapters/storage/fund_holdings_store.h"
#include "adapters/storage/model_store.h"
#include "adapters/storage/model_store_internal.h"

namespace arbor {

using storage_internal::ForEachRow;
using storage_internal::LatestRevision;
using storage_internal::ReadCustomization;
using storage_internal::ReadScreens;
using storage_internal::ReadSecurityModels;
using storage_internal::ReadTemplates;
using storage_internal::StoredDate;

Result<models::ModelBook> LoadModelBook(Store& store) {
  Database* db = store.database();
  // One snapshot, so that a concurrent import cannot show half a version.
  std::optional<Transaction> snapshot;
  if (!db->InTransaction()) {
    Result<Transaction> txn = Transaction::Begin(db, TransactionMode::kDeferred);
    if (!txn.ok()) return txn.status();
    snapshot.emplace(std::move(txn).value());
  }
  models::ModelBook book;
  Result<std::map<std::pair<std::string, int>, models::SecurityModel>> models =
      ReadSecurityModels(db);
  if (!models.ok()) return models.status();
  for (auto& [key, model] : *models) {
    Status added = book.AddSecurityModel(std::move(model));
    if (!added.ok()) return added.WithContext("stored security model " + key.first);
  }
  Result<std::map<std::pair<std::string, int>, models::Template>> templates = ReadTemplates(db);
  if (!templates.ok()) return templates.status();
  for (auto& [key, tmpl] : *templates) {
    Status added = book.AddTemplate(std::move(tmpl));
    if (!added.ok()) return added.WithContext("stored template " + key.first);
  }
  Result<std::vector<models::Screen>> screens = ReadScreens(db);
  if (!screens.ok()) return screens.status();
  for (models::Screen& screen : *screens) {
    ARBOR_RETURN_IF_ERROR(book.AddScreen(std::move(screen)));
  }
  Result<std::vector<models::FundHoldings>> holdings = LoadFundHoldings(store);
  if (!holdings.ok()) return holdings.status();
  for (models::FundHoldings& snapshot : *holdings) {
    Status added = book.AddFundHoldings(std::move(snapshot));
    if (!added.ok()) return added.WithContext("stored fund holdings");
  }
  return book;
}

Result<std::optional<models::Customization>> LoadCustomization(Store& store,
                                                               const std::string& account) {
  Result<int> latest = LatestRevision(store.database(), account);
  if (!latest.ok()) return latest.status();
  if (*latest == 0) return std::optional<models::Customization>();
  Result<models::Customization> customization =
      ReadCustomization(store.database(), account, *latest);
  if (!customization.ok()) return customization.status();
  return std::optional<models::Customization>(std::move(customization).value());
}

namespace {

// Current customizations per template.
Result<std::map<std::string, std::vector<std::string>>> AccountsByTemplate(Database* db) {
  Result<Statement> select = db->Prepare(
      "SELECT template, account FROM account_customizations c WHERE revision = "
      "(SELECT max(revision) FROM account_customizations WHERE account = c.account) "
      "ORDER BY template, account");
  if (!select.ok()) return select.status();
  std::map<std::string, std::vector<std::string>> accounts;
  ARBOR_RETURN_IF_ERROR(ForEachRow(*select, [&](const Statement& row) {
    accounts[row.ColumnText(0)].push_back(row.ColumnText(1));
    return Status::Ok();
  }));
  return accounts;
}

}  // namespace

Result<std::vector<TemplateSummary>> ListTemplates(Store& store) {
  Database* db = store.database();
  Result<std::map<std::string, std::vector<std::string>>> accounts = AccountsByTemplate(db);
  if (!accounts.ok()) return accounts.status();
  Result<Statement> select = db->Prepare(
      "SELECT name, version, effective, description, "
      "(SELECT count(*) FROM model_templates WHERE name = t.name) FROM model_templates t "
      "WHERE version = (SELECT max(version) FROM model_templates WHERE name = t.name) "
      "ORDER BY name");
  if (!select.ok()) return select.status();
  std::vector<TemplateSummary> summaries;
  ARBOR_RETURN_IF_ERROR(ForEachRow(*select, [&](const Statement& row) {
    TemplateSummary summary{.name = row.ColumnText(0),
                            .versions = static_cast<int>(row.ColumnInt(4)),
                            .latest_version = static_cast<int>(row.ColumnInt(1)),
                            .description = row.ColumnText(3)};
    Result<Date> effective = StoredDate(row, 2, "template " + summary.name);
    if (!effective.ok()) return effective.status();
    summary.latest_effective = *effective;
    auto users = accounts->find(summary.name);
    summary.accounts = users == accounts->end() ? 0 : static_cast<int>(users->second.size());
    summaries.push_back(std::move(summary));
    return Status::Ok();
  }));
  return summaries;
}

Result<std::vector<SecurityModelSummary>> ListSecurityModels(Store& store) {
  Result<Statement> select = store.database()->Prepare(
      "SELECT name, version, effective, description, "
      "(SELECT count(*) FROM security_models WHERE name = m.name), "
      "(SELECT count(*) FROM security_model_weights WHERE model = m.name AND "
      "version = m.version) FROM security_models m "
      "WHERE version = (SELECT max(version) FROM security_models WHERE name = m.name) "
      "ORDER BY name");
  if (!select.ok()) return select.status();
  std::vector<SecurityModelSummary> summaries;
  ARBOR_RETURN_IF_ERROR(ForEachRow(*select, [&](const Statement& row) {
    SecurityModelSummary summary{.name = row.ColumnText(0),
                                 .versions = static_cast<int>(row.ColumnInt(4)),
                                 .latest_version = static_cast<int>(row.ColumnInt(1)),
                                 .securities = static_cast<int>(row.ColumnInt(5)),
                                 .description = row.ColumnText(3)};
    Result<Date> effective = StoredDate(row, 2, "security model " + summary.name);
    if (!effective.ok()) return effective.status();
    summary.latest_effective = *effective;
    summaries.push_back(std::move(summary));
    return Status::Ok();
  }));
  return summaries;
}

Result<std::vector<std::string>> AccountsUsingTemplate(Store& store,
                                                       const std::string& template_name) {
  Result<std::map<std::string, std::vector<std::string>>> accounts =
      AccountsByTemplate(store.database());
  if (!accounts.ok()) return accounts.status();
  auto users = accounts->find(template_name);
  return users == accounts->end() ? std::vector<std::string>() : users->second;
}

Result<std::vector<TemplateVersionRef>> TemplatesUsingSecurityModel(Store& store,
                                                                    const std::string& model) {
  Result<Statement> select = store.database()->Prepare(
      "SELECT template, version, class FROM model_template_products "
      "WHERE kind IN ('direct_index', 'active_model') AND reference = ?1 "
      "ORDER BY template, version, class");
  if (!select.ok()) return select.status();
  select->Bind(1, model);
  std::vector<TemplateVersionRef> refs;
  ARBOR_RETURN_IF_ERROR(ForEachRow(*select, [&](const Statement& row) {
    refs.push_back({.name = row.ColumnText(0),
                    .version = static_cast<int>(row.ColumnInt(1)),
                    .asset_class = row.ColumnText(2)});
    return Status::Ok();
  }));
  return refs;
}

}  // namespace arbor
