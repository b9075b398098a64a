#include "core/ledger/event.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <numeric>
#include <utility>

namespace arbor {
namespace {

constexpr std::array<std::pair<EventAction, std::string_view>, 8> kActions = {{
    {EventAction::kBuy, "buy"},
    {EventAction::kSell, "sell"},
    {EventAction::kDeposit, "deposit"},
    {EventAction::kWithdrawal, "withdrawal"},
    {EventAction::kDividend, "dividend"},
    {EventAction::kFee, "fee"},
    {EventAction::kSplit, "split"},
    {EventAction::kTransferIn, "transfer_in"},
}};

constexpr std::array<std::pair<LotMethod, std::string_view>, 5> kMethods = {{
    {LotMethod::kFifo, "fifo"},
    {LotMethod::kLifo, "lifo"},
    {LotMethod::kHifo, "hifo"},
    {LotMethod::kSpecific, "specific"},
    {LotMethod::kTaxOptimal, "tax_optimal"},
}};

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return lower;
}

}  // namespace

std::string_view ToString(EventAction action) {
  for (const auto& [a, name] : kActions) {
    if (a == action) return name;
  }
  return "buy";
}

Result<EventAction> EventActionFromString(std::string_view text) {
  std::string lower = Lower(text);
  for (const auto& [a, name] : kActions) {
    if (name == lower) return a;
  }
  return Status::InvalidArgument("unknown action '" + std::string(text) +
                                 "' (expected buy, sell, deposit, withdrawal, dividend, fee, "
                                 "split or transfer_in)");
}

std::string_view ToString(LotMethod method) {
  for (const auto& [m, name] : kMethods) {
    if (m == method) return name;
  }
  return "fifo";
}

Result<LotMethod> LotMethodFromString(std::string_view text) {
  std::string lower = Lower(text);
  for (const auto& [m, name] : kMethods) {
    if (name == lower) return m;
  }
  return Status::InvalidArgument("unknown lot method '" + std::string(text) +
                                 "' (expected fifo, lifo, hifo, specific or tax_optimal)");
}

Result<std::pair<int64_t, int64_t>> SplitRatioFromDecimal(std::string_view text) {
  Result<int64_t> micros = ParseMicros(text);
  if (!micros.ok()) return Status::InvalidArgument("ratio: " + micros.status().message());
  if (*micros <= 0) {
    return Status::InvalidArgument("ratio: must be positive, got '" + std::string(text) + "'");
  }
  int64_t divisor = std::gcd(*micros, kMicrosPerUnit);
  return std::make_pair(*micros / divisor, kMicrosPerUnit / divisor);
}

}  // namespace arbor
