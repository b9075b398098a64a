#include "adapters/storage/ledger_state_codec.h"

#include <unordered_map>
#include <utility>
#include <vector>

namespace arbor {
namespace {

// Names (accounts, symbols) numbered in order of first use.
class NameTable {
 public:
  uint64_t Number(const std::string& name) {
    auto [it, inserted] = numbers_.emplace(name, names_.size());
    if (inserted) names_.push_back(name);
    return it->second;
  }
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::unordered_map<std::string, uint64_t> numbers_;
  std::vector<std::string> names_;
};

void PutDate(Date date, std::string* out) { PutSigned(date.days(), out); }

void PutLot(const Lot& lot, std::string* out) {
  PutText(lot.lot_id, out);
  PutVarint(lot.purchase_id, out);
  PutVarint(lot.sequence, out);
  PutSigned(lot.shares.micros(), out);
  PutSigned(lot.basis.micros(), out);
  PutDate(lot.acquired, out);
  PutDate(lot.holding_period_date, out);
  PutVarint((lot.acquired_by_purchase ? 1 : 0) | (lot.absorbed_wash_loss ? 2 : 0), out);
}

void PutWashLoss(const WashLoss& loss, std::string* out) {
  PutVarint(loss.realization, out);
  PutSigned(loss.shares.micros(), out);
  PutSigned(loss.loss.micros(), out);
  PutVarint(loss.purchase_id, out);
  PutDate(loss.acquired, out);
  PutVarint(loss.lot_sequence, out);
  PutDate(loss.holding_period_date, out);
  PutDate(loss.sale_date, out);
  PutSigned(loss.matched.micros(), out);
  PutSigned(loss.disallowed.micros(), out);
}

void PutRealization(const Realization& r, NameTable& names, std::string* out) {
  PutVarint(names.Number(r.account), out);
  PutVarint(names.Number(r.symbol), out);
  PutText(r.lot_id, out);
  PutDate(r.sell_date, out);
  PutDate(r.acquired, out);
  PutDate(r.holding_period_date, out);
  PutSigned(r.shares.micros(), out);
  PutSigned(r.proceeds.micros(), out);
  PutSigned(r.basis.micros(), out);
  PutSigned(r.wash_disallowed.micros(), out);
  PutSigned(r.wash_disallowed_permanent.micros(), out);
  PutVarint(r.reportable ? 1 : 0, out);
  PutVarint(r.sale_sequence, out);
}

// Reads the fields of one record in order; ok() is false once any read failed.
class Fields {
 public:
  explicit Fields(ByteReader* reader) : reader_(reader) {}
  bool ok() const { return ok_; }
  uint64_t Unsigned() {
    uint64_t value = 0;
    ok_ = ok_ && reader_->Varint(&value);
    return value;
  }
  int64_t Signed() {
    int64_t value = 0;
    ok_ = ok_ && reader_->Signed(&value);
    return value;
  }
  Money MoneyValue() { return Money::FromMicros(Signed()); }
  Shares SharesValue() { return Shares::FromMicros(Signed()); }
  Date DateValue() { return Date::FromDays(static_cast<int32_t>(Signed())); }
  std::string Text() {
    std::string text;
    ok_ = ok_ && reader_->Text(&text);
    return text;
  }
  // A count of records that each take at least one byte, so a damaged count cannot ask for
  // more memory than the bytes could hold.
  size_t Count() {
    uint64_t count = Unsigned();
    if (count > reader_->rest().size()) ok_ = false;
    return ok_ ? static_cast<size_t>(count) : 0;
  }
  const std::string& Name(const std::vector<std::string>& names) {
    static const std::string kNone;
    uint64_t number = Unsigned();
    if (number >= names.size()) ok_ = false;
    return ok_ ? names[number] : kNone;
  }

