#include "core/review/testing/random_account.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <string>

namespace arbor::review::testing {
namespace {

// Uniform and normal variates from the standard's fixed mt19937_64 sequence.
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  double LogUniform(double lo, double hi) { return lo * std::exp(std::log(hi / lo) * Uniform()); }
  bool Chance(double probability) { return Uniform() < probability; }
  int Int(int lo, int hi) { return lo + static_cast<int>(Uniform() * (hi - lo + 1)); }
  double Normal() {
    const double radius = std::sqrt(-2 * std::log(1 - Uniform()));
    return radius * std::cos(2 * std::numbers::pi * Uniform());
  }

 private:
  std::mt19937_64 engine_;
};

const Date kAsOf = *Date::Parse("2024-06-28");
constexpr int64_t kMicrosPerThousandth = 1000;

Price Cents(double dollars) { return Price::FromMicros(std::llround(dollars * 100) * 10'000); }

// `dollars` worth of shares at `price`, in thousandths of a share (whole shares if not fractional).
Shares SharesWorth(double dollars, Price price, bool fractional) {
  const double shares = dollars / price.ToDouble();
  if (!fractional) return Shares::Units(std::max<int64_t>(1, std::llround(shares)));
  return Shares::FromMicros(std::max<int64_t>(1, std::llround(shares * 1000)) *
                            kMicrosPerThousandth);
}

std::string Symbol(int i) {
  std::string digits = std::to_string(i + 1);
  return "S" + std::string(digits.size() < 3 ? 3 - digits.size() : 0, '0') + digits;
}

// Splits a position worth `dollars` into lots with bases around the price, some bought in the
// last 30 days; records those as the taxpayer's recent purchases.
void AddLots(Random& random, RebalanceInput& input, const RebalanceSecurity& security,
             double dollars, int lots, int max_age_days, double recent_share) {
  for (int k = 0; k < lots; ++k) {
    RebalanceLot lot;
    lot.id = "L" + std::to_string(k + 1);
    lot.symbol = security.symbol;
    lot.shares =
        SharesWorth(dollars / lots * random.Uniform(0.5, 1.5), security.price, security.fractional);
    const double basis_per_share = security.price.ToDouble() * std::exp(0.35 * random.Normal());
    lot.basis = Money::FromDouble(basis_per_share * lot.shares.ToDouble());
    const bool recent = random.Chance(recent_share);
    lot.acquired = kAsOf.AddDays(-(recent ? random.Int(0, 30) : random.Int(31, max_age_days)));
    lot.holding_period_date = lot.acquired;
    if (recent) {
      input.recent_purchases.push_back({.wash_sale_group = security.wash_sale_group,
                                        .account = input.account,
                                        .symbol = security.symbol,
                                        .lot_id = lot.id,
                                        .acquired = lot.acquired});
    }
    input.lots.push_back(std::move(lot));
  }
}

// Activity of the taxpayer's other accounts in the window: an IRA or a second taxable account
// bought in some groups, or sold at a loss.
void AddOutsideActivity(Random& random, RebalanceInput& input, double purchase_chance,
                        double loss_sale_chance) {
  for (const RebalanceSecurity& security : input.securities) {
    if (random.Chance(purchase_chance)) {
      const bool ira = random.Chance(0.5);
      input.recent_purchases.push_back({.wash_sale_group = security.wash_sale_group,
                                        .account = ira ? "IRA" : "TAXABLE-2",
                                        .symbol = security.symbol,
                                        .lot_id = "#1",
                                        .acquired = kAsOf.AddDays(-random.Int(0, 30)),
                                        .tax_deferred = ira});
    }
    if (random.Chance(loss_sale_chance)) {
      input.recent_loss_sales.push_back({.wash_sale_group = security.wash_sale_group,
                                         .account = "TAXABLE-2",
                                         .symbol = security.symbol,
                                         .sold = kAsOf.AddDays(-random.Int(0, 30))});
    }
  }
}

void AddRisk(Random& random, RebalanceInput& input, int factors) {
  const int n = static_cast<int>(input.securities.size());
  input.risk.loadings.resize(n, factors);
  input.risk.specific_variance.resize(n);
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < factors; ++k) {
      input.risk.loadings(i, k) = k == 0 ? 1 + 0.2 * random.Normal() : 0.5 * random.Normal();
    }
    input.risk.specific_variance[i] = random.Uniform(0.01, 0.09);
  }
  input.risk.factor_covariance = Eigen::MatrixXd::Zero(factors, factors);
  for (int k = 0; k < factors; ++k) input.risk.factor_covariance(k, k) = k == 0 ? 0.03 : 0.01;
}

}  // namespace

