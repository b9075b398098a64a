#include "core/ledger/ledger.h"

#include <algorithm>
#include <numeric>
#include <tuple>
#include <utility>

#include "core/ledger/lot_relief.h"

namespace arbor {
namespace {

uint64_t PairKey(int32_t high, int32_t low) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(high)) << 32) | static_cast<uint32_t>(low);
}

Status RequirePositive(Shares shares, const char* field) {
  if (!shares.is_positive()) return Status::InvalidArgument(std::string(field) + ": must be positive");
  return Status::Ok();
}

Status RequireNonNegative(Money money, const char* field) {
  if (money.is_negative()) {
    return Status::InvalidArgument(std::string(field) + ": must not be negative, got " +
                                   money.ToString(2));
  }
  return Status::Ok();
}

}  // namespace

Ledger::Ledger(LedgerOptions options) : options_(options) {}

Status Ledger::AddAccount(const Account& account) {
  if (account.id.empty()) return Status::InvalidArgument("account id: must not be empty");
  if (account_ids_.Find(account.id) != NameIndex::kNotFound) {
    return Status::AlreadyExists("account '" + account.id + "' is declared twice");
  }
  if (started_ && scopes_.WouldJoin(account)) {
    return Status::FailedPrecondition("account '" + account.id +
                                      "' joins two taxpayers' wash-sale scopes after events "
                                      "were applied; declare joint accounts first");
  }
  account_scope_handle_.push_back(scopes_.Add(account));
  account_ids_.Intern(account.id);
  accounts_.push_back(account);
  account_state_.emplace_back();
  return Status::Ok();
}

Status Ledger::SetWashSaleGroup(std::string_view symbol, std::string_view group) {
  if (started_) {
    return Status::FailedPrecondition("wash-sale groups must be set before the first event");
  }
  int32_t s = InternSymbol(symbol);
  auto [it, inserted] = group_index_.emplace("group:" + std::string(group), group_index_.size());
  symbol_group_[s] = it->second;
  return Status::Ok();
}

int32_t Ledger::InternSymbol(std::string_view symbol) {
  if (int32_t id = symbols_.Find(symbol); id != NameIndex::kNotFound) return id;
  int32_t id = symbols_.Intern(symbol);
  auto group = group_index_.emplace("symbol:" + std::string(symbol), group_index_.size());
  symbol_group_.push_back(group.first->second);
  return id;
}

int32_t Ledger::ScopeOf(int32_t account) const {
  return scopes_.ScopeOf(account_scope_handle_[account]);
}

int32_t Ledger::WashSiteFor(int32_t account, int32_t symbol) {
  const uint64_t key = PairKey(ScopeOf(account), symbol_group_[symbol]);
  auto [it, inserted] = wash_site_index_.emplace(key, wash_site_positions_.size());
  if (inserted) wash_site_positions_.emplace_back();
  return it->second;
}

Ledger::Position& Ledger::PositionFor(int32_t account, int32_t symbol) {
  if (Position* existing = FindPosition(account, symbol)) return *existing;
  int32_t index = static_cast<int32_t>(positions_.size());
  int32_t site = WashSiteFor(account, symbol);
  positions_.push_back({account, symbol, site, IsTaxDeferred(accounts_[account].type), {}, 0});
  AccountState& state = account_state_[account];
  if (state.position_count < AccountState::kInline) {
    state.positions[state.position_count] = {symbol, index};
  } else {
    state.more_positions.emplace_back(symbol, index);
  }
  ++state.position_count;
  wash_site_positions_[site].push_back(index);
  return positions_[index];
}

const Ledger::Position* Ledger::FindPosition(int32_t account, int32_t symbol) const {
  // An account holds few symbols: a short scan of its own list beats a lookup in a big table.
  const AccountState& state = account_state_[account];
  const int inline_count = std::min(state.position_count, AccountState::kInline);
  for (int i = 0; i < inline_count; ++i) {
    if (state.positions[i].first == symbol) return &positions_[state.positions[i].second];
  }
  for (const auto& [s, p] : state.more_positions) {
    if (s == symbol) return &positions_[p];
  }
  return nullptr;
}

