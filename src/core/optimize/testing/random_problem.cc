#include "core/optimize/testing/random_problem.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "core/optimize/testing/dense_qp.h"

namespace arbor::optimize::testing {
namespace {

// Uniform and normal variates from the standard's fixed mt19937_64 sequence.
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  double LogUniform(double lo, double hi) { return lo * std::exp(std::log(hi / lo) * Uniform()); }
  bool Chance(double probability) { return Uniform() < probability; }
  int Int(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(Uniform() * (hi - lo + 1));
  }
  double Normal() {  // Box-Muller; 1 - U keeps the logarithm finite
    double radius = std::sqrt(-2 * std::log(1 - Uniform()));
    return radius * std::cos(2 * std::numbers::pi * Uniform());
  }
  template <typename T, size_t N>
  T Pick(const T (&choices)[N]) {
    return choices[static_cast<size_t>(Uniform() * N)];
  }

 private:
  std::mt19937_64 engine_;
};

double RoundTo(double value, double unit) { return std::round(value / unit) * unit; }
double Cents(double dollars) { return RoundTo(dollars, 0.01); }

std::string Numbered(char prefix, int number, int width) {
  std::string digits = std::to_string(number);
  return prefix + std::string(std::max(0, width - static_cast<int>(digits.size())), '0') + digits;
}

// The spec's derived quantities at a trade list, computed here so the generator does not depend
// on the optimizer library it is meant to test.
struct PointQuantities {
  double normalizer = 0;
  double cash_after = 0;
  double traded = 0;
  double tax = 0;
  std::vector<double> weights;
};

double Normalizer(const Problem& problem) {
  double value = problem.cash.balance - problem.cash.withdrawal;
  for (const LotInput& lot : problem.lots) {
    value += problem.securities[lot.security].price * lot.shares;
  }
  return value;
}

std::vector<double> HeldShares(const Problem& problem) {
  std::vector<double> held(problem.securities.size(), 0.0);
  for (const LotInput& lot : problem.lots) held[lot.security] += lot.shares;
  return held;
}

PointQuantities Measure(const Problem& problem, const std::vector<double>& buys,
                        const std::vector<double>& sells) {
  PointQuantities q;
  q.normalizer = Normalizer(problem);
  std::vector<double> shares_after = HeldShares(problem);
  q.cash_after = problem.cash.balance - problem.cash.withdrawal;
  for (size_t i = 0; i < problem.securities.size(); ++i) {
    const SecurityInput& security = problem.securities[i];
    shares_after[i] += buys[i];
    double dollars = security.price * buys[i];
    q.traded += dollars;
    q.cash_after -= dollars * (1 + security.cost_rate);
  }
  for (size_t j = 0; j < problem.lots.size(); ++j) {
    const LotInput& lot = problem.lots[j];
    const SecurityInput& security = problem.securities[lot.security];
    shares_after[lot.security] -= sells[j];
    double dollars = security.price * sells[j];
    q.traded += dollars;
    q.cash_after += dollars * (1 - security.cost_rate);
    q.tax += lot.tax_rate * (security.price - lot.cost_basis_per_share) * sells[j];
  }
  for (size_t i = 0; i < problem.securities.size(); ++i) {
    q.weights.push_back(problem.securities[i].price * shares_after[i] / q.normalizer);
  }
  return q;
}

double GroupActive(const Problem& problem, const GroupInput& group,
                   const std::vector<double>& weights) {
  double active = 0;
  for (int member : group.members) {
    active += weights[member] - problem.securities[member].target_weight;
  }
  return active;
}

constexpr double kLongTermRates[] = {0.15, 0.20, 0.238};
constexpr double kShortTermRates[] = {0.32, 0.37, 0.408};
constexpr double kCostRates[] = {0.0, 0.0, 0.0005, 0.001, 0.002};
constexpr double kGroupPenalties[] = {0.0, 0.1, 0.5, 1.0, 2.0};

void AddSecurities(const RandomProblemShape& shape, Random& rng, Problem& problem) {
  const int n = shape.num_securities;
  const int width = n > 1000 ? 4 : 3;
  std::vector<double> raw_targets(n);
  double raw_total = 0;
  for (int i = 0; i < n; ++i) {
    raw_targets[i] = rng.Chance(0.1) ? 0.0 : std::pow(rng.Uniform(0.2, 1.0), 2);
    raw_total += raw_targets[i];
  }
  if (raw_total == 0) raw_total = raw_targets[0] = 1;
  const double invested = rng.Uniform(0.95, 1.0);  // the rest is the cash target
  for (int i = 0; i < n; ++i) {
    SecurityInput security;
    security.symbol = Numbered('S', i, width);
    security.price = Cents(rng.LogUniform(10, 500));
    security.target_weight = raw_targets[i] / raw_total * invested;
    security.cost_rate = rng.Pick(kCostRates);
    problem.securities.push_back(security);
  }
  if (shape.no_buy_securities) {
    for (SecurityInput& security : problem.securities) security.may_buy = !rng.Chance(0.15);
    problem.securities[rng.Int(0, n - 1)].may_buy = false;
  }
}

// Current holdings drift from the targets; each held position is split into lots bought at
// different prices.
void AddLotsAndCash(const RandomProblemShape& shape, Random& rng, Problem& problem) {
  const int n = shape.num_securities;
  std::vector<int> lot_counts(n);
  std::vector<double> raw_weights(n, 0.0);
  double raw_total = 0;
  for (int i = 0; i < n; ++i) {
    lot_counts[i] = rng.Int(shape.min_lots_per_security, shape.max_lots_per_security);
    if (lot_counts[i] == 0) continue;
    double target = problem.securities[i].target_weight;
    raw_weights[i] = target > 0 ? target * std::exp(0.35 * rng.Normal()) : rng.Uniform(0.002, 0.02);
    raw_total += raw_weights[i];
  }
  const double account_value = rng.LogUniform(shape.min_account_value, shape.max_account_value);
  const double cash_fraction = raw_total > 0 ? rng.Uniform(0.0, 0.06) : 1.0;
  problem.cash.balance = Cents(cash_fraction * account_value);

  const double loss_probability = shape.basis_mix == BasisMix::kGainsOnly    ? 0.0
                                  : shape.basis_mix == BasisMix::kLossesOnly ? 1.0
                                                                             : 0.4;
  for (int i = 0; i < n; ++i) {
    if (lot_counts[i] == 0) continue;
    const double price = problem.securities[i].price;
    const double position_shares =
        raw_weights[i] / raw_total * (1 - cash_fraction) * account_value / price;
    std::vector<double> split(lot_counts[i]);
    double split_total = 0;
    for (double& part : split) split_total += part = rng.Uniform(0.1, 1.0);
    for (double part : split) {
      LotInput lot;
      lot.id = Numbered('L', problem.num_lots() + 1, 1);
      lot.security = i;
      lot.shares = std::max(RoundTo(position_shares * part / split_total, 1e-4), 1e-3);
      lot.cost_basis_per_share = RoundTo(
          price * (rng.Chance(loss_probability) ? rng.Uniform(1.02, 1.8) : rng.Uniform(0.25, 0.98)),
          1e-4);
      lot.tax_rate = shape.tax_deferred ? 0.0
                     : rng.Chance(0.3)  ? rng.Pick(kShortTermRates)
                                        : rng.Pick(kLongTermRates);
      problem.lots.push_back(lot);
    }
  }
  const int m = problem.num_lots();
  if (m == 0) return;
  if (shape.must_sell_lots) {
    for (LotInput& lot : problem.lots) lot.must_sell = rng.Chance(0.12);
    problem.lots[rng.Int(0, m - 1)].must_sell = true;
  }
  if (shape.unsellable_lots) {
    for (LotInput& lot : problem.lots) lot.sellable = lot.must_sell || !rng.Chance(0.12);
    LotInput& lot = problem.lots[rng.Int(0, m - 1)];
    if (!lot.must_sell) lot.sellable = false;
  }
  if (shape.withdrawal) problem.cash.withdrawal = Cents(rng.Uniform(0.01, 0.08) * account_value);
}

// Sigma = X F X' + diag(d): a market factor plus style factors with random correlations.
void AddRisk(const RandomProblemShape& shape, Random& rng, Problem& problem) {
  const int n = shape.num_securities;
  const int k = shape.num_factors;
  const int rank = shape.factor_covariance_rank < 0 ? k : std::min(shape.factor_covariance_rank, k);
  RiskInput& risk = problem.risk;
  risk.aversion = shape.linear ? 0.0 : rng.LogUniform(1, 1000);

  // Rows of `correlation_root` are unit vectors, so root * root' is a correlation matrix of the
  // chosen rank; scaling by the factor volatilities gives a PSD covariance.
  Eigen::MatrixXd correlation_root(k, rank);
  for (int f = 0; f < k; ++f) {
    for (int r = 0; r < rank; ++r) correlation_root(f, r) = rng.Normal();
    double norm = correlation_root.row(f).norm();
    if (norm > 0) correlation_root.row(f) /= norm;
  }
  Eigen::VectorXd volatility(k);
  for (int f = 0; f < k; ++f) volatility(f) = rng.Uniform(0.08, 0.25);
  Eigen::MatrixXd covariance = volatility.asDiagonal() *
                               (correlation_root * correlation_root.transpose()) *
                               volatility.asDiagonal();
  risk.factor_covariance = (covariance + covariance.transpose()) / 2;

  risk.loadings = Eigen::MatrixXd::Zero(n, k);
  risk.specific_variance.resize(n);
  for (int i = 0; i < n; ++i) {
    if (k > 0 && !rng.Chance(0.05)) {  // a few securities have no factor exposure
      risk.loadings(i, 0) = RoundTo(1 + 0.35 * rng.Normal(), 1e-4);
      for (int f = 1; f < k; ++f) risk.loadings(i, f) = RoundTo(0.5 * rng.Normal(), 1e-4);
    }
    bool riskless = shape.riskless_securities && rng.Chance(0.15);
    risk.specific_variance(i) = riskless ? 0.0 : RoundTo(rng.Uniform(0.01, 0.1), 1e-4);
  }
}

// A plausible trade list: the must-sell lots, some other sales, enough sales to cover the
// withdrawal and a cash reserve, and purchases toward the targets with part of the proceeds.
struct Witness {
  std::vector<double> buys;
  std::vector<double> sells;
};

Witness DrawWitness(Random& rng, Problem& problem) {
  const int n = problem.num_securities();
  const int m = problem.num_lots();
  Witness witness{std::vector<double>(n, 0.0), std::vector<double>(m, 0.0)};
  auto proceeds = [&](int j) {
    const SecurityInput& security = problem.securities[problem.lots[j].security];
    return security.price * problem.lots[j].shares * (1 - security.cost_rate);
  };
  double cash = problem.cash.balance - problem.cash.withdrawal;
  for (int j = 0; j < m; ++j) {
    const LotInput& lot = problem.lots[j];
    if (lot.must_sell) {
      witness.sells[j] = lot.shares;
    } else if (lot.sellable) {
      double draw = rng.Uniform();
      witness.sells[j] = draw < 0.5 ? 0.0 : draw < 0.75 ? lot.shares : lot.shares * rng.Uniform();
    }
    cash += proceeds(j) * witness.sells[j] / lot.shares;
  }
  double reserve = rng.Uniform(0.002, 0.02) * Normalizer(problem);
  for (int j = 0; j < m && cash < reserve; ++j) {
    const LotInput& lot = problem.lots[j];
    if (!lot.sellable || witness.sells[j] == lot.shares) continue;
    cash += proceeds(j) * (lot.shares - witness.sells[j]) / lot.shares;
    witness.sells[j] = lot.shares;
  }
  if (cash < reserve) {  // even selling everything falls short: withdraw less
    double cut = std::min(problem.cash.withdrawal, reserve - cash);
    problem.cash.withdrawal -= cut;
    cash += cut;
    reserve = std::min(reserve, cash);
  }
  double buyable_target = 0;
  for (const SecurityInput& security : problem.securities) {
    if (security.may_buy) buyable_target += security.target_weight;
  }
  if (buyable_target > 0 && cash > reserve) {
    double spend = rng.Uniform() * (cash - reserve);
    for (int i = 0; i < n; ++i) {
      const SecurityInput& security = problem.securities[i];
      if (!security.may_buy) continue;
      witness.buys[i] = spend * security.target_weight / buyable_target /
                        (security.price * (1 + security.cost_rate));
    }
  }
  return witness;
}

// Room beyond the witness: usually some, sometimes almost none, so that bounds bind.
double Slack(Random& rng, double typical) {
  return rng.Chance(0.3) ? rng.Uniform(0, 0.02 * typical) : rng.Uniform(0, typical);
}

void AddGroups(const RandomProblemShape& shape, Random& rng, Problem& problem) {
  const int n = shape.num_securities;
  for (int g = 0; g < shape.num_groups; ++g) {
    GroupInput group;
    group.name = Numbered('G', g, 1);
    double membership = rng.Uniform(0.05, 0.5);
    for (int i = 0; i < n; ++i) {
      if (rng.Chance(membership)) group.members.push_back(i);
    }
    if (group.members.empty()) group.members.push_back(rng.Int(0, n - 1));
    group.penalty = rng.Pick(kGroupPenalties);
    problem.groups.push_back(group);
  }
}

// Places every optional bound of the shape so that the witness satisfies it.
void AddBounds(const RandomProblemShape& shape, Random& rng, const Witness& witness,
               Problem& problem) {
  const PointQuantities at = Measure(problem, witness.buys, witness.sells);
  const double v = at.normalizer;
  if (shape.cash_min) {
    double fraction = rng.Chance(0.3) ? rng.Uniform(0.95, 1.0) : rng.Uniform(0.0, 0.95);
    problem.cash.min = std::floor(std::max(at.cash_after, 0.0) * fraction * 100) / 100;
  }
  if (shape.cash_max) {
    problem.cash.max = std::ceil((at.cash_after + Slack(rng, 0.03 * v)) * 100) / 100;
  }
  if (shape.weight_bounds) {
    for (int i = 0; i < problem.num_securities(); ++i) {
      if (!rng.Chance(0.35)) continue;
      SecurityInput& security = problem.securities[i];
      const double w = at.weights[i];
      if (rng.Chance(0.5)) security.min_weight = std::max(0.0, w - Slack(rng, w));
      if (rng.Chance(0.6)) security.max_weight = std::min(1.0, w + Slack(rng, 0.03));
    }
  }
  if (shape.group_bounds) {
    for (GroupInput& group : problem.groups) {
      if (rng.Chance(0.5)) {
        group.max_active = std::abs(GroupActive(problem, group, at.weights)) + Slack(rng, 0.02);
      }
    }
  }
  if (shape.tax_budget) problem.tax_budget = std::max(at.tax, 0.0) + Slack(rng, 0.003 * v);
  if (shape.turnover_cap) problem.turnover_max = at.traded + Slack(rng, 0.1 * v);
}

}  // namespace

