#include "adapters/storage/household_input_loader.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "adapters/storage/account_menu_store.h"
#include "adapters/storage/household_store.h"
#include "adapters/storage/model_store.h"
#include "adapters/storage/rebalance_input_loader.h"
#include "adapters/storage/rebalance_settings_store.h"
#include "core/base/join_some.h"
#include "core/household/location_policy.h"
#include "core/review/fund_menu.h"

namespace arbor {
namespace {

using review::RebalanceInput;
using review::RebalanceSecurity;

// What a member's input says of itself that the household's target makes wrong: the loader's
// line about the customization it resolved, which is the household's here.
constexpr std::string_view kTargetsNote = "targets from template ";

// The household's targets on the context's date, by symbol.
struct HouseholdTargets {
  models::Resolution resolution;
  std::map<std::string, double> weights;
  std::set<std::string> screened;
};

Result<HouseholdTargets> ResolveTargets(const RebalanceContext& context,
                                        const household::Household& household) {
  if (household.target.template_name.empty()) {
    return Status::FailedPrecondition("household " + household.id +
                                      " has no target; set one with `arbor household create " +
                                      household.id + " --template T`");
  }
  Result<models::Resolution> resolution = context.Resolve(household.target);
  if (!resolution.ok()) return resolution.status().WithContext("household " + household.id);
  HouseholdTargets targets{.resolution = std::move(resolution).value()};
  for (const models::ResolvedTarget& t : targets.resolution.targets) targets.weights[t.symbol] = t.weight;
  targets.screened.insert(targets.resolution.screened.begin(), targets.resolution.screened.end());
  return targets;
}

// The member's input as `arbor rebalance` would build it, with the household's target, from its
// snapshot in `loaded` when there is one.
Result<RebalanceInput> LoadMember(Store& store, const RebalanceContext& context,
                                  const household::Household& household,
                                  const HouseholdTargets& targets, const Account& member,
                                  std::vector<AccountSnapshot>& loaded) {
  auto found = std::find_if(loaded.begin(), loaded.end(),
                            [&](const AccountSnapshot& s) { return s.account.id == member.id; });
  Result<AccountSnapshot> snapshot = found != loaded.end()
                                         ? Result<AccountSnapshot>(std::move(*found))
                                         : LoadAccountSnapshot(store, context, member.id);
  if (!snapshot.ok()) return snapshot.status().WithContext("household " + household.id);
  Result<RebalanceInput> input = BuildRebalanceInput(
      store, context, std::move(snapshot).value(), {.customization = household.target});
  if (!input.ok()) return input.status().WithContext("household " + household.id);
  std::erase_if(input->notes, [](const std::string& note) { return note.starts_with(kTargetsNote); });
  input->notes.push_back("targets: household " + household.id + "'s, template " +
                         targets.resolution.template_name + " v" +
                         std::to_string(targets.resolution.template_version) +
                         " (`arbor household show " + household.id + "`)");
  Result<std::optional<models::Customization>> own = LoadCustomization(store, member.id);
  if (!own.ok()) return own.status();
  if (own->has_value()) {
    input->notes.push_back("the account's own customization (template " + (*own)->template_name +
                           ") is not used: the household's target applies");
  }
  return input;
}

// Every security of any member, once, in symbol order (the loader lists each member's so).
std::vector<RebalanceSecurity> SharedSecurities(const std::vector<RebalanceInput>& members) {
  std::map<std::string, RebalanceSecurity> by_symbol;
  for (const RebalanceInput& member : members) {
    for (const RebalanceSecurity& security : member.securities) {
      by_symbol.emplace(security.symbol, security);
    }
  }
  std::vector<RebalanceSecurity> shared;
  for (auto& [symbol, security] : by_symbol) shared.push_back(std::move(security));
  return shared;
}

// The member over the shared list: its own entries where it has them (its restrictions, cost
// rate), else the shared entry with the member's cost rate, its own restriction of that symbol,
// and no buying of what the household screens out, of what is off the member's fund menu, nor of
// what only another member's menu brings in (`held`: what any member holds).
Status Align(Database* db, const std::vector<RebalanceSecurity>& shared,
             const HouseholdTargets& targets, const std::set<std::string>& held,
             RebalanceInput& member) {
  Result<RebalanceSettings> settings = LoadRebalanceSettings(db, member.account);
  if (!settings.ok()) return settings.status();
  Result<std::optional<AccountMenu>> menu = LoadAccountMenu(db, member.account);
  if (!menu.ok()) return menu.status();
  Result<std::vector<SecurityRestriction>> restrictions = LoadSecurityRestrictions(db, member.account);
  if (!restrictions.ok()) return restrictions.status();
  std::map<std::string, review::Restriction> own;
  for (const SecurityRestriction& r : *restrictions) own[r.symbol] = r.restriction;
  std::map<std::string, RebalanceSecurity> mine;
  for (RebalanceSecurity& security : member.securities) {
    mine.emplace(security.symbol, std::move(security));
  }
  member.securities.clear();
  std::vector<std::string> others_menus;
  for (const RebalanceSecurity& common : shared) {
    auto found = mine.find(common.symbol);
    RebalanceSecurity security = found != mine.end() ? std::move(found->second) : common;
    if (found == mine.end()) {
      security.cost_rate = settings->cost_rate;
      auto restriction = own.find(common.symbol);
      security.restriction = restriction != own.end()             ? restriction->second
                             : targets.screened.contains(common.symbol) ? review::Restriction::kNoBuy
                                                                        : review::Restriction::kNone;
      // A member with a menu has every priced fund of it on its own list, so what it lacks is
      // off its menu; what it lacks and no member holds (every member has the household's
      // targets) is here only because another member's menu offers it.
      const bool only_on_a_menu = !held.contains(common.symbol);
      if (menu->has_value() || only_on_a_menu) {
        security.restriction = review::WithoutBuying(security.restriction);
      }
      if (!menu->has_value() && only_on_a_menu) others_menus.push_back(common.symbol);
    }
    auto target = targets.weights.find(common.symbol);
    security.target_weight = target == targets.weights.end() ? 0 : target->second;
    member.securities.push_back(std::move(security));
  }
  if (!others_menus.empty()) {
    member.notes.push_back("not bought here, only on another member's fund menu: " +
                           JoinSome(others_menus, 10));
  }
  return Status::Ok();
}

// What any member holds.
std::set<std::string> HeldSymbols(const std::vector<RebalanceInput>& members) {
  std::set<std::string> held;
  for (const RebalanceInput& member : members) {
    for (const review::RebalanceLot& lot : member.lots) held.insert(lot.symbol);
  }
  return held;
}

// Every member's recent purchases and loss sales, in every member: the household is one scope.
void ShareWashSaleActivity(std::vector<RebalanceInput>& members) {
  std::map<std::tuple<std::string, std::string, std::string>, review::RecentPurchase> purchases;
  std::map<std::tuple<std::string, std::string, Date>, review::RecentLossSale> loss_sales;
  for (const RebalanceInput& member : members) {
    for (const review::RecentPurchase& p : member.recent_purchases) {
      purchases.emplace(std::tuple(p.account, p.lot_id, p.symbol), p);
    }
    for (const review::RecentLossSale& s : member.recent_loss_sales) {
      loss_sales.emplace(std::tuple(s.account, s.symbol, s.sold), s);
    }
  }
  for (RebalanceInput& member : members) {
    member.recent_purchases.clear();
    member.recent_loss_sales.clear();
    for (const auto& [key, p] : purchases) member.recent_purchases.push_back(p);
    for (const auto& [key, s] : loss_sales) member.recent_loss_sales.push_back(s);
  }
}

// The drift groups of every member (sectors, asset classes), once, each with the penalty of the
// first member that has it.
std::vector<review::DriftGroup> SharedGroups(const std::vector<RebalanceInput>& members) {
  std::map<std::string, review::DriftGroup> by_name;
  for (const RebalanceInput& member : members) {
    for (const review::DriftGroup& group : member.groups) by_name.emplace(group.name, group);
  }
  std::vector<review::DriftGroup> groups;
  for (auto& [name, group] : by_name) groups.push_back(std::move(group));
  return groups;
}

// The product kind of the template class a target comes from; absent when it is no longer
// offered.
std::optional<models::ProductKind> ProductKindOf(const models::Template* tmpl,
                                                 const models::TargetSource& source) {
  if (tmpl == nullptr) return std::nullopt;
  for (const models::AssetClass& c : tmpl->classes) {
    if (c.name != source.asset_class) continue;
    for (const models::ProductOption& product : c.products) {
      if (product.id == source.product) return product.kind;
    }
  }
  return std::nullopt;
}

// What the location policy matches on: the class and product of the household's target for a
// targeted security (its first source: a symbol two classes target is rare), the security
// master's class otherwise.
std::vector<household::SecurityFacts> LocationFacts(const RebalanceContext& context,
                                                    const HouseholdTargets& targets,
                                                    const std::vector<RebalanceSecurity>& shared) {
  const models::Template* tmpl =
      context.book().FindTemplate(targets.resolution.template_name, context.as_of());
  std::map<std::string, const models::TargetSource*> source_of;
  for (const models::ResolvedTarget& t : targets.resolution.targets) {
    if (!t.sources.empty()) source_of[t.symbol] = &t.sources.front();
  }
  std::vector<household::SecurityFacts> facts;
  for (const RebalanceSecurity& s : shared) {
    household::SecurityFacts f{.symbol = s.symbol};
    if (const Security* security = context.master().Find(s.symbol)) {
      f.asset_class = security->asset_class;
      f.sector = security->gics.sector;
      f.type = security->type;
    }
    if (auto source = source_of.find(s.symbol); source != source_of.end()) {
      f.asset_class = source->second->asset_class;
      f.product = ProductKindOf(tmpl, *source->second);
    }
    facts.push_back(std::move(f));
  }
  return facts;
}

Result<std::vector<std::vector<double>>> Location(Store& store, const RebalanceContext& context,
                                                  const household::Household& household,
                                                  const HouseholdTargets& targets,
                                                  const std::vector<RebalanceSecurity>& shared) {
  Result<StoredLocationPolicy> stored = LoadLocationPolicy(store);
  if (!stored.ok()) return stored.status();
  if (stored->policy.rules.empty()) return std::vector<std::vector<double>>();
  std::vector<AccountType> types;
  for (const Account& member : household.members) types.push_back(member.type);
  const Eigen::MatrixXd loc = household::LocationCoefficients(
      stored->policy, LocationFacts(context, targets, shared), types);
  std::vector<std::vector<double>> location(types.size());
  for (size_t a = 0; a < types.size(); ++a) {
    const Eigen::VectorXd row = loc.row(static_cast<Eigen::Index>(a)).transpose();
    location[a].assign(row.data(), row.data() + row.size());
  }
  return location;
}

// The taxable members' budgets summed, when every taxable member has one (an account without a
// budget may owe any tax, and so may the household).
std::optional<Money> HouseholdTaxBudget(const std::vector<RebalanceInput>& members) {
  Money total;
  bool any = false;
  for (const RebalanceInput& member : members) {
    if (member.tax_deferred) continue;
    if (!member.tax_budget) return std::nullopt;
    total += *member.tax_budget;
    any = true;
  }
  return any ? std::optional<Money>(total) : std::nullopt;
}

}  // namespace

Result<review::HouseholdRebalanceInput> LoadHouseholdRebalanceInput(
    Store& store, const RebalanceContext& context, const std::string& id) {
  return LoadHouseholdRebalanceInput(store, context, id, {});
}

Result<review::HouseholdRebalanceInput> LoadHouseholdRebalanceInput(
    Store& store, const RebalanceContext& context, const std::string& id,
    std::vector<AccountSnapshot> loaded) {
  Result<household::Household> household = LoadHousehold(store, id);
  if (!household.ok()) return household.status();
  if (household->members.empty()) {
    return Status::FailedPrecondition("household " + id + " has no accounts; add one with "
                                      "`arbor household add-account " + id + " ACCOUNT`");
  }
  Result<HouseholdTargets> targets = ResolveTargets(context, *household);
  if (!targets.ok()) return targets.status();

  review::HouseholdRebalanceInput input{.household = id, .as_of = context.as_of()};
  for (const Account& member : household->members) {
    Result<RebalanceInput> account =
        LoadMember(store, context, *household, *targets, member, loaded);
    if (!account.ok()) return account.status();
    input.accounts.push_back(std::move(account).value());
  }
  const std::vector<RebalanceSecurity> shared = SharedSecurities(input.accounts);
  RebalanceInput risk{.account = id, .as_of = context.as_of(), .securities = shared};
  ARBOR_RETURN_IF_ERROR(AddRiskRows(context, risk));
  input.risk = std::move(risk.risk);
  input.groups = SharedGroups(input.accounts);
  const std::set<std::string> held = HeldSymbols(input.accounts);
  for (RebalanceInput& member : input.accounts) {
    ARBOR_RETURN_IF_ERROR(Align(store.database(), shared, *targets, held, member));
    member.risk = input.risk;
    member.groups = input.groups;
  }
  ShareWashSaleActivity(input.accounts);
  for (const RebalanceSecurity& security : input.accounts.front().securities) {
    input.targets.push_back(security.target_weight);
  }
  Result<std::vector<std::vector<double>>> location =
      Location(store, context, *household, *targets, shared);
  if (!location.ok()) return location.status();
  input.location = std::move(location).value();
  input.account_drift_penalty = household->drift_penalty;
  input.tax_budget = HouseholdTaxBudget(input.accounts);
  input.risk_aversion = input.accounts.front().risk_aversion;
  return input;
}

}  // namespace arbor
