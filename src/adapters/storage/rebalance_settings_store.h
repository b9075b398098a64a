// Per-account rebalance settings in the database (schema: the "rebalance settings" migration):
// the client's tax rates, cash settings, trade sizes and risk aversion; the account's security
// target list; and its security restrictions. CSV formats in docs/import-formats.md.
//
//   ImportSummary s = ImportSecurityTargets(store->database(), {"targets.csv"}).value();
//   RebalanceSettings settings = LoadRebalanceSettings(store->database(), "SMITH-JOINT").value();
//   settings.risk_aversion;   // the stored value, or the default below when none was imported
//
// Every setting has a default, so an account without a settings row still rebalances sensibly.
// An account named in a targets or restrictions file gets exactly that file's rows: its earlier
// list is replaced, so a file is always the whole list of each account it names.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/sqlite.h"
#include "adapters/storage/store.h"
#include "core/base/fixed.h"
#include "core/base/status.h"
#include "core/review/rebalance_input.h"

namespace arbor {

struct RebalanceSettings {
  // Top federal brackets (37% ordinary, 20% long-term), no state tax, 3.8% NIIT.
  review::TaxRates tax_rates;
  Money cash_min;  // no overdraft
  std::optional<Money> cash_max;
  Money withdrawal;  // a pending withdrawal for the next rebalance
  Money min_trade = Money::Units(50);
  Shares fractional_increment = Shares::FromMicros(1000);  // 0.001 shares
  double cost_rate = 0.0005;                               // 5 bps of traded dollars, each side
  // Dollars of objective per dollar of V per unit of tracking variance, halved: at 50 a 1%
  // tracking error costs 0.25% of the account a year, so a harvest is worth the tracking error
  // it adds only when its tax saving is larger.
  double risk_aversion = 50;
  // Per unit of |sector weight - target|, as a share of V: a 1% sector bet costs 0.05% of the
  // account. The risk model prices sector bets too, but clients expect a direct index to stay
  // close to its sectors: in the March 2020 harvest of docs/rebalance.md this keeps every sector
  // within 1% (3.4% without) for 0.4% less cost-benefit score.
  double sector_drift_penalty = 0.05;
  std::optional<Money> tax_budget;
  bool stored = false;  // false when the account has no settings row
};

struct SecurityTarget {
  std::string symbol;
  double weight = 0;
};

struct SecurityRestriction {
  std::string symbol;
  review::Restriction restriction = review::Restriction::kNone;
};

Result<RebalanceSettings> LoadRebalanceSettings(Database* db, const std::string& account);
// By symbol; empty when the account has no target list.
Result<std::vector<SecurityTarget>> LoadSecurityTargets(Database* db, const std::string& account);
Result<std::vector<SecurityRestriction>> LoadSecurityRestrictions(Database* db,
                                                                  const std::string& account);

// All files of one call are imported in one transaction, or none of them; the first bad row is
// reported as `file:line: field: what is wrong`.
Result<ImportSummary> ImportSecurityTargets(Database* db, const std::vector<std::string>& files);
Result<ImportSummary> ImportSecurityRestrictions(Database* db,
                                                 const std::vector<std::string>& files);
Result<ImportSummary> ImportRebalanceSettings(Database* db, const std::vector<std::string>& files);

// Writes every setting of the account (its row is replaced), in one transaction (the caller's,
// when one is open). An unknown account or a value out of range changes nothing.
Status SaveRebalanceSettings(Database* db, const std::string& account,
                             const RebalanceSettings& settings);

// Replaces the account's restriction list (an empty list lifts them all), in one transaction
// (the caller's, when one is open).
// Unknown accounts and symbols, and a symbol given twice, are errors that change nothing.
Status SaveSecurityRestrictions(Database* db, const std::string& account,
                                const std::vector<SecurityRestriction>& restrictions);

}  // namespace arbor
