#include "core/review/rebalance_input.h"

#include <charconv>
#include <cmath>
#include <set>
#include <string>
#include <unordered_set>

#include "core/base/enum_names.h"

namespace arbor::review {
namespace {

constexpr EnumNames<Restriction, 5> kRestrictionNames = {{{Restriction::kNone, "none"},
                                                          {Restriction::kNoBuy, "no_buy"},
                                                          {Restriction::kNoSell, "no_sell"},
                                                          {Restriction::kHold, "hold"},
                                                          {Restriction::kMustSell, "must_sell"}}};

// Tolerance on the sum of target weights: targets typed with a few decimals may add up to
// 1.0000001 without meaning leverage.
constexpr double kWeightSumSlack = 1e-6;

Status FieldError(const std::string& field, const std::string& what) {
  return Status::InvalidArgument(field + ": " + what);
}

// The shortest text that reads back as the same double: 0.1, 1e-07, nan.
std::string Number(double value) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

Status CheckFraction(const std::string& field, double value, bool open_above) {
  if (!std::isfinite(value) || value < 0 || (open_above ? value >= 1 : value > 1)) {
    return FieldError(field, std::string("must be in [0, 1") + (open_above ? ")" : "]") + ", got " +
                                 Number(value));
  }
  return Status::Ok();
}

Status ValidateSecurities(const RebalanceInput& input, std::set<std::string>* group_names) {
  std::unordered_set<std::string> symbols;
  double target_sum = 0;
  for (const DriftGroup& group : input.groups) {
    const std::string field = "groups[" + group.name + "]";
    if (group.name.empty()) return FieldError("groups", "a group name is empty");
    if (!group_names->insert(group.name).second) return FieldError(field, "listed twice");
    if (!(group.penalty >= 0) || !std::isfinite(group.penalty)) {
      return FieldError(field + ".penalty", "must be >= 0, got " + Number(group.penalty));
    }
    if (group.max_active && !(*group.max_active >= 0)) {
      return FieldError(field + ".max_active", "must be >= 0");
    }
  }
  for (const RebalanceSecurity& security : input.securities) {
    const std::string field = "securities[" + security.symbol + "]";
    if (security.symbol.empty()) return FieldError("securities", "a symbol is empty");
    if (!symbols.insert(security.symbol).second) return FieldError(field, "listed twice");
    if (!security.price.is_positive()) {
      return FieldError(field + ".price",
                        "must be positive, got " + security.price.ToShortString());
    }
    ARBOR_RETURN_IF_ERROR(CheckFraction(field + ".target_weight", security.target_weight, false));
    ARBOR_RETURN_IF_ERROR(CheckFraction(field + ".cost_rate", security.cost_rate, true));
    if (security.wash_sale_group.empty()) {
      return FieldError(field + ".wash_sale_group", "must not be empty (use the symbol)");
    }
    for (const std::string& group : security.groups) {
      if (!group_names->contains(group)) {
        return FieldError(field + ".groups", "unknown group '" + group + "'");
      }
    }
    target_sum += security.target_weight;
  }
  if (target_sum > 1 + kWeightSumSlack) {
    return FieldError("securities.target_weight",
                      "target weights sum to " + Number(target_sum) + ", more than 1");
  }
  return Status::Ok();
}

Status ValidateLots(const RebalanceInput& input) {
  std::unordered_set<std::string> symbols;
  for (const RebalanceSecurity& security : input.securities) symbols.insert(security.symbol);
  for (const RebalanceLot& lot : input.lots) {
    const std::string field = "lots[" + lot.symbol + " " + lot.id + "]";
    if (lot.id.empty()) return FieldError(field + ".id", "must not be empty");
    if (!symbols.contains(lot.symbol)) {
      return FieldError(field + ".symbol", "unknown symbol '" + lot.symbol +
                                               "': every held security needs a price and a row "
                                               "in securities");
    }
    if (!lot.shares.is_positive()) return FieldError(field + ".shares", "must be positive");
    if (lot.basis.is_negative()) return FieldError(field + ".basis", "must not be negative");
    if (lot.holding_period_date > lot.acquired) {
      return FieldError(field + ".holding_period_date", "must not be after the acquisition date");
    }
    if (lot.acquired > input.as_of) {
      return FieldError(field + ".acquired", "is after the as-of date " + input.as_of.ToString());
    }
  }
  return Status::Ok();
}

Status ValidateSettings(const RebalanceInput& input) {
  const TaxRates& rates = input.tax_rates;
  ARBOR_RETURN_IF_ERROR(
      CheckFraction("tax_rates.federal_short_term", rates.federal_short_term, true));
  ARBOR_RETURN_IF_ERROR(
      CheckFraction("tax_rates.federal_long_term", rates.federal_long_term, true));
  ARBOR_RETURN_IF_ERROR(CheckFraction("tax_rates.state_short_term", rates.state_short_term, true));
  ARBOR_RETURN_IF_ERROR(CheckFraction("tax_rates.state_long_term", rates.state_long_term, true));
  ARBOR_RETURN_IF_ERROR(
      CheckFraction("tax_rates.net_investment_income", rates.net_investment_income, true));
  ARBOR_RETURN_IF_ERROR(CheckFraction("tax_rates (short-term total)", rates.ShortTerm(), true));
  ARBOR_RETURN_IF_ERROR(CheckFraction("tax_rates (long-term total)", rates.LongTerm(), true));
  const CashSettings& cash = input.cash;
  if (cash.withdrawal.is_negative()) return FieldError("cash.withdrawal", "must not be negative");
  if (cash.min.is_negative()) return FieldError("cash.min", "must not be negative");
  if (cash.max && *cash.max < cash.min) {
    return FieldError("cash.max", "must be >= cash.min (" + cash.min.ToString(2) + ")");
  }
  if (input.min_trade.is_negative()) return FieldError("min_trade", "must not be negative");
  if (!input.fractional_increment.is_positive() || input.fractional_increment > Shares::Units(1)) {
    return FieldError("fractional_increment", "must be in (0, 1] shares, got " +
                                                  input.fractional_increment.ToShortString());
  }
  if (!(input.risk_aversion >= 0) || !std::isfinite(input.risk_aversion)) {
    return FieldError("risk_aversion", "must be >= 0, got " + Number(input.risk_aversion));
  }
  const Eigen::Index n = static_cast<Eigen::Index>(input.securities.size());
  const Eigen::Index factors = input.risk.factor_covariance.rows();
  if (input.risk.loadings.rows() != n || input.risk.loadings.cols() != factors ||
      input.risk.factor_covariance.cols() != factors || input.risk.specific_variance.size() != n) {
    return FieldError("risk", "loadings must be securities x factors (" + std::to_string(n) +
                                  " x " + std::to_string(factors) +
                                  "), specific_variance one per security");
  }
  return Status::Ok();
}

}  // namespace

std::string_view ToString(Restriction restriction) {
  return NameOf(kRestrictionNames, restriction);
}

Result<Restriction> RestrictionFromString(std::string_view text) {
  std::optional<Restriction> restriction = ParseName(kRestrictionNames, text);
  if (!restriction) {
    return Status::InvalidArgument("unknown restriction '" + std::string(text) +
                                   "' (expected none, no_buy, no_sell, hold or must_sell)");
  }
  return *restriction;
}

Status ValidateRebalanceInput(const RebalanceInput& input) {
  if (input.account.empty()) return FieldError("account", "must not be empty");
  std::set<std::string> group_names;
  ARBOR_RETURN_IF_ERROR(ValidateSecurities(input, &group_names));
  ARBOR_RETURN_IF_ERROR(ValidateLots(input));
  ARBOR_RETURN_IF_ERROR(ValidateSettings(input));
  return Status::Ok();
}

}  // namespace arbor::review
