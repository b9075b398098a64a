#include "adapters/storage/review_store.h"

#include <algorithm>
#include <cmath>

namespace arbor {
namespace {

std::string JoinLines(const std::vector<std::string>& lines, const char* separator) {
  std::string text;
  for (const std::string& line : lines) text += (text.empty() ? "" : separator) + line;
  return text;
}

// "lot_id:shares;lot_id:shares": the versus-purchase instruction of a sell.
std::string LotInstructions(const review::Trade& trade) {
  std::string text;
  for (const review::LotSale& sale : trade.lots) {
    text += (text.empty() ? "" : ";") + sale.lot_id + ":" + sale.shares.ToShortString();
  }
  return text;
}

constexpr const char* kInsertResult = R"sql(
INSERT INTO review_results (run, account, household, advisor, account_type, outcome, status,
  reasons, warnings, market_value, cash_before, cash_after, cash_required, withdrawal_usd, trades,
  buy_usd, sell_usd, turnover, score_usd, score_bps, tax_usd, gains_usd, harvest_usd,
  tracking_error_before, tracking_error_after, drift_max, drift_max_after, must_trade,
  must_trade_reasons, flags, notes, seconds, household_joint, household_value, household_score_usd,
  household_score_bps, household_tracking_error_before, household_tracking_error_after,
  location_benefit_usd)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
  ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39)
)sql";

constexpr const char* kInsertTrade = R"sql(
INSERT INTO review_trades (run, account, position, symbol, side, shares_micros, price_micros,
  amount_micros, cost_micros, reason, why, lots)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
)sql";

Status InsertRecord(Statement& insert, int64_t run, const review::ReviewRecord& r) {
  const review::ReviewMetrics& m = r.summary.metrics;
  const bool held_back =
      r.outcome == review::ReviewOutcome::kSuspended || r.outcome == review::ReviewOutcome::kFailed;
  insert.Bind(1, run).Bind(2, r.account).Bind(3, r.household).Bind(4, r.advisor);
  insert.Bind(5, r.account_type).Bind(6, ToString(r.outcome));
  insert.Bind(7, held_back ? "suspended" : "pending").Bind(8, JoinLines(r.reasons, "\n"));
  insert.Bind(9, r.warnings).Bind(10, m.market_value).Bind(11, m.cash_before);
  insert.Bind(12, m.cash_after).Bind(13, m.cash_required).Bind(14, m.withdrawal_usd);
  insert.Bind(15, m.trades).Bind(16, m.buy_usd).Bind(17, m.sell_usd).Bind(18, m.turnover);
  insert.Bind(19, m.score_usd).Bind(20, m.score_bps).Bind(21, m.tax_usd).Bind(22, m.gains_usd);
  insert.Bind(23, m.harvest_usd).Bind(24, m.tracking_error_before);
  insert.Bind(25, m.tracking_error_after).Bind(26, m.drift_max).Bind(27, m.drift_max_after);
  insert.Bind(28, r.summary.must_trade ? 1 : 0);
  insert.Bind(29, JoinLines(r.summary.must_trade_reasons, "\n"));
  insert.Bind(30, JoinLines(r.summary.flags, ",")).Bind(31, JoinLines(r.notes, "\n"));
  insert.Bind(32, r.seconds);
  const review::HouseholdFigures& h = r.household_figures;
  insert.Bind(33, h.joint ? 1 : 0).Bind(34, h.value).Bind(35, h.score_usd).Bind(36, h.score_bps);
  insert.Bind(37, h.tracking_error_before).Bind(38, h.tracking_error_after).Bind(39, h.location_benefit_usd);
  return insert.Run();
}

Status InsertTrades(Statement& insert, int64_t run, const review::ReviewRecord& r) {
  for (size_t k = 0; k < r.trades.size(); ++k) {
    const review::Trade& t = r.trades[k];
    insert.Bind(1, run).Bind(2, r.account).Bind(3, static_cast<int64_t>(k)).Bind(4, t.symbol);
    insert.Bind(5, ToString(t.side)).Bind(6, t.shares.micros()).Bind(7, t.price.micros());
    insert.Bind(8, t.amount.micros()).Bind(9, t.cost.micros()).Bind(10, ToString(t.reason));
    insert.Bind(11, t.why).Bind(12, LotInstructions(t));
    ARBOR_RETURN_IF_ERROR(insert.Run());
  }
  return Status::Ok();
}

double Percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t k = static_cast<size_t>(std::ceil(p * values.size())) - 1;
  return values[std::min(k, values.size() - 1)];
}

