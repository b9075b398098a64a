#include "core/review/account_model.h"

#include <unordered_map>

namespace arbor::review {
namespace {

bool MayBuy(Restriction restriction) {
  return restriction == Restriction::kNone || restriction == Restriction::kNoSell;
}

bool MaySell(Restriction restriction) {
  return restriction != Restriction::kNoSell && restriction != Restriction::kHold;
}

optimize::SecurityInput SecurityRow(const RebalanceSecurity& security) {
  return {.symbol = security.symbol,
          .price = security.price.ToDouble(),
          .target_weight = security.target_weight,
          .may_buy = MayBuy(security.restriction),
          .cost_rate = security.cost_rate};
}

// Screened-out securities get no target; the weight they leave goes to the other targets in
// proportion, so a screen changes what is held rather than raising cash.
void MoveScreenedTargets(const RebalanceInput& input, optimize::Problem& problem) {
  double screened = 0, kept = 0;
  for (size_t i = 0; i < input.securities.size(); ++i) {
    (input.securities[i].restriction == Restriction::kMustSell ? screened : kept) +=
        input.securities[i].target_weight;
  }
  if (screened == 0) return;
  for (size_t i = 0; i < input.securities.size(); ++i) {
    double& target = problem.securities[i].target_weight;
    if (input.securities[i].restriction == Restriction::kMustSell) {
      target = 0;
    } else if (kept > 0) {
      target *= (kept + screened) / kept;
    }
  }
}

void AddWashGroups(const RebalanceInput& input, AccountModel& model) {
  std::unordered_map<std::string, int> index;
  for (size_t i = 0; i < input.securities.size(); ++i) {
    const std::string& name = input.securities[i].wash_sale_group;
    auto [it, added] = index.emplace(name, static_cast<int>(model.wash_groups.size()));
    if (added) {
      model.wash_groups.push_back(name);
      model.wash_group_members.emplace_back();
      model.wash_group_loss_lots.emplace_back();
    }
    model.securities[i].wash_group = it->second;
    model.wash_group_members[it->second].push_back(static_cast<int>(i));
  }
}

void AddRisk(const RebalanceInput& input, optimize::Problem& problem) {
  problem.risk.aversion = input.risk_aversion;
  problem.risk.loadings = input.risk.loadings;
  problem.risk.factor_covariance = input.risk.factor_covariance;
  problem.risk.specific_variance = input.risk.specific_variance;
}

void AddDriftGroups(const RebalanceInput& input, optimize::Problem& problem) {
  std::unordered_map<std::string, int> index;
  for (const DriftGroup& group : input.groups) {
    index.emplace(group.name, static_cast<int>(problem.groups.size()));
    problem.groups.push_back(
        {.name = group.name, .penalty = group.penalty, .max_active = group.max_active});
  }
  for (size_t i = 0; i < input.securities.size(); ++i) {
    for (const std::string& name : input.securities[i].groups) {
      problem.groups[index.at(name)].members.push_back(static_cast<int>(i));
    }
  }
}

void AddCash(const RebalanceInput& input, optimize::Problem& problem) {
  problem.cash.balance = input.cash.balance.ToDouble();
  problem.cash.withdrawal = input.cash.withdrawal.ToDouble();
  problem.cash.min = input.cash.min.ToDouble();
  if (input.cash.max) problem.cash.max = input.cash.max->ToDouble();
  if (input.tax_budget) problem.tax_budget = input.tax_budget->ToDouble();
}

// A must-sell lot at a loss forbids buys in its whole group; a loss sale in the window forbids
// them too. Both hold whatever the discrete layer decides.
void BlockBuys(const WashWindow& window, AccountModel& model) {
  const RebalanceInput& input = *model.input;
  std::vector<bool> must_sell_loss(model.wash_groups.size(), false);
  for (size_t j = 0; j < model.lots.size(); ++j) {
    if (model.problem.lots[j].must_sell && model.lots[j].reportable_loss) {
      must_sell_loss[model.securities[model.problem.lots[j].security].wash_group] = true;
    }
  }
  for (size_t i = 0; i < input.securities.size(); ++i) {
    SecurityFacts& facts = model.securities[i];
    optimize::SecurityInput& row = model.problem.securities[i];
    if (!row.may_buy) {
      facts.buy_block = BuyBlock::kRestriction;
    } else if (const RecentLossSale* sale =
                   window.BuyBlocker(input.securities[i].wash_sale_group)) {
      facts.buy_block = BuyBlock::kRecentLossSale;
      facts.blocking_sale = sale;
    } else if (must_sell_loss[facts.wash_group]) {
      facts.buy_block = BuyBlock::kMustSellLoss;
    }
    row.may_buy = facts.buy_block == BuyBlock::kNone;
  }
}

void FindContestedGroups(AccountModel& model) {
  for (size_t g = 0; g < model.wash_groups.size(); ++g) {
    bool buyable = false, loss_sellable = false;
    for (int i : model.wash_group_members[g]) buyable |= model.problem.securities[i].may_buy;
    for (int j : model.wash_group_loss_lots[g]) loss_sellable |= model.problem.lots[j].sellable;
    if (buyable && loss_sellable) model.contested_groups.push_back(static_cast<int>(g));
  }
}

}  // namespace

Result<AccountModel> BuildAccountModel(const RebalanceInput& input) {
  ARBOR_RETURN_IF_ERROR(ValidateRebalanceInput(input));
  AccountModel model;
  model.input = &input;
  const size_t n = input.securities.size();
  model.securities.resize(n);
  model.lots_of_security.resize(n);
  std::unordered_map<std::string, int> security_index;
  for (size_t i = 0; i < n; ++i) {
    const RebalanceSecurity& security = input.securities[i];
    security_index.emplace(security.symbol, static_cast<int>(i));
    model.problem.securities.push_back(SecurityRow(security));
    model.securities[i].increment =
        security.fractional ? input.fractional_increment : Shares::Units(1);
  }
  MoveScreenedTargets(input, model.problem);
  AddWashGroups(input, model);

  const WashWindow window(input);
  std::unordered_map<std::string, int> labels_seen;  // "SYMBOL label" -> lots so far
  labels_seen.reserve(input.lots.size());
  double holdings = 0;
  for (const RebalanceLot& lot : input.lots) {
    const int i = security_index.at(lot.symbol);
    const RebalanceSecurity& security = input.securities[i];
    LotFacts facts;
    facts.tax = ClassifyLot(input, lot, security.price, security.cost_rate, security.wash_sale_group, window);
    facts.reportable_loss = facts.tax.loss && !input.tax_deferred;
    facts.restricted = !MaySell(security.restriction);
    facts.wash_held = facts.tax.wash != WashStatus::kClear;
    const bool must_sell = security.restriction == Restriction::kMustSell;
    const int j = static_cast<int>(model.lots.size());
    // Sub-lots of one label get "/2", "/3", ... so that the optimizer's ids are unique.
    std::string id = security.symbol + " " + lot.id;
    const int sub_lot = ++labels_seen[id];
    if (sub_lot > 1) id += "/" + std::to_string(sub_lot);
    model.problem.lots.push_back(
        {.id = std::move(id),
         .security = i,
         .shares = lot.shares.ToDouble(),
         .cost_basis_per_share = lot.basis.ToDouble() / lot.shares.ToDouble(),
         .tax_rate = facts.tax.rate,
         .sellable = must_sell || (!facts.restricted && !facts.wash_held),
         .must_sell = must_sell});
    if (facts.reportable_loss)
      model.wash_group_loss_lots[model.securities[i].wash_group].push_back(j);
    model.lots.push_back(facts);
    model.lots_of_security[i].push_back(j);
    model.securities[i].held = true;
    holdings += security.price.ToDouble() * lot.shares.ToDouble();
  }
  AddCash(input, model.problem);
  AddRisk(input, model.problem);
  AddDriftGroups(input, model.problem);
  BlockBuys(window, model);
  FindContestedGroups(model);
  model.value = model.problem.cash.balance - model.problem.cash.withdrawal + holdings;
  if (!(model.value > 0)) {
    return Status::FailedPrecondition(
        "account " + input.account + " has no value to rebalance after the withdrawal (cash " +
        input.cash.balance.ToString(2) + " - withdrawal " + input.cash.withdrawal.ToString(2) +
        " + holdings " + Money::FromDouble(holdings).ToString(2) + ")");
  }
  return model;
}

}  // namespace arbor::review
