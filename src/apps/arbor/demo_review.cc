#include "apps/arbor/demo_review.h"

#include <vector>

#include "adapters/io/trade_files.h"
#include "adapters/storage/workbench_store.h"
#include "apps/arbor/output.h"

namespace arbor::cli {
namespace {

// The demo's clock: the evening of the review date.
std::string At(const Date& as_of, const char* time) { return as_of.ToString() + "T" + time + "Z"; }

struct WorkflowStep {
  const char* filter_name;
  const char* text;
  const char* description;
  workbench::BatchAction action;
  const char* time;
};

// The product brief's daily routine, as saved filters.
const std::vector<WorkflowStep>& Steps() {
  static const std::vector<WorkflowStep> kSteps = {
      {"data-warnings", "warnings > 0 and not suspended",
       "data warnings the checks did not suspend for (no custodian positions to reconcile)",
       workbench::BatchAction::kSuspend, "18:00:00"},
      {"must-trade", "must_trade and not suspended",
       "withdrawals to raise, screened or restricted holdings to sell",
       workbench::BatchAction::kApprove, "18:01:00"},
      {"clears-threshold", "score_bps >= 25 and turnover < 0.15 and not suspended",
       "worth at least 25 bps of the account, at moderate turnover",
       workbench::BatchAction::kApprove, "18:02:00"},
      {"outliers",
       "status = 'pending' and (turnover >= 0.15 or tax_usd >= 10000 or "
       "tracking_error_after >= 0.02)",
       "high turnover, a large tax bill, or tracking error left high: a trader looks first",
       workbench::BatchAction::kReview, "18:03:00"},
      {"approved", "status = 'approved'", "everything approved today",
       workbench::BatchAction::kRelease, "18:10:00"},
  };
  return kSteps;
}

}  // namespace

ReviewRunOutcome RunDemoReview(const std::string& db_path, Date as_of, std::ostream& out) {
  size_t shown = 0;
  ReviewRunOptions options{.as_of = as_of, .resume = false, .started_at = At(as_of, "17:00:00"),
                           .now = [as_of] { return At(as_of, "17:30:00"); }};
  return OrFail(RunDailyReview(db_path, options, [&](const ReviewProgress& p) {
    if (p.done * 10 / p.total > shown || p.done == p.total) {
      shown = p.done * 10 / p.total;
      out << p.done << "/" << p.total << " " << std::flush;
    }
  }));
}

void RunDemoWorkflow(Store& store, int64_t run, const std::string& db_path, std::ostream& out) {
  Database* db = store.database();
  const ReviewRun review = OrFail(LoadReviewRun(db, run));
  const Date as_of = OrFail(Date::Parse(review.as_of));
  TextTable table({"step", "saved filter", "action", "accounts", "skipped"},
                  {Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight, Align::kRight});
  int number = 0;
  for (const WorkflowStep& step : Steps()) {
    OrFail(SaveFilter(db,
                      {.name = step.filter_name,
                       .text = step.text,
                       .description = step.description,
                       .created_by = "crg",
                       .created_at = At(as_of, "08:00:00")},
                      /*replace=*/true));
    const BatchReport report = OrFail(ApplyBatchAction(db, {.action = step.action,
                                                            .run = run,
                                                            .selection = {.saved = step.filter_name},
                                                            .user = "crg",
                                                            .at = At(as_of, step.time)}));
    table.AddRow({std::to_string(++number), step.filter_name,
                  std::string(workbench::ToString(step.action)),
                  FormatDollars(static_cast<double>(report.changed.size()), 0),
                  FormatDollars(static_cast<double>(report.skipped.size()), 0)});
  }
  table.Print(out);
  for (const WorkflowStep& step : Steps()) {
    out << "  " << step.filter_name << ": " << step.text << "\n";
  }

  const TradeFilePaths paths{.blotter = db_path + "-blotter.csv", .blocks = db_path + "-blocks.csv"};
  const Result<TradeExport> export_result = ExportReleasedTrades(
      db, {.run = run, .user = "crg", .at = At(as_of, "18:15:00"),
           .detail = paths.blotter + ", " + paths.blocks},
      [&](const TradeExport& e) {
        return WriteTradeFiles(paths, e.run, e.audit_id, e.trades, e.blocks);
      });
  if (!export_result.ok() && export_result.status().code() == StatusCode::kFailedPrecondition) {
    out << "\nNothing released to the trading desk today: " << export_result.status().message()
        << "\n";
    return;
  }
  const TradeExport exported = OrFail(export_result);
  double value = 0;
  for (const workbench::ReleasedTrade& t : exported.trades) value += t.amount.ToDouble();
  out << "\nReleased to the trading desk: " << exported.accounts.size() << " accounts, "
      << exported.trades.size() << " trades worth " << FormatDollars(value, 0) << " in "
      << exported.blocks.size() << " block orders\n"
      << "  blotter (one row per account trade, lots for versus-purchase sells): " << paths.blotter
      << "\n  block orders with per-account allocations: " << paths.blocks << "\n";
}

}  // namespace arbor::cli