std::vector<std::string> SplitText(const std::string& text, char separator) {
  std::vector<std::string> parts;
  for (size_t start = 0; start < text.size();) {
    const size_t end = std::min(text.find(separator, start), text.size());
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

Result<review::ReviewOutcome> OutcomeFromString(const std::string& text) {
  for (review::ReviewOutcome outcome :
       {review::ReviewOutcome::kProposed, review::ReviewOutcome::kNoTrade,
        review::ReviewOutcome::kSuspended, review::ReviewOutcome::kFailed}) {
    if (ToString(outcome) == text) return outcome;
  }
  return Status::Internal("review_results: unknown outcome '" + text + "'");
}

Result<review::TradeReason> ReasonFromString(const std::string& text) {
  for (review::TradeReason reason :
       {review::TradeReason::kHarvest, review::TradeReason::kDrift,
        review::TradeReason::kRestriction, review::TradeReason::kCash,
        review::TradeReason::kModelChange}) {
    if (ToString(reason) == text) return reason;
  }
  return Status::Internal("review_trades: unknown reason '" + text + "'");
}

Status LoadTrades(Database* db, int64_t run, review::ReviewRecord& record) {
  Result<Statement> select = db->Prepare(
      "SELECT symbol, side, shares_micros, price_micros, amount_micros, cost_micros, reason, why, "
      "lots FROM review_trades WHERE run = ?1 AND account = ?2 ORDER BY position");
  if (!select.ok()) return select.status();
  select->Bind(1, run).Bind(2, record.account);
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Result<review::TradeReason> reason = ReasonFromString(select->ColumnText(6));
    if (!reason.ok()) return reason.status();
    review::Trade trade{.symbol = select->ColumnText(0),
                        .side = select->ColumnView(1) == "buy" ? review::TradeSide::kBuy
                                                               : review::TradeSide::kSell,
                        .shares = Shares::FromMicros(select->ColumnInt(2)),
                        .price = Price::FromMicros(select->ColumnInt(3)),
                        .amount = Money::FromMicros(select->ColumnInt(4)),
                        .cost = Money::FromMicros(select->ColumnInt(5)),
                        .reason = *reason,
                        .why = select->ColumnText(7)};
    for (const std::string& sale : SplitText(select->ColumnText(8), ';')) {
      const size_t colon = sale.rfind(':');
      Result<Shares> shares = Shares::Parse(sale.substr(colon + 1));
      if (colon == std::string::npos || !shares.ok()) {
        return Status::Internal("review_trades: bad lot instruction '" + sale + "'");
      }
      trade.lots.push_back({.lot_id = sale.substr(0, colon), .shares = *shares});
    }
    record.trades.push_back(std::move(trade));
  }
  return Status::Ok();
}

}  // namespace

Result<StoredReview> LoadStoredReview(Database* db, const std::string& account,
                                      std::optional<int64_t> run) {
  Result<Statement> select = db->Prepare(
      "SELECT r.run, u.as_of, r.status, r.outcome, r.household, r.advisor, r.account_type, "
      "r.reasons, r.warnings, r.market_value, r.cash_before, r.cash_after, r.cash_required, "
      "r.withdrawal_usd, r.trades, r.buy_usd, r.sell_usd, r.turnover, r.score_usd, r.score_bps, "
      "r.tax_usd, r.gains_usd, r.harvest_usd, r.tracking_error_before, r.tracking_error_after, "
      "r.drift_max, r.drift_max_after, r.must_trade, r.must_trade_reasons, r.flags, r.notes, "
      "r.seconds FROM review_results r JOIN review_runs u ON u.id = r.run "
      "WHERE r.account = ?1 AND (?2 IS NULL OR r.run = ?2) ORDER BY r.run DESC LIMIT 1");
  if (!select.ok()) return select.status();
  select->Bind(1, account);
  if (run) {
    select->Bind(2, *run);
  } else {
    select->BindNull(2);
  }
  Result<bool> found = select->Step();
  if (!found.ok()) return found.status();
  if (!*found) {
    return Status::NotFound("no review of account '" + account + "'" +
                            (run ? " in run " + std::to_string(*run) : "") +
                            "; run `arbor review` first");
  }
  const Statement& r = *select;
  StoredReview stored{.run = r.ColumnInt(0), .status = r.ColumnText(2)};
  Result<Date> as_of = Date::Parse(r.ColumnView(1));
  if (!as_of.ok()) return as_of.status();
  stored.as_of = *as_of;
  Result<review::ReviewOutcome> outcome = OutcomeFromString(r.ColumnText(3));
  if (!outcome.ok()) return outcome.status();
  review::ReviewRecord& record = stored.record;
  record.account = account;
  record.outcome = *outcome;
  record.household = r.ColumnText(4);
  record.advisor = r.ColumnText(5);
  record.account_type = r.ColumnText(6);
  record.reasons = SplitText(r.ColumnText(7), '\n');
  record.warnings = static_cast<int>(r.ColumnInt(8));
  review::ReviewMetrics& m = record.summary.metrics;
  double* metrics[] = {&m.market_value, &m.cash_before,  &m.cash_after,   &m.cash_required,
                       &m.withdrawal_usd};
  for (int k = 0; k < 5; ++k) *metrics[k] = r.ColumnDouble(9 + k);
  m.trades = static_cast<int>(r.ColumnInt(14));
  double* more[] = {&m.buy_usd,     &m.sell_usd,  &m.turnover,
                    &m.score_usd,   &m.score_bps, &m.tax_usd,
                    &m.gains_usd,   &m.harvest_usd, &m.tracking_error_before,
                    &m.tracking_error_after, &m.drift_max, &m.drift_max_after};
  for (int k = 0; k < 12; ++k) *more[k] = r.ColumnDouble(15 + k);
  record.summary.must_trade = r.ColumnInt(27) != 0;
  record.summary.must_trade_reasons = SplitText(r.ColumnText(28), '\n');
  record.summary.flags = SplitText(r.ColumnText(29), ',');
  record.notes = SplitText(r.ColumnText(30), '\n');
  record.seconds = r.ColumnDouble(31);
  ARBOR_RETURN_IF_ERROR(LoadTrades(db, stored.run, record));
  return stored;
}

