// The released trades for the trading desk, and the export's audit entry (workbench_store.h).
#include <utility>

#include "adapters/storage/workbench_internal.h"
#include "adapters/storage/workbench_store.h"

namespace arbor {
namespace {

using workbench::ReleasedTrade;

// Released accounts of the run, without those an earlier export included unless `again`.
constexpr char kAccountsToExport[] = R"sql(
SELECT account FROM review_results
WHERE run = ?1 AND status = 'released'
  AND (?2 OR account NOT IN (
    SELECT a.account FROM workbench_audit_accounts a JOIN workbench_audit w ON w.id = a.audit
    WHERE w.run = ?1 AND w.action = 'export'))
ORDER BY account
)sql";

constexpr char kTradesOfAccount[] = R"sql(
SELECT position, symbol, side, shares_micros, price_micros, cost_micros, reason, lots
FROM review_trades WHERE run = ?1 AND account = ?2 ORDER BY position
)sql";

Result<std::vector<std::string>> AccountsToExport(Database* db, int64_t run, bool again) {
  Result<Statement> select = db->Prepare(kAccountsToExport);
  if (!select.ok()) return select.status();
  select->Bind(1, run).Bind(2, int64_t{again ? 1 : 0});
  std::vector<std::string> accounts;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    accounts.push_back(select->ColumnText(0));
  }
  return accounts;
}

Status AppendTrades(Statement& select, int64_t run, const std::string& account,
                    std::vector<ReleasedTrade>& trades) {
  select.Reset();
  select.Bind(1, run).Bind(2, account);
  while (true) {
    Result<bool> row = select.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    ReleasedTrade t{.account = account,
                    .position = static_cast<int>(select.ColumnInt(0)),
                    .symbol = select.ColumnText(1),
                    .shares = Shares::FromMicros(select.ColumnInt(3)),
                    .price = Price::FromMicros(select.ColumnInt(4)),
                    .cost = Money::FromMicros(select.ColumnInt(5)),
                    .reason = select.ColumnText(6)};
    // The estimate is shares x price by definition, whatever sign convention amount_micros has.
    t.amount = Value(t.shares, t.price);
    const std::string where = "run " + std::to_string(run) + ", account " + account + ", trade " +
                              std::to_string(t.position);
    Result<workbench::OrderSide> side = workbench::OrderSideFromString(select.ColumnView(2));
    if (!side.ok()) return side.status().WithContext(where);
    t.side = *side;
    Result<std::vector<workbench::LotShares>> lots = workbench::ParseLots(select.ColumnView(7));
    if (!lots.ok()) return lots.status().WithContext(where);
    t.lots = std::move(*lots);
    trades.push_back(std::move(t));
  }
}

}  // namespace

Result<TradeExport> ExportReleasedTrades(Database* db, const ExportRequest& request,
                                         const std::function<Status(const TradeExport&)>& write) {
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  Result<ReviewRun> run = LoadReviewRun(db, request.run);
  if (!run.ok()) return run.status();
  ARBOR_RETURN_IF_ERROR(
      workbench_internal::CheckWrite(*run, request.user, request.at, "an export"));
  TradeExport out{.run = run->id};
  Result<std::vector<std::string>> accounts = AccountsToExport(db, run->id, request.again);
  if (!accounts.ok()) return accounts.status();
  if (accounts->empty()) {
    Result<std::vector<std::string>> all = AccountsToExport(db, run->id, true);
    if (!all.ok()) return all.status();
    const std::string run_text = "review run " + std::to_string(run->id);
    if (all->empty()) return Status::FailedPrecondition(run_text + " has no released accounts");
    return Status::FailedPrecondition("every released account of " + run_text + " (" +
                                      std::to_string(all->size()) +
                                      ") is in an earlier export; export again to rewrite them");
  }
  out.accounts = std::move(*accounts);
  Result<Statement> select = db->Prepare(kTradesOfAccount);
  if (!select.ok()) return select.status();
  for (const std::string& account : out.accounts) {
    ARBOR_RETURN_IF_ERROR(AppendTrades(*select, run->id, account, out.trades));
  }
  Result<std::vector<workbench::Block>> blocks = workbench::BuildBlocks(out.trades);
  if (!blocks.ok()) return blocks.status().WithContext("run " + std::to_string(run->id));
  out.blocks = std::move(*blocks);

  std::vector<AuditAccount> audited;
  for (const std::string& account : out.accounts)
    audited.push_back({account, "released", "released"});
  std::string detail = request.detail;
  detail += (detail.empty() ? "" : "; ") + std::to_string(out.trades.size()) + " trades in " +
            std::to_string(out.blocks.size()) + " blocks" + (request.again ? ", again" : "");
  Result<int64_t> audit_id =
      workbench_internal::AppendAudit(db,
                                      {.at = request.at,
                                       .user = request.user,
                                       .action = "export",
                                       .run = run->id,
                                       .accounts = static_cast<int64_t>(out.accounts.size()),
                                       .detail = detail},
                                      audited);
  if (!audit_id.ok()) return audit_id.status();
  out.audit_id = *audit_id;
  ARBOR_RETURN_IF_ERROR(write(out));
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return out;
}

}  // namespace arbor
