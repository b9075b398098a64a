#include "core/ledger/firm_replay.h"

#include <unordered_map>

#include "core/ledger/taxpayer_scopes.h"

namespace arbor {

namespace {

void PrefetchEvent(const Event& event) {
  const char* bytes = reinterpret_cast<const char*>(&event);
  for (size_t offset = 0; offset < sizeof(Event); offset += 64) __builtin_prefetch(bytes + offset);
}

}  // namespace

std::vector<int32_t> WashSaleScopes(const std::vector<Account>& accounts) {
  TaxpayerScopes taxpayers;
  std::vector<int32_t> handles;
  for (const Account& account : accounts) handles.push_back(taxpayers.Add(account));
  // Number the scopes densely, in order of first appearance.
  std::unordered_map<int32_t, int32_t> number;
  std::vector<int32_t> scopes;
  for (int32_t handle : handles) {
    auto [it, inserted] = number.emplace(taxpayers.ScopeOf(handle), number.size());
    scopes.push_back(it->second);
  }
  return scopes;
}

Result<FirmReplay> FirmReplay::Run(const std::vector<Account>& accounts,
                                   const std::vector<std::pair<std::string, std::string>>& groups,
                                   const std::vector<Event>& events, LedgerOptions options) {
  FirmReplay firm;
  firm.scope_of_account_ = WashSaleScopes(accounts);
  int32_t scope_count = 0;
  for (int32_t s : firm.scope_of_account_) scope_count = std::max(scope_count, s + 1);
  for (int32_t s = 0; s < scope_count; ++s) {
    firm.ledgers_.push_back(std::make_unique<Ledger>(options));
    for (const auto& [symbol, group] : groups) {
      ARBOR_RETURN_IF_ERROR(firm.ledgers_.back()->SetWashSaleGroup(symbol, group));
    }
  }
  for (size_t a = 0; a < accounts.size(); ++a) {
    if (firm.account_ids_.Find(accounts[a].id) != NameIndex::kNotFound) {
      return Status::AlreadyExists("account '" + accounts[a].id + "' is declared twice");
    }
    firm.account_ids_.Intern(accounts[a].id);
    ARBOR_RETURN_IF_ERROR(firm.ledgers_[firm.scope_of_account_[a]]->AddAccount(accounts[a]));
  }

  // A stable partition of event indices by scope (splits go to every scope), then one scope
  // at a time: a scope's events keep their relative order.
  std::vector<std::vector<size_t>> by_scope(scope_count);
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].action == EventAction::kSplit) {
      for (auto& list : by_scope) list.push_back(i);
      continue;
    }
    int32_t account = firm.account_ids_.Find(events[i].account);
    if (account == NameIndex::kNotFound) {
      return Status::NotFound("events[" + std::to_string(i) + "]: account: unknown account '" +
                              events[i].account + "'");
    }
    by_scope[firm.scope_of_account_[account]].push_back(i);
  }
  for (int32_t s = 0; s < scope_count; ++s) {
    Ledger& ledger = *firm.ledgers_[s];
    const std::vector<size_t>& order = by_scope[s];
    for (size_t k = 0; k < order.size(); ++k) {
      // A scope's events are scattered through `events`: fetch the next ones ahead of use.
      if (k + 2 < order.size()) PrefetchEvent(events[order[k + 2]]);
      Status status = ledger.Apply(events[order[k]]);
      if (!status.ok()) return status.WithContext("events[" + std::to_string(order[k]) + "]");
    }
  }
  return firm;
}

const Ledger* FirmReplay::LedgerOf(std::string_view account) const {
  int32_t index = account_ids_.Find(account);
  return index == NameIndex::kNotFound ? nullptr : ledgers_[scope_of_account_[index]].get();
}

}  // namespace arbor