Result<int64_t> StartReviewRun(Database* db, Date as_of, const std::string& started_at,
                               int64_t accounts) {
  Result<Statement> insert = db->Prepare(
      "INSERT INTO review_runs (as_of, started_at, accounts) VALUES (?1, ?2, ?3) RETURNING id");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, as_of.ToString()).Bind(2, started_at).Bind(3, accounts);
  Result<bool> row = insert->Step();
  if (!row.ok()) return row.status();
  return insert->ColumnInt(0);
}

Result<std::optional<int64_t>> UnfinishedReviewRun(Database* db, Date as_of) {
  Result<Statement> select = db->Prepare(
      "SELECT max(id) FROM review_runs WHERE as_of = ?1 AND finished_at IS NULL");
  if (!select.ok()) return select.status();
  select->Bind(1, as_of.ToString());
  Result<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (select->ColumnIsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(select->ColumnInt(0));
}

Result<std::set<std::string>> ReviewedAccounts(Database* db, int64_t run) {
  Result<Statement> select = db->Prepare("SELECT account FROM review_results WHERE run = ?1");
  if (!select.ok()) return select.status();
  select->Bind(1, run);
  std::set<std::string> accounts;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    accounts.insert(select->ColumnText(0));
  }
  return accounts;
}

Status SaveReviewRecords(Database* db, int64_t run,
                         const std::vector<review::ReviewRecord>& records) {
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  Result<Statement> insert_result = db->Prepare(kInsertResult);
  if (!insert_result.ok()) return insert_result.status();
  Result<Statement> insert_trade = db->Prepare(kInsertTrade);
  if (!insert_trade.ok()) return insert_trade.status();
  for (const review::ReviewRecord& record : records) {
    Status saved = InsertRecord(*insert_result, run, record);
    if (saved.ok()) saved = InsertTrades(*insert_trade, run, record);
    if (!saved.ok()) return saved.WithContext("review of " + record.account);
  }
  return txn->Commit();
}

Status FinishReviewRun(Database* db, int64_t run, const std::string& finished_at) {
  Result<Statement> update =
      db->Prepare("UPDATE review_runs SET finished_at = ?2 WHERE id = ?1");
  if (!update.ok()) return update.status();
  update->Bind(1, run).Bind(2, finished_at);
  return update->Run();
}

Result<ReviewTotals> LoadReviewTotals(Database* db, int64_t run) {
  ReviewTotals totals;
  Result<Statement> header = db->Prepare("SELECT as_of, accounts FROM review_runs WHERE id = ?1");
  if (!header.ok()) return header.status();
  header->Bind(1, run);
  Result<bool> found = header->Step();
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no review run " + std::to_string(run));
  Result<Date> as_of = Date::Parse(header->ColumnView(0));
  if (!as_of.ok()) return as_of.status();
  totals.as_of = *as_of;
  totals.accounts = header->ColumnInt(1);

  Result<Statement> select = db->Prepare(
      "SELECT account, outcome, reasons, must_trade, flags, trades, market_value, buy_usd, "
      "sell_usd, harvest_usd, gains_usd, tax_usd, score_usd, seconds FROM review_results "
      "WHERE run = ?1 ORDER BY account");
  if (!select.ok()) return select.status();
  select->Bind(1, run);
  std::vector<double> seconds;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const std::string outcome = select->ColumnText(1);
    ++totals.outcomes[outcome];
    const std::string reasons = select->ColumnText(2);
    const std::string first_reason = reasons.substr(0, reasons.find('\n'));
    if (outcome == "suspended") totals.suspended.emplace_back(select->ColumnText(0), first_reason);
    if (outcome == "failed") totals.failed.emplace_back(select->ColumnText(0), first_reason);
    totals.must_trade += select->ColumnInt(3);
    for (const std::string& flag : SplitText(select->ColumnText(4), ',')) ++totals.flags[flag];
    totals.trades += select->ColumnInt(5);
    totals.market_value += select->ColumnDouble(6);
    totals.buy_usd += select->ColumnDouble(7);
    totals.sell_usd += select->ColumnDouble(8);
    totals.harvest_usd += select->ColumnDouble(9);
    totals.gains_usd += select->ColumnDouble(10);
    totals.tax_usd += select->ColumnDouble(11);
    totals.score_usd += select->ColumnDouble(12);
    seconds.push_back(select->ColumnDouble(13));
  }
  totals.seconds_p50 = Percentile(seconds, 0.50);
  totals.seconds_p99 = Percentile(seconds, 0.99);
  return totals;
}

}  // namespace arbor
