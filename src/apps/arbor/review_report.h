// What `arbor review` prints: the run's closing summary, and one account's stored result.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "adapters/batch/review_runner.h"
#include "adapters/storage/review_store.h"
#include "adapters/storage/sqlite.h"

namespace arbor::cli {

void PrintReviewSummary(const ReviewRunOutcome& outcome, const ReviewTotals& totals,
                        std::ostream& out);

// Fails the command when the account has no stored review.
void PrintStoredReview(Database& db, const std::string& account, std::optional<int64_t> run,
                       std::ostream& out);

}  // namespace arbor::cli