Problem RandomProblem(const RandomProblemShape& shape, uint64_t seed) {
  Random rng(seed);
  Problem problem;
  AddSecurities(shape, rng, problem);
  AddLotsAndCash(shape, rng, problem);
  AddRisk(shape, rng, problem);
  AddGroups(shape, rng, problem);
  const Witness witness = DrawWitness(rng, problem);
  AddBounds(shape, rng, witness, problem);
  return problem;
}

namespace {

// The toggles an account's and a household's shapes share, drawn in one order for both.
template <typename Shape>
void DrawConstraints(Random& rng, int max_groups, Shape& shape) {
  shape.must_sell_lots = rng.Chance(0.3);
  shape.unsellable_lots = rng.Chance(0.3);
  shape.no_buy_securities = rng.Chance(0.3);
  shape.weight_bounds = rng.Chance(0.4);
  shape.num_groups = rng.Chance(0.6) ? rng.Int(1, max_groups) : 0;
  shape.group_bounds = rng.Chance(0.5);
  shape.tax_budget = rng.Chance(0.3);
  shape.turnover_cap = rng.Chance(0.3);
  shape.cash_min = rng.Chance(0.85);
  shape.cash_max = rng.Chance(0.25);
  shape.withdrawal = rng.Chance(0.3);
  shape.linear = rng.Chance(0.2);
}

}  // namespace

