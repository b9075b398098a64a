#include "core/review/household_rebalance.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>

#include "core/optimize/household_problem.h"
#include "core/review/account_model.h"
#include "core/review/controls.h"
#include "core/review/dollars.h"
#include "core/review/priority_solver.h"
#include "core/review/proposal_builder.h"
#include "core/review/trade_rounding.h"
#include "core/review/wash_directions.h"

namespace arbor::review {
namespace {

constexpr RelaxationKind kAccountLadder[] = {RelaxationKind::kCashMax, RelaxationKind::kSellRestrictions,
                                             RelaxationKind::kCashMin};
// A point at the iteration limit is used when no constraint is off by more than this share of V_H.
constexpr double kAcceptableViolation = 1e-6;

Status CheckInput(const HouseholdRebalanceInput& input) {
  const std::string where = "household " + input.household + ": ";
  if (input.accounts.empty()) return Status::InvalidArgument(where + "accounts: none");
  const std::vector<RebalanceSecurity>& shared = input.accounts[0].securities;
  const size_t n = shared.size();
  for (const RebalanceInput& account : input.accounts) {
    if (account.securities.size() != n) {
      return Status::InvalidArgument(where + "accounts[" + account.account + "].securities: " +
                                     std::to_string(account.securities.size()) + " securities, the household has " +
                                     std::to_string(n));
    }
    for (size_t i = 0; i < n; ++i) {
      if (account.securities[i].symbol != shared[i].symbol) {
        return Status::InvalidArgument(where + "accounts[" + account.account + "].securities[" + std::to_string(i) +
                                       "]: " + account.securities[i].symbol + " where the household lists " +
                                       shared[i].symbol + " (every account lists the same securities in order)");
      }
    }
  }
  if (input.targets.size() != n) {
    return Status::InvalidArgument(where + "targets: " + std::to_string(input.targets.size()) + " for " +
                                   std::to_string(n) + " securities");
  }
  double total = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!(input.targets[i] >= 0 && input.targets[i] <= 1)) {
      return Status::InvalidArgument(where + "targets[" + shared[i].symbol + "]: must lie in [0, 1]");
    }
    total += input.targets[i];
  }
  if (total > 1 + 1e-9) return Status::InvalidArgument(where + "targets: sum to more than 1");
  if (!input.location.empty() && input.location.size() != input.accounts.size()) {
    return Status::InvalidArgument(where + "location: one row per account expected");
  }
  for (size_t a = 0; a < input.location.size(); ++a) {
    if (!input.location[a].empty() && input.location[a].size() != n) {
      return Status::InvalidArgument(where + "location[" + input.accounts[a].account + "]: one entry per security");
    }
  }
  const Eigen::Index rows = static_cast<Eigen::Index>(n);
  if (input.risk.loadings.rows() != rows || input.risk.specific_variance.size() != rows ||
      input.risk.loadings.cols() != input.risk.factor_covariance.rows()) {
    return Status::InvalidArgument(where + "risk: rows must match the " + std::to_string(n) + " securities");
  }
  return Status::Ok();
}

// One account of the household: its model as it would be rebalanced alone, the discrete
// layer's controls on it, and the household wash-sale group of each of its groups.
struct Member {
  AccountModel model;
  Controls controls;
  std::vector<int> household_group;
};

// A direction fixed for a household wash-sale group, from the trades that made it necessary.
struct HouseholdDecision {
  int group = 0;
  Direction direction = Direction::kFree;
  double buys = 0;
  double loss_sales = 0;
};

// What the search varies: every member's controls, the household's own relaxation and the
// decisions so far.
struct SearchState {
  std::vector<Controls> controls;
  bool tax_budget_dropped = false;
  std::vector<HouseholdDecision> decisions;
};

class HouseholdRebalancer {
 public:
  HouseholdRebalancer(const HouseholdRebalanceInput& input, const RebalanceOptions& options)
      : input_(input), options_(options) {}

