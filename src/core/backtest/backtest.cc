#include "core/backtest/backtest.h"

#include <algorithm>
#include <optional>

#include "core/ledger/ledger.h"

namespace arbor::backtest {
namespace {

// Weeks numbered from the Monday before 1970-01-01 (a Thursday).
int WeekOf(Date date) { return (date.days() + 3) / 7; }

class Run {
 public:
  Run(const BacktestMarket& market, const BacktestOptions& options)
      : market_(market),
        options_(options),
        index_(&ledger_, "INDEX", market, options.cost_rate),
        optimizer_(&ledger_, "OPTIMIZER", market, options.cost_rate),
        monthly_(&ledger_, "MONTHLY-RULE", market, options.cost_rate),
        rule_(market, options),
        index_shares_(market.symbol_count(), 0),
        none_blocked_(market.symbol_count(), false) {}

  Result<BacktestResult> Go(const std::function<void(const BacktestProgress&)>& progress);

 private:
  std::vector<PortfolioBook*> Books() { return {&index_, &optimizer_, &monthly_}; }
  Status ApplyActions(int day);
  bool Reconstitute(int day);  // true when a new index takes effect
  DayTargets Targets(int day) const;
  Status CashOutEnded(PortfolioBook& book, int day);
  Status RefreshRiskModel(int day);
  void Record(int day);

