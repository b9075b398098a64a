#include "core/review/review_summary.h"

#include <algorithm>
#include <cmath>

#include "core/base/join_some.h"

namespace arbor::review {
namespace {

ReviewMetrics Metrics(const RebalanceInput& input, const Proposal& proposal) {
  ReviewMetrics m;
  m.market_value = proposal.account_value + input.cash.withdrawal.ToDouble();
  m.cash_before = proposal.before.cash.ToDouble();
  m.cash_after = proposal.after.cash.ToDouble();
  m.withdrawal_usd = input.cash.withdrawal.ToDouble();
  m.cash_required = (input.cash.min + input.cash.withdrawal).ToDouble();
  m.trades = static_cast<int>(proposal.trades.size());
  for (const Trade& trade : proposal.trades) {
    (trade.side == TradeSide::kBuy ? m.buy_usd : m.sell_usd) += trade.amount.ToDouble();
    for (const LotSale& sale : trade.lots) {
      const double gain = sale.Gain().ToDouble();
      if (gain > 0) {
        m.gains_usd += gain;
      } else if (sale.wash == WashStatus::kClear) {
        m.harvest_usd -= gain;
      }
    }
  }
  if (m.market_value > 0) m.turnover = std::max(m.buy_usd, m.sell_usd) / m.market_value;
  m.score_usd = proposal.score.total_dollars;
  m.score_bps = proposal.score.BasisPoints(proposal.score.total_dollars);
  m.tax_usd = proposal.after.tax.ToDouble();
  m.tracking_error_before = proposal.before.tracking_error;
  m.tracking_error_after = proposal.after.tracking_error;
  for (const GroupDrift& drift : proposal.group_drift) {
    m.drift_max = std::max(m.drift_max, std::abs(drift.active_before));
    m.drift_max_after = std::max(m.drift_max_after, std::abs(drift.active_after));
  }
  return m;
}

}  // namespace

ReviewSummary SummarizeReview(const RebalanceInput& input, const Proposal& proposal,
                              const ReviewThresholds& thresholds) {
  ReviewSummary summary;
  summary.metrics = Metrics(input, proposal);
  const ReviewMetrics& m = summary.metrics;

  const Money needed = input.cash.min + input.cash.withdrawal;
  const bool cash_short = input.cash.balance < needed;
  if (cash_short) {
    summary.must_trade_reasons.push_back(
        "cash: " + input.cash.balance.ToString(2) + " on hand, " + needed.ToString(2) +
        " needed (minimum " + input.cash.min.ToString(2) + ", withdrawal " +
        input.cash.withdrawal.ToString(2) + ")");
  }
  std::vector<std::string> must_sell;
  std::vector<std::string> held;
  for (const RebalanceLot& lot : input.lots) held.push_back(lot.symbol);
  std::sort(held.begin(), held.end());
  for (const RebalanceSecurity& security : input.securities) {
    if (security.restriction == Restriction::kMustSell &&
        std::binary_search(held.begin(), held.end(), security.symbol)) {
      must_sell.push_back(security.symbol);
    }
  }
  if (!must_sell.empty()) {
    summary.must_trade_reasons.push_back("screened or restricted, to be sold: " +
                                         JoinSome(must_sell, 8));
  }
  summary.must_trade = !summary.must_trade_reasons.empty();

  const bool model_change =
      std::any_of(proposal.trades.begin(), proposal.trades.end(),
                  [](const Trade& t) { return t.reason == TradeReason::kModelChange; });
  auto flag = [&](bool raised, const char* word) {
    if (raised) summary.flags.push_back(word);
  };
  flag(summary.must_trade, "must_trade");
  flag(cash_short, "cash");
  flag(input.cash.withdrawal.is_positive(), "withdrawal");
  flag(!must_sell.empty(), "new_restriction");
  flag(model_change, "model_change");
  flag(m.drift_max >= thresholds.drift, "drift");
  flag(m.harvest_usd >= thresholds.harvest_usd, "harvest");
  flag(m.turnover >= thresholds.high_turnover, "high_turnover");
  flag(m.market_value >= thresholds.large_account_usd, "large_account");
  return summary;
}

}  // namespace arbor::review
