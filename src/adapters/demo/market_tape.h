// Prices, dividends and splits of many securities on one trading calendar, laid out for a
// simulation that asks "the close of symbol s on day d" millions of times: one dense table of
// closes, days and symbols numbered from 0.
//
//   MarketTape tape = MarketTape::Build(prices, "SPY", first_day, last_day).value();
//   int s = *tape.Find("AAPL");
//   int d = tape.DayOnOrAfter(*Date::Parse("2020-03-20"));
//   Price p = tape.Close(s, d);          // zero once the symbol's prices are stale
//   for (const TapeAction& a : tape.actions(s)) ...   // splits and dividends by ex-date
//   tape.all_actions();                                 // every symbol's, by ex-date
//
// A close is the last one on or before the day, and only if it is at most kStaleDays old: a
// security whose prices stopped (a name acquired, delisted or missing from the data) has no
// price from then on, which is how the simulation notices it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "adapters/io/market_data.h"
#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/status.h"

namespace arbor {

struct TapeAction {
  int symbol = 0;
  Date ex_date;
  int64_t split_numerator = 1;  // a split when numerator != denominator
  int64_t split_denominator = 1;
  Price dividend_per_share;  // a cash dividend when positive
  bool is_split() const { return split_numerator != split_denominator; }
};

class MarketTape {
 public:
  static constexpr int kStaleDays = 7;

  // The calendar is `calendar_symbol`'s trading days in [from, to]; every history in `prices`
  // becomes a symbol (histories without bars are left out).
  static Result<MarketTape> Build(const std::vector<PriceHistory>& prices,
                                  std::string_view calendar_symbol, Date from, Date to);

  const std::vector<Date>& days() const { return days_; }
  int day_count() const { return static_cast<int>(days_.size()); }
  Date day(int index) const { return days_[index]; }
  // The first trading day on or after `date` (day_count() when none), the last on or before
  // (-1 when none).
  int DayOnOrAfter(Date date) const;
  int DayOnOrBefore(Date date) const;

  int symbol_count() const { return static_cast<int>(symbols_.size()); }
  const std::string& symbol(int index) const { return symbols_[index]; }
  std::optional<int> Find(std::string_view symbol) const;

  Price Close(int symbol, int day) const { return Price::FromMicros(closes_[Cell(symbol, day)]); }
  // From the full history, before the calendar too: the bar on or before `date`, null when
  // there is none within kStaleDays.
  const DailyBar* BarOnOrBefore(int symbol, Date date) const;
  Date first_bar(int symbol) const { return histories_[symbol]->bars.front().date; }
  const DailyBar& last_bar(int symbol) const { return histories_[symbol]->bars.back(); }
  // Splits and dividends by ex-date (a split before a dividend of the same day).
  const std::vector<TapeAction>& actions(int symbol) const { return actions_[symbol]; }
  // Every symbol's, by ex-date then symbol: one pass walks a whole simulation's.
  const std::vector<TapeAction>& all_actions() const { return all_actions_; }
  // The product of the split ratios with ex-dates in (after, through].
  double SplitFactor(int symbol, Date after, Date through) const;

 private:
  size_t Cell(int symbol, int day) const {
    return static_cast<size_t>(day) * symbols_.size() + static_cast<size_t>(symbol);
  }

  std::vector<Date> days_;
  std::vector<std::string> symbols_;
  std::unordered_map<std::string, int> index_;
  std::vector<const PriceHistory*> histories_;
  std::vector<int64_t> closes_;  // micros, by day then symbol
  std::vector<std::vector<TapeAction>> actions_;
  std::vector<TapeAction> all_actions_;
};

}  // namespace arbor