  Result<HouseholdProposal> Run();

 private:
  Status BuildMembers();
  optimize::HouseholdProblem Assemble(const SearchState& state) const;
  Result<optimize::HouseholdSolution> SolveOnce(const SearchState& state);
  bool Feasible(const optimize::HouseholdSolution& solution) const;
  // Solves, relaxing in the priority order of a single account when nothing is feasible: the
  // tax budget, then each kind of the account ladder for every member it applies to at once.
  // Then, as a single account does, every relaxation made is tried back in reverse order, one
  // member at a time, and restored where the rest suffice: a member's cash limit is not
  // dropped because another member's cash need forced the step.
  Result<optimize::HouseholdSolution> Solve(SearchState& state);
  // A relaxation made by Solve: of one member, or of the household's tax budget (account -1).
  struct Applied {
    int account;
    RelaxationKind kind;
  };
  // `last_step` relaxations at the end of `applied` came together in the step that made the
  // problem feasible.
  optimize::HouseholdSolution RestoreRelaxations(SearchState& state, const std::vector<Applied>& applied,
                                                 size_t last_step, optimize::HouseholdSolution feasible);
  std::vector<GroupFlows> Flows(const optimize::HouseholdSolution& solution) const;
  void SetDirection(SearchState& state, int group, Direction direction) const;
  bool FixConflicts(ConflictRule rule, const optimize::HouseholdSolution& solution, SearchState& state) const;
  Result<optimize::HouseholdSolution> SolveWithoutConflicts(ConflictRule rule, SearchState& state);
  HouseholdProposal Propose(const SearchState& state, const optimize::HouseholdSolution& solution);

  const HouseholdRebalanceInput& input_;
  const RebalanceOptions& options_;
  std::vector<RebalanceInput> accounts_;  // the input's, with the household's targets and risk
  std::vector<Member> members_;
  std::vector<std::string> groups_;  // household wash-sale groups
  double value_ = 0;                 // V_H
  int solves_ = 0;
  double seconds_ = 0;
  std::vector<WashSaleNote> forced_;  // groups sold at a loss by force, closed to buys everywhere
};

Status HouseholdRebalancer::BuildMembers() {
  ARBOR_RETURN_IF_ERROR(CheckInput(input_));
  std::map<std::string, int> group_index;
  // Each account sees the household's targets, risk model and drift groups: its proposal is then
  // measured against the household, and the account models stay valid on their own.
  accounts_ = input_.accounts;
  for (RebalanceInput& account : accounts_) {
    for (size_t i = 0; i < account.securities.size(); ++i) account.securities[i].target_weight = input_.targets[i];
    account.risk_aversion = input_.risk_aversion;
    account.risk = input_.risk;
    account.groups = input_.groups;
    account.tax_budget.reset();  // the household's budget applies
  }
  for (const RebalanceInput& account : accounts_) {
    Result<AccountModel> model = BuildAccountModel(account);
    if (!model.ok()) return model.status().WithContext("household " + input_.household);
    Member member{*std::move(model), {}, {}};
    member.controls = InitialControls(member.model);
    for (const std::string& name : member.model.wash_groups) {
      const auto [it, added] = group_index.emplace(name, static_cast<int>(groups_.size()));
      if (added) groups_.push_back(name);
      member.household_group.push_back(it->second);
    }
    value_ += member.model.value;
    members_.push_back(std::move(member));
  }
  return Status::Ok();
}

