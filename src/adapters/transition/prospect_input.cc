#include "adapters/transition/prospect_input.h"

#include <set>

#include "core/base/join_some.h"
#include "core/review/risk_rows.h"

namespace arbor {
namespace {

// Stocks drift by GICS sector, funds by asset class, as in an account's rebalance.
std::string DriftGroupOf(const Security* security) {
  if (security == nullptr) return "Unclassified";
  if (!security->gics.sector.empty()) return security->gics.sector;
  if (!security->asset_class.empty()) return security->asset_class;
  return "Unclassified";
}

}  // namespace

Result<review::RebalanceInput> BuildProspectInput(const RebalanceContext& context,
                                                  const LegacyLots& legacy, Money cash,
                                                  const TransitionTarget& target,
                                                  const RebalanceSettings& settings) {
  const RiskModel* model = context.risk_model();
  if (model == nullptr) return context.missing_risk_model();
  review::RebalanceInput input{.account = legacy.account.empty() ? "PROSPECT" : legacy.account,
                               .as_of = context.as_of(),
                               .lots = legacy.lots,
                               .tax_rates = settings.tax_rates,
                               .min_trade = settings.min_trade,
                               .fractional_increment = settings.fractional_increment,
                               .risk_aversion = settings.risk_aversion};
  input.cash.balance = cash;
  input.cash.min = settings.cash_min;
  std::set<std::string> symbols;
  for (const auto& [symbol, weight] : target.weights) symbols.insert(symbol);
  for (const review::RebalanceLot& lot : legacy.lots) symbols.insert(lot.symbol);
  const std::set<std::string> screened(target.screened.begin(), target.screened.end());
  std::set<std::string> groups;
  std::vector<std::string> sold;
  for (const std::string& symbol : symbols) {
    const std::pair<Date, Price>* close = context.LastClose(symbol);
    if (close == nullptr) {
      return Status::FailedPrecondition("no price of " + symbol + " on or before " +
                                        input.as_of.ToString() +
                                        "; import prices with `arbor import prices`");
    }
    const Security* security = context.master().Find(symbol);
    const auto weight = target.weights.find(symbol);
    review::RebalanceSecurity row{
        .symbol = symbol,
        .price = close->second,
        .target_weight = weight == target.weights.end() ? 0 : weight->second,
        .fractional = security == nullptr || security->fractional,
        .wash_sale_group = context.master().WashSaleGroupOf(symbol),
        .groups = {DriftGroupOf(security)},
        .cost_rate = settings.cost_rate};
    if (screened.contains(symbol)) {
      row.restriction = review::Restriction::kMustSell;
      sold.push_back(symbol);
    }
    groups.insert(row.groups.front());
    input.securities.push_back(std::move(row));
  }
  for (const std::string& group : groups) {
    input.groups.push_back({.name = group, .penalty = settings.sector_drift_penalty});
  }
  std::vector<std::string> missing;
  input.risk = review::RiskRowsFor(
      *model, context.master(), std::vector<std::string>(symbols.begin(), symbols.end()), &missing);
  input.notes.push_back("risk model as of " + model->as_of.ToString() + " (" +
                        std::to_string(model->factors.size()) + " factors)");
  if (!missing.empty()) {
    input.notes.push_back("not in the risk model, priced with their sector's average: " +
                          JoinSome(missing, 10));
  }
  if (!sold.empty()) {
    input.notes.push_back("screened out, to be sold (must_sell): " + JoinSome(sold, 10));
  }
  for (const std::string& note : target.notes) input.notes.push_back(note);
  ARBOR_RETURN_IF_ERROR(review::ValidateRebalanceInput(input));
  return input;
}

}  // namespace arbor