RandomAccountShape RandomAccountShapeFor(uint64_t seed, int max_securities) {
  Random random(seed * 7919 + 1);
  RandomAccountShape shape;
  shape.num_securities = random.Int(2, max_securities);
  shape.max_lots_per_security = random.Int(1, 4);
  shape.num_factors = random.Int(0, 3);
  shape.shared_groups = random.Chance(0.6);
  shape.outside_activity = random.Chance(0.6);
  shape.restrictions = random.Chance(0.4);
  shape.cash_needs = random.Chance(0.4);
  shape.whole_shares = random.Chance(0.4);
  shape.min_trade_dollars = random.Chance(0.5) ? 0 : random.Uniform(10, 500);
  return shape;
}

RebalanceInput RandomAccount(const RandomAccountShape& shape, uint64_t seed) {
  Random random(seed);
  RebalanceInput input;
  input.account = "ACCT";
  input.as_of = kAsOf;
  input.tax_deferred = random.Chance(0.1);
  const double value = random.LogUniform(1e5, 5e6);
  const int sectors = std::min(3, shape.num_securities);
  for (int s = 0; s < sectors; ++s) {
    input.groups.push_back({.name = "Sector " + std::to_string(s + 1),
                            .penalty = random.Chance(0.5) ? random.Uniform(0, 0.02) : 0});
  }
  double target_sum = 0;
  for (int i = 0; i < shape.num_securities; ++i) {
    RebalanceSecurity security{.symbol = Symbol(i),
                               .price = Cents(random.LogUniform(5, 800)),
                               .target_weight = random.Chance(0.12) ? 0 : random.Uniform(0.2, 1),
                               .fractional = !(shape.whole_shares && random.Chance(0.5)),
                               .groups = {"Sector " + std::to_string(i % sectors + 1)},
                               .cost_rate = random.Uniform(0.0002, 0.002)};
    const bool shares_group =
        shape.shared_groups && i > 0 && random.Chance(0.35) &&
        input.securities.back().wash_sale_group == input.securities.back().symbol;
    security.wash_sale_group = shares_group ? input.securities.back().symbol : security.symbol;
    if (shape.restrictions) {
      const double draw = random.Uniform();
      security.restriction = draw < 0.07   ? Restriction::kNoBuy
                             : draw < 0.14 ? Restriction::kNoSell
                             : draw < 0.19 ? Restriction::kHold
                             : draw < 0.23 ? Restriction::kMustSell
                                           : Restriction::kNone;
    }
    target_sum += security.target_weight;
    input.securities.push_back(std::move(security));
  }
  const double invested = random.Uniform(0.9, 0.99);
  for (RebalanceSecurity& security : input.securities) {
    if (target_sum > 0) security.target_weight *= invested / target_sum;
    const double weight = security.target_weight > 0
                              ? security.target_weight * std::exp(0.35 * random.Normal())
                              : random.Uniform(0.01, 0.05);
    if (random.Chance(0.85)) {
      AddLots(random, input, security, weight * value, random.Int(1, shape.max_lots_per_security),
              1100, 0.15);
    }
  }
  input.cash.balance = Money::FromDouble(std::round(value * random.Uniform(0, 0.04)));
  if (shape.cash_needs) {
    input.cash.min = Money::FromDouble(std::round(value * random.Uniform(0, 0.02)));
    if (random.Chance(0.4))
      input.cash.withdrawal = Money::FromDouble(std::round(value * random.Uniform(0, 0.03)));
  }
  if (shape.outside_activity) AddOutsideActivity(random, input, 0.12, 0.1);
  input.min_trade = Money::FromDouble(shape.min_trade_dollars);
  input.risk_aversion = random.LogUniform(5, 500);
  AddRisk(random, input, shape.num_factors);
  return input;
}

RebalanceInput LargeAccount(int num_securities, int lots_per_security, uint64_t seed) {
  Random random(seed);
  RebalanceInput input;
  input.account = "LARGE";
  input.as_of = kAsOf;
  const double value = 5e6;
  constexpr int kSectors = 11;
  for (int s = 0; s < kSectors; ++s) {
    input.groups.push_back({.name = "Sector " + std::to_string(s + 1), .penalty = 0.005});
  }
  for (int i = 0; i < num_securities; ++i) {
    input.securities.push_back({.symbol = Symbol(i),
                                .price = Cents(random.LogUniform(10, 600)),
                                .target_weight = 0.98 / num_securities,
                                .wash_sale_group = Symbol(i),
                                .groups = {"Sector " + std::to_string(i % kSectors + 1)},
                                .cost_rate = 0.0005});
  }
  for (const RebalanceSecurity& security : input.securities) {
    const double weight = security.target_weight * std::exp(0.25 * random.Normal());
    AddLots(random, input, security, weight * value, lots_per_security, 1800, 0.02);
  }
  input.cash.balance = Money::FromDouble(0.02 * value);
  input.cash.min = Money::FromDouble(0.005 * value);
  AddOutsideActivity(random, input, 0.02, 0.02);
  input.min_trade = Money::Units(50);
  input.risk_aversion = 50;
  AddRisk(random, input, 20);
  return input;
}

}  // namespace arbor::review::testing