optimize::HouseholdProblem HouseholdRebalancer::Assemble(const SearchState& state) const {
  optimize::HouseholdProblem problem;
  const int n = static_cast<int>(input_.targets.size());
  for (size_t a = 0; a < members_.size(); ++a) {
    const Member& member = members_[a];
    optimize::Problem account = Materialize(member.model, state.controls[a]);
    if (a == 0) {
      problem.securities = account.securities;
      for (int i = 0; i < n; ++i) {
        optimize::SecurityInput& security = problem.securities[i];
        security.target_weight = input_.targets[i];
        security.may_buy = true;  // each account's own list decides
      }
    }
    optimize::HouseholdAccountInput& out = problem.accounts.emplace_back();
    out.id = member.model.input->account;
    out.type = member.model.input->tax_deferred ? "tax_deferred" : "taxable";
    out.cash = account.cash;
    out.lots = std::move(account.lots);
    out.allowed.emplace();
    for (int i = 0; i < n; ++i) {
      if (account.securities[i].may_buy) out.allowed->push_back(i);
      out.cost_rates.push_back(account.securities[i].cost_rate);
    }
    if (!input_.location.empty()) out.location = input_.location[a];
    out.drift_penalty = input_.account_drift_penalty;
  }
  problem.risk.aversion = input_.risk_aversion;
  problem.risk.loadings = input_.risk.loadings;
  problem.risk.factor_covariance = input_.risk.factor_covariance;
  problem.risk.specific_variance = input_.risk.specific_variance;
  const std::vector<RebalanceSecurity>& securities = input_.accounts[0].securities;
  for (const DriftGroup& group : input_.groups) {
    optimize::GroupInput& out = problem.groups.emplace_back();
    out.name = group.name;
    out.penalty = group.penalty;
    out.max_active = group.max_active;
    for (int i = 0; i < n; ++i) {
      for (const std::string& name : securities[i].groups) {
        if (name == group.name) out.members.push_back(i);
      }
    }
  }
  if (input_.tax_budget && !state.tax_budget_dropped) problem.tax_budget = input_.tax_budget->ToDouble();
  return problem;
}

Result<optimize::HouseholdSolution> HouseholdRebalancer::SolveOnce(const SearchState& state) {
  const auto start = std::chrono::steady_clock::now();
  Result<optimize::HouseholdSolution> solution = optimize::SolveHousehold(Assemble(state), options_.solver);
  ++solves_;
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!solution.ok()) return solution.status().WithContext("rebalance of household " + input_.household);
  return solution;
}

bool HouseholdRebalancer::Feasible(const optimize::HouseholdSolution& solution) const {
  switch (solution.summary.status) {
    case optimize::SolveStatus::kOptimal:
      return true;
    case optimize::SolveStatus::kIterationLimit:
      return solution.evaluation.household.max_violation_dollars <= kAcceptableViolation * value_;
    default:
      return false;
  }
}

Result<optimize::HouseholdSolution> HouseholdRebalancer::Solve(SearchState& state) {
  Result<optimize::HouseholdSolution> solution = SolveOnce(state);
  if (!solution.ok() || Feasible(*solution)) return solution;
  std::string message = solution->summary.message;
  std::vector<Applied> applied;
  if (input_.tax_budget && !state.tax_budget_dropped) {
    state.tax_budget_dropped = true;
    applied.push_back({-1, RelaxationKind::kTaxBudget});
    solution = SolveOnce(state);
    if (!solution.ok()) return solution;
    if (Feasible(*solution)) return RestoreRelaxations(state, applied, 1, *std::move(solution));
    message = solution->summary.message;
  }
  for (RelaxationKind kind : kAccountLadder) {
    const size_t before = applied.size();
    for (size_t a = 0; a < members_.size(); ++a) {
      if (AddRelaxation(members_[a].model, kind, message, state.controls[a])) {
        applied.push_back({static_cast<int>(a), kind});
      }
    }
    if (applied.size() == before) continue;
    solution = SolveOnce(state);
    if (!solution.ok()) return solution;
    if (Feasible(*solution)) {
      return RestoreRelaxations(state, applied, applied.size() - before, *std::move(solution));
    }
    message = solution->summary.message;
  }
  return Status::FailedPrecondition("household " + input_.household +
                                    " cannot be rebalanced even with the tax budget, cash limits and sell "
                                    "restrictions relaxed: " + message);
}

