// Ledger::SaveState and Ledger::RestoreState (core/ledger/ledger_state.h).
#include <utility>

#include "core/ledger/ledger.h"

namespace arbor {

LedgerState Ledger::SaveState() const {
  LedgerState state;
  state.cash.reserve(account_state_.size());
  for (const AccountState& account : account_state_) state.cash.push_back(account.cash);
  state.positions.reserve(positions_.size());
  for (const Position& position : positions_) {
    state.positions.push_back({.account = accounts_[position.account].id,
                               .symbol = symbols_.name(position.symbol),
                               .lots = position.lots,
                               .lots_created = position.lots_created});
  }
  state.pending_wash_losses = wash_sales_.pending();
  state.realized.reserve(realized_.size());
  for (const Realization& realization : realized_) state.realized.push_back(realization);
  state.next_purchase_id = next_purchase_id_;
  state.next_sequence = next_sequence_;
  state.next_sale = next_sale_;
  if (started_) state.last_date = last_date_;
  return state;
}

Status Ledger::RestoreState(LedgerState state) {
  if (started_ || !positions_.empty() || !realized_.empty()) {
    return Status::FailedPrecondition("a ledger state is restored before any event is applied");
  }
  if (state.cash.size() != accounts_.size()) {
    return Status::InvalidArgument("ledger state: cash of " + std::to_string(state.cash.size()) +
                                   " accounts for a ledger of " + std::to_string(accounts_.size()));
  }
  for (size_t i = 0; i < state.cash.size(); ++i) account_state_[i].cash = state.cash[i];
  for (LedgerState::Position& saved : state.positions) {
    const int32_t account = account_ids_.Find(saved.account);
    if (account == NameIndex::kNotFound) {
      return Status::InvalidArgument("ledger state: position in unknown account '" + saved.account +
                                     "'");
    }
    const int32_t symbol = InternSymbol(saved.symbol);
    if (FindPosition(account, symbol) != nullptr) {
      return Status::InvalidArgument("ledger state: two positions of " + saved.symbol +
                                     " in account '" + saved.account + "'");
    }
    Position& position = PositionFor(account, symbol);
    position.lots = std::move(saved.lots);
    position.lots_created = saved.lots_created;
  }
  if (state.pending_wash_losses.size() > wash_site_positions_.size()) {
    return Status::InvalidArgument(
        "ledger state: pending wash-sale losses of more sites than "
        "its positions make");
  }
  for (const std::vector<WashLoss>& site : state.pending_wash_losses) {
    for (const WashLoss& loss : site) {
      if (loss.realization >= state.realized.size()) {
        return Status::InvalidArgument("ledger state: a pending loss refers to realization " +
                                       std::to_string(loss.realization) + " of " +
                                       std::to_string(state.realized.size()));
      }
    }
  }
  wash_sales_.RestorePending(std::move(state.pending_wash_losses));
  for (Realization& realization : state.realized) realized_.push_back(std::move(realization));
  next_purchase_id_ = state.next_purchase_id;
  next_sequence_ = state.next_sequence;
  next_sale_ = state.next_sale;
  started_ = state.last_date.has_value();
  if (started_) last_date_ = *state.last_date;
  return Status::Ok();
}

}  // namespace arbor