RandomProblemShape RandomShape(uint64_t seed, int max_securities) {
  Random rng(seed ^ 0x5ca1ab1e0ddba11ULL);  // unrelated to RandomProblem's stream for the same seed
  RandomProblemShape shape;
  shape.num_securities = rng.Chance(0.1) ? rng.Int(1, 3) : rng.Int(2, max_securities);
  shape.min_lots_per_security = rng.Chance(0.7) ? 0 : 1;
  shape.max_lots_per_security =
      rng.Chance(0.03) ? 0 : rng.Int(std::max(1, shape.min_lots_per_security), 6);
  shape.min_lots_per_security = std::min(shape.min_lots_per_security, shape.max_lots_per_security);
  shape.num_factors = rng.Int(0, 6);
  if (shape.num_factors > 0 && rng.Chance(0.15)) {
    shape.factor_covariance_rank = rng.Int(0, shape.num_factors - 1);
  }
  DrawConstraints(rng, 6, shape);
  shape.tax_deferred = rng.Chance(0.15);
  double basis = rng.Uniform();
  shape.basis_mix = basis < 0.7    ? BasisMix::kGainsAndLosses
                    : basis < 0.85 ? BasisMix::kGainsOnly
                                   : BasisMix::kLossesOnly;
  shape.riskless_securities = rng.Chance(0.15);
  return shape;
}

