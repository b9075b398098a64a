// A Ledger's state after some events, as plain values: what a stored checkpoint holds
// (adapters/storage/ledger_checkpoint_store.h), so that a later load continues the replay from
// it instead of from the first event.
//
//   LedgerState state = ledger.SaveState();
//   Ledger resumed;                           // the same options,
//   resumed.AddAccount(a); ...                // the same accounts and wash-sale groups
//   Status s = resumed.RestoreState(state);
//   resumed.Apply(later);                     // exactly what ledger.Apply(later) does
//
// Everything the ledger keeps is here: lots with their identities and wash-sale marks, cash,
// every realization (a later purchase can still wash a recent loss, which changes its
// realization), the losses still open to replacement, and the id counters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/ledger/lot.h"
#include "core/ledger/wash_sale.h"

namespace arbor {

struct LedgerState {
  struct Position {
    std::string account;
    std::string symbol;
    std::vector<Lot> lots;
    int32_t lots_created = 0;  // numbers the position's next generated lot label
    friend bool operator==(const Position&, const Position&) = default;
  };

  std::vector<Money> cash;          // per account, in declaration order
  std::vector<Position> positions;  // in creation order, which numbers the wash-sale sites
  // Per wash-sale site (a scope and a group of substantially identical securities, numbered
  // by first position): the losses a purchase within 30 days can still wash.
  std::vector<std::vector<WashLoss>> pending_wash_losses;
  std::vector<Realization> realized;  // in the order realized
  uint64_t next_purchase_id = 1;
  uint64_t next_sequence = 1;
  uint64_t next_sale = 1;
  std::optional<Date> last_date;  // of the last event applied; none before the first

  friend bool operator==(const LedgerState&, const LedgerState&) = default;
};

}  // namespace arbor
