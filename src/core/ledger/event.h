// Ledger events: everything that changes an account's cash or lots.
//
//   Event buy{.date = *Date::Parse("2024-01-02"), .account = "A", .action = EventAction::kBuy,
//             .symbol = "XYZ", .shares = Shares::Units(100), .price = *Price::Parse("10")};
//   ledger.Apply(buy);
//
// One plain struct for all actions keeps the storage and JSON adapters trivial; the fields an
// action uses are listed next to it and Ledger::Apply rejects missing or invalid ones.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/status.h"

namespace arbor {

enum class EventAction {
  kBuy,         // symbol, shares, price, fees; lot_id optional
  kSell,        // symbol, shares, price, fees; lot_method and lots optional
  kDeposit,     // amount
  kWithdrawal,  // amount
  kDividend,    // symbol, amount (cash received)
  kFee,         // amount
  kSplit,       // symbol, split_numerator / split_denominator; every account holding it
  kTransferIn,  // symbol, shares, basis, acquired, holding_period_date optional, lot_id
};

enum class LotMethod { kFifo, kLifo, kHifo, kSpecific, kTaxOptimal };

std::string_view ToString(EventAction action);
Result<EventAction> EventActionFromString(std::string_view text);
std::string_view ToString(LotMethod method);
// Case-insensitive: fifo, lifo, hifo, specific, tax_optimal.
Result<LotMethod> LotMethodFromString(std::string_view text);

struct LotSelection {
  std::string lot_id;
  Shares shares;
};

struct Event {
  Date date;
  std::string account;
  EventAction action = EventAction::kBuy;
  std::string symbol;
  Shares shares;
  Price price;
  Money fees;
  Money amount;
  std::string lot_id;
  std::optional<LotMethod> lot_method;  // empty: the ledger's default
  std::vector<LotSelection> lots;       // for LotMethod::kSpecific
  int64_t split_numerator = 1;
  int64_t split_denominator = 1;
  Money basis;                          // transfer-in: total cost basis of the lot
  Date acquired;                        // transfer-in: original acquisition date
  std::optional<Date> holding_period_date;  // transfer-in: if it differs from `acquired`
};

// A split ratio written as a decimal ("2", "1.5", "0.25") as a reduced fraction.
Result<std::pair<int64_t, int64_t>> SplitRatioFromDecimal(std::string_view text);

}  // namespace arbor
