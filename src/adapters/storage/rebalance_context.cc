#include "adapters/storage/rebalance_context.h"

#include "adapters/storage/store_writer.h"

#include "adapters/storage/account_targets.h"
#include "adapters/storage/model_store.h"
#include "adapters/storage/risk_model_store.h"
#include "core/models/risk_reallocator.h"

namespace arbor {
namespace {

Result<Date> LastPriceDate(Database* db) {
  Result<Statement> select = db->Prepare("SELECT max(date) FROM prices");
  if (!select.ok()) return select.status();
  Result<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (select->ColumnIsNull(0)) {
    return Status::FailedPrecondition(
        "the database has no prices; import some with `arbor import prices`");
  }
  return Date::Parse(select->ColumnView(0));
}

Result<std::map<std::string, Date>> PendingSplits(Database* db, Date as_of) {
  Result<Statement> select = db->Prepare(
      "SELECT symbol, min(ex_date) FROM corporate_actions WHERE kind = 'split' "
      "AND ex_date > ?1 AND ex_date <= ?2 GROUP BY symbol");
  if (!select.ok()) return select.status();
  select->Bind(1, as_of.ToString())
      .Bind(2, as_of.AddDays(RebalanceContext::kPendingSplitDays).ToString());
  std::map<std::string, Date> splits;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Result<Date> ex_date = Date::Parse(select->ColumnView(1));
    if (!ex_date.ok()) return ex_date.status();
    splits.emplace(select->ColumnText(0), *ex_date);
  }
  return splits;
}

}  // namespace

Result<std::unique_ptr<RebalanceContext>> RebalanceContext::Load(Store& store,
                                                                 std::optional<Date> as_of) {
  Database* db = store.database();
  std::unique_ptr<RebalanceContext> context(new RebalanceContext());
  if (as_of) {
    context->as_of_ = *as_of;
  } else {
    Result<Date> last = LastPriceDate(db);
    if (!last.ok()) return last.status();
    context->as_of_ = *last;
  }
  Result<std::vector<Account>> accounts = store.LoadAccounts();
  if (!accounts.ok()) return accounts.status();
  context->accounts_ = std::move(accounts).value();
  context->scope_root_ = storage_internal::WashSaleScopeRoots(context->accounts_);
  for (size_t i = 0; i < context->accounts_.size(); ++i) {
    context->account_index_.emplace(context->accounts_[i].id, i);
    context->scope_members_[context->scope_root_[i]].push_back(i);
  }
  Result<SecurityMaster> master = store.LoadSecurities();
  if (!master.ok()) return master.status();
  context->master_ = std::move(master).value();
  for (const Security& security : context->master_.securities()) {
    Result<std::optional<std::pair<Date, Price>>> close =
        store.LatestPrice(security.symbol, context->as_of_);
    if (!close.ok()) return close.status();
    if (close->has_value()) context->closes_.emplace(security.symbol, **close);
  }
  Result<std::map<std::string, Date>> splits = PendingSplits(db, context->as_of_);
  if (!splits.ok()) return splits.status();
  context->pending_splits_ = std::move(splits).value();
  Result<RiskModel> risk_model = LoadRiskModel(db, context->as_of_);
  if (risk_model.ok()) {
    context->risk_model_ = std::move(risk_model).value();
  } else if (risk_model.status().code() == StatusCode::kNotFound) {
    context->missing_risk_model_ = risk_model.status();
  } else {
    return risk_model.status();
  }
  Result<models::ModelBook> book = LoadModelBook(store);
  if (!book.ok()) return book.status();
  context->book_ = std::move(book).value();
  if (context->risk_model_) {
    context->reallocator_ =
        std::make_unique<models::RiskModelReallocator>(*context->risk_model_, context->master_);
  } else {
    context->reallocator_ = std::make_unique<models::ProRataReallocator>();
  }
  context->resolver_ = std::make_unique<models::Resolver>(context->book_, context->master_,
                                                          context->reallocator_.get());
  return context;
}

std::vector<Account> RebalanceContext::ScopeOf(const std::string& id) const {
  auto it = account_index_.find(id);
  if (it == account_index_.end()) return {};
  std::vector<Account> scope;
  for (size_t member : scope_members_.at(scope_root_[it->second])) scope.push_back(accounts_[member]);
  return scope;
}

const Account* RebalanceContext::FindAccount(const std::string& id) const {
  auto it = account_index_.find(id);
  return it == account_index_.end() ? nullptr : &accounts_[it->second];
}

const std::pair<Date, Price>* RebalanceContext::LastClose(const std::string& symbol) const {
  auto it = closes_.find(symbol);
  return it == closes_.end() ? nullptr : &it->second;
}

std::optional<Date> RebalanceContext::PendingSplit(const std::string& symbol) const {
  auto it = pending_splits_.find(symbol);
  if (it == pending_splits_.end()) return std::nullopt;
  return it->second;
}

Result<models::Resolution> RebalanceContext::Resolve(
    const models::Customization& customization) const {
  Result<models::Resolution> resolution = resolver_->Resolve(customization, as_of_);
  if (!resolution.ok()) return resolution.status();
  if (!risk_model_) NoteProRataScreens(customization, as_of_, *resolution);
  return resolution;
}

}  // namespace arbor