 private:
  ByteReader* reader_;
  bool ok_ = true;
};

Lot ReadLot(Fields& in) {
  Lot lot;
  lot.lot_id = in.Text();
  lot.purchase_id = in.Unsigned();
  lot.sequence = in.Unsigned();
  lot.shares = in.SharesValue();
  lot.basis = in.MoneyValue();
  lot.acquired = in.DateValue();
  lot.holding_period_date = in.DateValue();
  const uint64_t flags = in.Unsigned();
  lot.acquired_by_purchase = (flags & 1) != 0;
  lot.absorbed_wash_loss = (flags & 2) != 0;
  return lot;
}

WashLoss ReadWashLoss(Fields& in) {
  WashLoss loss;
  loss.realization = in.Unsigned();
  loss.shares = in.SharesValue();
  loss.loss = in.MoneyValue();
  loss.purchase_id = in.Unsigned();
  loss.acquired = in.DateValue();
  loss.lot_sequence = in.Unsigned();
  loss.holding_period_date = in.DateValue();
  loss.sale_date = in.DateValue();
  loss.matched = in.SharesValue();
  loss.disallowed = in.MoneyValue();
  return loss;
}

Realization ReadRealization(Fields& in, const std::vector<std::string>& names) {
  Realization r;
  r.account = in.Name(names);
  r.symbol = in.Name(names);
  r.lot_id = in.Text();
  r.sell_date = in.DateValue();
  r.acquired = in.DateValue();
  r.holding_period_date = in.DateValue();
  r.shares = in.SharesValue();
  r.proceeds = in.MoneyValue();
  r.basis = in.MoneyValue();
  r.wash_disallowed = in.MoneyValue();
  r.wash_disallowed_permanent = in.MoneyValue();
  r.reportable = in.Unsigned() != 0;
  r.sale_sequence = in.Unsigned();
  return r;
}

}  // namespace

void PutVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>(value | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

void PutSigned(int64_t value, std::string* out) {
  // Zigzag: small negative numbers (cash, losses) stay short too.
  PutVarint((static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63), out);
}

void PutText(std::string_view text, std::string* out) {
  PutVarint(text.size(), out);
  out->append(text);
}

bool ByteReader::Varint(uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (bytes_.empty()) return false;
    const uint8_t byte = static_cast<uint8_t>(bytes_.front());
    bytes_.remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

bool ByteReader::Signed(int64_t* value) {
  uint64_t raw = 0;
  if (!Varint(&raw)) return false;
  *value = static_cast<int64_t>(raw >> 1) ^ -static_cast<int64_t>(raw & 1);
  return true;
}

bool ByteReader::Text(std::string* text) {
  uint64_t size = 0;
  if (!Varint(&size) || size > bytes_.size()) return false;
  text->assign(bytes_.substr(0, size));
  bytes_.remove_prefix(size);
  return true;
}

void EncodeLedgerState(const LedgerState& state, std::string* out) {
  // The body first, numbering names as they come; the table goes before it.
  NameTable names;
  std::string body;
  PutVarint(state.cash.size(), &body);
  for (Money cash : state.cash) PutSigned(cash.micros(), &body);
  PutVarint(state.positions.size(), &body);
  for (const LedgerState::Position& position : state.positions) {
    PutVarint(names.Number(position.account), &body);
    PutVarint(names.Number(position.symbol), &body);
    PutSigned(position.lots_created, &body);
    PutVarint(position.lots.size(), &body);
    for (const Lot& lot : position.lots) PutLot(lot, &body);
  }
  PutVarint(state.pending_wash_losses.size(), &body);
  for (const std::vector<WashLoss>& site : state.pending_wash_losses) {
    PutVarint(site.size(), &body);
    for (const WashLoss& loss : site) PutWashLoss(loss, &body);
  }
  PutVarint(state.realized.size(), &body);
  for (const Realization& r : state.realized) PutRealization(r, names, &body);
  PutVarint(state.next_purchase_id, &body);
  PutVarint(state.next_sequence, &body);
  PutVarint(state.next_sale, &body);
  PutVarint(state.last_date ? 1 : 0, &body);
  if (state.last_date) PutDate(*state.last_date, &body);

  PutVarint(names.names().size(), out);
  for (const std::string& name : names.names()) PutText(name, out);
  out->append(body);
}

Result<LedgerState> DecodeLedgerState(std::string_view* bytes) {
  ByteReader reader(*bytes);
  Fields in(&reader);
  std::vector<std::string> names(in.Count());
  for (std::string& name : names) name = in.Text();
  LedgerState state;
  state.cash.resize(in.Count());
  for (Money& cash : state.cash) cash = in.MoneyValue();
  state.positions.resize(in.Count());
  for (LedgerState::Position& position : state.positions) {
    position.account = in.Name(names);
    position.symbol = in.Name(names);
    position.lots_created = static_cast<int32_t>(in.Signed());
    position.lots.resize(in.Count());
    for (Lot& lot : position.lots) lot = ReadLot(in);
  }
  state.pending_wash_losses.resize(in.Count());
  for (std::vector<WashLoss>& site : state.pending_wash_losses) {
    site.resize(in.Count());
    for (WashLoss& loss : site) loss = ReadWashLoss(in);
  }
  state.realized.resize(in.Count());
  for (Realization& r : state.realized) r = ReadRealization(in, names);
  state.next_purchase_id = in.Unsigned();
  state.next_sequence = in.Unsigned();
  state.next_sale = in.Unsigned();
  if (in.Unsigned() != 0) state.last_date = in.DateValue();
  if (!in.ok()) return Status::InvalidArgument("ledger state: cut short or damaged");
  *bytes = reader.rest();
  return state;
}

}  // namespace arbor
