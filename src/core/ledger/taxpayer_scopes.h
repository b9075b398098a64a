// Wash-sale scopes: the wash-sale rule applies across every account of a taxpayer, and spouses
// filing jointly count as one taxpayer. A joint account names both spouses, which joins all
// their accounts into one scope. Union-find over taxpayer names.
//
//   TaxpayerScopes scopes;
//   int32_t h = scopes.Add(husband_ira);         // {"HUSBAND"}
//   int32_t w = scopes.Add(wife_taxable);        // {"WIFE"}
//   scopes.Add(joint);                           // {"HUSBAND", "WIFE"}
//   scopes.ScopeOf(h) == scopes.ScopeOf(w);      // true
#pragma once

#include <cstdint>
#include <vector>

#include "core/base/name_index.h"
#include "core/ledger/account.h"

namespace arbor {

class TaxpayerScopes {
 public:
  // Links the account's taxpayers (an account without one is a taxpayer of its own) and returns
  // a handle for ScopeOf.
  int32_t Add(const Account& account);
  // True if adding `account` would join two scopes that exist now.
  bool WouldJoin(const Account& account) const;
  // The scope of a handle returned by Add; stable until a later Add joins scopes.
  int32_t ScopeOf(int32_t handle) const;

 private:
  int32_t Root(int32_t taxpayer) const;

  NameIndex taxpayers_;
  std::vector<int32_t> parent_;
};

}  // namespace arbor