const char* NameOf(InfeasibleKind kind) {
  switch (kind) {
    case InfeasibleKind::kCashMin:
      return "cash_min";
    case InfeasibleKind::kCashMax:
      return "cash_max";
    case InfeasibleKind::kWeightAboveMax:
      return "weight_above_max";
    case InfeasibleKind::kWeightBelowMin:
      return "weight_below_min";
    case InfeasibleKind::kGroupBound:
      return "group_bound";
    case InfeasibleKind::kConflictingGroupBounds:
      return "conflicting_group_bounds";
    case InfeasibleKind::kTaxBudgetWithMustSell:
      return "tax_budget_with_must_sell";
    case InfeasibleKind::kTurnoverWithMustSell:
      return "turnover_with_must_sell";
    case InfeasibleKind::kCashAgainstTaxBudget:
      return "cash_against_tax_budget";
    case InfeasibleKind::kCashAgainstTurnover:
      return "cash_against_turnover";
  }
  return "unknown";
}

namespace {

// Sets one security's target, scaling the others down so that the targets' sum does not grow.
void SetTarget(Problem& problem, int security, double target) {
  double others = 0;
  for (const SecurityInput& s : problem.securities) others += s.target_weight;
  others -= problem.securities[security].target_weight;
  const double room =
      std::max(0.0, std::min(1.0, others + problem.securities[security].target_weight) - target);
  for (SecurityInput& s : problem.securities) {
    if (others > 0) s.target_weight *= room / others;
  }
  problem.securities[security].target_weight = target;
}

// The least of a per-dollar `price` paid for raising `needed` dollars of proceeds from the
// lots, each sold dollar of lot j raising (1 - k) dollars at a price of `price_per_dollar(j)`:
// a fractional knapsack, so cheapest first is exact.
template <typename PricePerDollar>
double CheapestWayToRaise(const Problem& problem, double needed, PricePerDollar price_per_dollar) {
  std::vector<int> order(problem.lots.size());
  for (size_t j = 0; j < order.size(); ++j) order[j] = static_cast<int>(j);
  auto price_per_proceeds = [&](int j) {
    return price_per_dollar(j) / (1 - problem.securities[problem.lots[j].security].cost_rate);
  };
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return price_per_proceeds(a) < price_per_proceeds(b); });
  double paid = 0;
  for (int j : order) {
    if (needed <= 0) break;
    const LotInput& lot = problem.lots[j];
    const SecurityInput& security = problem.securities[lot.security];
    const double proceeds =
        std::min(needed, security.price * lot.shares * (1 - security.cost_rate));
    paid += proceeds * price_per_proceeds(j);
    needed -= proceeds;
  }
  return paid;
}

}  // namespace

