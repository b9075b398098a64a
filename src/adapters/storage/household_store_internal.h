// What the household store's files share: saving a household with the model catalogue loaded
// once per import rather than once per household.
#pragma once

#include <optional>

#include "adapters/storage/household_store.h"

namespace arbor::storage_internal {

// The catalogue and securities a target is checked against, read on first use.
class TargetCatalogue {
 public:
  explicit TargetCatalogue(Store& store) : store_(store) {}
  Status Load();
  const models::ModelBook& book() const { return *book_; }
  const SecurityMaster& master() const { return *master_; }

 private:
  Store& store_;
  std::optional<models::ModelBook> book_;
  std::optional<SecurityMaster> master_;
};

// SaveHousehold with the catalogue at hand, inside the caller's transaction if one is open.
Result<SaveOutcome> SaveHouseholdWith(Store& store, const household::Household& household,
                                      const HouseholdChange& change, TargetCatalogue& catalogue);

// AddAccountToHousehold inside the caller's transaction.
Result<bool> AddMember(Database* db, const std::string& household, const std::string& account,
                       const HouseholdChange& change);

Result<bool> HouseholdExists(Database* db, const std::string& id);

}  // namespace arbor::storage_internal
