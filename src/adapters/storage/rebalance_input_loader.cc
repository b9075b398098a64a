#include "adapters/storage/rebalance_input_loader.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "adapters/storage/account_menu_store.h"
#include "adapters/storage/account_targets.h"
#include "adapters/storage/cash_plan_loader.h"
#include "adapters/storage/fund_holdings_store.h"
#include "adapters/storage/ledger_checkpoint_store.h"
#include "adapters/storage/ledger_loader.h"
#include "adapters/storage/model_store.h"
#include "adapters/storage/rebalance_settings_store.h"
#include "adapters/storage/risk_model_store.h"
#include "core/base/join_some.h"
#include "core/models/look_through.h"
#include "core/review/fund_menu.h"
#include "core/review/ledger_facts.h"
#include "core/review/risk_rows.h"

namespace arbor {
namespace {

// A price older than this before the as-of date is flagged in the notes: the market was closed
// for at most four days in a row in the data, so more means a data problem.
constexpr int kStalePriceDays = 7;

Result<std::pair<Date, Price>> CloseOf(const RebalanceContext& context, const std::string& symbol) {
  const std::pair<Date, Price>* close = context.LastClose(symbol);
  if (close == nullptr) {
    return Status::FailedPrecondition("no price of " + symbol + " on or before " +
                                      context.as_of().ToString() +
                                      "; import prices with `arbor import prices`");
  }
  return *close;
}

// Targets resolved from the account's customization as of the review date, so a template or
// security model version that took effect since the last review applies now, with the
// customization kept; nullopt for an account without one. `screened` gets what its screens
// exclude.
Result<std::optional<std::map<std::string, double>>> CustomizedTargets(
    Store& store, const RebalanceContext& context, const review::RebalanceInput& input,
    const RebalanceLoadOverrides& overrides, std::vector<std::string>* notes,
    std::set<std::string>* screened) {
  Result<std::optional<models::Customization>> customization =
      overrides.customization ? Result<std::optional<models::Customization>>(overrides.customization)
                              : LoadCustomization(store, input.account);
  if (!customization.ok()) return customization.status();
  if (!customization->has_value()) return std::optional<std::map<std::string, double>>();
  Result<models::Resolution> resolution = context.Resolve(**customization);
  if (!resolution.ok()) return resolution.status();
  std::map<std::string, double> targets;
  for (const models::ResolvedTarget& target : resolution->targets) {
    targets[target.symbol] = target.weight;
  }
  notes->push_back("targets from template " + resolution->template_name + " v" +
                   std::to_string(resolution->template_version) + " as customized for " +
                   input.account + " (`arbor account show " + input.account + "`)");
  for (const std::string& note : resolution->notes) notes->push_back(note);
  screened->insert(resolution->screened.begin(), resolution->screened.end());
  return std::optional<std::map<std::string, double>>(std::move(targets));
}

// The account's targets: from its customization, else its target list, else its current
// weights.
Result<std::map<std::string, double>> TargetsFor(Store& store, const RebalanceContext& context,
                                                 const review::RebalanceInput& input,
                                                 const std::map<std::string, double>& holdings,
                                                 const RebalanceLoadOverrides& overrides,
                                                 std::vector<std::string>* notes,
                                                 std::set<std::string>* screened) {
  Database* db = store.database();
  Result<std::vector<SecurityTarget>> stored = LoadSecurityTargets(db, input.account);
  if (!stored.ok()) return stored.status();
  Result<std::optional<std::map<std::string, double>>> customized =
      CustomizedTargets(store, context, input, overrides, notes, screened);
  if (!customized.ok()) return customized.status();
  if (customized->has_value()) {
    if (!stored->empty()) {
      notes->push_back(
          "the account's target list is not used: its customization sets the "
          "targets");
    }
    return std::move(customized).value().value();
  }
  std::map<std::string, double> targets;
  for (const SecurityTarget& target : *stored) targets[target.symbol] = target.weight;
  if (!targets.empty()) return targets;
  if (holdings.empty()) {
    // A fund menu says what may be bought, not how much: a 401k of cash and a menu gets its
    // weights from a target list or from its household's template.
    Result<std::optional<AccountMenu>> menu = LoadAccountMenu(db, input.account);
    if (!menu.ok()) return menu.status();
    const Account* account = context.FindAccount(input.account);
    const std::string household = account != nullptr ? account->household : "";
    return Status::FailedPrecondition(
        "account " + input.account + " holds no securities and has no target list" +
        (menu->has_value() ? "; its fund menu (" + JoinSome((*menu)->symbols, 10) +
                                 ") limits what it may buy but sets no weights"
                           : "") +
        "; import a target list with `arbor import targets FILE` (account,symbol,weight; "
        "docs/import-formats.md)" +
        (household.empty() ? "" : " or rebalance it with its household (`arbor household rebalance " +
                                      household + "`)"));
  }
  double total = std::max(0.0, input.cash.balance.ToDouble());
  for (const auto& [symbol, value] : holdings) total += value;
  for (const auto& [symbol, value] : holdings) targets[symbol] = value / total;
  notes->push_back(
      "no target list: the targets are the account's current weights, so this "
      "rebalance only harvests losses and manages cash; import a target list with "
      "`arbor import targets FILE`");
  return targets;
}

void ApplySettings(const RebalanceSettings& settings, review::RebalanceInput& input) {
  input.tax_rates = settings.tax_rates;
  input.cash.withdrawal = settings.withdrawal;
  input.cash.min = settings.cash_min;
  input.cash.max = settings.cash_max;
  input.min_trade = settings.min_trade;
  input.fractional_increment = settings.fractional_increment;
  input.tax_budget = settings.tax_budget;
  input.risk_aversion = settings.risk_aversion;
  if (!settings.stored) {
    input.notes.push_back(
        "no rebalance settings: the defaults of docs/rebalance.md are used (top "
        "federal tax rates, no state tax, no minimum cash); import settings "
        "with `arbor import rebalance-settings FILE`");
  }
}

// The account's restrictions, with every held security its screens exclude to be sold, unless
// the account's own restriction says to keep it (hold or no_sell: "never sell the legacy XOM"
// is the client's word on that one position, more specific than the screen).
Result<std::map<std::string, review::Restriction>> RestrictionsFor(
    Database* db, review::RebalanceInput& input, const std::set<std::string>& screened,
    const std::map<std::string, double>& holdings, const RebalanceLoadOverrides& overrides) {
  Result<std::vector<SecurityRestriction>> restrictions =
      LoadSecurityRestrictions(db, input.account);
  if (!restrictions.ok()) return restrictions.status();
  std::map<std::string, review::Restriction> restriction_of;
  for (const SecurityRestriction& r : *restrictions) restriction_of[r.symbol] = r.restriction;
  for (const SecurityRestriction& r : overrides.restrictions) restriction_of[r.symbol] = r.restriction;
  std::vector<std::string> sold, kept;
  for (const auto& [symbol, value] : holdings) {
    if (!screened.contains(symbol)) continue;
    review::Restriction& restriction = restriction_of[symbol];
    if (restriction == review::Restriction::kHold || restriction == review::Restriction::kNoSell) {
      kept.push_back(symbol + " (" + std::string(ToString(restriction)) + ")");
    } else {
      restriction = review::Restriction::kMustSell;
      sold.push_back(symbol);
    }
  }
  if (!sold.empty()) {
    input.notes.push_back("screened out, to be sold (must_sell): " + JoinSome(sold, 10));
  }
  if (!kept.empty()) {
    input.notes.push_back("screened out but kept by the account's own restriction: " +
                          JoinSome(kept, 10));
  }
  return restriction_of;
}

// The priced funds of the account's menu (nullopt: it has none), which the rebalance may buy
// even when nothing targets them, so that it can track the targets with what the plan offers.
Result<std::optional<std::set<std::string>>> MenuOf(Database* db,
                                                    const RebalanceContext& context,
                                                    review::RebalanceInput& input) {
  Result<std::optional<AccountMenu>> menu = LoadAccountMenu(db, input.account);
  if (!menu.ok()) return menu.status();
  if (!menu->has_value()) return std::optional<std::set<std::string>>();
  std::set<std::string> priced;
  std::vector<std::string> unpriced;
  for (const std::string& symbol : (*menu)->symbols) {
    if (context.LastClose(symbol) != nullptr) {
      priced.insert(symbol);
    } else {
      unpriced.push_back(symbol);
    }
  }
  input.notes.push_back("fund menu: buys only " + JoinSome((*menu)->symbols, 10) +
                        ", nothing else (`arbor account menu show " + input.account + "`)");
  if (!unpriced.empty()) {
    input.notes.push_back("on the fund menu but without a price on or before " +
                          input.as_of.ToString() + ", so not bought: " + JoinSome(unpriced, 10));
  }
  return std::optional<std::set<std::string>>(std::move(priced));
}

// Securities in symbol order: every targeted and every held one, and the funds of its menu,
// priced as of the date.
Status AddSecurities(Database* db, const RebalanceContext& context,
                     const RebalanceSettings& settings,
                     const std::map<std::string, double>& targets,
                     const std::map<std::string, double>& holdings,
                     const std::set<std::string>& screened, const RebalanceLoadOverrides& overrides,
                     review::RebalanceInput& input) {
  Result<std::map<std::string, review::Restriction>> restriction_of =
      RestrictionsFor(db, input, screened, holdings, overrides);
  if (!restriction_of.ok()) return restriction_of.status();
  Result<std::optional<std::set<std::string>>> menu = MenuOf(db, context, input);
  if (!menu.ok()) return menu.status();
  std::set<std::string> symbols = menu->value_or(std::set<std::string>());
  for (const auto& [symbol, weight] : targets) symbols.insert(symbol);
  for (const auto& [symbol, value] : holdings) symbols.insert(symbol);
  std::set<std::string> sectors;
  std::vector<std::string> stale;
  for (const std::string& symbol : symbols) {
    Result<std::pair<Date, Price>> price = CloseOf(context, symbol);
    if (!price.ok()) return price.status();
    if (input.as_of - price->first > kStalePriceDays) {
      stale.push_back(symbol + " (" + price->first.ToString() + ")");
    }
    const Security* security = context.master().Find(symbol);
    // Stocks drift by GICS sector, funds by their asset class.
    const std::string sector = security == nullptr                ? "Unclassified"
                               : !security->gics.sector.empty()    ? security->gics.sector
                               : !security->asset_class.empty()    ? security->asset_class
                                                                   : "Unclassified";
    sectors.insert(sector);
    auto target = targets.find(symbol);
    auto restriction = restriction_of->find(symbol);
    input.securities.push_back({.symbol = symbol,
                                .price = price->second,
                                .target_weight = target == targets.end() ? 0 : target->second,
                                .restriction = restriction == restriction_of->end()
                                                   ? review::Restriction::kNone
                                                   : restriction->second,
                                .fractional = security == nullptr || security->fractional,
                                .wash_sale_group = context.master().WashSaleGroupOf(symbol),
                                .groups = {sector},
                                .cost_rate = settings.cost_rate});
  }
  if (menu->has_value()) review::ApplyFundMenu(**menu, input.securities);
  for (const std::string& sector : sectors) {
    input.groups.push_back({.name = sector, .penalty = settings.sector_drift_penalty});
  }
  if (!stale.empty()) {
    input.notes.push_back("stale prices (more than " + std::to_string(kStalePriceDays) +
                          " days before the as-of date): " + JoinSome(stale, 10));
  }
  return Status::Ok();
}

// Funds of the rebalance with published holdings are priced as the baskets they hold.
Status LookThroughFunds(const RebalanceContext& context, const RiskModel& model,
                        const std::vector<std::string>& symbols, review::RebalanceInput& input) {
  const SecurityMaster& master = context.master();
  const models::ModelBook& book = context.book();
  std::vector<models::FundHoldings> funds;
  std::vector<std::string> used;
  for (const std::string& symbol : symbols) {
    const models::FundHoldings* holdings = book.NearestFundHoldings(symbol, input.as_of);
    if (holdings == nullptr) continue;
    funds.push_back(*holdings);
    used.push_back(symbol + " (" + std::to_string(holdings->weights.size()) + " holdings of " +
                   holdings->as_of.ToString() + ")");
  }
  if (funds.empty()) return Status::Ok();
  const std::vector<std::string> constituents = models::ConstituentsOf(funds);
  std::vector<std::string> missing;
  const review::RiskRows constituent_rows =
      review::RiskRowsFor(model, master, constituents, &missing);
  models::LookThroughReport report;
  input.risk = models::LookThrough(input.risk, symbols, funds, constituents, constituent_rows, {},
                                   &report);
  input.notes.push_back("funds looked through for risk: " + JoinSome(used, 5) + "; " +
                        std::to_string(report.overlap_factors) +
                        " overlap factors for the stocks also held or targeted directly");
  return Status::Ok();
}

}  // namespace

Status AddRiskRows(const RebalanceContext& context, review::RebalanceInput& input) {
  const RiskModel* model = context.risk_model();
  if (model == nullptr) return context.missing_risk_model();
  const SecurityMaster& master = context.master();
  std::vector<std::string> symbols, missing;
  for (const review::RebalanceSecurity& security : input.securities)
    symbols.push_back(security.symbol);
  input.risk = review::RiskRowsFor(*model, master, symbols, &missing);
  ARBOR_RETURN_IF_ERROR(LookThroughFunds(context, *model, symbols, input));
  input.notes.push_back("risk model as of " + model->as_of.ToString() + " (" +
                        std::to_string(model->factors.size()) + " factors, " +
                        std::to_string(model->symbols.size()) + " securities)");
  if (!missing.empty()) {
    input.notes.push_back("not in the risk model, priced with their sector's average: " +
                          JoinSome(missing, 10));
  }
  return Status::Ok();
}

Result<AccountSnapshot> LoadAccountSnapshot(Store& store, const RebalanceContext& context,
                                            const std::string& account) {
  const Account* known = context.FindAccount(account);
  if (known == nullptr) {
    return Status::NotFound("unknown account '" + account +
                            "'; import it with `arbor import accounts`");
  }
  // From the scope's ledger checkpoint when one is valid (ledger_checkpoint_store.h).
  Result<Ledger> ledger = LoadScopeLedger(store, context.ScopeOf(account), context.as_of());
  if (!ledger.ok()) return ledger.status();
  Result<review::LedgerFacts> facts =
      review::ReadLedgerFacts(*ledger, context.master(), account, context.as_of());
  if (!facts.ok()) return facts.status();
  return AccountSnapshot{.account = *known, .facts = std::move(facts).value()};
}

Result<review::RebalanceInput> BuildRebalanceInput(Store& store, const RebalanceContext& context,
                                                   AccountSnapshot snapshot,
                                                   const RebalanceLoadOverrides& overrides) {
  Database* db = store.database();
  review::RebalanceInput input;
  input.account = snapshot.account.id;
  input.as_of = context.as_of();
  review::LedgerFacts& facts = snapshot.facts;
  input.tax_deferred = facts.tax_deferred;
  input.cash.balance = facts.cash;
  input.lots = std::move(facts.lots);
  input.recent_purchases = std::move(facts.recent_purchases);
  input.recent_loss_sales = std::move(facts.recent_loss_sales);
  input.realized_this_year = facts.realized_this_year;

  Result<RebalanceSettings> settings = LoadRebalanceSettings(db, input.account);
  if (!settings.ok()) return settings.status();
  ApplySettings(*settings, input);
  ARBOR_RETURN_IF_ERROR(ApplyCashPlan(db, input));

  std::map<std::string, Shares> held;
  for (const review::RebalanceLot& lot : input.lots) held[lot.symbol] += lot.shares;
  std::map<std::string, double> holdings;  // market values, for the default targets
  for (const auto& [symbol, shares] : held) {
    Result<std::pair<Date, Price>> price = CloseOf(context, symbol);
    if (!price.ok()) return price.status();
    holdings[symbol] = Value(shares, price->second).ToDouble();
  }
  std::set<std::string> screened;
  Result<std::map<std::string, double>> targets =
      TargetsFor(store, context, input, holdings, overrides, &input.notes, &screened);
  if (!targets.ok()) return targets.status();
  ARBOR_RETURN_IF_ERROR(
      AddSecurities(db, context, *settings, *targets, holdings, screened, overrides, input));
  ARBOR_RETURN_IF_ERROR(AddRiskRows(context, input));
  return input;
}

Result<review::RebalanceInput> LoadRebalanceInput(Store& store, const std::string& account,
                                                  std::optional<Date> as_of,
                                                  const RebalanceLoadOverrides& overrides) {
  Result<std::unique_ptr<RebalanceContext>> context = RebalanceContext::Load(store, as_of);
  if (!context.ok()) return context.status();
  Result<AccountSnapshot> snapshot = LoadAccountSnapshot(store, **context, account);
  if (!snapshot.ok()) return snapshot.status();
  return BuildRebalanceInput(store, **context, std::move(snapshot).value(), overrides);
}

}  // namespace arbor
