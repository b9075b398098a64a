// The `arbor replay` contract (docs/replay.md): a JSON list of events in, the realized gains,
// open lots and totals out. Stateless: nothing is read or written but the two documents.
//
//   Result<nlohmann::ordered_json> out = Replay(nlohmann::json::parse(text));
//   if (!out.ok()) std::cerr << out.status().message();  // "events[3] (2024-02-01 sell XYZ): ..."
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/status.h"
#include "core/ledger/account.h"
#include "core/ledger/event.h"
#include "core/ledger/ledger.h"

namespace arbor {

struct ReplayInput {
  std::vector<Account> accounts;
  std::vector<std::vector<std::string>> wash_sale_groups;
  LotMethod default_lot_method = LotMethod::kFifo;
  std::vector<Event> events;  // stably sorted by date: same-day events keep their listed order
  std::vector<size_t> event_positions;  // index of each sorted event in the input list
};

Result<ReplayInput> ParseReplayInput(const nlohmann::json& input);

// Parses one event object; `default_account` fills a missing "account".
Result<Event> ParseEvent(const nlohmann::json& object, const std::string& default_account);

// Keys in the order the contract lists them (ordered_json), for people reading the output.
nlohmann::ordered_json ReplayOutput(const Ledger& ledger);

// Parse, apply every event to a fresh Ledger, and format the output.
Result<nlohmann::ordered_json> Replay(const nlohmann::json& input);

}  // namespace arbor
