// Fund look-through for risk ("true UMA"): a fund the account holds or targets is priced as the
// basket it holds, so the optimizer sees the whole portfolio. A legacy block of one stock is then
// offset by underweighting what moves like it, and a fund that overlaps a direct index is not
// counted twice: IVV held against an S&P 500 direct-index target shows almost no tracking error.
//
//   std::vector<std::string> constituents = ConstituentsOf(funds);
//   RiskRows constituent_rows = review::RiskRowsFor(model, master, constituents, &missing);
//   LookThroughReport report;
//   RiskRows rows = LookThrough(input.risk, symbols, funds, constituents, constituent_rows,
//                               {}, &report);
//
// Sigma over the constituents is X F X' + D. A fund with holdings h is the portfolio h, so
// (i) its loadings are exactly h'X; (ii) the specific risk it shares with another security of the
// rebalance k is h_k d_k. That cross term is not diagonal, so for the `max_overlap_factors`
// overlapping constituents with the largest shared specific variance, the constituent's specific
// return becomes a factor of its own (variance d_k, loading 1 on the stock, h_fk on every fund
// holding it) and the stock's own specific variance becomes 0; (iii) what the funds share through
// the other constituents, D restricted to them, is a small funds x funds matrix added exactly as
// its eigen-factors (or as the fund's own specific variance when there is one fund). Only the
// cross terms of overlaps beyond the limit are dropped; the report gives their size.
// A fund without holdings keeps its row (the risk model's regression on the factor returns).
#pragma once

#include <string>
#include <vector>

#include "core/models/fund_holdings.h"
#include "core/review/rebalance_input.h"

namespace arbor::models {

struct LookThroughOptions {
  // Each adds a factor, and the solver's work per iteration grows with the factor count
  // squared: 60 keeps the K = 20 model under 100 factors.
  int max_overlap_factors = 60;
};

struct LookThroughReport {
  std::vector<std::string> funds;  // the funds looked through
  int overlap_factors = 0;
  // sum over the dropped overlaps of h_fk * d_k: the largest covariance ignored, for the notes.
  double dropped_overlap_covariance = 0;
};

// Every symbol held by any of the funds, sorted and unique.
std::vector<std::string> ConstituentsOf(const std::vector<FundHoldings>& funds);

// `rows` are the risk rows of `symbols` (the rebalance's securities, in order); funds among them
// with holdings in `funds` are looked through using `constituent_rows`, the rows of
// `constituents` under the same factors. The result has the same securities in the same order
// and more factors.
review::RiskRows LookThrough(const review::RiskRows& rows, const std::vector<std::string>& symbols,
                             const std::vector<FundHoldings>& funds,
                             const std::vector<std::string>& constituents,
                             const review::RiskRows& constituent_rows,
                             const LookThroughOptions& options, LookThroughReport* report);

}  // namespace arbor::models
