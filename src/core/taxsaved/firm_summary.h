// The firm-wide view of the Taxes Saved or Deferred report: each account's saving as a yearly
// rate of its assets, summarized over the book asset-weighted (total saved over total
// asset-years), account-weighted (the mean of the accounts' rates), and by its median and
// interquartile range.
//
//   std::vector<AccountSaving> accounts = ...;   // one per taxable account reported
//   FirmSummary s = SummarizeFirm(accounts);
//   s.saved_or_deferred.median;                  // 0.0041: 41 bps of assets a year
#pragma once

#include <string>
#include <vector>

#include "core/base/fixed.h"

namespace arbor::taxsaved {

struct AccountSaving {
  std::string account;
  Money saved_or_deferred;        // over the period
  Money saved_after_liquidation;  // over the period
  double average_value = 0;       // mean of the account's year-end values
  double years = 0;               // length of the period in years

  double SavedRate() const;             // a year, as a fraction of average_value
  double AfterLiquidationRate() const;
};

struct RateSummary {
  double asset_weighted = 0;
  double account_weighted = 0;
  double median = 0;
  double first_quartile = 0;  // quartiles interpolated between order statistics
  double third_quartile = 0;
};

struct FirmSummary {
  size_t accounts = 0;
  Money saved_or_deferred;
  Money saved_after_liquidation;
  double asset_years = 0;  // sum of average_value x years
  RateSummary saved_or_deferred_rate;
  RateSummary after_liquidation_rate;
};

FirmSummary SummarizeFirm(const std::vector<AccountSaving>& accounts);

}  // namespace arbor::taxsaved
