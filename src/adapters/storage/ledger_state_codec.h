// A LedgerState (core/ledger/ledger_state.h) as bytes, for the ledger_checkpoints table: every
// value exact (fixed-point micros, dates as day numbers), integers as varints, account and
// symbol names written once and referred to by number.
//
//   std::string bytes;
//   EncodeLedgerState(ledger.SaveState(), &bytes);
//   std::string_view rest = bytes;
//   Result<LedgerState> state = DecodeLedgerState(&rest);   // an error if cut or damaged
//
// The layout has no version of its own: the checkpoint that holds it does
// (ledger_checkpoint_store.h), and a change here must bump that version.
#pragma once

#include <string>
#include <string_view>

#include "core/base/status.h"
#include "core/ledger/ledger_state.h"

namespace arbor {

// Appends the encoded state to `out`.
void EncodeLedgerState(const LedgerState& state, std::string* out);
// Decodes a state that EncodeLedgerState wrote at the start of `*bytes` and advances `*bytes`
// past it.
Result<LedgerState> DecodeLedgerState(std::string_view* bytes);

// The primitives, shared with the checkpoint's header.
void PutVarint(uint64_t value, std::string* out);
void PutSigned(int64_t value, std::string* out);
void PutText(std::string_view text, std::string* out);

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  // Each returns false (and stays false) once the bytes run out or a value is malformed.
  bool Varint(uint64_t* value);
  bool Signed(int64_t* value);
  bool Text(std::string* text);
  std::string_view rest() const { return bytes_; }

 private:
  std::string_view bytes_;
};

}  // namespace arbor