optimize::HouseholdSolution HouseholdRebalancer::RestoreRelaxations(SearchState& state,
                                                                    const std::vector<Applied>& applied,
                                                                    size_t last_step,
                                                                    optimize::HouseholdSolution feasible) {
  // A last step of one relaxation is needed given the others: the problem was infeasible
  // without it.
  const size_t tries = last_step == 1 ? applied.size() - 1 : applied.size();
  for (size_t k = tries; k-- > 0;) {
    SearchState trial = state;
    const Applied& relaxation = applied[k];
    if (relaxation.account < 0) {
      trial.tax_budget_dropped = false;
    } else {
      std::erase_if(trial.controls[relaxation.account].relaxations,
                    [kind = relaxation.kind](const Relaxation& r) { return r.kind == kind; });
    }
    Result<optimize::HouseholdSolution> restored = SolveOnce(trial);
    if (restored.ok() && Feasible(*restored)) {
      state = std::move(trial);
      feasible = *std::move(restored);
    }
  }
  return feasible;
}

std::vector<GroupFlows> HouseholdRebalancer::Flows(const optimize::HouseholdSolution& solution) const {
  std::vector<GroupFlows> flows(groups_.size());
  for (size_t a = 0; a < members_.size(); ++a) {
    const Member& member = members_[a];
    const std::vector<GroupFlows> own =
        FlowsByGroup(member.model, solution.accounts[a].buys, solution.accounts[a].sells);
    for (size_t g = 0; g < own.size(); ++g) {
      GroupFlows& flow = flows[member.household_group[g]];
      flow.buys_specific_variance = (flow.buys_specific_variance * flow.buys +
                                     own[g].buys_specific_variance * own[g].buys) /
                                    std::max(flow.buys + own[g].buys, 1e-300);
      flow.buys += own[g].buys;
      flow.loss_sales += own[g].loss_sales;
      flow.loss_tax_benefit += own[g].loss_tax_benefit;
    }
  }
  return flows;
}

void HouseholdRebalancer::SetDirection(SearchState& state, int group, Direction direction) const {
  for (size_t a = 0; a < members_.size(); ++a) {
    const std::vector<int>& own = members_[a].household_group;
    for (size_t g = 0; g < own.size(); ++g) {
      if (own[g] == group) state.controls[a].directions[g] = direction;
    }
  }
}

bool HouseholdRebalancer::FixConflicts(ConflictRule rule, const optimize::HouseholdSolution& solution,
                                       SearchState& state) const {
  const double threshold = kNegligibleTradeWeight * value_;
  const std::vector<GroupFlows> flows = Flows(solution);
  std::vector<Direction> current(groups_.size(), Direction::kFree);
  for (size_t a = 0; a < members_.size(); ++a) {
    for (size_t g = 0; g < members_[a].household_group.size(); ++g) {
      const Direction d = state.controls[a].directions[g];
      if (d != Direction::kFree) current[members_[a].household_group[g]] = d;
    }
  }
  bool fixed = false;
  for (size_t g = 0; g < flows.size(); ++g) {
    const GroupFlows& flow = flows[g];
    if (current[g] != Direction::kFree || flow.buys <= threshold || flow.loss_sales <= threshold) continue;
    Direction direction;
    if (rule == ConflictRule::kLargerSide) {
      direction = flow.loss_sales >= flow.buys ? Direction::kSell : Direction::kBuy;
    } else {
      // As for one account (wash_directions.h): the tax benefit against the risk of not
      // buying the group back anywhere in the household.
      const double risk_of_not_buying =
          input_.risk_aversion / 2 * flow.buys * flow.buys / value_ * flow.buys_specific_variance;
      direction = flow.loss_tax_benefit >= risk_of_not_buying ? Direction::kSell : Direction::kBuy;
    }
    SetDirection(state, static_cast<int>(g), direction);
    state.decisions.push_back({static_cast<int>(g), direction, flow.buys, flow.loss_sales});
    fixed = true;
  }
  return fixed;
}

