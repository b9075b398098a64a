#include "adapters/transition/legacy_lots.h"

#include <set>

#include "adapters/io/csv.h"
#include "adapters/storage/csv_format.h"
#include "core/base/fixed.h"

namespace arbor {
namespace {

template <typename T>
Status ParseNumber(const CsvRow& row, std::string_view field, std::string_view text, T* out) {
  Result<T> value = T::Parse(text);
  if (!value.ok()) return FieldError(row, field, value.status().message());
  *out = *value;
  return Status::Ok();
}

Status ParseDate(const CsvRow& row, std::string_view field, std::string_view text, Date* out) {
  Result<Date> date = Date::Parse(text);
  if (!date.ok()) return FieldError(row, field, date.status().message());
  *out = *date;
  return Status::Ok();
}

Result<review::RebalanceLot> ParseLot(const FormatFile& file, const CsvRow& row,
                                      const SecurityMaster& master, Date as_of) {
  review::RebalanceLot lot;
  lot.symbol = std::string(file.Get(row, "symbol"));
  if (!master.Contains(lot.symbol)) {
    return FieldError(row, "symbol",
                      "unknown symbol '" + lot.symbol + "'; add it with `arbor import securities`");
  }
  lot.id = std::string(file.Get(row, "lot_id"));
  if (lot.id.empty()) lot.id = "L" + std::to_string(row.line());
  ARBOR_RETURN_IF_ERROR(ParseNumber(row, "shares", file.Get(row, "shares"), &lot.shares));
  if (!lot.shares.is_positive()) return FieldError(row, "shares", "must be positive");
  ARBOR_RETURN_IF_ERROR(ParseNumber(row, "basis", file.Get(row, "basis"), &lot.basis));
  if (lot.basis.is_negative()) return FieldError(row, "basis", "must not be negative");
  ARBOR_RETURN_IF_ERROR(ParseDate(row, "acquired", file.Get(row, "acquired"), &lot.acquired));
  if (lot.acquired > as_of) {
    return FieldError(row, "acquired",
                      lot.acquired.ToString() + " is after the plan date " + as_of.ToString());
  }
  lot.holding_period_date = lot.acquired;
  if (std::string_view hp = file.Get(row, "acquired_for_holding_period"); !hp.empty()) {
    ARBOR_RETURN_IF_ERROR(
        ParseDate(row, "acquired_for_holding_period", hp, &lot.holding_period_date));
    if (lot.holding_period_date > lot.acquired) {
      return FieldError(row, "acquired_for_holding_period", "is after acquired");
    }
  }
  if (std::string_view stated = file.Get(row, "as_of"); !stated.empty()) {
    Date date;
    ARBOR_RETURN_IF_ERROR(ParseDate(row, "as_of", stated, &date));
    if (date != as_of) {
      return FieldError(row, "as_of",
                        "lots are stated on " + date.ToString() +
                            "; a transition plan needs them as on its date " + as_of.ToString() +
                            " (after every split)");
    }
  }
  return lot;
}

}  // namespace

Result<LegacyLots> ReadLegacyLots(const std::string& path, const SecurityMaster& master,
                                  Date as_of) {
  Result<FormatFile> file = FormatFile::Open(path, {{"account"},
                                                    {"symbol", true},
                                                    {"lot_id"},
                                                    {"shares", true},
                                                    {"basis", true},
                                                    {"acquired", true},
                                                    {"acquired_for_holding_period"},
                                                    {"as_of"}});
  if (!file.ok()) return file.status();
  LegacyLots legacy;
  std::set<std::string> ids;
  CsvRow row;
  while (file->Next(&row)) {
    const std::string account(file->Get(row, "account"));
    if (legacy.lots.empty()) legacy.account = account;
    if (account != legacy.account) {
      return FieldError(row, "account",
                        "'" + account + "' after '" + legacy.account +
                            "': a legacy file holds one prospect's lots");
    }
    Result<review::RebalanceLot> lot = ParseLot(*file, row, master, as_of);
    if (!lot.ok()) return lot.status();
    if (!ids.insert(lot->id).second) {
      return FieldError(row, "lot_id", "'" + lot->id + "' is listed twice");
    }
    legacy.lots.push_back(std::move(lot).value());
  }
  ARBOR_RETURN_IF_ERROR(file->status());
  if (legacy.lots.empty()) {
    return Status::InvalidArgument(path + ": no lots (header only?)");
  }
  return legacy;
}

}  // namespace arbor