InfeasibleInstance InfeasibleProblem(InfeasibleKind kind, uint64_t seed) {
  Random rng(seed ^ 0xbadc0ffee0ddf00dULL);
  // A base whose no-trade point meets every constraint (no withdrawal, cash minimum 0, no other
  // bounds), so that what is changed below is all that cannot be met.
  const bool gains_only = kind == InfeasibleKind::kTaxBudgetWithMustSell ||
                          kind == InfeasibleKind::kCashAgainstTaxBudget;
  RandomProblemShape shape;
  shape.num_securities = rng.Int(3, 25);
  shape.min_lots_per_security = 1;
  shape.max_lots_per_security = rng.Int(1, 4);
  shape.num_factors = rng.Int(0, 4);
  shape.num_groups = rng.Int(0, 3);
  shape.cash_min = false;
  shape.linear = rng.Chance(0.2);
  shape.basis_mix = gains_only ? BasisMix::kGainsOnly : BasisMix::kGainsAndLosses;
  InfeasibleInstance instance{RandomProblem(shape, seed), kind, ""};
  Problem& problem = instance.problem;
  problem.cash.min = 0.0;

  const double v = Normalizer(problem);
  const std::vector<double> held = HeldShares(problem);
  const int n = problem.num_securities();
  int chosen = rng.Int(0, n - 1);
  if (kind == InfeasibleKind::kGroupBound || kind == InfeasibleKind::kConflictingGroupBounds) {
    // The group's raised target must still fit below 1: take the smallest position.
    for (int i = 0; i < n; ++i) {
      if (problem.securities[i].price * held[i] < problem.securities[chosen].price * held[chosen]) {
        chosen = i;
      }
    }
  }
  SecurityInput& security = problem.securities[chosen];
  const double chosen_weight = security.price * held[chosen] / v;
  std::vector<int> lots_of_chosen;
  for (int j = 0; j < problem.num_lots(); ++j) {
    if (problem.lots[j].security == chosen) lots_of_chosen.push_back(j);
  }
  LotInput& chosen_lot =
      problem.lots[lots_of_chosen[rng.Int(0, static_cast<int>(lots_of_chosen.size()) - 1)]];
  double sellable_proceeds = 0;
  for (const LotInput& lot : problem.lots) {
    const SecurityInput& s = problem.securities[lot.security];
    sellable_proceeds += s.price * lot.shares * (1 - s.cost_rate);
  }
  switch (kind) {
    case InfeasibleKind::kCashMin:
      problem.cash.min = problem.cash.balance + sellable_proceeds + rng.Uniform(0.005, 0.05) * v;
      break;
    case InfeasibleKind::kCashMax:
      for (SecurityInput& s : problem.securities) s.may_buy = false;
      problem.cash.min.reset();
      problem.cash.balance = std::max(problem.cash.balance, Cents(0.02 * v));
      problem.cash.max = Cents(problem.cash.balance * rng.Uniform(0.2, 0.8));
      break;
    case InfeasibleKind::kWeightAboveMax:
      for (int j : lots_of_chosen) problem.lots[j].sellable = false;
      security.max_weight = chosen_weight * rng.Uniform(0.3, 0.9);
      instance.culprit = security.symbol;
      break;
    case InfeasibleKind::kWeightBelowMin:
      security.may_buy = false;
      security.min_weight = std::min(1.0, chosen_weight + rng.Uniform(0.005, 0.05));
      instance.culprit = security.symbol;
      break;
    case InfeasibleKind::kGroupBound: {
      // The member may not be bought, so the group's weight cannot rise above today's, and its
      // target is raised until that is further below it than the bound allows.
      GroupInput group{
          .name = "Restricted", .members = {chosen}, .penalty = rng.Pick(kGroupPenalties)};
      group.max_active = rng.Uniform(0.01, 0.03);
      security.may_buy = false;
      SetTarget(problem, chosen, chosen_weight + *group.max_active + rng.Uniform(0.01, 0.05));
      problem.groups.push_back(group);
      instance.culprit = group.name;
      break;
    }
    case InfeasibleKind::kConflictingGroupBounds: {
      // The chosen security is locked (no buys, no sales) and underweight by `gap`. Group Core
      // holds up to three other securities and Wide holds Core and the locked one:
      // active_Wide = active_Core - gap, so |active_Core| <= a1 forces active_Wide < -a2. Each
      // bound alone can be met by trading Core's members.
      for (int j : lots_of_chosen) problem.lots[j].sellable = false;
      security.may_buy = false;
      GroupInput core{.name = "Core",
                      .penalty = rng.Pick(kGroupPenalties),
                      .max_active = rng.Uniform(0.005, 0.02)};
      for (int step = 1; step <= std::min(3, n - 1); ++step) {
        core.members.push_back((chosen + step) % n);
      }
      GroupInput wide{.name = "Wide",
                      .members = core.members,
                      .penalty = rng.Pick(kGroupPenalties),
                      .max_active = rng.Uniform(0.005, 0.02)};
      wide.members.push_back(chosen);
      SetTarget(problem, chosen,
                chosen_weight + *core.max_active + *wide.max_active + rng.Uniform(0.01, 0.03));
      problem.groups.push_back(core);
      problem.groups.push_back(wide);
      break;
    }
    case InfeasibleKind::kTaxBudgetWithMustSell: {
      chosen_lot.must_sell = true;
      chosen_lot.cost_basis_per_share = RoundTo(security.price * rng.Uniform(0.3, 0.6), 1e-4);
      chosen_lot.tax_rate = 0.238;
      double forced_tax = chosen_lot.tax_rate * (security.price - chosen_lot.cost_basis_per_share) *
                          chosen_lot.shares;
      problem.tax_budget = forced_tax * rng.Uniform(0.2, 0.8);
      break;
    }
    case InfeasibleKind::kTurnoverWithMustSell:
      chosen_lot.must_sell = true;
      problem.turnover_max = security.price * chosen_lot.shares * rng.Uniform(0.2, 0.8);
      break;
    case InfeasibleKind::kCashAgainstTaxBudget: {
      // Raising the cash minimum means selling gains; the budget allows part of the least tax
      // that costs. Either constraint alone can be met.
      const double needed = rng.Uniform(0.2, 0.6) * sellable_proceeds;
      problem.cash.min = problem.cash.balance + needed;
      problem.tax_budget = rng.Uniform(0.3, 0.7) * CheapestWayToRaise(problem, needed, [&](int j) {
                             const LotInput& lot = problem.lots[j];
                             const double price = problem.securities[lot.security].price;
                             return lot.tax_rate * (price - lot.cost_basis_per_share) / price;
                           });
      break;
    }
    case InfeasibleKind::kCashAgainstTurnover: {
      const double needed = rng.Uniform(0.2, 0.6) * sellable_proceeds;
      problem.cash.min = problem.cash.balance + needed;
      problem.turnover_max =
          rng.Uniform(0.3, 0.7) * CheapestWayToRaise(problem, needed, [](int) { return 1.0; });
      break;
    }
  }
  return instance;
}

