#include "adapters/demo/firm_simulation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <tuple>

#include "adapters/demo/household_book.h"
#include "core/ledger/holding_period.h"

namespace arbor::firm_internal {
namespace {

// A harvest takes lots down this much from their cost, worth at least kHarvestFloor dollars
// and a ten-thousandth of the account.
constexpr double kHarvestLoss = 0.12;
constexpr double kHarvestFloor = 25;
// Buys at a review: at most this many names, unless much cash is left.
constexpr int kBuysPerReview = 30;

// The payment after `due` (the schedule's day of the month is at most 28: every month has it).
Date NextPayment(const review::ScheduledWithdrawal& s, Date due) {
  const int month = due.month() - 1 + s.every_months;
  return *Date::FromYmd(due.year() + month / 12, month % 12 + 1, s.day_of_month);
}

// What happens on a date of the household's timeline, in this order on the same day.
enum class MomentKind { kFunding, kReview, kScheduledWithdrawal };

struct Moment {
  Date date;
  MomentKind kind;
  int account = 0;  // funding and withdrawals
  int review = 0;   // reviews: index into review_days
  Money amount;     // withdrawals
};

class HouseholdSimulation {
 public:
  HouseholdSimulation(const HouseholdPlan& plan, const SimulationContext& context)
      : plan_(plan), c_(context), tape_(*context.tape), book_(plan, context) {}

  Result<HouseholdHistory> Run();

 private:
  std::vector<Moment> Timeline() const;
  Status Fund(int a, int day);
  Status Review(int a, int review);
  Status PayScheduled(int a, Date date, Money amount);

  // Review steps.
  Status CashOutEndedNames(int a, Date date);
  Status Harvest(int a, Date date, double value);
  Status SellDropped(int a, Date date);
  Status Trim(int a, Date date, double value);
  Status RaiseCash(int a, Date date, double needed, double value);
  Status Invest(int a, Date date, double keep, double min_trade, int max_buys, double value);
  std::optional<int> Replacement(int a, int symbol, Date date, double value) const;

  double UpcomingWithdrawals(int a, Date after, Date through) const;

