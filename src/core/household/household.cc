#include "core/household/household.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

namespace arbor::household {
namespace {

std::string Joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

Status Invalid(const Household& household, const std::string& what) {
  return Status::InvalidArgument("household " + household.id + ": " + what);
}

Status CheckTaxpayersNamed(const Household& household, const Account& account) {
  if (account.taxpayers.empty()) {
    return Invalid(household, "account " + account.id +
                                  " names no taxpayer; set its taxpayers (arbor import accounts) "
                                  "before adding it, since the wash-sale rule follows them");
  }
  return Status::Ok();
}

}  // namespace

Status ValidateHouseholdId(std::string_view id) {
  if (id.empty()) return Status::InvalidArgument("household id: missing");
  if (id.size() > 64) {
    return Status::InvalidArgument("household id '" + std::string(id) +
                                   "': longer than 64 characters");
  }
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') {
      return Status::InvalidArgument("household id '" + std::string(id) +
                                     "': use letters, digits, '_', '-' and '.' only");
    }
  }
  return Status::Ok();
}

std::vector<std::string> Taxpayers(const Household& household) {
  std::set<std::string> people;
  for (const Account& account : household.members) {
    people.insert(account.taxpayers.begin(), account.taxpayers.end());
  }
  return {people.begin(), people.end()};
}

Status ValidateHousehold(const Household& household) {
  ARBOR_RETURN_IF_ERROR(ValidateHouseholdId(household.id));
  if (!std::isfinite(household.drift_penalty) || household.drift_penalty < 0) {
    return Invalid(household, "drift_penalty: must be a number >= 0, got " +
                                  std::to_string(household.drift_penalty));
  }
  const models::Customization& target = household.target;
  if (!target.account.empty() && target.account != household.id) {
    return Invalid(household, "its target belongs to '" + target.account + "'");
  }
  const bool customized = !target.removals.empty() || !target.weights.empty() ||
                          !target.products.empty() || !target.screens.empty();
  if (target.template_name.empty() && customized) {
    return Invalid(household, "target: customizations without a template");
  }
  std::set<std::string> seen;
  for (const Account& account : household.members) {
    if (!seen.insert(account.id).second) {
      return Invalid(household, "account " + account.id + " is listed twice");
    }
    if (!account.household.empty() && account.household != household.id) {
      return Invalid(household, "account " + account.id + " is in household " + account.household);
    }
    ARBOR_RETURN_IF_ERROR(CheckTaxpayersNamed(household, account));
  }
  const std::vector<std::string> people = Taxpayers(household);
  if (people.size() > kMaxTaxpayers) {
    return Invalid(household, "its accounts belong to " + std::to_string(people.size()) +
                                  " people (" + Joined(people) +
                                  "); a household holds the accounts of one taxpayer or of two "
                                  "spouses");
  }
  return Status::Ok();
}

Status CheckCanJoin(const Household& household, const Account& account) {
  if (!account.household.empty() && account.household != household.id) {
    return Status::FailedPrecondition("account " + account.id + " is already in household " +
                                      account.household + "; remove it from there first");
  }
  ARBOR_RETURN_IF_ERROR(CheckTaxpayersNamed(household, account));
  Household joined = household;
  const bool member = std::any_of(household.members.begin(), household.members.end(),
                                  [&](const Account& a) { return a.id == account.id; });
  if (!member) joined.members.push_back(account);
  if (Taxpayers(joined).size() > kMaxTaxpayers) {
    return Invalid(household, "account " + account.id + " belongs to " + Joined(account.taxpayers) +
                                  "; a household holds the accounts of at most two people (now " +
                                  Joined(Taxpayers(household)) + ")");
  }
  return Status::Ok();
}

Status ValidateHouseholds(const std::vector<Household>& households) {
  std::map<std::string, std::string> household_of;
  for (const Household& household : households) {
    for (const Account& account : household.members) {
      auto [it, inserted] = household_of.emplace(account.id, household.id);
      if (!inserted) {
        return Status::InvalidArgument("account " + account.id + " is in two households: " +
                                       it->second + " and " + household.id);
      }
    }
  }
  return Status::Ok();
}

}  // namespace arbor::household
