#include "core/taxsaved/taxes_saved.h"

#include <bit>
#include <cmath>
#include <cstdlib>
#include <string>

namespace arbor::taxsaved {
namespace {

constexpr int kSubsets = 1 << kSavingSources;

// Realized gains and losses of a year, the four amounts the sources move.
struct Amounts {
  double short_gains = 0, short_losses = 0, long_gains = 0, long_losses = 0;
};

Amounts AmountsOf(const PathYear& y) {
  return {y.short_term_gains, y.short_term_losses, y.long_term_gains, y.long_term_losses};
}

Amounts Minus(const Amounts& a, const Amounts& b) {
  return {a.short_gains - b.short_gains, a.short_losses - b.short_losses,
          a.long_gains - b.long_gains, a.long_losses - b.long_losses};
}

// What moving one source from the shadow to the account changes in a year: lot selection is
// the account against its own trades relieved FIFO; the others split the FIFO trades' change
// against the shadow by kind of amount.
std::array<Amounts, kSavingSources> SourceChanges(const PathYear& account, const PathYear& fifo,
                                                  const PathYear& shadow) {
  Amounts trades = Minus(AmountsOf(fifo), AmountsOf(shadow));
  std::array<Amounts, kSavingSources> changes;
  changes[static_cast<int>(SavingSource::kLossesHarvested)] = {0, trades.short_losses, 0,
                                                               trades.long_losses};
  changes[static_cast<int>(SavingSource::kShortTermGainsAvoided)] = {trades.short_gains, 0, 0, 0};
  changes[static_cast<int>(SavingSource::kLongTermGainsDeferred)] = {0, 0, trades.long_gains, 0};
  changes[static_cast<int>(SavingSource::kLotSelection)] =
      Minus(AmountsOf(account), AmountsOf(fifo));
  return changes;
}

YearGains NetWithOutside(const Amounts& a, const TaxesSavedInput& input, int year) {
  YearGains net{a.short_gains - a.short_losses, a.long_gains - a.long_losses};
  if (auto it = input.outside.find(year); it != input.outside.end()) {
    net.short_term += it->second.short_term;
    net.long_term += it->second.long_term;
  }
  return net;
}

Money Cents(double dollars) { return Money::FromDouble(std::round(dollars * 100) / 100); }

// Shapley weight of a coalition of `size` sources that does not hold the one being valued.
double ShapleyWeight(int size) {
  static constexpr std::array<double, kSavingSources> kWeights{1.0 / 4, 1.0 / 12, 1.0 / 12,
                                                                1.0 / 4};
  return kWeights[size];
}

// Rounds each share to cents and gives the rounding residue to the largest, so the shares add
// up to `total` exactly.
std::array<Money, kSavingSources> RoundShares(const std::array<double, kSavingSources>& shares,
                                              Money total) {
  std::array<Money, kSavingSources> out;
  Money sum;
  int largest = 0;
  for (int i = 0; i < kSavingSources; ++i) {
    out[i] = Cents(shares[i]);
    sum += out[i];
    if (std::fabs(shares[i]) > std::fabs(shares[largest])) largest = i;
  }
  out[largest] += total - sum;
  return out;
}

}  // namespace

std::string_view ToString(SavingSource source) {
  switch (source) {
    case SavingSource::kLossesHarvested: return "losses_harvested";
    case SavingSource::kShortTermGainsAvoided: return "short_term_gains_avoided";
    case SavingSource::kLongTermGainsDeferred: return "long_term_gains_deferred";
    case SavingSource::kLotSelection: return "lot_selection";
  }
  return "";
}

std::string_view Label(SavingSource source) {
  switch (source) {
    case SavingSource::kLossesHarvested: return "Losses harvested";
    case SavingSource::kShortTermGainsAvoided: return "Short-term gains avoided";
    case SavingSource::kLongTermGainsDeferred: return "Long-term gains deferred";
    case SavingSource::kLotSelection: return "Lot selection";
  }
  return "";
}

Result<TaxesSavedReport> ComputeTaxesSaved(const TaxesSavedInput& input) {
  size_t n = input.account.size();
  if (input.fifo.size() != n || input.shadow.size() != n) {
    return Status::InvalidArgument("taxes saved: the account, FIFO and shadow paths cover " +
                                   std::to_string(n) + ", " + std::to_string(input.fifo.size()) +
                                   " and " + std::to_string(input.shadow.size()) + " years");
  }
  for (size_t y = 0; y < n; ++y) {
    if (input.fifo[y].year != input.account[y].year ||
        input.shadow[y].year != input.account[y].year) {
      return Status::InvalidArgument("taxes saved: paths differ in year " +
                                     std::to_string(input.account[y].year));
    }
  }
  // tax[S][y]: the year's tax on the path whose amounts are the shadow's moved to the
  // account's for the sources in S, carryforwards chained along that path.
  std::vector<std::array<double, kSubsets>> tax(n);
  std::vector<std::array<Amounts, kSavingSources>> changes(n);
  for (size_t y = 0; y < n; ++y) {
    changes[y] = SourceChanges(input.account[y], input.fifo[y], input.shadow[y]);
  }
  std::vector<std::array<LossCarryforward, 2>> carry_in(n);
  for (int subset = 0; subset < kSubsets; ++subset) {
    LossCarryforward carry;
    for (size_t y = 0; y < n; ++y) {
      Amounts a = AmountsOf(input.shadow[y]);
      for (int i = 0; i < kSavingSources; ++i) {
        if (!(subset & (1 << i))) continue;
        a.short_gains += changes[y][i].short_gains;
        a.short_losses += changes[y][i].short_losses;
        a.long_gains += changes[y][i].long_gains;
        a.long_losses += changes[y][i].long_losses;
      }
      if (subset == kSubsets - 1) carry_in[y][0] = carry;
      if (subset == 0) carry_in[y][1] = carry;
      YearTax year_tax = ComputeYearTax(input.profile, NetWithOutside(a, input, input.account[y].year), carry);
      tax[y][subset] = year_tax.tax;
      carry = year_tax.carry_out;
    }
  }

  TaxesSavedReport report;
  Money gap_before;  // account liability - shadow liability at the end of the previous year
  Date previous_end = input.from.AddDays(-1);
  for (size_t y = 0; y < n; ++y) {
    const PathYear& account = input.account[y];
    const PathYear& shadow = input.shadow[y];
    TaxesSavedYear row;
    row.year = account.year;
    row.account_tax = Cents(tax[y][kSubsets - 1]);
    row.shadow_tax = Cents(tax[y][0]);
    row.saved_or_deferred = row.shadow_tax - row.account_tax;
    std::array<double, kSavingSources> shares{};
    for (int i = 0; i < kSavingSources; ++i) {
      for (int subset = 0; subset < kSubsets; ++subset) {
        if (subset & (1 << i)) continue;
        shares[i] += ShapleyWeight(std::popcount(static_cast<unsigned>(subset))) *
                     (tax[y][subset] - tax[y][subset | (1 << i)]);
      }
    }
    row.sources = RoundShares(shares, row.saved_or_deferred);
    YearGains account_net = NetWithOutside(AmountsOf(account), input, row.year);
    YearGains shadow_net = NetWithOutside(AmountsOf(shadow), input, row.year);
    row.account_liability =
        Cents(LiquidationTax(input.profile, account_net, account.unrealized, carry_in[y][0]));
    row.shadow_liability =
        Cents(LiquidationTax(input.profile, shadow_net, shadow.unrealized, carry_in[y][1]));
    row.account_carry_out = ComputeYearTax(input.profile, account_net, carry_in[y][0]).carry_out;
    row.shadow_carry_out = ComputeYearTax(input.profile, shadow_net, carry_in[y][1]).carry_out;
    Money gap = row.account_liability - row.shadow_liability;
    row.deferred = gap - gap_before;
    row.saved_after_liquidation = row.saved_or_deferred - row.deferred;
    double years = (account.end - previous_end) / 365.25;
    row.time_value = Cents(gap_before.ToDouble() * input.discount_rate * years);
    gap_before = gap;
    previous_end = account.end;

    TaxesSavedYear& total = report.total;
    total.account_tax += row.account_tax;
    total.shadow_tax += row.shadow_tax;
    total.saved_or_deferred += row.saved_or_deferred;
    total.deferred += row.deferred;
    total.saved_after_liquidation += row.saved_after_liquidation;
    total.time_value += row.time_value;
    for (int i = 0; i < kSavingSources; ++i) total.sources[i] += row.sources[i];
    total.year = row.year;
    total.account_liability = row.account_liability;
    total.shadow_liability = row.shadow_liability;
    total.account_carry_out = row.account_carry_out;
    total.shadow_carry_out = row.shadow_carry_out;
    report.years.push_back(row);
  }
  return report;
}

}  // namespace arbor::taxsaved