  const BacktestMarket& market_;
  const BacktestOptions& options_;
  Ledger ledger_;
  PortfolioBook index_, optimizer_, monthly_;
  MonthlyHarvestRule rule_;
  std::vector<double> index_shares_;  // the index's shares by symbol, up to a scale
  std::vector<bool> none_blocked_;
  size_t next_action_ = 0;
  size_t next_reconstitution_ = 0;
  std::optional<RiskModel> risk_;
  Date risk_date_;
  BacktestResult result_;
  std::vector<StrategyPath> paths_ = std::vector<StrategyPath>(3);
};

Status Run::ApplyActions(int day) {
  const Date today = market_.days[day];
  for (; next_action_ < market_.actions.size() && market_.actions[next_action_].ex_date <= today;
       ++next_action_) {
    const MarketAction& action = market_.actions[next_action_];
    if (action.ex_date <= market_.days[0] && day == 0) continue;  // before the funding
    if (action.is_split()) {
      index_shares_[action.symbol] *=
          static_cast<double>(action.split_numerator) / action.split_denominator;
      ARBOR_RETURN_IF_ERROR(ledger_.Apply({.date = today,
                                           .action = EventAction::kSplit,
                                           .symbol = market_.symbols[action.symbol],
                                           .split_numerator = action.split_numerator,
                                           .split_denominator = action.split_denominator}));
      for (PortfolioBook* book : Books()) book->RefreshShares(action.symbol);
    }
    if (action.dividend_per_share.is_positive()) {
      for (PortfolioBook* book : Books()) ARBOR_RETURN_IF_ERROR(book->CreditDividend(action, day));
    }
  }
  return Status::Ok();
}

bool Run::Reconstitute(int day) {
  const Date today = market_.days[day];
  bool changed = false;
  while (next_reconstitution_ < market_.reconstitutions.size() &&
         market_.reconstitutions[next_reconstitution_].effective <= today) {
    ++next_reconstitution_;
    changed = true;
  }
  if (!changed) return false;
  std::fill(index_shares_.begin(), index_shares_.end(), 0);
  for (const auto& [s, weight] : market_.reconstitutions[next_reconstitution_ - 1].weights) {
    const double price = market_.Close(s, day).ToDouble();
    if (price > 0) index_shares_[s] = weight / price;
  }
  return true;
}

DayTargets Run::Targets(int day) const {
  DayTargets targets{.weight = std::vector<double>(market_.symbol_count(), 0)};
  double total = 0;
  for (int s = 0; s < market_.symbol_count(); ++s) {
    const double price = market_.Close(s, day).ToDouble();
    if (index_shares_[s] <= 0 || price <= 0) continue;
    targets.weight[s] = index_shares_[s] * price;
    targets.members.push_back(s);
    total += targets.weight[s];
  }
  for (int s : targets.members) targets.weight[s] /= total;
  return targets;
}

Status Run::CashOutEnded(PortfolioBook& book, int day) {
  for (int s : book.Held()) {
    if (market_.Close(s, day).is_positive() || market_.last_close_date[s] >= market_.days[day]) {
      continue;
    }
    ARBOR_RETURN_IF_ERROR(book.SellAll(s, day, market_.last_close[s]));
  }
  return Status::Ok();
}

Status Run::RefreshRiskModel(int day) {
  const Date today = market_.days[day];
  const int months = (today.year() - risk_date_.year()) * 12 + today.month() - risk_date_.month();
  if (risk_ && months < options_.risk_model_months) return Status::Ok();
  Result<RiskModel> model =
      EstimateRiskModel(today, market_.risk_securities, market_.returns, options_.risk_model);
  if (!model.ok()) return model.status().WithContext("risk model as of " + today.ToString());
  risk_ = std::move(*model);
  risk_date_ = Date::FromYmd(today.year(), today.month(), 1).value();
  ++result_.risk_models;
  return Status::Ok();
}

void Run::Record(int day) {
  const std::vector<PortfolioBook*> books = Books();
  const bool year_end =
      day + 1 == market_.day_count() || market_.days[day + 1].year() != market_.days[day].year();
  for (size_t b = 0; b < books.size(); ++b) {
    paths_[b].values.push_back(books[b]->Value(day));
    paths_[b].cash.push_back(books[b]->Cash().ToDouble());
    if (!year_end) continue;
    Unrealized open;
    for (const OpenLot& lot : books[b]->Lots()) {
      const int s = books[b]->SymbolIndex(lot.symbol);
      Price price = market_.Close(s, day);
      if (!price.is_positive()) price = market_.last_close[s];
      const double gain = (Value(lot.lot.shares, price) - lot.lot.basis).ToDouble();
      (TermOf(lot.lot.holding_period_date, market_.days[day]) == Term::kLong ? open.long_term
                                                                             : open.short_term) +=
          gain;
    }
    paths_[b].unrealized[market_.days[day].year()] = open;
  }
}

Result<BacktestResult> Run::Go(const std::function<void(const BacktestProgress&)>& progress) {
  ARBOR_RETURN_IF_ERROR(ValidateBacktestMarket(market_));
  for (PortfolioBook* book : Books()) ARBOR_RETURN_IF_ERROR(book->Open());
  const int days = market_.day_count();
  for (int day = 0; day < days; ++day) {
    const Date today = market_.days[day];
    ARBOR_RETURN_IF_ERROR(ApplyActions(day));
    const bool reconstituted = Reconstitute(day) && day > 0;
    const DayTargets targets = Targets(day);
    if (day == 0) {
      if (targets.members.empty()) {
        return Status::FailedPrecondition("no index member has a price on " + today.ToString());
      }
      result_.names = static_cast<int>(targets.members.size());
      for (PortfolioBook* book : Books()) {
        ARBOR_RETURN_IF_ERROR(book->Deposit(day, options_.initial_cash));
      }
    }
    for (PortfolioBook* book : Books()) ARBOR_RETURN_IF_ERROR(CashOutEnded(*book, day));
    ARBOR_RETURN_IF_ERROR(rule_.BuyBack(monthly_, day));
    // A new index is a reason to review, whatever the frequency.
    if (IsReviewDay(market_.days, day, options_.frequency) || reconstituted) {
      ++result_.reviews;
      ARBOR_RETURN_IF_ERROR(
          FollowIndex(index_, day, targets, none_blocked_, {.retarget = reconstituted}));
      ARBOR_RETURN_IF_ERROR(RefreshRiskModel(day));
      ARBOR_RETURN_IF_ERROR(RebalanceWithOptimizer(optimizer_, day, targets, *risk_, market_,
                                                   options_, &result_.optimizer));
      // The monthly rule invests like the index at funding and follows its reconstitutions;
      // otherwise its cash waits for the month end, and only names new to the index are bought.
      ARBOR_RETURN_IF_ERROR(FollowIndex(
          monthly_, day, targets, rule_.awaiting(),
          {.entrants_only = day > 0, .retarget = reconstituted, .lot_method = LotMethod::kHifo}));
    }
    const bool month_end = day + 1 == days || market_.days[day + 1].month() != today.month();
    for (PortfolioBook* book : Books()) book->Collect();
    if (month_end && day > 0) {
      ARBOR_RETURN_IF_ERROR(rule_.HarvestAndPark(monthly_, day));
      monthly_.Collect();
    }
    Record(day);
    if (progress) {
      progress({.day = day + 1, .days = days, .rebalances = result_.optimizer.rebalances});
    }
  }
  for (PortfolioBook* book : Books()) ARBOR_RETURN_IF_ERROR(book->CheckMirror());
  result_.from = market_.days.front();
  result_.to = market_.days.back();
  result_.days = days;
  result_.monthly_harvests = rule_.harvests();
  const std::vector<PortfolioBook*> books = Books();
  const char* names[] = {"index", "optimizer", "monthly rule"};
  for (size_t b = 0; b < books.size(); ++b) paths_[b].years = books[b]->years();
  for (size_t b = 0; b < books.size(); ++b) {
    result_.strategies.push_back(
        {.name = names[b],
         .path = paths_[b],
         .metrics = ComputeMetrics(market_.days, paths_[b], paths_[0], options_.reference_rates,
                                   options_.client_rates)});
  }
  return std::move(result_);
}

}  // namespace

bool IsReviewDay(const std::vector<Date>& days, int day, ReviewFrequency frequency) {
  if (day == 0) return true;
  switch (frequency) {
    case ReviewFrequency::kDaily:
      return true;
    case ReviewFrequency::kWeekly:
      return WeekOf(days[day]) != WeekOf(days[day - 1]);
    case ReviewFrequency::kMonthly:
      return days[day].month() != days[day - 1].month();
  }
  return false;
}

Result<BacktestResult> RunBacktest(const BacktestMarket& market, const BacktestOptions& options,
                                   const std::function<void(const BacktestProgress&)>& progress) {
  return Run(market, options).Go(progress);
}

}  // namespace arbor::backtest
