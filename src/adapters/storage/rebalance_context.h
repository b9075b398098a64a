// What every account's rebalance input shares on one review date, read from the database once:
// the accounts, the security master, each security's last close on or before the date, splits
// about to take effect, the risk model, and the investment models with one resolver (whose
// cache of screened models then serves every account). The daily review loads one per run and
// shares it across its threads; it is read-only after Load, and Resolve is thread-safe.
//
//   auto context = RebalanceContext::Load(*store, as_of).value();
//   Result<AccountSnapshot> snapshot = LoadAccountSnapshot(*store, *context, "SMITH-JOINT");
//   Result<review::RebalanceInput> input = BuildRebalanceInput(*store, *context, *snapshot);
//
// (adapters/storage/rebalance_input_loader.h)
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/store.h"
#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/status.h"
#include "core/ledger/account.h"
#include "core/market/risk_model.h"
#include "core/market/security.h"
#include "core/models/customization.h"
#include "core/models/model_book.h"
#include "core/models/resolution.h"

namespace arbor {

class RebalanceContext {
 public:
  // Splits with an ex-date this many days after the review date are "pending": trades today
  // would settle across them.
  static constexpr int kPendingSplitDays = 3;

  // `as_of` absent: the last date with any price in the database.
  static Result<std::unique_ptr<RebalanceContext>> Load(Store& store, std::optional<Date> as_of);

  RebalanceContext(const RebalanceContext&) = delete;
  RebalanceContext& operator=(const RebalanceContext&) = delete;

  Date as_of() const { return as_of_; }
  const std::vector<Account>& accounts() const { return accounts_; }
  const Account* FindAccount(const std::string& id) const;
  // The accounts of `id`'s wash-sale scope (those sharing a taxpayer with it, transitively),
  // for Store::LoadScopeLedgerInput; empty for an unknown account.
  std::vector<Account> ScopeOf(const std::string& id) const;
  const SecurityMaster& master() const { return master_; }
  // The last close on or before the review date, or null when the security has none.
  const std::pair<Date, Price>* LastClose(const std::string& symbol) const;
  // The ex-date of a split of `symbol` pending on the review date, if any.
  std::optional<Date> PendingSplit(const std::string& symbol) const;
  // The latest risk model on or before the review date; null when there is none.
  const RiskModel* risk_model() const { return risk_model_ ? &*risk_model_ : nullptr; }
  // Why risk_model() is null: the store's message, saying how to build one.
  const Status& missing_risk_model() const { return missing_risk_model_; }
  const models::ModelBook& book() const { return book_; }
  // The customization's targets on the review date, screens re-allocated through the risk model.
  Result<models::Resolution> Resolve(const models::Customization& customization) const;

 private:
  RebalanceContext() = default;

  Date as_of_;
  std::vector<Account> accounts_;
  std::map<std::string, size_t> account_index_;
  std::vector<size_t> scope_root_;                      // per account (WashSaleScopeRoots)
  std::map<size_t, std::vector<size_t>> scope_members_;  // root -> accounts, in order
  SecurityMaster master_;
  std::map<std::string, std::pair<Date, Price>> closes_;
  std::map<std::string, Date> pending_splits_;
  std::optional<RiskModel> risk_model_;
  Status missing_risk_model_;
  models::ModelBook book_;
  std::unique_ptr<models::ScreenReallocator> reallocator_;
  std::unique_ptr<models::Resolver> resolver_;  // refers to book_, master_ and reallocator_
};

}  // namespace arbor
