#include "adapters/storage/account_targets.h"

#include <memory>

#include "adapters/storage/model_store.h"
#include "adapters/storage/model_store_internal.h"
#include "core/models/risk_reallocator.h"

namespace arbor {

Result<models::Resolution> ResolveAccountTargets(Store& store,
                                                 const models::Customization& customization,
                                                 Date as_of, const SecurityMaster& master,
                                                 const RiskModel* risk_model) {
  Result<models::ModelBook> book = LoadModelBook(store);
  if (!book.ok()) return book.status();
  std::unique_ptr<models::ScreenReallocator> reallocator;
  if (risk_model != nullptr) {
    reallocator = std::make_unique<models::RiskModelReallocator>(*risk_model, master);
  } else {
    reallocator = std::make_unique<models::ProRataReallocator>();
  }
  models::Resolver resolver(*book, master, reallocator.get());
  Result<models::Resolution> resolution = resolver.Resolve(customization, as_of);
  if (!resolution.ok()) return resolution.status();
  if (risk_model == nullptr) NoteProRataScreens(customization, as_of, *resolution);
  return resolution;
}

void NoteProRataScreens(const models::Customization& customization, Date as_of,
                        models::Resolution& resolution) {
  if (customization.screens.empty()) return;
  resolution.notes.push_back("no risk model on or before " + as_of.ToString() +
                             ": screened weight is re-allocated pro rata; build one with "
                             "`arbor riskmodel build`");
}

Result<Date> DefaultReviewDate(Store& store) {
  Result<Statement> select = store.database()->Prepare("SELECT max(date) FROM prices");
  if (!select.ok()) return select.status();
  Result<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!select->ColumnIsNull(0)) return Date::Parse(select->ColumnView(0));
  Result<std::optional<Date>> newest = storage_internal::NewestCatalogueDate(store.database());
  if (!newest.ok()) return newest.status();
  if (!newest->has_value()) {
    return Status::FailedPrecondition("no prices and no templates: give the date with --as-of");
  }
  return **newest;
}

}  // namespace arbor
