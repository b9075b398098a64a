#include "core/household/location_policy.h"

#include <charconv>
#include <cmath>
#include <set>
#include <utility>

#include "core/base/enum_names.h"

namespace arbor::household {
namespace {

constexpr EnumNames<TaxTreatment, 3> kTreatmentNames = {{
    {TaxTreatment::kTaxable, "taxable"},
    {TaxTreatment::kTaxDeferred, "tax_deferred"},
    {TaxTreatment::kTaxExempt, "tax_exempt"},
}};

constexpr EnumNames<LocationMatch, 5> kMatchNames = {{
    {LocationMatch::kSymbol, "symbol"},
    {LocationMatch::kAssetClass, "asset_class"},
    {LocationMatch::kSector, "sector"},
    {LocationMatch::kType, "type"},
    {LocationMatch::kProduct, "product"},
}};

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::string Number(double value) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

// The attribute of the security a rule of this kind compares with its value.
std::string_view Attribute(LocationMatch match, const SecurityFacts& security) {
  switch (match) {
    case LocationMatch::kSymbol:
      return security.symbol;
    case LocationMatch::kAssetClass:
      return security.asset_class;
    case LocationMatch::kSector:
      return security.sector;
    case LocationMatch::kType:
      return ToString(security.type);
    case LocationMatch::kProduct:
      return security.product ? models::ToString(*security.product) : std::string_view();
  }
  return {};
}

LocationRule Prefer(LocationMatch match, std::string value, TaxTreatment treatment) {
  LocationRule rule{.match = match, .value = std::move(value)};
  double* benefit = treatment == TaxTreatment::kTaxable       ? &rule.taxable
                    : treatment == TaxTreatment::kTaxDeferred ? &rule.tax_deferred
                                                              : &rule.tax_exempt;
  *benefit = kDefaultLocationBenefit;
  return rule;
}

}  // namespace

std::string_view ToString(TaxTreatment treatment) { return NameOf(kTreatmentNames, treatment); }

Result<TaxTreatment> TaxTreatmentFromString(std::string_view text) {
  if (std::optional<TaxTreatment> treatment = ParseName(kTreatmentNames, text)) return *treatment;
  return Status::InvalidArgument("unknown tax treatment '" + std::string(text) +
                                 "' (expected taxable, tax_deferred or tax_exempt)");
}

TaxTreatment TaxTreatmentOf(AccountType type) {
  switch (type) {
    case AccountType::kTaxable:
      return TaxTreatment::kTaxable;
    case AccountType::kRothIra:
    case AccountType::kRoth401k:
    case AccountType::kHsa:
      return TaxTreatment::kTaxExempt;
    case AccountType::kTraditionalIra:
    case AccountType::kSepIra:
    case AccountType::kSimpleIra:
    case AccountType::k401k:
    case AccountType::k403b:
      return TaxTreatment::kTaxDeferred;
  }
  return TaxTreatment::kTaxable;
}

std::string_view ToString(LocationMatch match) { return NameOf(kMatchNames, match); }

Result<LocationMatch> LocationMatchFromString(std::string_view text) {
  if (std::optional<LocationMatch> match = ParseName(kMatchNames, text)) return *match;
  return Status::InvalidArgument("unknown location match '" + std::string(text) +
                                 "' (expected symbol, asset_class, sector, type or product)");
}

double LocationRule::BenefitIn(TaxTreatment treatment) const {
  switch (treatment) {
    case TaxTreatment::kTaxable:
      return taxable;
    case TaxTreatment::kTaxDeferred:
      return tax_deferred;
    case TaxTreatment::kTaxExempt:
      return tax_exempt;
  }
  return 0;
}

LocationPolicy DefaultLocationPolicy() {
  using enum LocationMatch;
  using enum TaxTreatment;
  // REITs before the direct-index rule: a REIT inside a direct index still pays ordinary
  // dividends, which a tax-deferred account shelters.
  return {.rules = {Prefer(kSector, "Real Estate", kTaxDeferred),
                    Prefer(kAssetClass, "Real Estate", kTaxDeferred),
                    Prefer(kAssetClass, "Core Bonds", kTaxDeferred),
                    Prefer(kAssetClass, "Treasuries", kTaxDeferred),
                    Prefer(kAssetClass, "Municipal Bonds", kTaxable),
                    Prefer(kProduct, "direct_index", kTaxable),
                    Prefer(kAssetClass, "US Small Cap", kTaxExempt),
                    Prefer(kAssetClass, "Emerging Markets", kTaxExempt)}};
}

Status ValidateLocationPolicy(const LocationPolicy& policy) {
  std::set<std::pair<LocationMatch, std::string>> seen;
  for (size_t k = 0; k < policy.rules.size(); ++k) {
    const LocationRule& rule = policy.rules[k];
    const std::string where =
        "location rule " + std::to_string(k + 1) + " (" + ToString(rule) + ")";
    if (rule.value.empty()) return Status::InvalidArgument(where + ": value: missing");
    if (rule.match == LocationMatch::kType && !SecurityTypeFromString(rule.value).ok()) {
      return Status::InvalidArgument(where + ": " +
                                     SecurityTypeFromString(rule.value).status().message());
    }
    if (rule.match == LocationMatch::kProduct && !models::ProductKindFromString(rule.value).ok()) {
      return Status::InvalidArgument(where + ": " +
                                     models::ProductKindFromString(rule.value).status().message());
    }
    if (!seen.emplace(rule.match, rule.value).second) {
      return Status::InvalidArgument(where + ": an earlier rule matches the same " +
                                     std::string(ToString(rule.match)) +
                                     ", so this one never applies");
    }
    for (TaxTreatment treatment :
         {TaxTreatment::kTaxable, TaxTreatment::kTaxDeferred, TaxTreatment::kTaxExempt}) {
      const double benefit = rule.BenefitIn(treatment);
      if (!std::isfinite(benefit) || std::abs(benefit) > kMaxLocationBenefit) {
        return Status::InvalidArgument(where + ": " + std::string(ToString(treatment)) +
                                       ": a yearly benefit must be within +-" +
                                       Number(kMaxLocationBenefit) + " of the value, got " +
                                       Number(benefit));
      }
    }
  }
  return Status::Ok();
}

const LocationRule* MatchingRule(const LocationPolicy& policy, const SecurityFacts& security) {
  for (const LocationRule& rule : policy.rules) {
    if (Attribute(rule.match, security) == rule.value) return &rule;
  }
  return nullptr;
}

Eigen::MatrixXd LocationCoefficients(const LocationPolicy& policy,
                                     const std::vector<SecurityFacts>& securities,
                                     const std::vector<AccountType>& accounts) {
  Eigen::MatrixXd loc = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(accounts.size()),
                                              static_cast<Eigen::Index>(securities.size()));
  for (size_t i = 0; i < securities.size(); ++i) {
    const LocationRule* rule = MatchingRule(policy, securities[i]);
    if (rule == nullptr) continue;
    for (size_t a = 0; a < accounts.size(); ++a) {
      loc(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(i)) =
          -rule->BenefitIn(TaxTreatmentOf(accounts[a]));
    }
  }
  return loc;
}