Result<optimize::HouseholdSolution> HouseholdRebalancer::SolveWithoutConflicts(ConflictRule rule,
                                                                               SearchState& state) {
  // Each round fixes at least one more group, so this ends within #groups + 1 solves.
  while (true) {
    Result<optimize::HouseholdSolution> solution = Solve(state);
    if (!solution.ok()) return solution;
    if (!FixConflicts(rule, *solution, state)) return solution;
  }
}

// The rounded trades as the optimizer's doubles, for the household evaluation.
void TradesAsDoubles(const TradeList& trades, Eigen::VectorXd& buys, Eigen::VectorXd& sells) {
  buys.resize(static_cast<Eigen::Index>(trades.buys.size()));
  sells.resize(static_cast<Eigen::Index>(trades.sells.size()));
  for (size_t i = 0; i < trades.buys.size(); ++i) buys[static_cast<Eigen::Index>(i)] = trades.buys[i].ToDouble();
  for (size_t j = 0; j < trades.sells.size(); ++j) sells[static_cast<Eigen::Index>(j)] = trades.sells[j].ToDouble();
}

HouseholdProposal HouseholdRebalancer::Propose(const SearchState& state,
                                               const optimize::HouseholdSolution& solution) {
  HouseholdProposal proposal;
  proposal.household = input_.household;
  proposal.as_of = input_.as_of;
  proposal.value = value_;

  // Each account's trades rounded as if alone; then, across accounts, a group that still buys
  // somewhere and sells at a loss elsewhere (a trade too small to count as a conflict) loses
  // its buys: the wash-sale rule holds across the household.
  std::vector<TradeList> rounded;
  for (size_t a = 0; a < members_.size(); ++a) {
    const Member& member = members_[a];
    rounded.push_back(RoundTrades(member.model, Materialize(member.model, state.controls[a]),
                                  solution.accounts[a].buys, solution.accounts[a].sells));
  }
  std::vector<bool> sells_loss(groups_.size(), false), buys(groups_.size(), false);
  for (size_t a = 0; a < members_.size(); ++a) {
    const AccountModel& model = members_[a].model;
    for (size_t j = 0; j < model.lots.size(); ++j) {
      if (model.lots[j].reportable_loss && rounded[a].sells[j] > Shares()) {
        sells_loss[members_[a].household_group[model.securities[model.problem.lots[j].security].wash_group]] = true;
      }
    }
    for (size_t i = 0; i < model.securities.size(); ++i) {
      if (rounded[a].buys[i] > Shares()) buys[members_[a].household_group[model.securities[i].wash_group]] = true;
    }
  }
  for (size_t a = 0; a < members_.size(); ++a) {
    const AccountModel& model = members_[a].model;
    for (size_t i = 0; i < model.securities.size(); ++i) {
      const int group = members_[a].household_group[model.securities[i].wash_group];
      if (!sells_loss[group] || rounded[a].buys[i] <= Shares()) continue;
      const Shares shares = rounded[a].buys[i];
      rounded[a].cash_after += Value(shares, input_.accounts[a].securities[i].price) +
                               TradeCost(model, static_cast<int>(i), shares);
      rounded[a].buys[i] = Shares();
      proposal.notes.push_back("account " + model.input->account + ": the buy of " + model.problem.securities[i].symbol +
                               " is dropped: another account of the household sells its wash-sale group at a loss");
    }
  }

  // Each account's proposal, with the household's decisions on the groups it has.
  for (size_t a = 0; a < members_.size(); ++a) {
    const Member& member = members_[a];
    std::vector<WashSaleDecision> decisions;
    for (const HouseholdDecision& decision : state.decisions) {
      for (size_t g = 0; g < member.household_group.size(); ++g) {
        if (member.household_group[g] != decision.group) continue;
        decisions.push_back({static_cast<int>(g), decision.direction, decision.buys, decision.loss_sales});
      }
    }
    Proposal account = BuildProposal(member.model, state.controls[a], decisions, rounded[a]);
    account.notes.insert(account.notes.begin(), "rebalanced jointly with household " + input_.household +
                                                    "; tracking error against the household targets");
    proposal.accounts.push_back(std::move(account));
  }

  // The household before and after, on the problem without the discrete layer's choices.
  SearchState base;
  for (const Member& member : members_) base.controls.push_back(InitialControls(member.model));
  const optimize::HouseholdProblem problem = Assemble(base);
  std::vector<Eigen::VectorXd> none_bought, none_sold, bought, sold;
  for (size_t a = 0; a < members_.size(); ++a) {
    none_bought.push_back(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(input_.targets.size())));
    none_sold.push_back(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(members_[a].model.lots.size())));
    TradesAsDoubles(rounded[a], bought.emplace_back(), sold.emplace_back());
  }
  const optimize::HouseholdEvaluation before = optimize::EvaluateHousehold(problem, none_bought, none_sold);
  const optimize::HouseholdEvaluation after = optimize::EvaluateHousehold(problem, bought, sold);
  auto metrics = [](const optimize::HouseholdEvaluation& e) {
    HouseholdMetrics m;
    m.tracking_error = e.household.tracking_error;
    m.location = e.location;
    m.objective = e.household.terms;
    return m;
  };
  proposal.before = metrics(before);
  proposal.after = metrics(after);
  for (size_t a = 0; a < members_.size(); ++a) {
    proposal.before.cash += input_.accounts[a].cash.balance;
    proposal.after.cash += rounded[a].cash_after;
    proposal.after.tax += proposal.accounts[a].after.tax;
    proposal.after.cost += proposal.accounts[a].after.cost;
  }
  for (size_t g = 0; g < problem.groups.size(); ++g) {
    const auto k = static_cast<Eigen::Index>(g);
    proposal.group_drift.push_back(
        {problem.groups[g].name, before.household.group_active[k], after.household.group_active[k]});
  }
  CostBenefit& score = proposal.score;
  score.account_value = value_;
  score.dollars.risk = before.household.terms.risk - after.household.terms.risk;
  score.dollars.tax = before.household.terms.tax - after.household.terms.tax;
  score.dollars.cost = before.household.terms.cost - after.household.terms.cost;
  score.dollars.drift = before.household.terms.drift - after.household.terms.drift;
  proposal.location_benefit = before.location - after.location;
  score.total_dollars = score.dollars.total() + proposal.location_benefit;
  // A member measured alone against the household's targets scores nonsense (an IRA holding the
  // household's bonds is far from the household's mix by design), and the household trades as
  // one unit: each member's score is its value's share of the household's, so every member shows
  // the household's basis points and the members' dollars add up to the household's.
  for (Proposal& account : proposal.accounts) {
    const double share = value_ > 0 ? account.score.account_value / value_ : 0.0;
    account.score.dollars = {.risk = score.dollars.risk * share,
                             .tax = score.dollars.tax * share,
                             .cost = score.dollars.cost * share,
                             .drift = score.dollars.drift * share};
    account.score.total_dollars = score.total_dollars * share;
  }

  proposal.wash_sales = forced_;
  for (const HouseholdDecision& decision : state.decisions) {
    proposal.wash_sales.push_back(
        {groups_[decision.group], decision.direction,
         decision.direction == Direction::kSell
             ? "harvest: the household's losses (" + Dollars(decision.loss_sales) + ") are worth more than buying " +
                   Dollars(decision.buys) + " back now; no account buys the group"
             : "buy: " + Dollars(decision.buys) + " of purchases keep the household on target; no account sells it "
                   "at a loss (" + Dollars(decision.loss_sales) + " of losses wait)"});
  }
  if (state.tax_budget_dropped) {
    proposal.relaxations.push_back({RelaxationKind::kTaxBudget, "tax budget " + Dollars(input_.tax_budget->ToDouble()),
                                    "must-sell lots and cash needs come first and cannot be met within the "
                                    "household's tax budget; the proposal ignores it"});
  }
  proposal.solves = solves_;
  proposal.solve_seconds = seconds_;
  return proposal;
}

