// How an Event is laid out in the `transactions` table, in both directions, and how two
// versions of one transaction are compared on re-import. Internal to the storage adapter.
//
//   Result<Statement> insert = db->Prepare(MultiRowInsertSql(
//       "transactions", kInsertTransactionColumns, kTransactionParams, /*rows=*/1));
//   TransactionText text;
//   BindTransaction(&*insert, "T1", /*seq=*/7, buy, "broker.csv", &text);
//   Result<Statement> select = db->Prepare("SELECT " + std::string(kTransactionColumns) + ...);
//   Result<StoredTransaction> row = ReadTransaction(*select);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/storage/sqlite.h"
#include "core/base/status.h"
#include "core/ledger/event.h"

namespace arbor {

struct StoredTransaction {
  std::string id;
  int64_t seq = 0;
  Event event;
  std::string source;
};

// The select list ReadTransaction expects, in order.
inline constexpr std::string_view kTransactionColumns =
    "id, seq, date, account, action, symbol, shares_micros, price_micros, fees_micros, "
    "amount_micros, lot_id, lot_method, lots, basis_micros, acquired, hp_date, source";

// The columns BindTransaction fills, in order.
inline constexpr std::string_view kInsertTransactionColumns =
    "id, seq, date, account, action, symbol, shares_micros, price_micros, fees_micros, "
    "amount_micros, lot_id, lot_method, lots, basis_micros, acquired, hp_date, source";
inline constexpr int kTransactionParams = 17;

// "INSERT INTO table (columns) VALUES (?1, ..., ?n), (?n+1, ...), ..." for `rows` rows of
// `params` values each.
std::string MultiRowInsertSql(std::string_view table, std::string_view columns, int params,
                              int rows);

// Text BindTransaction formats (dates, lot selections), kept alive until the insert has run.
struct TransactionText {
  char date[11];
  char acquired[11];
  char hp_date[11];
  std::string lots;
};

// Binds one transaction to parameters first_param .. first_param + 16 without copying text:
// `id`, `event`, `source` and `text` must outlive the statement's next run.
void BindTransaction(Statement* insert, std::string_view id, int64_t seq, const Event& event,
                     std::string_view source, TransactionText* text, int first_param = 1);
// Reads the current row of a statement selecting kTransactionColumns.
Result<StoredTransaction> ReadTransaction(const Statement& select);

// "L1:40;L2:10.5": specific lot selections as stored and as written in CSV files.
std::string FormatLotSelections(const std::vector<LotSelection>& lots);
Result<std::vector<LotSelection>> ParseLotSelections(std::string_view text);

// A decimal without trailing zeros: 40, 10.5, 0.000001.
std::string TrimmedDecimal(int64_t micros);

// Empty when `stored` and `incoming` hold the same transaction (every stored field equal);
// otherwise the first difference, e.g. "shares is 10 in the database but 12 here".
std::string TransactionDifference(const Event& stored, const Event& incoming);

}  // namespace arbor