Ledger::Position* Ledger::FindPosition(int32_t account, int32_t symbol) {
  return const_cast<Position*>(std::as_const(*this).FindPosition(account, symbol));
}

const Account* Ledger::FindAccount(std::string_view id) const {
  int32_t index = account_ids_.Find(id);
  return index == NameIndex::kNotFound ? nullptr : &accounts_[index];
}

Result<int32_t> Ledger::AccountIndex(const Event& event) const {
  int32_t index = account_ids_.Find(event.account);
  if (index == NameIndex::kNotFound) {
    return Status::NotFound("account: unknown account '" + event.account + "'");
  }
  return index;
}

Status Ledger::Apply(const Event& event) {
  if (started_ && event.date < last_date_) {
    return Status::InvalidArgument("date: " + event.date.ToString() + " is before the previous " +
                                   "event (" + last_date_.ToString() + "); events go in date order");
  }
  Status status;
  if (event.action == EventAction::kSplit) {
    status = ApplySplit(event);
  } else {
    Result<int32_t> account = AccountIndex(event);
    if (!account.ok()) return account.status();
    switch (event.action) {
      case EventAction::kBuy:
        status = ApplyBuy(event, *account);
        break;
      case EventAction::kSell:
        status = ApplySell(event, *account);
        break;
      case EventAction::kTransferIn:
        status = ApplyTransferIn(event, *account);
        break;
      default:
        status = ApplyCash(event, *account);
        break;
    }
  }
  if (status.ok()) {
    started_ = true;
    last_date_ = event.date;
  }
  return status;
}

Status Ledger::CheckLotIdFree(const Position& position, const std::string& lot_id) const {
  // Labels name open lots for specific-lot sales, so two open lots of one position may not
  // share a label (except the parts of one lot split by a wash sale, which stay one lot).
  for (const Lot& lot : position.lots) {
    if (lot.lot_id == lot_id) {
      return Status::AlreadyExists("lot_id: '" + lot_id + "' is already an open lot of " +
                                   symbols_.name(position.symbol) + " in account '" +
                                   accounts_[position.account].id + "'");
    }
  }
  return Status::Ok();
}

std::string Ledger::NewLotId(const Event& event, Position& position) {
  ++position.lots_created;
  return event.lot_id.empty() ? "#" + std::to_string(position.lots_created) : event.lot_id;
}

Status Ledger::CheckLabel(const Event& event, const Position& position) const {
  if (event.lot_id.empty()) return Status::Ok();  // generated labels are unique by construction
  if (event.lot_id.front() == '#') {
    return Status::InvalidArgument("lot_id: labels starting with '#' are reserved for generated ids");
  }
  return CheckLotIdFree(position, event.lot_id);
}

void Ledger::AddLot(Position& position, Lot lot) {
  lot.sequence = next_sequence_++;
  position.lots.push_back(std::move(lot));
}

Status Ledger::ApplyBuy(const Event& event, int32_t account) {
  if (event.symbol.empty()) return Status::InvalidArgument("symbol: missing");
  ARBOR_RETURN_IF_ERROR(RequirePositive(event.shares, "shares"));
  if (event.price.is_negative()) return Status::InvalidArgument("price: must not be negative");
  ARBOR_RETURN_IF_ERROR(RequireNonNegative(event.fees, "fees"));
  Position& position = PositionFor(account, InternSymbol(event.symbol));
  ARBOR_RETURN_IF_ERROR(CheckLabel(event, position));
  Money cost = Value(event.shares, event.price) + event.fees;
  account_state_[account].cash -= cost;
  AddLot(position, Lot{.lot_id = NewLotId(event, position),
                       .purchase_id = next_purchase_id_++,
                       .shares = event.shares,
                       .basis = cost,
                       .acquired = event.date,
                       .holding_period_date = event.date});
  wash_sales_.MatchPurchase(position.wash_site, event.date, &position.lots,
                            position.lots.size() - 1, position.tax_deferred, &realized_);
  return Status::Ok();
}