Problem BenchmarkAccount(int num_securities, int num_factors, int lots_per_security,
                         uint64_t seed) {
  RandomProblemShape shape;
  shape.num_securities = num_securities;
  shape.min_lots_per_security = lots_per_security;
  shape.max_lots_per_security = lots_per_security;
  shape.num_factors = num_factors;
  shape.must_sell_lots = true;
  shape.unsellable_lots = true;
  shape.no_buy_securities = true;
  shape.weight_bounds = true;
  shape.num_groups = 15;
  shape.group_bounds = true;
  shape.tax_budget = true;
  shape.cash_min = true;
  return RandomProblem(shape, seed);
}

namespace {

constexpr const char* kAccountTypes[] = {"taxable", "traditional_ira", "roth_ira", "401k"};
constexpr double kDriftPenalties[] = {0.01, 0.05, 0.2};

// The shape the household's securities, risk, groups and each account's lots are drawn with.
RandomProblemShape PieceShape(const HouseholdShape& shape) {
  RandomProblemShape piece;
  piece.num_securities = shape.num_securities;
  piece.min_lots_per_security = shape.min_lots_per_security;
  piece.max_lots_per_security = shape.max_lots_per_security;
  piece.num_factors = shape.num_factors;
  piece.min_account_value = 20e3;
  piece.max_account_value = 5e6;
  piece.must_sell_lots = shape.must_sell_lots;
  piece.unsellable_lots = shape.unsellable_lots;
  piece.no_buy_securities = shape.no_buy_securities;
  piece.weight_bounds = shape.weight_bounds;
  piece.num_groups = shape.num_groups;
  piece.group_bounds = shape.group_bounds;
  piece.tax_budget = shape.tax_budget;
  piece.turnover_cap = shape.turnover_cap;
  piece.cash_min = shape.cash_min;
  piece.cash_max = shape.cash_max;
  piece.withdrawal = shape.withdrawal;
  piece.linear = shape.linear;
  return piece;
}

// An account's type, buy permissions, cost rates and preferences; its lots and cash come later.
HouseholdAccountInput RandomAccountSettings(const HouseholdShape& shape, const Problem& base, int a,
                                            Random& rng) {
  HouseholdAccountInput account;
  account.id = Numbered('A', a + 1, 1);
  account.type = a == 0 ? "taxable" : rng.Pick(kAccountTypes);
  std::vector<int> buyable;
  for (int i = 0; i < base.num_securities(); ++i) {
    if (base.securities[i].may_buy) buyable.push_back(i);
  }
  if (account.type == std::string("401k")) {  // a small menu of funds
    std::vector<int>& menu = account.allowed.emplace();
    for (int k = rng.Int(1, 4); k > 0 && !buyable.empty(); --k) {
      const int pick = rng.Int(0, static_cast<int>(buyable.size()) - 1);
      menu.push_back(buyable[pick]);
      buyable.erase(buyable.begin() + pick);
    }
    std::sort(menu.begin(), menu.end());
  } else if (rng.Chance(0.25)) {  // the account's own restrictions, sometimes leaving nothing
    std::vector<int>& allowed = account.allowed.emplace();
    for (int i : buyable) {
      if (rng.Chance(0.8)) allowed.push_back(i);
    }
  }
  if (rng.Chance(0.3)) {
    for (int i = 0; i < base.num_securities(); ++i)
      account.cost_rates.push_back(rng.Pick(kCostRates));
  }
  if (shape.location && rng.Chance(0.7)) {
    for (int i = 0; i < base.num_securities(); ++i) {
      account.location.push_back(rng.Chance(0.5) ? RoundTo(rng.Uniform(-0.004, 0.004), 1e-5) : 0.0);
    }
  }
  if (shape.drift_penalty && rng.Chance(0.5)) account.drift_penalty = rng.Pick(kDriftPenalties);
  return account;
}

// Draws the account's lots and cash: zero tax rates outside taxable accounts, and a 401k holds
// only its menu.
void AddAccountLots(const RandomProblemShape& piece, int a, Random& rng,
                    HouseholdProblem& household) {
  HouseholdAccountInput& account = household.accounts[a];
  RandomProblemShape account_piece = piece;
  account_piece.tax_deferred = account.type != std::string("taxable");
  Problem alone = AccountAlone(household, a);
  AddLotsAndCash(account_piece, rng, alone);
  if (account.type == std::string("401k")) {
    // The withdrawal shrinks with the account, staying the same fraction of its value.
    const double value_before = Normalizer(alone) + alone.cash.withdrawal;
    const std::vector<int>& menu = *account.allowed;
    std::erase_if(alone.lots, [&](const LotInput& lot) {
      return std::find(menu.begin(), menu.end(), lot.security) == menu.end();
    });
    const double value_after = Normalizer(alone) + alone.cash.withdrawal;
    alone.cash.withdrawal = Cents(alone.cash.withdrawal * value_after / value_before);
  }
  for (size_t j = 0; j < alone.lots.size(); ++j) {
    alone.lots[j].id = account.id + "-" + Numbered('L', static_cast<int>(j) + 1, 1);
  }
  account.lots = std::move(alone.lots);
  account.cash = alone.cash;
}

// Each account's witness and cash bounds, then the household's bounds at the sum of the
// witnesses (the accounts' lots side by side make the household's weights, tax and turnover).
void AddHouseholdBounds(const RandomProblemShape& piece, Random& rng, HouseholdProblem& household) {
  const int n = household.num_securities();
  RandomProblemShape cash_bounds;
  cash_bounds.cash_min = piece.cash_min;
  cash_bounds.cash_max = piece.cash_max;
  Problem merged{.securities = household.securities, .groups = household.groups};
  Witness merged_witness{std::vector<double>(n, 0.0), {}};
  for (int a = 0; a < household.num_accounts(); ++a) {
    Problem alone = AccountAlone(household, a);
    const Witness witness = DrawWitness(rng, alone);
    AddBounds(cash_bounds, rng, witness, alone);
    household.accounts[a].cash = alone.cash;
    for (int i = 0; i < n; ++i) merged_witness.buys[i] += witness.buys[i];
    merged_witness.sells.insert(merged_witness.sells.end(), witness.sells.begin(),
                                witness.sells.end());
    merged.lots.insert(merged.lots.end(), alone.lots.begin(), alone.lots.end());
    merged.cash.balance += alone.cash.balance;
    merged.cash.withdrawal += alone.cash.withdrawal;
  }
  RandomProblemShape household_bounds = piece;
  household_bounds.cash_min = household_bounds.cash_max = false;
  AddBounds(household_bounds, rng, merged_witness, merged);
  household.securities = merged.securities;
  household.groups = merged.groups;
  household.tax_budget = merged.tax_budget;
  household.turnover_max = merged.turnover_max;
}

}  // namespace

