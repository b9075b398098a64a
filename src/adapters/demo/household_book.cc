#include "adapters/demo/household_book.h"

#include <algorithm>
#include <optional>

#include "core/ledger/holding_period.h"

namespace arbor::firm_internal {

HouseholdBook::HouseholdBook(const HouseholdPlan& plan, const SimulationContext& context)
    : plan_(plan), c_(context) {
  const size_t symbols = context.tape->symbol_count();
  for (const AccountPlan& account : plan.accounts) {
    AccountState state{.plan = &account};
    state.lots.resize(symbols);
    state.no_buy.assign(symbols, false);
    state.no_sell.assign(symbols, false);
    for (const SecurityRestriction& r : account.restrictions) {
      std::optional<int> s = context.tape->Find(r.symbol);
      if (!s) continue;
      using review::Restriction;
      state.no_buy[*s] =
          r.restriction == Restriction::kNoBuy || r.restriction == Restriction::kHold;
      state.no_sell[*s] =
          r.restriction == Restriction::kNoSell || r.restriction == Restriction::kHold;
    }
    accounts_.push_back(std::move(state));
  }
  const int groups =
      context.wash_group.empty()
          ? 0
          : *std::max_element(context.wash_group.begin(), context.wash_group.end()) + 1;
  last_purchase_.assign(groups, Date());
  last_loss_sale_.assign(groups, Date());
  target_weight_.assign(symbols, 0);
}

Status HouseholdBook::Open() {
  for (const auto& [symbol, group] : c_.ledger_wash_groups) {
    ARBOR_RETURN_IF_ERROR(ledger_.SetWashSaleGroup(symbol, group));
  }
  for (const AccountPlan& account : plan_.accounts) {
    ARBOR_RETURN_IF_ERROR(ledger_.AddAccount(account.account));
  }
  return Status::Ok();
}

Status HouseholdBook::Record(Event event) {
  Status status = ledger_.Apply(event);
  if (!status.ok()) {
    return status.WithContext("firm generator: " + event.date.ToString() + " " +
                              std::string(ToString(event.action)) + " " + event.symbol + " in " +
                              event.account);
  }
  if (event.action != EventAction::kSplit) events_.push_back(std::move(event));
  return Status::Ok();
}

Status HouseholdBook::TransferIn(int account, const Event& lot) {
  ARBOR_RETURN_IF_ERROR(Record(lot));
  AddLot(account, *c_.tape->Find(lot.symbol),
         {.label = lot.lot_id,
          .shares = lot.shares.micros(),
          .basis = lot.basis,
          .acquired = lot.acquired,
          .legacy = true});
  return Status::Ok();
}

void HouseholdBook::AddLot(int account, int symbol, MirrorLot lot) {
  AccountState& state = accounts_[account];
  if (state.lots[symbol].empty()) {
    state.held.insert(std::lower_bound(state.held.begin(), state.held.end(), symbol), symbol);
  }
  state.lots[symbol].push_back(std::move(lot));
}

Status HouseholdBook::ApplyCorporateActions(Date through) {
  const std::vector<TapeAction>& actions = c_.tape->all_actions();
  const bool per_review = c_.options->dividends == DividendEntries::kPerReview;
  for (; next_action_ < actions.size() && actions[next_action_].ex_date <= through;
       ++next_action_) {
    const TapeAction& action = actions[next_action_];
    const bool held = std::any_of(accounts_.begin(), accounts_.end(), [&](const AccountState& a) {
      return !a.lots[action.symbol].empty();
    });
    if (!held) continue;
    const std::string& symbol = c_.tape->symbol(action.symbol);
    if (action.is_split()) {
      // The same rounding as the ledger's, so the mirror keeps its exact share counts.
      ARBOR_RETURN_IF_ERROR(Record({.date = action.ex_date,
                                    .action = EventAction::kSplit,
                                    .symbol = symbol,
                                    .split_numerator = action.split_numerator,
                                    .split_denominator = action.split_denominator}));
      for (AccountState& state : accounts_) {
        for (MirrorLot& lot : state.lots[action.symbol]) {
          lot.shares = RoundedDivide(static_cast<__int128>(lot.shares) * action.split_numerator,
                                     action.split_denominator);
        }
      }
    }
    if (!action.dividend_per_share.is_positive()) continue;
    for (AccountState& state : accounts_) {
      int64_t shares = 0;
      for (const MirrorLot& lot : state.lots[action.symbol]) shares += lot.shares;
      const Money amount = arbor::Value(Shares::FromMicros(shares), action.dividend_per_share);
      if (!amount.is_positive()) continue;
      if (!per_review) {
        ARBOR_RETURN_IF_ERROR(Record({.date = action.ex_date,
                                      .account = state.plan->account.id,
                                      .action = EventAction::kDividend,
                                      .symbol = symbol,
                                      .amount = amount}));
        continue;
      }
      state.pending_dividends += amount;
      if (amount > state.top_paid) state.top_paid = amount, state.top_payer = action.symbol;
    }
  }
  if (!per_review) return Status::Ok();
  for (AccountState& state : accounts_) {
    if (!state.pending_dividends.is_positive()) continue;
    ARBOR_RETURN_IF_ERROR(Record({.date = through,
                                  .account = state.plan->account.id,
                                  .action = EventAction::kDividend,
                                  .symbol = c_.tape->symbol(state.top_payer),
                                  .amount = state.pending_dividends}));
    state.pending_dividends = Money();
    state.top_paid = Money();
    state.top_payer = -1;
  }
  return Status::Ok();
}

Money HouseholdBook::Cash(int account) const {
  return *ledger_.Cash(accounts_[account].plan->account.id);
}

double HouseholdBook::HeldValue(int account, int symbol, int day) const {
  int64_t shares = 0;
  for (const MirrorLot& lot : accounts_[account].lots[symbol]) shares += lot.shares;
  return static_cast<double>(shares) / kMicrosPerUnit * c_.tape->Close(symbol, day).ToDouble();
}

double HouseholdBook::Value(int account, int day) const {
  double value = Cash(account).ToDouble();
  for (int symbol : accounts_[account].held) value += HeldValue(account, symbol, day);
  return value;
}

void HouseholdBook::SetTargets(int account, int day) {
  for (const auto& [symbol, weight] : targets_) target_weight_[symbol] = 0;
  targets_.clear();
  target_class_.clear();
  const ResolvedTargets& resolved =
      c_.targets->On(accounts_[account].plan->family, c_.tape->day(day));
  std::vector<double> priced(resolved.class_weight.size(), 0);
  for (const arbor::TargetWeight& t : resolved.targets) {
    if (c_.tape->Close(t.symbol, day).is_positive()) priced[t.asset_class] += t.weight;
  }
  class_weight_.assign(resolved.class_weight.size(), 0);
  cash_weight_ = resolved.cash_weight;
  for (size_t c = 0; c < priced.size(); ++c) {
    if (priced[c] <= 0) cash_weight_ += resolved.class_weight[c];
  }
  for (const arbor::TargetWeight& t : resolved.targets) {
    if (!c_.tape->Close(t.symbol, day).is_positive()) continue;
    const double weight = t.weight * resolved.class_weight[t.asset_class] / priced[t.asset_class];
    targets_.push_back({t.symbol, weight});
    target_class_.push_back(t.asset_class);
    target_weight_[t.symbol] = weight;
    class_weight_[t.asset_class] += weight;
  }
}

double HouseholdBook::CashTarget(int account, double value) const {
  return std::max(
      {cash_weight_ * value, 0.005 * value, accounts_[account].plan->settings.cash_min.ToDouble()});
}

std::vector<ClassDrift> HouseholdBook::ClassDrifts(int account, int day, double value) const {
  std::vector<ClassDrift> drifts(class_weight_.size());
  for (size_t c = 0; c < drifts.size(); ++c) drifts[c].target = class_weight_[c];
  for (size_t i = 0; i < targets_.size(); ++i) {
    const auto [symbol, weight] = targets_[i];
    ClassDrift& drift = drifts[target_class_[i]];
    const double held = HeldValue(account, symbol, day);
    drift.actual += held;
    if (held > weight * value) drift.overweights.push_back({held - weight * value, symbol});
  }
  return drifts;
}

bool HouseholdBook::Within(Date last, Date date) {
  // IRS Pub. 550: 30 days before or after the sale; one more for safety at the boundary.
  return last != Date() && date - last <= 31;
}

bool HouseholdBook::CanBuy(int account, int symbol, Date date) const {
  return !accounts_[account].no_buy[symbol] &&
         !Within(last_loss_sale_[c_.wash_group[symbol]], date);
}

bool HouseholdBook::CanSellAtLoss(int account, int symbol, Date date) const {
  return !accounts_[account].plan->taxable || !Within(last_purchase_[c_.wash_group[symbol]], date);
}

bool HouseholdBook::MaySell(int account, int symbol, Date date, Price price,
                            const std::vector<LotPiece>& pieces) const {
  if (CanSellAtLoss(account, symbol, date)) return true;
  return std::none_of(pieces.begin(), pieces.end(), [&](const LotPiece& piece) {
    return arbor::Value(piece.shares, price) < BasisOf(account, symbol, piece);
  });
}

std::vector<LotPiece> HouseholdBook::TradableLots(int account, int symbol) const {
  std::vector<LotPiece> pieces;
  const AccountState& state = accounts_[account];
  if (state.no_sell[symbol]) return pieces;
  for (size_t i = 0; i < state.lots[symbol].size(); ++i) {
    const MirrorLot& lot = state.lots[symbol][i];
    if (!lot.legacy) pieces.push_back({static_cast<int>(i), Shares::FromMicros(lot.shares)});
  }
  return pieces;
}

Money HouseholdBook::BasisOf(int account, int symbol, const LotPiece& piece) const {
  const MirrorLot& lot = accounts_[account].lots[symbol][piece.lot];
  return lot.basis.Prorate(piece.shares, Shares::FromMicros(lot.shares));
}

Status HouseholdBook::SellLots(int account, int symbol, Date date, Price price,
                               const std::vector<LotPiece>& pieces) {
  if (pieces.empty()) return Status::Ok();
  AccountState& state = accounts_[account];
  std::vector<MirrorLot>& lots = state.lots[symbol];
  Event sell{.date = date,
             .account = state.plan->account.id,
             .action = EventAction::kSell,
             .symbol = c_.tape->symbol(symbol),
             .price = price,
             .lot_method = LotMethod::kSpecific};
  bool loss = false;
  for (const LotPiece& piece : pieces) {
    sell.lots.push_back({lots[piece.lot].label, piece.shares});
    sell.shares += piece.shares;
    loss |= arbor::Value(piece.shares, price) < BasisOf(account, symbol, piece);
  }
  ARBOR_RETURN_IF_ERROR(Record(std::move(sell)));
  for (const LotPiece& piece : pieces) {
    MirrorLot& lot = lots[piece.lot];
    lot.basis -= BasisOf(account, symbol, piece);
    lot.shares -= piece.shares.micros();
  }
  std::erase_if(lots, [](const MirrorLot& lot) { return lot.shares == 0; });
  if (lots.empty()) std::erase(state.held, symbol);
  if (loss && state.plan->taxable) last_loss_sale_[c_.wash_group[symbol]] = date;
  return Status::Ok();
}

Status HouseholdBook::SellValue(int account, int symbol, Date date, double dollars,
                                bool short_term_gains) {
  const Price price = c_.tape->Close(symbol, c_.tape->DayOnOrBefore(date));
  if (!price.is_positive() || dollars <= 0) return Status::Ok();
  const std::vector<MirrorLot>& lots = accounts_[account].lots[symbol];
  std::vector<LotPiece> candidates = TradableLots(account, symbol);
  // Highest cost per share first: losses and the smallest gains.
  std::sort(candidates.begin(), candidates.end(), [&](const LotPiece& x, const LotPiece& y) {
    const double cx = lots[x.lot].basis.ToDouble() / x.shares.ToDouble();
    const double cy = lots[y.lot].basis.ToDouble() / y.shares.ToDouble();
    return cx != cy ? cx > cy : x.lot < y.lot;
  });
  const bool loss_ok = CanSellAtLoss(account, symbol, date);
  std::vector<LotPiece> pieces;
  double left = dollars;
  for (LotPiece piece : candidates) {
    if (left <= 0) break;
    const MirrorLot& lot = lots[piece.lot];
    const bool gain = arbor::Value(piece.shares, price) > lot.basis;
    if (!gain && !loss_ok) continue;
    if (gain && !short_term_gains && !IsLongTerm(lot.acquired, date)) continue;
    const double value = piece.shares.ToDouble() * price.ToDouble();
    if (value > left) {
      piece.shares =
          Shares::FromMicros(static_cast<int64_t>(left / price.ToDouble() * kMicrosPerUnit));
      if (!piece.shares.is_positive()) break;
    }
    pieces.push_back(piece);
    left -= piece.shares.ToDouble() * price.ToDouble();
  }
  return SellLots(account, symbol, date, price, pieces);
}

Status HouseholdBook::Buy(int account, int symbol, Date date, Price price, double dollars) {
  if (!price.is_positive() || dollars <= 0) return Status::Ok();
  // Fractional shares to 1/10,000, rounded down so the cost never exceeds the dollars.
  const int64_t ten_thousandths = static_cast<int64_t>(dollars / price.ToDouble() * 1e4);
  if (ten_thousandths <= 0) return Status::Ok();
  AccountState& state = accounts_[account];
  const Shares shares = Shares::FromMicros(ten_thousandths * 100);
  std::string label = "L" + std::to_string(state.next_label++);
  ARBOR_RETURN_IF_ERROR(Record({.date = date,
                                .account = state.plan->account.id,
                                .action = EventAction::kBuy,
                                .symbol = c_.tape->symbol(symbol),
                                .shares = shares,
                                .price = price,
                                .lot_id = label}));
  AddLot(account, symbol,
         {.label = std::move(label),
          .shares = shares.micros(),
          .basis = arbor::Value(shares, price),
          .acquired = date});
  last_purchase_[c_.wash_group[symbol]] = date;
  return Status::Ok();
}

Result<HouseholdHistory> HouseholdBook::Finish() {
  HouseholdHistory history;
  // The ledger's lots come sorted by account and symbol: one position per run.
  for (const OpenLot& lot : ledger_.OpenLots()) {
    if (history.positions.empty() || history.positions.back().account != lot.account ||
        history.positions.back().symbol != lot.symbol) {
      history.positions.push_back({.account = lot.account, .symbol = lot.symbol});
    }
    history.positions.back().shares += lot.lot.shares;
  }
  // The mirror must hold exactly these positions: as many, each with the same shares.
  size_t mirrored = 0;
  for (const AccountState& state : accounts_) mirrored += state.held.size();
  for (const CustodianPosition& p : history.positions) {
    auto state = std::find_if(accounts_.begin(), accounts_.end(), [&](const AccountState& a) {
      return a.plan->account.id == p.account;
    });
    const std::optional<int> symbol = c_.tape->Find(p.symbol);
    int64_t shares = 0;
    if (symbol) {
      for (const MirrorLot& lot : state->lots[*symbol]) shares += lot.shares;
    }
    if (shares != p.shares.micros()) {
      return Status::Internal("firm generator: the mirror of " + p.account +
                              " drifted from its ledger in " + p.symbol);
    }
  }
  if (mirrored != history.positions.size()) {
    return Status::Internal("firm generator: the mirror of " + plan_.id +
                            " holds positions its ledger does not");
  }
  for (size_t a = 0; a < accounts_.size(); ++a) {
    history.paid_requests.push_back(accounts_[a].paid_requests);
    history.cash.push_back(Cash(static_cast<int>(a)));
  }
  history.events = std::move(events_);
  return history;
}

}  // namespace arbor::firm_internal