Status Ledger::ApplySell(const Event& event, int32_t account) {
  if (event.symbol.empty()) return Status::InvalidArgument("symbol: missing");
  ARBOR_RETURN_IF_ERROR(RequirePositive(event.shares, "shares"));
  if (event.price.is_negative()) return Status::InvalidArgument("price: must not be negative");
  ARBOR_RETURN_IF_ERROR(RequireNonNegative(event.fees, "fees"));
  const int32_t symbol = symbols_.Find(event.symbol);
  Position* position = symbol == NameIndex::kNotFound ? nullptr : FindPosition(account, symbol);
  if (position == nullptr || position->lots.empty()) {
    return Status::FailedPrecondition("selling " + event.shares.ToShortString() + " shares of " +
                                      event.symbol + ", more than held (0) in account '" +
                                      accounts_[account].id + "'");
  }
  Money gross = Value(event.shares, event.price);
  Money net = gross - event.fees;
  ReliefRequest request{.method = event.lot_method.value_or(options_.default_lot_method),
                        .shares = event.shares,
                        .selections = event.lots,
                        .sale_date = event.date,
                        .net_price = PerShare(net, event.shares),
                        .short_term_rate = options_.short_term_rate,
                        .long_term_rate = options_.long_term_rate};
  Status planned = relief_planner_.Plan(position->lots, request, &relief_plan_);
  if (!planned.ok()) {
    return planned.WithContext(event.symbol + " in account '" + accounts_[account].id + "'");
  }

  // Everything below succeeds: the sale is applied.
  account_state_[account].cash += net;
  const bool reportable = !position->tax_deferred;
  const uint64_t sale = next_sale_++;
  std::vector<WashLoss>& losses = wash_losses_;
  losses.clear();
  Shares relieved;
  Money proceeds_assigned;
  for (const ReliefPiece& piece : relief_plan_) {
    Lot& lot = position->lots[piece.lot_index];
    relieved += piece.shares;
    // Cumulative proration: the pieces' proceeds add up to the sale's net proceeds exactly.
    Money proceeds = net.Prorate(relieved, event.shares) - proceeds_assigned;
    proceeds_assigned += proceeds;
    Money basis = lot.basis.Prorate(piece.shares, lot.shares);
    Realization r{.account = event.account,  // the event's copy is in cache; accounts_ is not
                  .symbol = event.symbol,
                  .lot_id = lot.lot_id,
                  .sell_date = event.date,
                  .acquired = lot.acquired,
                  .holding_period_date = lot.holding_period_date,
                  .shares = piece.shares,
                  .proceeds = proceeds,
                  .basis = basis,
                  .reportable = reportable,
                  .sale_sequence = sale};
    if (reportable && r.GainBeforeWash().is_negative()) {
      losses.push_back({.realization = realized_.size(),
                        .shares = piece.shares,
                        .loss = -r.GainBeforeWash(),
                        .purchase_id = lot.purchase_id,
                        .acquired = lot.acquired,
                        .lot_sequence = lot.sequence,
                        .holding_period_date = lot.holding_period_date,
                        .sale_date = event.date});
    }
    realized_.push_back(std::move(r));
    lot.shares -= piece.shares;
    lot.basis -= basis;
  }
  std::erase_if(position->lots, [](const Lot& lot) { return lot.shares.is_zero(); });

  if (!losses.empty()) {
    const int32_t site = position->wash_site;
    std::vector<ReplacementCandidates>& candidates = wash_candidates_;
    candidates.clear();
    for (int32_t p : wash_site_positions_[site]) {
      candidates.push_back({&positions_[p].lots, positions_[p].tax_deferred});
    }
    wash_sales_.MatchSale(site, event.date, losses, candidates, &realized_);
  }
  return Status::Ok();
}

Status Ledger::ApplySplit(const Event& event) {
  if (event.symbol.empty()) return Status::InvalidArgument("symbol: missing");
  if (event.split_numerator <= 0 || event.split_denominator <= 0) {
    return Status::InvalidArgument("ratio: must be positive");
  }
  const int32_t symbol = symbols_.Find(event.symbol);
  if (symbol == NameIndex::kNotFound) return Status::Ok();  // nobody holds it
  std::vector<int32_t> sites;
  for (Position& position : positions_) {
    if (position.symbol != symbol) continue;
    for (Lot& lot : position.lots) {
      lot.shares = Shares::FromMicros(RoundedDivide(
          static_cast<__int128>(lot.shares.micros()) * event.split_numerator,
          event.split_denominator));
    }
    sites.push_back(position.wash_site);
  }
  std::sort(sites.begin(), sites.end());
  sites.erase(std::unique(sites.begin(), sites.end()), sites.end());
  for (int32_t site : sites) {
    wash_sales_.ApplySplit(site, event.split_numerator, event.split_denominator);
  }
  return Status::Ok();
}

