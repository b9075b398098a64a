#include "adapters/storage/custodian_positions_store.h"

#include <map>
#include <set>
#include <utility>

#include "adapters/storage/csv_format.h"
#include "adapters/storage/model_store_internal.h"

namespace arbor {
namespace {

using storage_internal::WriteScope;

// Replaces the snapshot of each account in `by_account` on `as_of`.
Status ReplaceSnapshots(Database* db, Date as_of,
                        const std::map<std::string, std::map<std::string, Shares>>& by_account,
                        ImportSummary* summary) {
  Result<Statement> remove =
      db->Prepare("DELETE FROM custodian_positions WHERE account = ?1 AND as_of = ?2");
  if (!remove.ok()) return remove.status();
  Result<Statement> insert = db->Prepare(
      "INSERT INTO custodian_positions (account, as_of, symbol, shares_micros) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!insert.ok()) return insert.status();
  const std::string date = as_of.ToString();
  for (const auto& [account, positions] : by_account) {
    remove->Bind(1, account).Bind(2, date);
    ARBOR_RETURN_IF_ERROR(remove->Run());
    for (const auto& [symbol, shares] : positions) {
      insert->Bind(1, account).Bind(2, date).Bind(3, symbol).Bind(4, shares.micros());
      ARBOR_RETURN_IF_ERROR(insert->Run());
      if (summary != nullptr) ++summary->inserted;
    }
  }
  return Status::Ok();
}

Status CheckAccountsExist(Database* db, const std::set<std::string>& accounts) {
  Result<Statement> select = db->Prepare("SELECT count(*) FROM accounts WHERE id = ?1");
  if (!select.ok()) return select.status();
  for (const std::string& account : accounts) {
    select->Bind(1, account);
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    const bool known = select->ColumnInt(0) > 0;
    select->Reset();
    if (!known) {
      return Status::NotFound("custodian positions: unknown account '" + account +
                              "'; import it with `arbor import accounts`");
    }
  }
  return Status::Ok();
}

}  // namespace

Status PutCustodianPositions(Database* db, Date as_of,
                             const std::vector<CustodianPosition>& positions) {
  std::map<std::string, std::map<std::string, Shares>> by_account;
  std::set<std::string> accounts;
  for (size_t i = 0; i < positions.size(); ++i) {
    const CustodianPosition& p = positions[i];
    const std::string where = "positions[" + std::to_string(i) + "]";
    if (p.symbol.empty()) return Status::InvalidArgument(where + ".symbol: missing");
    if (!by_account[p.account].emplace(p.symbol, p.shares).second) {
      return Status::InvalidArgument(where + ": " + p.symbol + " is listed twice for account " +
                                     p.account);
    }
    accounts.insert(p.account);
  }
  Result<WriteScope> scope = WriteScope::Begin(db);
  if (!scope.ok()) return scope.status();
  ARBOR_RETURN_IF_ERROR(CheckAccountsExist(db, accounts));
  ARBOR_RETURN_IF_ERROR(ReplaceSnapshots(db, as_of, by_account, nullptr));
  return scope->Commit();
}

Result<std::optional<CustodianSnapshot>> LoadCustodianPositions(Database* db,
                                                                const std::string& account,
                                                                Date as_of) {
  Result<Statement> select = db->Prepare(
      "SELECT as_of, symbol, shares_micros FROM custodian_positions "
      "WHERE account = ?1 AND as_of = (SELECT max(as_of) FROM custodian_positions "
      "WHERE account = ?1 AND as_of <= ?2) ORDER BY symbol");
  if (!select.ok()) return select.status();
  select->Bind(1, account).Bind(2, as_of.ToString());
  std::optional<CustodianSnapshot> snapshot;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (!snapshot) {
      Result<Date> date = Date::Parse(select->ColumnView(0));
      if (!date.ok()) {
        return Status::Internal("custodian_positions of " + account + ": bad date '" +
                                select->ColumnText(0) + "'");
      }
      snapshot = CustodianSnapshot{.as_of = *date, .positions = {}};
    }
    snapshot->positions.push_back({.account = account,
                                   .symbol = select->ColumnText(1),
                                   .shares = Shares::FromMicros(select->ColumnInt(2))});
  }
  return snapshot;
}

Result<ImportSummary> ImportCustodianPositions(Database* db,
                                               const std::vector<std::string>& files) {
  ImportSummary summary;
  // By date, then account: a file is the whole snapshot of every (account, date) it names.
  std::map<Date, std::map<std::string, std::map<std::string, Shares>>> snapshots;
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  KnownNames accounts(db, "accounts", "id", "import it with `arbor import accounts`");
  for (const std::string& path : files) {
    Result<FormatFile> file = FormatFile::Open(
        path, {{"account", true}, {"as_of", true}, {"symbol", true}, {"shares", true}});
    if (!file.ok()) return file.status();
    CsvRow row;
    while (file->Next(&row)) {
      ++summary.rows_read;
      const std::string_view account = file->Get(row, "account");
      ARBOR_RETURN_IF_ERROR(accounts.Check(row, "account", account));
      Result<Date> as_of = Date::Parse(file->Get(row, "as_of"));
      if (!as_of.ok()) return FieldError(row, "as_of", as_of.status().message());
      const std::string_view symbol = file->Get(row, "symbol");
      if (symbol.empty()) return FieldError(row, "symbol", "missing");
      Result<Shares> shares = Shares::Parse(file->Get(row, "shares"));
      if (!shares.ok()) return FieldError(row, "shares", shares.status().message());
      auto& positions = snapshots[*as_of][std::string(account)];
      if (!positions.emplace(std::string(symbol), *shares).second) {
        return FieldError(row, "symbol",
                          std::string(symbol) + " is listed twice for " + std::string(account) +
                              " on " + as_of->ToString());
      }
    }
    ARBOR_RETURN_IF_ERROR(file->status());
  }
  for (const auto& [as_of, by_account] : snapshots) {
    ARBOR_RETURN_IF_ERROR(ReplaceSnapshots(db, as_of, by_account, &summary));
  }
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return summary;
}

}  // namespace arbor
