#include "adapters/demo/market_tape.h"

#include <algorithm>

namespace arbor {
Result<MarketTape> MarketTape::Build(const std::vector<PriceHistory>& prices,
                                     std::string_view calendar_symbol, Date from, Date to) {
  MarketTape tape;
  for (const PriceHistory& history : prices) {
    if (history.bars.empty() || tape.index_.contains(history.symbol)) continue;
    tape.index_.emplace(history.symbol, static_cast<int>(tape.symbols_.size()));
    tape.symbols_.push_back(history.symbol);
    tape.histories_.push_back(&history);
  }
  std::optional<int> calendar = tape.Find(calendar_symbol);
  if (!calendar) {
    return Status::FailedPrecondition("the market tape needs the prices of " +
                                      std::string(calendar_symbol) + " for its calendar");
  }
  for (const DailyBar& bar : tape.histories_[*calendar]->bars) {
    if (bar.date >= from && bar.date <= to) tape.days_.push_back(bar.date);
  }
  if (tape.days_.empty()) {
    return Status::InvalidArgument("no trading days of " + std::string(calendar_symbol) +
                                   " between " + from.ToString() + " and " + to.ToString());
  }

  const size_t n = tape.symbols_.size();
  tape.closes_.assign(tape.days_.size() * n, 0);
  tape.actions_.resize(n);
  for (size_t s = 0; s < n; ++s) {
    const std::vector<DailyBar>& bars = tape.histories_[s]->bars;
    // One merge of the bars with the calendar instead of a search per day.
    size_t b = 0;
    for (size_t d = 0; d < tape.days_.size(); ++d) {
      while (b < bars.size() && bars[b].date <= tape.days_[d]) ++b;
      if (b > 0 && tape.days_[d] - bars[b - 1].date <= kStaleDays) {
        tape.closes_[tape.Cell(static_cast<int>(s), static_cast<int>(d))] =
            bars[b - 1].close.micros();
      }
    }
    for (const DailyBar& bar : bars) {
      const bool split = bar.split_numerator != bar.split_denominator;
      if (bar.date > to || (!split && !bar.dividend_per_share.is_positive())) continue;
      tape.actions_[s].push_back({.symbol = static_cast<int>(s),
                                  .ex_date = bar.date,
                                  .split_numerator = bar.split_numerator,
                                  .split_denominator = bar.split_denominator,
                                  .dividend_per_share = bar.dividend_per_share});
    }
    tape.all_actions_.insert(tape.all_actions_.end(), tape.actions_[s].begin(),
                             tape.actions_[s].end());
  }
  std::sort(tape.all_actions_.begin(), tape.all_actions_.end(),
            [](const TapeAction& a, const TapeAction& b) {
              return a.ex_date != b.ex_date ? a.ex_date < b.ex_date : a.symbol < b.symbol;
            });
  return tape;
}

int MarketTape::DayOnOrAfter(Date date) const {
  return static_cast<int>(std::lower_bound(days_.begin(), days_.end(), date) - days_.begin());
}

int MarketTape::DayOnOrBefore(Date date) const {
  return static_cast<int>(std::upper_bound(days_.begin(), days_.end(), date) - days_.begin()) - 1;
}

std::optional<int> MarketTape::Find(std::string_view symbol) const {
  auto it = index_.find(std::string(symbol));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

const DailyBar* MarketTape::BarOnOrBefore(int symbol, Date date) const {
  const std::vector<DailyBar>& bars = histories_[symbol]->bars;
  auto bar = std::upper_bound(bars.begin(), bars.end(), date,
                              [](Date d, const DailyBar& b) { return d < b.date; });
  if (bar == bars.begin() || date - std::prev(bar)->date > kStaleDays) return nullptr;
  return &*std::prev(bar);
}

double MarketTape::SplitFactor(int symbol, Date after, Date through) const {
  double factor = 1;
  for (const TapeAction& action : actions_[symbol]) {
    if (action.ex_date > after && action.ex_date <= through && action.is_split()) {
      factor *= static_cast<double>(action.split_numerator) / action.split_denominator;
    }
  }
  return factor;
}

}  // namespace arbor