HouseholdProblem RandomHouseholdProblem(const HouseholdShape& shape, uint64_t seed) {
  Random rng(seed ^ 0x40b5e401d5ca1e5ULL);
  const RandomProblemShape piece = PieceShape(shape);
  Problem base;
  AddSecurities(piece, rng, base);
  AddRisk(piece, rng, base);
  AddGroups(piece, rng, base);
  HouseholdProblem household{
      .securities = base.securities, .risk = base.risk, .groups = base.groups};
  for (int a = 0; a < shape.num_accounts; ++a) {
    household.accounts.push_back(RandomAccountSettings(shape, base, a, rng));
    AddAccountLots(piece, a, rng, household);
  }
  AddHouseholdBounds(piece, rng, household);
  return household;
}

HouseholdShape RandomHouseholdShape(uint64_t seed, int max_securities) {
  Random rng(seed ^ 0x70b5e4015ba9e5ULL);
  HouseholdShape shape;
  shape.num_securities = rng.Int(2, max_securities);
  shape.num_accounts = rng.Int(2, 5);
  shape.max_lots_per_security = rng.Int(1, 3);
  shape.num_factors = rng.Int(0, 4);
  DrawConstraints(rng, 4, shape);
  shape.location = rng.Chance(0.6);
  shape.drift_penalty = rng.Chance(0.4);
  return shape;
}

const char* NameOf(HouseholdInfeasibleKind kind) {
  switch (kind) {
    case HouseholdInfeasibleKind::kAccountCashMin:
      return "account_cash_min";
    case HouseholdInfeasibleKind::kWeightAboveMax:
      return "weight_above_max";
    case HouseholdInfeasibleKind::kTurnoverWithMustSell:
      return "turnover_with_must_sell";
  }
  return "unknown";
}

HouseholdProblem InfeasibleHousehold(HouseholdInfeasibleKind kind, uint64_t seed) {
  Random rng(seed ^ 0x1f2e3d4c5b6a7980ULL);
  // A base whose no-trade point meets every constraint (no withdrawal, cash minimums 0, no
  // other bounds), so that what is changed below is all that cannot be met.
  HouseholdShape shape;
  shape.num_securities = rng.Int(3, 10);
  shape.num_accounts = rng.Int(2, 4);
  shape.min_lots_per_security = 1;
  shape.num_factors = rng.Int(0, 3);
  shape.num_groups = rng.Int(0, 2);
  shape.cash_min = false;
  shape.linear = rng.Chance(0.2);
  shape.location = rng.Chance(0.5);
  shape.drift_penalty = rng.Chance(0.3);
  HouseholdProblem household = RandomHouseholdProblem(shape, seed);
  for (HouseholdAccountInput& account : household.accounts) account.cash.min = 0.0;
  const int n = household.num_securities();
  std::vector<double> position(n, 0.0);
  double household_value = 0;
  for (const HouseholdAccountInput& account : household.accounts) {
    household_value += account.cash.balance;
    for (const LotInput& lot : account.lots) {
      position[lot.security] += household.securities[lot.security].price * lot.shares;
      household_value += household.securities[lot.security].price * lot.shares;
    }
  }
  switch (kind) {
    case HouseholdInfeasibleKind::kAccountCashMin: {
      HouseholdAccountInput& account = household.accounts.back();
      const Problem alone = AccountAlone(household, household.num_accounts() - 1);
      double proceeds = 0;
      for (const LotInput& lot : alone.lots) {
        const SecurityInput& security = alone.securities[lot.security];
        proceeds += security.price * lot.shares * (1 - security.cost_rate);
      }
      const double needed = Cents(proceeds + rng.Uniform(0.005, 0.05) * household_value);
      account.cash.min = account.cash.balance + needed;
      household.accounts.front().cash.balance += needed;  // the household has the cash
      break;
    }
    case HouseholdInfeasibleKind::kWeightAboveMax: {
      const int chosen =
          static_cast<int>(std::max_element(position.begin(), position.end()) - position.begin());
      for (HouseholdAccountInput& account : household.accounts) {
        for (LotInput& lot : account.lots) {
          if (lot.security == chosen) lot.sellable = false;
        }
      }
      household.securities[chosen].max_weight =
          position[chosen] / household_value * rng.Uniform(0.3, 0.9);
      break;
    }
    case HouseholdInfeasibleKind::kTurnoverWithMustSell: {
      // A lot of the last account holding any.
      int chosen = 0;
      for (int a = 0; a < household.num_accounts(); ++a) {
        if (!household.accounts[a].lots.empty()) chosen = a;
      }
      std::vector<LotInput>& lots = household.accounts[chosen].lots;
      LotInput& lot = lots[rng.Int(0, static_cast<int>(lots.size()) - 1)];
      lot.must_sell = true;
      household.turnover_max =
          household.securities[lot.security].price * lot.shares * rng.Uniform(0.2, 0.8);
      break;
    }
  }
  return household;
}

