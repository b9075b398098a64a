#include "core/ledger/event.h"

#include <numeric>

#include "core/base/enum_names.h"

namespace arbor {
namespace {

constexpr EnumNames<EventAction, 8> kActions = {{
    {EventAction::kBuy, "buy"},
    {EventAction::kSell, "sell"},
    {EventAction::kDeposit, "deposit"},
    {EventAction::kWithdrawal, "withdrawal"},
    {EventAction::kDividend, "dividend"},
    {EventAction::kFee, "fee"},
    {EventAction::kSplit, "split"},
    {EventAction::kTransferIn, "transfer_in"},
}};

constexpr EnumNames<LotMethod, 5> kMethods = {{
    {LotMethod::kFifo, "fifo"},
    {LotMethod::kLifo, "lifo"},
    {LotMethod::kHifo, "hifo"},
    {LotMethod::kSpecific, "specific"},
    {LotMethod::kTaxOptimal, "tax_optimal"},
}};

}  // namespace

std::string_view ToString(EventAction action) { return NameOf(kActions, action); }

Result<EventAction> EventActionFromString(std::string_view text) {
  if (std::optional<EventAction> action = ParseName(kActions, text)) return *action;
  return Status::InvalidArgument("unknown action '" + std::string(text) +
                                 "' (expected buy, sell, deposit, withdrawal, dividend, fee, "
                                 "split or transfer_in)");
}

std::string_view ToString(LotMethod method) { return NameOf(kMethods, method); }

Result<LotMethod> LotMethodFromString(std::string_view text) {
  if (std::optional<LotMethod> method = ParseName(kMethods, text)) return *method;
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
