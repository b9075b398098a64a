// What the lots, gains and demo commands show, computed once and printed as text or JSON.
//
//   LotsView view = OrFail(LoadLotsView(store, "SMITH-JOINT", as_of));
//   PrintLotsTable(view, std::cout, /*max_rows=*/10);
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/store.h"
#include "core/ledger/form8949.h"
#include "core/ledger/ledger.h"

namespace arbor::cli {

struct LotLine {
  std::string symbol;
  Lot lot;
  Term term;                          // if sold on the as-of date
  std::optional<Price> price;         // last close on or before the as-of date
  std::optional<Date> price_date;
  std::optional<Money> market_value;
};

struct LotsView {
  std::string account;
  Date as_of;
  std::vector<LotLine> lots;
  Money cash;
  Money basis_total;
  Money market_value_total;  // of the lots that have a price
};

// Replays the account's wash-sale scope up to `as_of` and prices its open lots. Default as-of:
// the later of the account's last event and the last price of what it holds.
Result<LotsView> LoadLotsView(Store& store, const std::string& account, std::optional<Date> as_of);

nlohmann::ordered_json LotsViewJson(const LotsView& view);
nlohmann::ordered_json Form8949Json(const std::string& account, int year, const Form8949& form);

// Tables for people. max_rows = 0 prints every row; otherwise the largest rows by value and
// a line saying how many were left out.
void PrintLotsTable(const LotsView& view, std::ostream& out, size_t max_rows);
void PrintForm8949(const Form8949& form, std::ostream& out, size_t max_rows_per_part);

}  // namespace arbor::cli
