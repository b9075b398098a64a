#include "core/ledger/taxpayer_scopes.h"

#include <string>

namespace arbor {
namespace {

std::vector<std::string> TaxpayersOf(const Account& account) {
  if (account.taxpayers.empty()) return {"account:" + account.id};
  return account.taxpayers;
}

}  // namespace

int32_t TaxpayerScopes::Root(int32_t taxpayer) const {
  while (parent_[taxpayer] != taxpayer) taxpayer = parent_[taxpayer];
  return taxpayer;
}

int32_t TaxpayerScopes::Add(const Account& account) {
  int32_t first = -1;
  for (const std::string& name : TaxpayersOf(account)) {
    int32_t t = taxpayers_.Intern(name);
    if (t == static_cast<int32_t>(parent_.size())) parent_.push_back(t);
    if (first < 0) {
      first = t;
    } else {
      parent_[Root(t)] = Root(first);
    }
  }
  return first;
}

bool TaxpayerScopes::WouldJoin(const Account& account) const {
  int32_t scope = -1;
  for (const std::string& name : TaxpayersOf(account)) {
    int32_t t = taxpayers_.Find(name);
    if (t == NameIndex::kNotFound) continue;
    if (scope >= 0 && Root(t) != scope) return true;
    scope = Root(t);
  }
  return false;
}

int32_t TaxpayerScopes::ScopeOf(int32_t handle) const { return Root(handle); }

}  // namespace arbor
