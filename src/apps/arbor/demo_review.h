// The demo's last two steps: the daily review of every account of the demo firm, and the central
// rebalancing group's four-step workflow on its results (docs/review.md, docs/workbench.md).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "adapters/batch/review_runner.h"
#include "adapters/storage/store.h"

namespace arbor::cli {

// Reviews every account as of `as_of` on all cores, printing a progress count to `out`.
ReviewRunOutcome RunDemoReview(const std::string& db_path, Date as_of, std::ostream& out);

// Saves the group's filters and applies them to the run: suspend data problems, approve the
// must-trades, approve what clears the score threshold, send outliers to review, release the
// approved and write the trade files beside the database. Prints what each step did.
void RunDemoWorkflow(Store& store, int64_t run, const std::string& db_path, std::ostream& out);

}  // namespace arbor::cli
