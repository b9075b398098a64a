// Terse event builders for ledger tests: Buy("2024-01-02", "A", "XYZ", 100, "10.00").
#pragma once

#include <string>

#include "core/ledger/event.h"

namespace arbor::testing {

inline Date D(const std::string& text) { return *Date::Parse(text); }

inline Event Buy(const std::string& date, const std::string& account, const std::string& symbol,
                 int64_t shares, const std::string& price, const std::string& lot_id = "") {
  return {.date = D(date), .account = account, .action = EventAction::kBuy, .symbol = symbol,
          .shares = Shares::Units(shares), .price = *Price::Parse(price), .lot_id = lot_id};
}

inline Event Sell(const std::string& date, const std::string& account, const std::string& symbol,
                  int64_t shares, const std::string& price,
                  std::optional<LotMethod> method = std::nullopt) {
  return {.date = D(date), .account = account, .action = EventAction::kSell, .symbol = symbol,
          .shares = Shares::Units(shares), .price = *Price::Parse(price), .lot_method = method};
}

inline Money M(const std::string& text) { return *Money::Parse(text); }

}  // namespace arbor::testing
