// Direct-index security models built from data: the cap-weighted index on a date, and sampled
// N-name versions of it that track it with the least ex-ante tracking error.
//
//   CapWeightInputs in = ...;   // adapters/io/cap_weight_inputs.h reads them from the data set
//   Result<CapWeightedIndex> sp500 = BuildCapWeightedIndex(in, "SP500");
//   Result<std::vector<SampledModel>> sampled =
//       SampleIndex(sp500->model, risk_model, master, {.sizes = {200, 100, 50}});
//   (*sampled)[2].model;            // "SP500-50": 50 names
//   (*sampled)[2].tracking_error;   // 0.015 = 1.5% a year, ex ante
//
// docs/index-models.md has the method, the data and the measured tracking errors.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/base/date.h"
#include "core/base/status.h"
#include "core/market/risk_model.h"
#include "core/market/security.h"
#include "core/models/security_model.h"

namespace arbor::models {

// A fund's published stock positions with shares and prices (cash, futures and collateral rows
// left out); fund_holdings.h has the weights-only form used for look-through.
struct FundPosition {
  std::string symbol;  // in the firm's convention (BRK.B, not iShares' BRKB)
  double shares = 0;
  double price = 0;
  double market_value = 0;
};

struct FundPositions {
  std::string fund;  // "IVV"
  Date as_of;
  std::vector<FundPosition> holdings;
};

// The fund's own weights: each holding's market value over the total, as a model named `name`
// effective on the holdings date. Errors name the fund and the holding.
Result<SecurityModel> ModelFromFundPositions(const FundPositions& holdings,
                                             const std::string& name);

// Shares outstanding of many companies on one date (market cap / price of a data snapshot).
struct ShareSnapshot {
  std::string source;  // the file, for the model's description
  Date as_of;
  std::map<std::string, double> shares;
};

// Shares after / shares before, effective at the open of `ex_date` (0.125 for a 1-for-8).
struct SplitEvent {
  std::string symbol;
  Date ex_date;
  double ratio = 1;
};

struct CapWeightInputs {
  Date date;
  std::vector<std::string> members;      // the index members on `date`
  std::map<std::string, double> prices;  // closes on `date`; members without one are left out
  FundPositions fund;                    // an index fund's shares held: the float proxy
  ShareSnapshot snapshot;                // for members the fund does not hold
  std::vector<SplitEvent> splits;        // any order; used to move share counts between dates
};

struct CapWeightedIndex {
  SecurityModel model;
  int from_fund = 0;      // members whose shares came from the fund
  int from_snapshot = 0;  // ... from the snapshot, scaled by the fund's ownership
  // The fund's median share of a company (fund shares / snapshot shares, on `date`), which puts
  // snapshot share counts on the fund's float-adjusted scale.
  double fund_ownership = 0;
  std::vector<std::string> without_price;   // members left out, sorted
  std::vector<std::string> without_shares;  // likewise: in neither the fund nor the snapshot
};

// Weights proportional to shares x price on `date`, where a member's shares are the fund's
// shares held or else fund_ownership x the snapshot's shares outstanding, each carried from
// its own date to `date` through the splits in between. Errors: no member with a price and
// shares, a non-positive price or share count (naming the symbol), too few names in both the
// fund and the snapshot to estimate fund_ownership when the snapshot is needed.
Result<CapWeightedIndex> BuildCapWeightedIndex(const CapWeightInputs& inputs,
                                               const std::string& name);

struct SamplingOptions {
  std::vector<int> sizes = {200, 100, 50};  // the most names each sampled model may hold
  // Backward elimination drops this share of the names still held per round (at least one),
  // smallest optimal weights first. Smaller is slower and, on the S&P 500, no better: 2% to 25%
  // all give 1.51-1.54% for 50 names.
  double drop_fraction = 0.10;
  // After reaching a size: rounds that swap the held names with the smallest weights for the
  // excluded names whose marginal risk is lowest, each kept only if it lowers the tracking
  // error; the pass stops at the first that does not. 0 switches it off. On the S&P 500 it
  // gains little (1.52% -> 1.51% for 50 names): elimination alone is nearly locally optimal.
  int swap_rounds = 10;
  double swap_fraction = 0.01;  // names swapped per round, as a share of the size (at least 1)
};

struct SampledModel {
  SecurityModel model;        // "<index name>-<size>"
  double tracking_error = 0;  // annualized, ex ante, against the index
  int solves = 0;             // QP solves spent on this size (elimination and swaps)
};

// Long-only, fully invested portfolios of at most `size` of the index's names with the least
// tracking error to it under `risk`, one per size (any order; returned in that order). Index
// names the risk model does not cover get sector proxies (core/review/risk_rows.h). Errors: a
// size below 1, an invalid index model, a solve that does not reach optimality.
Result<std::vector<SampledModel>> SampleIndex(const SecurityModel& index, const RiskModel& risk,
                                              const SecurityMaster& master,
                                              const SamplingOptions& options = {});

}  // namespace arbor::models