namespace {

struct BenchmarkEtf {
  const char* symbol;
  double price;
  double target_share;  // of the targets left to the ETFs
  double market_loading;
  double specific_variance;
};
constexpr BenchmarkEtf kBenchmarkEtfs[] = {{"VTI", 250.0, 0.10, 1.0, 0.0002},
                                           {"VXUS", 60.0, 0.25, 0.9, 0.003},
                                           {"BND", 72.0, 0.50, 0.05, 0.0004},
                                           {"VNQ", 88.0, 0.15, 0.8, 0.01}};

// An ETF account's holdings: fractions of its value per ETF (the rest is cash), each position
// split into `lots` lots with random bases.
struct EtfHoldings {
  const char* id;
  const char* type;
  double share_of_taxable;  // the account's value over the taxable account's
  double fractions[4];      // per kBenchmarkEtfs entry
  bool etfs_only;           // may buy only the ETFs
};
constexpr EtfHoldings kEtfAccounts[] = {
    {"IRA", "traditional_ira", 0.3, {0.28, 0.0, 0.60, 0.10}, false},
    {"ROTH", "roth_ira", 0.1, {0.50, 0.48, 0.0, 0.0}, true},
    {"401K", "401k", 0.2, {0.70, 0.0, 0.28, 0.0}, true}};

}  // namespace

HouseholdProblem BenchmarkHousehold(int num_securities, int num_factors, int lots_per_security,
                                    uint64_t seed) {
  Random rng(seed ^ 0x4b0e5e401dULL);
  Problem taxable = BenchmarkAccount(num_securities, num_factors, lots_per_security, seed);
  const int n = taxable.num_securities();
  const double taxable_value = Normalizer(taxable);
  double household_value = taxable_value;
  for (const EtfHoldings& holdings : kEtfAccounts) {
    household_value += holdings.share_of_taxable * taxable_value;
  }
  const double scale = taxable_value / household_value;
  double index_targets = 0;
  for (SecurityInput& security : taxable.securities) {
    index_targets += security.target_weight;
    security.target_weight *= scale;
    security.min_weight *= scale;
    security.max_weight *= scale;
  }
  for (GroupInput& group : taxable.groups) {
    if (group.max_active) *group.max_active *= scale;
  }

  HouseholdProblem household{.securities = taxable.securities,
                             .risk = taxable.risk,
                             .groups = taxable.groups,
                             .tax_budget = taxable.tax_budget};
  const int etfs = static_cast<int>(std::size(kBenchmarkEtfs));
  household.risk.loadings.conservativeResize(n + etfs, Eigen::NoChange);
  household.risk.specific_variance.conservativeResize(n + etfs);
  for (int e = 0; e < etfs; ++e) {
    const BenchmarkEtf& etf = kBenchmarkEtfs[e];
    household.securities.push_back({.symbol = etf.symbol,
                                    .price = etf.price,
                                    .target_weight = (1 - scale) * index_targets * etf.target_share,
                                    .cost_rate = 0.0002});
    household.risk.loadings.row(n + e).setZero();
    if (num_factors > 0) household.risk.loadings(n + e, 0) = etf.market_loading;
    household.risk.specific_variance(n + e) = etf.specific_variance;
  }
  household.accounts.push_back(
      {.id = "TAXABLE", .type = "taxable", .cash = taxable.cash, .lots = taxable.lots});
  for (const EtfHoldings& holdings : kEtfAccounts) {
    HouseholdAccountInput account{.id = holdings.id, .type = holdings.type};
    const double value = holdings.share_of_taxable * taxable_value;
    double invested = 0;
    for (int e = 0; e < etfs; ++e) {
      const double dollars = holdings.fractions[e] * value;
      invested += dollars;
      if (dollars == 0) continue;
      const BenchmarkEtf& etf = kBenchmarkEtfs[e];
      for (int part = 0; part < 2; ++part) {
        account.lots.push_back(
            {.id = account.id + "-" + etf.symbol + "-" + std::to_string(part + 1),
             .security = n + e,
             .shares = RoundTo(dollars / 2 / etf.price, 1e-4),
             .cost_basis_per_share = RoundTo(etf.price * rng.Uniform(0.5, 1.3), 1e-4),
             .tax_rate = 0.0});
      }
    }
    account.cash = {.balance = Cents(value - invested), .min = 0.0};
    if (holdings.etfs_only) {
      account.allowed.emplace();
      for (int e = 0; e < etfs; ++e) account.allowed->push_back(n + e);
    }
    household.accounts.push_back(std::move(account));
  }
  return household;
}

}  // namespace arbor::optimize::testing
