// Reading the rebalance settings back, and saving one account's; the imports are in
// rebalance_settings_import.cc.
#include "adapters/storage/rebalance_settings_store.h"

#include "adapters/storage/model_store_internal.h"

namespace arbor {
namespace {

// A NULL column keeps the default already in `value`.
void ReadRate(const Statement& row, int column, double* value) {
  if (!row.ColumnIsNull(column)) *value = row.ColumnDouble(column);
}

template <typename T>
void ReadMicros(const Statement& row, int column, T* value) {
  if (!row.ColumnIsNull(column)) *value = T::FromMicros(row.ColumnInt(column));
}

template <typename T>
void ReadOptionalMicros(const Statement& row, int column, std::optional<T>* value) {
  if (!row.ColumnIsNull(column)) *value = T::FromMicros(row.ColumnInt(column));
}

}  // namespace

Result<RebalanceSettings> LoadRebalanceSettings(Database* db, const std::string& account) {
  Result<Statement> select = db->Prepare(
      "SELECT federal_short_term_rate, federal_long_term_rate, state_short_term_rate, "
      "state_long_term_rate, niit_rate, cash_min_micros, cash_max_micros, withdrawal_micros, "
      "min_trade_micros, share_increment_micros, cost_rate, risk_aversion, sector_drift_penalty, "
      "tax_budget_micros FROM rebalance_settings WHERE account = ?1");
  if (!select.ok()) return select.status();
  select->Bind(1, account);
  Result<bool> row = select->Step();
  if (!row.ok()) return row.status();
  RebalanceSettings settings;
  if (!*row) return settings;
  settings.stored = true;
  ReadRate(*select, 0, &settings.tax_rates.federal_short_term);
  ReadRate(*select, 1, &settings.tax_rates.federal_long_term);
  ReadRate(*select, 2, &settings.tax_rates.state_short_term);
  ReadRate(*select, 3, &settings.tax_rates.state_long_term);
  ReadRate(*select, 4, &settings.tax_rates.net_investment_income);
  ReadMicros(*select, 5, &settings.cash_min);
  ReadOptionalMicros(*select, 6, &settings.cash_max);
  ReadMicros(*select, 7, &settings.withdrawal);
  ReadMicros(*select, 8, &settings.min_trade);
  ReadMicros(*select, 9, &settings.fractional_increment);
  ReadRate(*select, 10, &settings.cost_rate);
  ReadRate(*select, 11, &settings.risk_aversion);
  ReadRate(*select, 12, &settings.sector_drift_penalty);
  ReadOptionalMicros(*select, 13, &settings.tax_budget);
  return settings;
}

Status SaveRebalanceSettings(Database* db, const std::string& account,
                             const RebalanceSettings& settings) {
  const review::TaxRates& r = settings.tax_rates;
  for (double rate : {r.federal_short_term, r.federal_long_term, r.state_short_term,
                      r.state_long_term, r.net_investment_income, settings.cost_rate}) {
    if (!(rate >= 0 && rate < 1)) {
      return Status::InvalidArgument("account " + account + ": a rate of " +
                                     std::to_string(rate) + " is outside [0, 1)");
    }
  }
  if (settings.cash_min.is_negative() || (settings.cash_max && *settings.cash_max < settings.cash_min)) {
    return Status::InvalidArgument("account " + account + ": cash_min must be >= 0 and <= cash_max");
  }
  Result<storage_internal::WriteScope> scope = storage_internal::WriteScope::Begin(db);
  if (!scope.ok()) return scope.status();
  Result<Statement> known = db->Prepare("SELECT 1 FROM accounts WHERE id = ?1");
  if (!known.ok()) return known.status();
  known->Bind(1, account);
  Result<bool> found = known->Step();
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("unknown account '" + account + "'");
  Result<Statement> upsert = db->Prepare(
      "INSERT OR REPLACE INTO rebalance_settings (account, federal_short_term_rate, "
      "federal_long_term_rate, state_short_term_rate, state_long_term_rate, niit_rate, "
      "cash_min_micros, cash_max_micros, withdrawal_micros, min_trade_micros, "
      "share_increment_micros, cost_rate, risk_aversion, sector_drift_penalty, tax_budget_micros) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
  if (!upsert.ok()) return upsert.status();
  upsert->Bind(1, account)
      .Bind(2, r.federal_short_term)
      .Bind(3, r.federal_long_term)
      .Bind(4, r.state_short_term)
      .Bind(5, r.state_long_term)
      .Bind(6, r.net_investment_income)
      .Bind(7, settings.cash_min.micros())
      .Bind(9, settings.withdrawal.micros())
      .Bind(10, settings.min_trade.micros())
      .Bind(11, settings.fractional_increment.micros())
      .Bind(12, settings.cost_rate)
      .Bind(13, settings.risk_aversion)
      .Bind(14, settings.sector_drift_penalty);
  // An unset optional is NULL, which reads back as "none".
  if (settings.cash_max) {
    upsert->Bind(8, settings.cash_max->micros());
  } else {
    upsert->BindNull(8);
  }
  if (settings.tax_budget) {
    upsert->Bind(15, settings.tax_budget->micros());
  } else {
    upsert->BindNull(15);
  }
  ARBOR_RETURN_IF_ERROR(upsert->Run());
  return scope->Commit();
}

Result<std::vector<SecurityTarget>> LoadSecurityTargets(Database* db, const std::string& account) {
  Result<Statement> select =
      db->Prepare("SELECT symbol, weight FROM security_targets WHERE account = ?1 ORDER BY symbol");
  if (!select.ok()) return select.status();
  select->Bind(1, account);
  std::vector<SecurityTarget> targets;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    targets.push_back({.symbol = select->ColumnText(0), .weight = select->ColumnDouble(1)});
  }
  return targets;
}

Result<std::vector<SecurityRestriction>> LoadSecurityRestrictions(Database* db,
                                                                  const std::string& account) {
  Result<Statement> select = db->Prepare(
      "SELECT symbol, restriction FROM security_restrictions WHERE account = ?1 ORDER BY symbol");
  if (!select.ok()) return select.status();
  select->Bind(1, account);
  std::vector<SecurityRestriction> restrictions;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Result<review::Restriction> restriction = review::RestrictionFromString(select->ColumnView(1));
    if (!restriction.ok()) {
      return restriction.status().WithContext("stored restriction of " + account);
    }
    restrictions.push_back({.symbol = select->ColumnText(0), .restriction = *restriction});
  }
  return restrictions;
}

}  // namespace arbor
