// The tax-lot ledger: applies events in date order to the accounts of one or more taxpayers and
// keeps their open lots, cash and realized gains exactly, with wash sales across all accounts
// of each taxpayer.
//
//   Ledger ledger;
//   ledger.AddAccount({.id = "A", .type = AccountType::kTaxable, .taxpayers = {"T1"}});
//   ledger.SetWashSaleGroup("SPY", "S&P 500");
//   ledger.SetWashSaleGroup("IVV", "S&P 500");
//   Status s = ledger.Apply(event);    // an invalid event changes nothing
//   ledger.realized();                 // one Realization per (sale, lot relieved)
//
// Accounts and wash-sale groups are declared before the first event. Spouses: give the joint
// account both taxpayers and their other accounts join one wash-sale scope.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/name_index.h"
#include "core/base/status.h"
#include "core/ledger/account.h"
#include "core/ledger/event.h"
#include "core/ledger/ledger_state.h"
#include "core/ledger/lot.h"
#include "core/ledger/lot_relief.h"
#include "core/ledger/taxpayer_scopes.h"
#include "core/ledger/wash_sale.h"

namespace arbor {

struct LedgerOptions {
  LotMethod default_lot_method = LotMethod::kFifo;
  // Rates that rank lots for LotMethod::kTaxOptimal.
  double short_term_rate = 0.35;
  double long_term_rate = 0.15;
};

struct OpenLot {
  std::string account;
  std::string symbol;
  Lot lot;
};

class Ledger {
 public:
  explicit Ledger(LedgerOptions options = {});

  Status AddAccount(const Account& account);
  // Symbols of one group are substantially identical (e.g. SPY, IVV, VOO).
  Status SetWashSaleGroup(std::string_view symbol, std::string_view group);

  // Applies one event; dates must not go backwards. On error nothing has changed.
  Status Apply(const Event& event);

  const Realizations& realized() const { return realized_; }
  // Open lots sorted by account, symbol, acquisition date and creation order.
  std::vector<OpenLot> OpenLots() const;
  std::vector<OpenLot> OpenLots(std::string_view account) const;
  Shares SharesHeld(std::string_view account, std::string_view symbol) const;
  Result<Money> Cash(std::string_view account) const;
  const Account* FindAccount(std::string_view id) const;
  const std::vector<Account>& accounts() const { return accounts_; }
  size_t open_lot_count() const;
  size_t pending_wash_losses() const { return wash_sales_.pending_count(); }

  // Everything the events so far left behind (core/ledger/ledger_state.h).
  LedgerState SaveState() const;
  // On a ledger with the saved one's options, accounts and wash-sale groups declared and no
  // event applied: puts the saved state back, so that later events apply exactly as they
  // would have on the saved ledger. A state that does not fit the declarations is refused.
  Status RestoreState(LedgerState state);

 private:
  struct Position {
    int32_t account;
    int32_t symbol;
    int32_t wash_site;  // the (scope, group) whose wash sales this position takes part in
    bool tax_deferred;  // the account's, kept here to spare a lookup on the hot path
    std::vector<Lot> lots;
    // Lots created so far: unlabelled lots are named "#1", "#2", ... per position, so a label
    // depends only on this account's own history and survives replaying a subset of accounts.
    int32_t lots_created = 0;
  };

  int32_t InternSymbol(std::string_view symbol);
  int32_t ScopeOf(int32_t account) const;
  int32_t WashSiteFor(int32_t account, int32_t symbol);
  Position& PositionFor(int32_t account, int32_t symbol);
  const Position* FindPosition(int32_t account, int32_t symbol) const;
  Position* FindPosition(int32_t account, int32_t symbol);
  Result<int32_t> AccountIndex(const Event& event) const;

  Status ApplyBuy(const Event& event, int32_t account);
  Status ApplySell(const Event& event, int32_t account);
  Status ApplySplit(const Event& event);
  Status ApplyTransferIn(const Event& event, int32_t account);
  Status ApplyCash(const Event& event, int32_t account);
  Status CheckLotIdFree(const Position& position, const std::string& lot_id) const;
  Status CheckLabel(const Event& event, const Position& position) const;
  static std::string NewLotId(const Event& event, Position& position);
  void AddLot(Position& position, Lot lot);
  void CollectOpenLots(const Position& position, std::vector<OpenLot>* out) const;

  LedgerOptions options_;
  std::vector<Account> accounts_;
  // Per account, its cash and its (symbol, position) pairs together in one cache line for the
  // common case: an event touches both, and a random account is a cache miss per structure.
  struct AccountState {
    static constexpr int kInline = 6;
    Money cash;
    int32_t position_count = 0;
    std::array<std::pair<int32_t, int32_t>, kInline> positions;  // the first kInline
    std::vector<std::pair<int32_t, int32_t>> more_positions;
  };
  std::vector<AccountState> account_state_;
  std::vector<int32_t> account_scope_handle_;  // for scopes_.ScopeOf
  NameIndex account_ids_;  // same numbering as accounts_
  TaxpayerScopes scopes_;

  NameIndex symbols_;
  std::vector<int32_t> symbol_group_;
  std::unordered_map<std::string, int32_t> group_index_;

  std::vector<Position> positions_;
  std::unordered_map<uint64_t, int32_t> wash_site_index_;  // (scope, group) -> site
  std::vector<std::vector<int32_t>> wash_site_positions_;  // site -> positions

  Realizations realized_;
  LotReliefPlanner relief_planner_;
  // Scratch reused by every sale: allocating these per sale showed in the replay profile.
  std::vector<ReliefPiece> relief_plan_;
  std::vector<WashLoss> wash_losses_;
  std::vector<ReplacementCandidates> wash_candidates_;
  WashSaleMatcher wash_sales_;
  uint64_t next_purchase_id_ = 1;
  uint64_t next_sequence_ = 1;
  uint64_t next_sale_ = 1;
  Date last_date_;
  bool started_ = false;
};

}  // namespace arbor