Status Ledger::ApplyTransferIn(const Event& event, int32_t account) {
  if (event.symbol.empty()) return Status::InvalidArgument("symbol: missing");
  ARBOR_RETURN_IF_ERROR(RequirePositive(event.shares, "shares"));
  ARBOR_RETURN_IF_ERROR(RequireNonNegative(event.basis, "basis"));
  if (event.acquired > event.date) {
    return Status::InvalidArgument("acquired: " + event.acquired.ToString() +
                                   " is after the transfer date " + event.date.ToString());
  }
  Position& position = PositionFor(account, InternSymbol(event.symbol));
  ARBOR_RETURN_IF_ERROR(CheckLabel(event, position));
  AddLot(position,
         Lot{.lot_id = NewLotId(event, position),
             .purchase_id = next_purchase_id_++,
             .shares = event.shares,
             .basis = event.basis,
             .acquired = event.acquired,
             .holding_period_date = event.holding_period_date.value_or(event.acquired),
             .acquired_by_purchase = false});
  return Status::Ok();
}

Status Ledger::ApplyCash(const Event& event, int32_t account) {
  switch (event.action) {
    case EventAction::kDeposit:
    case EventAction::kDividend:
      ARBOR_RETURN_IF_ERROR(RequireNonNegative(event.amount, "amount"));
      account_state_[account].cash += event.amount;
      break;
    case EventAction::kWithdrawal:
    case EventAction::kFee:
      ARBOR_RETURN_IF_ERROR(RequireNonNegative(event.amount, "amount"));
      account_state_[account].cash -= event.amount;
      break;
    default:
      return Status::Internal("unhandled action");
  }
  return Status::Ok();
}

void Ledger::CollectOpenLots(const Position& position, std::vector<OpenLot>* out) const {
  for (const Lot& lot : position.lots) {
    out->push_back({accounts_[position.account].id, symbols_.name(position.symbol), lot});
  }
}

std::vector<OpenLot> Ledger::OpenLots() const {
  std::vector<OpenLot> out;
  for (const Position& position : positions_) CollectOpenLots(position, &out);
  // Stable: a lot split by a wash sale lists its washed part first, as the lot was stored.
  std::stable_sort(out.begin(), out.end(), [](const OpenLot& a, const OpenLot& b) {
    return std::tie(a.account, a.symbol, a.lot.acquired, a.lot.sequence) <
           std::tie(b.account, b.symbol, b.lot.acquired, b.lot.sequence);
  });
  return out;
}

std::vector<OpenLot> Ledger::OpenLots(std::string_view account) const {
  std::vector<OpenLot> all = OpenLots();
  std::erase_if(all, [&](const OpenLot& lot) { return lot.account != account; });
  return all;
}

Shares Ledger::SharesHeld(std::string_view account, std::string_view symbol) const {
  int32_t a = account_ids_.Find(account);
  int32_t s = symbols_.Find(symbol);
  if (a == NameIndex::kNotFound || s == NameIndex::kNotFound) return Shares();
  const Position* position = FindPosition(a, s);
  Shares total;
  if (position != nullptr) {
    for (const Lot& lot : position->lots) total += lot.shares;
  }
  return total;
}

Result<Money> Ledger::Cash(std::string_view account) const {
  int32_t index = account_ids_.Find(account);
  if (index == NameIndex::kNotFound) {
    return Status::NotFound("unknown account '" + std::string(account) + "'");
  }
  return account_state_[index].cash;
}

size_t Ledger::open_lot_count() const {
  size_t count = 0;
  for (const Position& position : positions_) count += position.lots.size();
  return count;
}

}  // namespace arbor
