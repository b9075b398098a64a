// For the workbench's tests and benchmark: a review run and its results written straight into
// the review tables, as the daily review would leave them, without running a review.
//
//   ReviewResultRow row{.account = "A1", .score_bps = 31, .flags = "harvest"};
//   row.trades.push_back({.symbol = "AAPL", .side = "sell", .shares = "10", .price = "150",
//                         .lots = "L1:10"});
//   ARBOR_RETURN_IF_ERROR(PutReviewRun(db, {.id = 1, .as_of = "2024-06-28"}, {row}));
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/storage/sqlite.h"
#include "core/base/fixed.h"
#include "core/base/status.h"

namespace arbor::testing_util {

struct ReviewTradeRow {
  std::string symbol;
  std::string side = "buy";
  std::string shares = "1";  // decimal text, stored as micros
  std::string price = "100";
  std::string cost = "0";
  std::string reason = "drift";
  std::string why;
  std::string lots;  // "lot_id:shares;..."
};

// One review_results row; every column has a plain default.
struct ReviewResultRow {
  std::string account;
  std::string household = "H1";
  std::string advisor = "LEE";
  std::string account_type = "taxable";
  std::string outcome = "proposed";
  std::string status = "pending";
  std::string reasons;
  int64_t warnings = 0;
  double market_value = 1'000'000;
  double cash_before = 20'000;
  double cash_after = 10'000;
  double cash_required = 0;
  double withdrawal_usd = 0;
  int64_t trades_count = 0;  // the `trades` column; `trades` below are the rows
  double buy_usd = 0;
  double sell_usd = 0;
  double turnover = 0;
  double score_usd = 0;
  double score_bps = 0;
  double tax_usd = 0;
  double gains_usd = 0;
  double harvest_usd = 0;
  double tracking_error_before = 0;
  double tracking_error_after = 0;
  double drift_max = 0;
  double drift_max_after = 0;
  bool must_trade = false;
  std::string must_trade_reasons;
  std::string flags;
  std::string notes;
  double seconds = 0;
  bool household_joint = false;
  double household_value = 0;
  double household_score_usd = 0;
  double household_score_bps = 0;
  double household_tracking_error_before = 0;
  double household_tracking_error_after = 0;
  double location_benefit_usd = 0;
  std::vector<ReviewTradeRow> trades;
};

struct ReviewRunRow {
  int64_t id = 1;
  std::string as_of = "2024-06-28";
  bool finished = true;
};

// Writes the run, any account it lacks, the results and their trades in one transaction.
inline Status PutReviewRun(Database* db, const ReviewRunRow& run,
                           const std::vector<ReviewResultRow>& rows) {
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  Result<Statement> put_run = db->Prepare(
      "INSERT INTO review_runs (id, as_of, started_at, finished_at, accounts) "
      "VALUES (?1, ?2, ?2 || 'T06:00:00Z', ?3, ?4)");
  if (!put_run.ok()) return put_run.status();
  put_run->Bind(1, run.id).Bind(2, run.as_of).Bind(4, static_cast<int64_t>(rows.size()));
  if (run.finished) {
    put_run->Bind(3, run.as_of + "T07:00:00Z");
  } else {
    put_run->BindNull(3);
  }
  ARBOR_RETURN_IF_ERROR(put_run->Run());
  Result<Statement> put_account = db->Prepare(
      "INSERT OR IGNORE INTO accounts (id, type, household, advisor) VALUES (?1, ?2, ?3, ?4)");
  Result<Statement> put_result = db->Prepare(
      "INSERT INTO review_results (run, account, household, advisor, account_type, outcome, "
      "status, reasons, warnings, market_value, cash_before, cash_after, cash_required, "
      "withdrawal_usd, trades, buy_usd, sell_usd, turnover, score_usd, score_bps, tax_usd, "
      "gains_usd, harvest_usd, tracking_error_before, tracking_error_after, drift_max, "
      "drift_max_after, must_trade, must_trade_reasons, flags, notes, seconds, household_joint, "
      "household_value, household_score_usd, household_score_bps, household_tracking_error_before, "
      "household_tracking_error_after, location_benefit_usd) VALUES (?1, ?2, "
      "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, "
      "?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39)");
  Result<Statement> put_trade = db->Prepare(
      "INSERT INTO review_trades (run, account, position, symbol, side, shares_micros, "
      "price_micros, amount_micros, cost_micros, reason, why, lots) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  for (Result<Statement>* s : {&put_account, &put_result, &put_trade}) {
    if (!s->ok()) return s->status();
  }
  for (const ReviewResultRow& r : rows) {
    ARBOR_RETURN_IF_ERROR(put_account->Bind(1, r.account)
                              .Bind(2, r.account_type)
                              .Bind(3, r.household)
                              .Bind(4, r.advisor)
                              .Run());
    ARBOR_RETURN_IF_ERROR(put_result->Bind(1, run.id)
                              .Bind(2, r.account)
                              .Bind(3, r.household)
                              .Bind(4, r.advisor)
                              .Bind(5, r.account_type)
                              .Bind(6, r.outcome)
                              .Bind(7, r.status)
                              .Bind(8, r.reasons)
                              .Bind(9, r.warnings)
                              .Bind(10, r.market_value)
                              .Bind(11, r.cash_before)
                              .Bind(12, r.cash_after)
                              .Bind(13, r.cash_required)
                              .Bind(14, r.withdrawal_usd)
                              .Bind(15, r.trades_count)
                              .Bind(16, r.buy_usd)
                              .Bind(17, r.sell_usd)
                              .Bind(18, r.turnover)
                              .Bind(19, r.score_usd)
                              .Bind(20, r.score_bps)
                              .Bind(21, r.tax_usd)
                              .Bind(22, r.gains_usd)
                              .Bind(23, r.harvest_usd)
                              .Bind(24, r.tracking_error_before)
                              .Bind(25, r.tracking_error_after)
                              .Bind(26, r.drift_max)
                              .Bind(27, r.drift_max_after)
                              .Bind(28, int64_t{r.must_trade ? 1 : 0})
                              .Bind(29, r.must_trade_reasons)
                              .Bind(30, r.flags)
                              .Bind(31, r.notes)
                              .Bind(32, r.seconds)
                              .Bind(33, int64_t{r.household_joint ? 1 : 0})
                              .Bind(34, r.household_value)
                              .Bind(35, r.household_score_usd)
                              .Bind(36, r.household_score_bps)
                              .Bind(37, r.household_tracking_error_before)
                              .Bind(38, r.household_tracking_error_after)
                              .Bind(39, r.location_benefit_usd)
                              .Run());
    for (size_t i = 0; i < r.trades.size(); ++i) {
      const ReviewTradeRow& t = r.trades[i];
      Result<Shares> shares = Shares::Parse(t.shares);
      Result<Price> price = Price::Parse(t.price);
      Result<Money> cost = Money::Parse(t.cost);
      if (!shares.ok() || !price.ok() || !cost.ok()) {
        return Status::InvalidArgument("trade " + std::to_string(i) + " of " + r.account +
                                       ": shares, price or cost is not a decimal");
      }
      ARBOR_RETURN_IF_ERROR(put_trade->Bind(1, run.id)
                                .Bind(2, r.account)
                                .Bind(3, static_cast<int64_t>(i))
                                .Bind(4, t.symbol)
                                .Bind(5, t.side)
                                .Bind(6, shares->micros())
                                .Bind(7, price->micros())
                                .Bind(8, Value(*shares, *price).micros())
                                .Bind(9, cost->micros())
                                .Bind(10, t.reason)
                                .Bind(11, t.why)
                                .Bind(12, t.lots)
                                .Run());
    }
  }
  return txn->Commit();
}

}  // namespace arbor::testing_util
