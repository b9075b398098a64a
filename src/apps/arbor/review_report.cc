#include "apps/arbor/review_report.h"

#include <algorithm>
#include <cstdio>

#include "apps/arbor/output.h"

namespace arbor::cli {
namespace {

std::string Count(int64_t n) { return FormatDollars(static_cast<double>(n), 0); }

int64_t Get(const std::map<std::string, int64_t>& counts, const std::string& key) {
  auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

std::string Milliseconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.0f ms", 1000 * seconds);
  return text;
}

void PrintList(const std::string& title,
               const std::vector<std::pair<std::string, std::string>>& accounts, size_t most,
               std::ostream& out) {
  if (accounts.empty()) return;
  out << "\n" << title << " (" << accounts.size() << "):\n";
  for (size_t k = 0; k < accounts.size() && k < most; ++k) {
    out << "  " << accounts[k].first << "  " << accounts[k].second << "\n";
  }
  if (accounts.size() > most) out << "  ... and " << accounts.size() - most << " more\n";
}

}  // namespace

void PrintReviewSummary(const ReviewRunOutcome& outcome, const ReviewTotals& totals,
                        std::ostream& out) {
  const double rate = outcome.seconds > 0 ? outcome.reviewed / outcome.seconds : 0;
  char timing[160];
  std::snprintf(timing, sizeof(timing), "%.1f s, %.1f accounts/s", outcome.seconds, rate);
  out << "Review of " << totals.as_of.ToString() << " (run " << outcome.run << "): "
      << Count(totals.accounts) << " accounts";
  if (outcome.resumed) {
    out << ", resumed: " << Count(static_cast<int64_t>(outcome.already_done))
        << " were already done, " << Count(static_cast<int64_t>(outcome.reviewed))
        << " reviewed now";
  }
  out << " (" << timing << "; per account " << Milliseconds(totals.seconds_p50)
      << " median, " << Milliseconds(totals.seconds_p99) << " at the 99th percentile)\n\n";

  TextTable outcomes({"outcome", "accounts"}, {Align::kLeft, Align::kRight});
  for (const char* name : {"proposed", "no_trade", "suspended", "failed"}) {
    outcomes.AddRow({name, Count(Get(totals.outcomes, name))});
  }
  outcomes.Print(out);

  out << "\nMust trade: " << Count(totals.must_trade) << " accounts (cash needs "
      << Count(Get(totals.flags, "cash")) << ", screened or restricted holdings "
      << Count(Get(totals.flags, "new_restriction")) << ")\n";
  out << "Flags: harvest " << Count(Get(totals.flags, "harvest")) << ", drift "
      << Count(Get(totals.flags, "drift")) << ", model change "
      << Count(Get(totals.flags, "model_change")) << ", high turnover "
      << Count(Get(totals.flags, "high_turnover")) << ", large account "
      << Count(Get(totals.flags, "large_account")) << "\n\n";

  TextTable money({"proposed, all accounts", "dollars"}, {Align::kLeft, Align::kRight});
  money.AddRow({"market value reviewed", FormatDollars(totals.market_value, 0)});
  money.AddRow({"trades", Count(totals.trades)});
  money.AddRow({"bought", FormatDollars(totals.buy_usd, 0)});
  money.AddRow({"sold", FormatDollars(totals.sell_usd, 0)});
  money.AddRow({"losses harvested", FormatDollars(totals.harvest_usd, 0)});
  money.AddRow({"gains realized", FormatDollars(totals.gains_usd, 0)});
  money.AddRow({"tax of the proposals", FormatDollars(totals.tax_usd, 0)});
  money.AddRow({"cost-benefit score", FormatDollars(totals.score_usd, 0)});
  money.Print(out);

  PrintList("Suspended by the data checks, not traded", totals.suspended, 10, out);
  PrintList("Failed (recorded; the run went on)", totals.failed, 10, out);
}

void PrintStoredReview(Database& db, const std::string& account, std::optional<int64_t> run,
                       std::ostream& out) {
  const StoredReview stored = OrFail(LoadStoredReview(&db, account, run));
  const review::ReviewRecord& r = stored.record;
  const review::ReviewMetrics& m = r.summary.metrics;
  out << "Review of " << account << " as of " << stored.as_of.ToString() << " (run " << stored.run
      << "): " << ToString(r.outcome) << ", status " << stored.status << "\n";
  out << "  household " << r.household << ", advisor " << r.advisor << ", " << r.account_type
      << "\n";
  for (const std::string& reason : r.reasons) out << "  " << reason << "\n";
  if (r.summary.must_trade) {
    for (const std::string& reason : r.summary.must_trade_reasons)
      out << "  must trade: " << reason << "\n";
  }
  if (!r.summary.flags.empty()) {
    std::string flags;
    for (const std::string& flag : r.summary.flags) flags += (flags.empty() ? "" : ", ") + flag;
    out << "  flags: " << flags << "\n";
  }
  if (r.outcome == review::ReviewOutcome::kProposed || r.outcome == review::ReviewOutcome::kNoTrade) {
    TextTable metrics({"", "before", "after"}, {Align::kLeft, Align::kRight, Align::kRight});
    metrics.AddRow({"market value", FormatDollars(m.market_value), ""});
    metrics.AddRow({"cash", FormatDollars(m.cash_before), FormatDollars(m.cash_after)});
    metrics.AddRow({"tracking error", FormatPercent(m.tracking_error_before),
                    FormatPercent(m.tracking_error_after)});
    metrics.AddRow({"largest group drift", FormatPercent(m.drift_max),
                    FormatPercent(m.drift_max_after)});
    out << "\n";
    metrics.Print(out);
    out << "\n  " << m.trades << " trades: bought " << FormatDollars(m.buy_usd) << ", sold "
        << FormatDollars(m.sell_usd) << " (turnover " << FormatPercent(m.turnover)
        << "); losses harvested " << FormatDollars(m.harvest_usd) << ", gains realized "
        << FormatDollars(m.gains_usd) << ", tax " << FormatDollars(m.tax_usd) << "\n";
    out << "  cost-benefit score " << FormatDollars(m.score_usd) << " ("
        << FormatDollars(m.score_bps, 1) << " bps)\n";
  }
  if (!r.trades.empty()) {
    TextTable trades({"side", "symbol", "shares", "price", "amount", "reason", "lots"},
                     {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight, Align::kRight,
                      Align::kLeft, Align::kLeft});
    for (const review::Trade& t : r.trades) {
      std::string lots;
      for (const review::LotSale& sale : t.lots) {
        lots += (lots.empty() ? "" : " ") + sale.lot_id + ":" + sale.shares.ToShortString();
      }
      if (lots.size() > 40) lots = lots.substr(0, 37) + "...";
      trades.AddRow({std::string(ToString(t.side)), t.symbol, t.shares.ToShortString(),
                     t.price.ToString(2), FormatDollars(t.amount.ToDouble()),
                     std::string(ToString(t.reason)), lots});
    }
    out << "\n";
    trades.Print(out);
  }
  if (!r.notes.empty()) {
    out << "\nNotes:\n";
    for (const std::string& note : r.notes) out << "  " << note << "\n";
  }
}

}  // namespace arbor::cli