  const HouseholdPlan& plan_;
  const SimulationContext& c_;
  const MarketTape& tape_;
  HouseholdBook book_;
  int day_ = 0;  // the trading day being simulated
};

std::vector<Moment> HouseholdSimulation::Timeline() const {
  std::vector<Moment> moments;
  const Date as_of = tape_.day(c_.as_of_day);
  for (size_t a = 0; a < plan_.accounts.size(); ++a) {
    const AccountPlan& account = plan_.accounts[a];
    const Date funded = tape_.day(account.funding_day);
    moments.push_back(
        {.date = funded, .kind = MomentKind::kFunding, .account = static_cast<int>(a)});
    for (const review::ScheduledWithdrawal& s : account.schedules) {
      for (Date due = s.first_date; due < as_of; due = NextPayment(s, due)) {
        if (due > funded) {
          moments.push_back({.date = due,
                             .kind = MomentKind::kScheduledWithdrawal,
                             .account = static_cast<int>(a),
                             .amount = s.amount});
        }
      }
    }
  }
  for (size_t r = 0; r < plan_.review_days.size(); ++r) {
    moments.push_back({.date = tape_.day(plan_.review_days[r]),
                       .kind = MomentKind::kReview,
                       .review = static_cast<int>(r)});
  }
  std::stable_sort(moments.begin(), moments.end(), [](const Moment& x, const Moment& y) {
    return std::tie(x.date, x.kind, x.account) < std::tie(y.date, y.kind, y.account);
  });
  return moments;
}

double HouseholdSimulation::UpcomingWithdrawals(int a, Date after, Date through) const {
  double total = 0;
  for (const review::ScheduledWithdrawal& s : plan_.accounts[a].schedules) {
    for (Date due = s.first_date; due <= through; due = NextPayment(s, due)) {
      if (due > after) total += s.amount.ToDouble();
    }
  }
  return total;
}

Status HouseholdSimulation::Fund(int a, int day) {
  const AccountPlan& plan = plan_.accounts[a];
  const Date date = tape_.day(day);
  ARBOR_RETURN_IF_ERROR(book_.Record({.date = date,
                                      .account = plan.account.id,
                                      .action = EventAction::kDeposit,
                                      .amount = plan.deposit}));
  for (const Event& lot : plan.legacy) ARBOR_RETURN_IF_ERROR(book_.TransferIn(a, lot));
  book_.SetFunded(a);
  book_.SetTargets(a, day);
  const double value = book_.Value(a, day);
  return Invest(a, date, book_.CashTarget(a, value), /*min_trade=*/5,
                /*max_buys=*/1 << 30, value);
}

Status HouseholdSimulation::PayScheduled(int a, Date date, Money amount) {
  // The custodian pays what the cash covers; the reviews raise it ahead of time.
  const Money paid = std::min(amount, book_.Cash(a));
  if (!paid.is_positive()) return Status::Ok();
  return book_.Record({.date = date,
                       .account = plan_.accounts[a].account.id,
                       .action = EventAction::kWithdrawal,
                       .amount = paid});
}

Status HouseholdSimulation::CashOutEndedNames(int a, Date date) {
  // A name whose prices ended was acquired or delisted: its holders got its last price in
  // cash. Lots transferred in stay (the data-problem account keeps its stale name).
  for (int symbol : book_.Held(a)) {
    if (tape_.Close(symbol, day_).is_positive() || tape_.last_bar(symbol).date >= date) continue;
    const Price last = tape_.last_bar(symbol).close;
    const std::vector<LotPiece> lots = book_.TradableLots(a, symbol);
    if (!book_.MaySell(a, symbol, date, last, lots)) continue;
    ARBOR_RETURN_IF_ERROR(book_.SellLots(a, symbol, date, last, lots));
  }
  return Status::Ok();
}

std::optional<int> HouseholdSimulation::Replacement(int a, int symbol, Date date,
                                                    double value) const {
  const int peer = c_.peer_group[symbol];
  if (peer < 0) return std::nullopt;
  auto usable = [&](int s) {
    return s != symbol && c_.peer_group[s] == peer && c_.wash_group[s] != c_.wash_group[symbol] &&
           tape_.Close(s, day_).is_positive() && book_.CanBuy(a, s, date);
  };
  if (c_.is_fund[symbol]) {
    for (int s : c_.funds_by_peer[peer]) {
      if (usable(s)) return s;
    }
    return std::nullopt;
  }
  // A stock: the target of its sector furthest under its weight.
  std::optional<int> best;
  double best_gap = -1e300;
  for (const auto& [s, weight] : book_.targets()) {
    if (!usable(s) || c_.is_fund[s]) continue;
    const double gap = weight * value - book_.HeldValue(a, s, day_);
    if (gap > best_gap) best = s, best_gap = gap;
  }
  return best;
}

Status HouseholdSimulation::Harvest(int a, Date date, double value) {
  const double floor = std::max(kHarvestFloor, 1e-4 * value);
  for (int symbol : book_.Held(a)) {
    const Price price = tape_.Close(symbol, day_);
    if (!price.is_positive() || !book_.CanSellAtLoss(a, symbol, date)) continue;
    std::vector<LotPiece> losers;
    double loss = 0;
    for (const LotPiece& piece : book_.TradableLots(a, symbol)) {
      const double proceeds = Value(piece.shares, price).ToDouble();
      const double basis = book_.BasisOf(a, symbol, piece).ToDouble();
      if (basis - proceeds > kHarvestLoss * basis) {
        losers.push_back(piece);
        loss += basis - proceeds;
      }
    }
    if (losers.empty() || loss < floor) continue;
    const std::optional<int> replacement = Replacement(a, symbol, date, value);
    if (!replacement) continue;  // selling without a replacement would leave the market
    const Money before = book_.Cash(a);
    ARBOR_RETURN_IF_ERROR(book_.SellLots(a, symbol, date, price, losers));
    ARBOR_RETURN_IF_ERROR(book_.Buy(a, *replacement, date, tape_.Close(*replacement, day_),
                                    (book_.Cash(a) - before).ToDouble()));
  }
  return Status::Ok();
}

Status HouseholdSimulation::SellDropped(int a, Date date) {
  for (int symbol : book_.Held(a)) {
    const Price price = tape_.Close(symbol, day_);
    if (!price.is_positive() || book_.TargetWeight(symbol) > 0) continue;
    const std::vector<LotPiece> lots = book_.TradableLots(a, symbol);
    if (!book_.MaySell(a, symbol, date, price, lots)) continue;
    ARBOR_RETURN_IF_ERROR(book_.SellLots(a, symbol, date, price, lots));
  }
  return Status::Ok();
}

Status HouseholdSimulation::Trim(int a, Date date, double value) {
  // Asset classes beyond their band come back to target, from their most overweight names.
  std::vector<ClassDrift> drifts = book_.ClassDrifts(a, day_, value);
  for (ClassDrift& drift : drifts) {
    const double band = std::clamp(0.25 * drift.target, 0.02, 0.05) * value;
    double excess = drift.actual - drift.target * value;
    if (excess <= band) continue;
    std::sort(drift.overweights.rbegin(), drift.overweights.rend());
    for (const auto& [over, symbol] : drift.overweights) {
      if (excess <= 0) break;
      const double take = drift.overweights.size() == 1 ? excess : std::min(over, excess);
      ARBOR_RETURN_IF_ERROR(book_.SellValue(a, symbol, date, take, /*short_term_gains=*/false));
      excess -= take;
    }
  }
  // A stock at more than twice its weight, and by half a percent of the account, is trimmed.
  for (int symbol : book_.Held(a)) {
    const double weight = book_.TargetWeight(symbol);
    if (weight <= 0 || c_.is_fund[symbol]) continue;
    const double over = book_.HeldValue(a, symbol, day_) - weight * value;
    if (over > std::max(weight * value, 0.005 * value)) {
      ARBOR_RETURN_IF_ERROR(book_.SellValue(a, symbol, date, over, /*short_term_gains=*/false));
    }
  }
  return Status::Ok();
}

Status HouseholdSimulation::RaiseCash(int a, Date date, double needed, double value) {
  double short_by = needed - book_.Cash(a).ToDouble();
  if (short_by <= 0) return Status::Ok();
  // Overweights first, then the largest holdings (up to half of each), short-term gains last.
  auto sell = [&](int symbol, double dollars, bool short_term) -> Status {
    const Money before = book_.Cash(a);
    ARBOR_RETURN_IF_ERROR(book_.SellValue(a, symbol, date, dollars, short_term));
    short_by -= (book_.Cash(a) - before).ToDouble();
    return Status::Ok();
  };
  std::vector<std::pair<double, int>> over, size;
  for (int symbol : book_.Held(a)) {
    const double held = book_.HeldValue(a, symbol, day_);
    over.push_back({held - book_.TargetWeight(symbol) * value, symbol});
    size.push_back({held, symbol});
  }
  std::sort(over.rbegin(), over.rend());
  std::sort(size.rbegin(), size.rend());
  for (const auto& [dollars, symbol] : over) {
    if (short_by <= 0 || dollars <= 0) break;
    ARBOR_RETURN_IF_ERROR(sell(symbol, std::min(dollars, short_by * 1.02), false));
  }
  for (bool short_term : {false, true}) {
    for (const auto& [held, symbol] : size) {
      if (short_by <= 0) return Status::Ok();
      ARBOR_RETURN_IF_ERROR(sell(symbol, std::min(held / 2, short_by * 1.02), short_term));
    }
  }
  return Status::Ok();
}

Status HouseholdSimulation::Invest(int a, Date date, double keep, double min_trade, int max_buys,
                                   double value) {
  double investable = book_.Cash(a).ToDouble() - keep;
  if (investable < min_trade) return Status::Ok();
  struct Gap {
    double share;  // of the target weight: a name new to the index is 1
    double dollars;
    int symbol;
  };
  std::vector<Gap> gaps;
  for (const auto& [symbol, weight] : book_.targets()) {
    const double dollars = weight * value - book_.HeldValue(a, symbol, day_);
    if (dollars >= min_trade && book_.CanBuy(a, symbol, date)) {
      gaps.push_back({dollars / (weight * value), dollars, symbol});
    }
  }
  std::sort(gaps.begin(), gaps.end(), [](const Gap& x, const Gap& y) {
    return x.share != y.share ? x.share > y.share : x.symbol < y.symbol;
  });
  // The furthest under target, all of them when much cash is waiting; each filled in
  // proportion when the cash does not cover them all.
  if (static_cast<int>(gaps.size()) > max_buys && investable < 0.02 * value) gaps.resize(max_buys);
  double total = 0;
  for (const Gap& gap : gaps) total += gap.dollars;
  const double scale = std::min(1.0, investable / total);
  for (const Gap& gap : gaps) {
    if (gap.dollars * scale < min_trade) continue;
    ARBOR_RETURN_IF_ERROR(
        book_.Buy(a, gap.symbol, date, tape_.Close(gap.symbol, day_), gap.dollars * scale));
  }
  return Status::Ok();
}

Status HouseholdSimulation::Review(int a, int review) {
  const AccountPlan& plan = plan_.accounts[a];
  const Date date = tape_.day(day_);
  book_.SetTargets(a, day_);
  ARBOR_RETURN_IF_ERROR(CashOutEndedNames(a, date));
  double value = book_.Value(a, day_);
  if (plan.taxable) ARBOR_RETURN_IF_ERROR(Harvest(a, date, value));
  ARBOR_RETURN_IF_ERROR(SellDropped(a, date));
  ARBOR_RETURN_IF_ERROR(Trim(a, date, value));

  // Cash for the fee, today's requests and the withdrawals due before the next review.
  const Date next = review + 1 < static_cast<int>(plan_.review_days.size())
                        ? tape_.day(plan_.review_days[review + 1])
                        : tape_.day(c_.as_of_day);
  const Money fee =
      Money::FromDouble(value * plan.fee_rate * c_.options->review_months / 12).RoundedToCents();
  const auto request = std::find_if(plan.past_requests.begin(), plan.past_requests.end(),
                                    [&](const PastRequest& r) { return r.review == review; });
  const double requested = request == plan.past_requests.end()
                               ? 0
                               : std::round(std::min(request->share, 0.5) * value / 1000) * 1000;
  // What must be paid before the next review comes first; the cash target is soft: it is
  // restored only when the cash fell below half of it.
  const double target = book_.CashTarget(a, value);
  const double due = UpcomingWithdrawals(a, date, next) + fee.ToDouble() + requested;
  if (book_.Cash(a).ToDouble() < due + target / 2) {
    ARBOR_RETURN_IF_ERROR(RaiseCash(a, date, due + target, value));
  }

  const std::string& id = plan.account.id;
  if (fee.is_positive()) {
    ARBOR_RETURN_IF_ERROR(
        book_.Record({.date = date, .account = id, .action = EventAction::kFee, .amount = fee}));
  }
  if (requested > 0) {
    const Money amount = Money::FromDouble(requested);
    ARBOR_RETURN_IF_ERROR(book_.Record(
        {.date = date, .account = id, .action = EventAction::kWithdrawal, .amount = amount}));
    book_.AddPaidRequest(a, {.id = "WR-" + date.ToString(),
                             .amount = amount,
                             .due = date,
                             .entered_by = plan.account.advisor,
                             .entered_at = date.AddDays(-request->entered_days_before),
                             .status = review::WithdrawalRequestStatus::kPaid});
  }
  const bool new_year =
      review == 0 || tape_.day(plan_.review_days[review - 1]).year() != date.year();
  if (new_year && plan.yearly_contribution.is_positive() &&
      date.year() > tape_.day(plan.funding_day).year()) {
    ARBOR_RETURN_IF_ERROR(book_.Record({.date = date,
                                        .account = id,
                                        .action = EventAction::kDeposit,
                                        .amount = plan.yearly_contribution}));
  }
  // The cash sleeve keeps the next review's fee too, so that fees rarely force a sale.
  value = book_.Value(a, day_);
  const double keep =
      book_.CashTarget(a, value) + UpcomingWithdrawals(a, date, next) + fee.ToDouble();
  return Invest(a, date, keep, std::max(25.0, 1e-4 * value), kBuysPerReview, value);
}

Result<HouseholdHistory> HouseholdSimulation::Run() {
  ARBOR_RETURN_IF_ERROR(book_.Open());
  for (const Moment& moment : Timeline()) {
    ARBOR_RETURN_IF_ERROR(book_.ApplyCorporateActions(moment.date));
    switch (moment.kind) {
      case MomentKind::kFunding:
        day_ = plan_.accounts[moment.account].funding_day;
        ARBOR_RETURN_IF_ERROR(Fund(moment.account, day_));
        break;
      case MomentKind::kReview:
        day_ = plan_.review_days[moment.review];
        for (size_t a = 0; a < plan_.accounts.size(); ++a) {
          if (book_.Funded(static_cast<int>(a)) && plan_.accounts[a].funding_day < day_) {
            ARBOR_RETURN_IF_ERROR(Review(static_cast<int>(a), moment.review));
          }
        }
        break;
      case MomentKind::kScheduledWithdrawal:
        ARBOR_RETURN_IF_ERROR(PayScheduled(moment.account, moment.date, moment.amount));
        break;
    }
  }
  const Date as_of = tape_.day(c_.as_of_day);
  ARBOR_RETURN_IF_ERROR(book_.ApplyCorporateActions(as_of));
  for (size_t a = 0; a < plan_.accounts.size(); ++a) {
    const AccountPlan& account = plan_.accounts[a];
    if (account.problem != review::DataProblemKind::kNegativeCash) continue;
    // A wire sent before the sale that was to pay for it settled.
    const double value = book_.Value(static_cast<int>(a), c_.as_of_day);
    const Money overdraft =
        Money::Units(std::max<int64_t>(500, std::lround(value * 0.01 / 100) * 100));
    const Money amount = std::max(Money(), book_.Cash(static_cast<int>(a))) + overdraft;
    ARBOR_RETURN_IF_ERROR(book_.Record({.date = as_of,
                                        .account = account.account.id,
                                        .action = EventAction::kWithdrawal,
                                        .amount = amount}));
  }
  return book_.Finish();
}

}  // namespace

SimulationContext MakeSimulationContext(const MarketTape& tape, const TargetBook& targets,
                                        const SecurityMaster& master, const FirmOptions& options) {
  SimulationContext c{.tape = &tape,
                      .targets = &targets,
                      .options = &options,
                      .as_of_day = tape.DayOnOrBefore(options.as_of)};
  std::map<std::string, int> groups, peers;
  auto intern = [](std::map<std::string, int>& names, const std::string& name) {
    return names.emplace(name, static_cast<int>(names.size())).first->second;
  };
  for (int s = 0; s < tape.symbol_count(); ++s) {
    const std::string& symbol = tape.symbol(s);
    const Security* security = master.Find(symbol);
    const std::string group = master.WashSaleGroupOf(symbol);
    if (group != symbol) c.ledger_wash_groups.push_back({symbol, group});
    c.wash_group.push_back(intern(groups, group));
    const bool fund = security != nullptr && security->type != SecurityType::kStock;
    c.is_fund.push_back(fund);
    int peer = -1;
    if (security != nullptr && fund && !security->asset_class.empty()) {
      peer = intern(peers, "class:" + security->asset_class);
    } else if (security != nullptr && !fund && !security->gics.sector.empty()) {
      peer = intern(peers, "sector:" + security->gics.sector);
    }
    c.peer_group.push_back(peer);
  }
  c.funds_by_peer.resize(peers.size());
  for (int s = 0; s < tape.symbol_count(); ++s) {
    if (c.is_fund[s] && c.peer_group[s] >= 0) c.funds_by_peer[c.peer_group[s]].push_back(s);
  }
  return c;
}

Result<HouseholdHistory> SimulateHousehold(const HouseholdPlan& plan,
                                           const SimulationContext& context) {
  return HouseholdSimulation(plan, context).Run();
}

}  // namespace arbor::firm_internal