Result<HouseholdProposal> HouseholdRebalancer::Run() {
  ARBOR_RETURN_IF_ERROR(BuildMembers());
  SearchState relaxed;
  for (const Member& member : members_) relaxed.controls.push_back(member.controls);
  // A loss lot that must be sold in any account closes its group to buys in every account.
  for (size_t a = 0; a < members_.size(); ++a) {
    const AccountModel& model = members_[a].model;
    for (size_t j = 0; j < model.lots.size(); ++j) {
      if (!model.problem.lots[j].must_sell || !model.lots[j].reportable_loss) continue;
      const int group = members_[a].household_group[model.securities[model.problem.lots[j].security].wash_group];
      if (std::any_of(forced_.begin(), forced_.end(), [&](const WashSaleNote& n) { return n.group == groups_[group]; })) {
        continue;
      }
      SetDirection(relaxed, group, Direction::kSell);
      forced_.push_back({groups_[group], Direction::kSell,
                         "account " + model.input->account + " must sell a lot of it at a loss; no account buys it"});
    }
  }
  Result<optimize::HouseholdSolution> relaxation = Solve(relaxed);
  if (!relaxation.ok()) return relaxation.status();

  // Two starts, as for one account: the better result is kept (fewer relaxations first).
  std::optional<SearchState> best_state;
  std::optional<optimize::HouseholdSolution> best;
  auto relaxations = [](const SearchState& s) {
    size_t count = s.tax_budget_dropped ? 1 : 0;
    for (const Controls& c : s.controls) count += c.relaxations.size();
    return count;
  };
  for (ConflictRule rule : {ConflictRule::kWorthMore, ConflictRule::kLargerSide}) {
    SearchState state = relaxed;
    if (!FixConflicts(rule, *relaxation, state)) {
      best_state = state;
      best = *relaxation;
      break;  // no conflict at all
    }
    Result<optimize::HouseholdSolution> solution = SolveWithoutConflicts(rule, state);
    if (!solution.ok()) return solution.status();
    const bool better = !best || relaxations(state) < relaxations(*best_state) ||
                        (relaxations(state) == relaxations(*best_state) && solution->objective() < best->objective());
    if (better) {
      best_state = std::move(state);
      best = *std::move(solution);
    }
  }

  // Orders below an account's minimum trade are dropped and the household solved again.
  for (int round = 0; round < options_.max_min_trade_rounds; ++round) {
    SearchState dropped = *best_state;
    bool any = false;
    for (size_t a = 0; a < members_.size(); ++a) {
      any = DropSmallOrders(members_[a].model, best->accounts[a].buys, best->accounts[a].sells, dropped.controls[a]) ||
            any;
    }
    if (!any) break;
    Result<optimize::HouseholdSolution> resolved =
        SolveWithoutConflicts(ConflictRule::kWorthMore, dropped);
    if (!resolved.ok()) return resolved.status();
    if (relaxations(dropped) > relaxations(*best_state)) break;  // cash needs come first
    best_state = std::move(dropped);
    best = *std::move(resolved);
  }
  return Propose(*best_state, *best);
}

}  // namespace

Result<HouseholdProposal> RebalanceHousehold(const HouseholdRebalanceInput& input, const RebalanceOptions& options) {
  HouseholdRebalancer rebalancer(input, options);
  return rebalancer.Run();
}

}  // namespace arbor::review
