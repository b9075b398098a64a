// What the daily review records of one account's proposal for the rebalancing group: the
// metrics its filters query (docs/workbench.md), whether the account must trade and why, and
// flags for what stands out.
//
//   ReviewSummary s = SummarizeReview(input, proposal);
//   s.metrics.score_bps;     // the cost-benefit score in bps of the account value
//   s.must_trade;            // a withdrawal to raise, a screened or restricted name to sell
//   s.flags;                 // e.g. {"must_trade", "new_restriction", "harvest"}
#pragma once

#include <string>
#include <vector>

#include "core/review/proposal.h"
#include "core/review/rebalance_input.h"

namespace arbor::review {

// When a flag is raised. Dollar thresholds are absolute; weights are fractions of the account.
struct ReviewThresholds {
  double drift = 0.03;           // largest |group weight - target| before trading
  double harvest_usd = 1000;     // losses the proposal realizes
  double high_turnover = 0.15;   // the larger of buys and sells over the account value
  double large_account_usd = 5e6;
};

struct ReviewMetrics {
  double market_value = 0;
  double cash_before = 0;
  double cash_after = 0;
  double cash_required = 0;  // the cash minimum plus what is paid out now
  double withdrawal_usd = 0;
  int trades = 0;
  double buy_usd = 0;
  double sell_usd = 0;
  double turnover = 0;
  double score_usd = 0;
  double score_bps = 0;
  double tax_usd = 0;      // of the proposal; negative when it saves tax
  double gains_usd = 0;    // gains the proposal realizes
  double harvest_usd = 0;  // losses it realizes and may deduct (washed ones excluded), positive
  double tracking_error_before = 0;
  double tracking_error_after = 0;
  double drift_max = 0;
  double drift_max_after = 0;
};

struct ReviewSummary {
  ReviewMetrics metrics;
  bool must_trade = false;
  std::vector<std::string> must_trade_reasons;
  std::vector<std::string> flags;  // lower-case words, in a fixed order
};

ReviewSummary SummarizeReview(const RebalanceInput& input, const Proposal& proposal,
                              const ReviewThresholds& thresholds = {});

}  // namespace arbor::review
