#include "core/taxsaved/firm_summary.h"

#include <algorithm>
#include <cmath>

namespace arbor::taxsaved {
namespace {

double Rate(Money amount, const AccountSaving& account) {
  double asset_years = account.average_value * account.years;
  return asset_years > 0 ? amount.ToDouble() / asset_years : 0;
}

// The q-quantile of sorted values, interpolating linearly between order statistics.
double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  double position = q * static_cast<double>(sorted.size() - 1);
  size_t below = static_cast<size_t>(std::floor(position));
  size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

RateSummary Summarize(std::vector<double> rates, double total, double asset_years) {
  RateSummary out;
  if (rates.empty()) return out;
  out.asset_weighted = asset_years > 0 ? total / asset_years : 0;
  double sum = 0;
  for (double rate : rates) sum += rate;
  out.account_weighted = sum / static_cast<double>(rates.size());
  std::sort(rates.begin(), rates.end());
  out.median = Quantile(rates, 0.5);
  out.first_quartile = Quantile(rates, 0.25);
  out.third_quartile = Quantile(rates, 0.75);
  return out;
}

}  // namespace

double AccountSaving::SavedRate() const { return Rate(saved_or_deferred, *this); }
double AccountSaving::AfterLiquidationRate() const { return Rate(saved_after_liquidation, *this); }

FirmSummary SummarizeFirm(const std::vector<AccountSaving>& accounts) {
  FirmSummary out;
  out.accounts = accounts.size();
  std::vector<double> saved, after;
  for (const AccountSaving& account : accounts) {
    out.saved_or_deferred += account.saved_or_deferred;
    out.saved_after_liquidation += account.saved_after_liquidation;
    out.asset_years += account.average_value * account.years;
    saved.push_back(account.SavedRate());
    after.push_back(account.AfterLiquidationRate());
  }
  out.saved_or_deferred_rate =
      Summarize(std::move(saved), out.saved_or_deferred.ToDouble(), out.asset_years);
  out.after_liquidation_rate =
      Summarize(std::move(after), out.saved_after_liquidation.ToDouble(), out.asset_years);
  return out;
}

}  // namespace arbor::taxsaved