std::string ToString(const LocationRule& rule) {
  std::string text = std::string(ToString(rule.match)) + "=" + rule.value + ":";
  bool first = true;
  for (TaxTreatment treatment :
       {TaxTreatment::kTaxable, TaxTreatment::kTaxDeferred, TaxTreatment::kTaxExempt}) {
    const double benefit = rule.BenefitIn(treatment);
    if (benefit == 0) continue;
    text += (first ? " " : ", ") + std::string(ToString(treatment)) + " " + Number(benefit);
    first = false;
  }
  return first ? text + " none" : text;
}

Result<LocationRule> ParseLocationRule(std::string_view text) {
  const std::string quoted = "location rule '" + std::string(text) + "'";
  const size_t equals = text.find('=');
  const size_t colon = text.find(':', equals == std::string_view::npos ? 0 : equals);
  if (equals == std::string_view::npos || colon == std::string_view::npos) {
    return Status::InvalidArgument(quoted +
                                   ": expected MATCH=VALUE: TREATMENT BENEFIT[, ...], e.g. "
                                   "'asset_class=Core Bonds: tax_deferred 0.002'");
  }
  Result<LocationMatch> match = LocationMatchFromString(Trim(text.substr(0, equals)));
  if (!match.ok()) return match.status().WithContext(quoted);
  LocationRule rule{.match = *match,
                    .value = std::string(Trim(text.substr(equals + 1, colon - equals - 1)))};
  std::string_view rest = Trim(text.substr(colon + 1));
  if (rest == "none") return rule;
  std::set<TaxTreatment> named;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view part = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : Trim(rest.substr(comma + 1));
    const size_t space = part.find(' ');
    if (space == std::string_view::npos) {
      return Status::InvalidArgument(quoted + ": '" + std::string(part) +
                                     "': expected TREATMENT BENEFIT, e.g. 'tax_deferred 0.002'");
    }
    Result<TaxTreatment> treatment = TaxTreatmentFromString(Trim(part.substr(0, space)));
    if (!treatment.ok()) return treatment.status().WithContext(quoted);
    if (!named.insert(*treatment).second) {
      return Status::InvalidArgument(quoted + ": " + std::string(ToString(*treatment)) +
                                     " is named twice");
    }
    const std::string_view number = Trim(part.substr(space + 1));
    double benefit = 0;
    auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), benefit);
    if (error != std::errc() || end != number.data() + number.size()) {
      return Status::InvalidArgument(quoted + ": '" + std::string(number) +
                                     "' is not a number (a yearly fraction of value, e.g. 0.002)");
    }
    (*treatment == TaxTreatment::kTaxable       ? rule.taxable
     : *treatment == TaxTreatment::kTaxDeferred ? rule.tax_deferred
                                                : rule.tax_exempt) = benefit;
  }
  if (named.empty()) {
    return Status::InvalidArgument(quoted + ": name at least one treatment, or 'none'");
  }
  return rule;
}

}  // namespace arbor::household
