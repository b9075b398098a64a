// Risk models in the database (schema: the "risk models" migration): one model per as-of
// date with its factors, factor covariance, securities with their specific variances, and
// their nonzero factor exposures. Numbers are stored as SQLite REALs (IEEE doubles), so a model
// round-trips bit for bit.
//
//   ARBOR_RETURN_IF_ERROR(SaveRiskModel(store->database(), model));   // replaces its as_of
//   Result<RiskModel> model = LoadRiskModel(store->database(), as_of);
//   // the latest model with as_of <= the date, or
//   // "no risk model as of 2012-06-29 or earlier in arbor.db; build one with ..."
#pragma once

#include <optional>

#include "adapters/storage/sqlite.h"
#include "core/base/date.h"
#include "core/base/status.h"
#include "core/market/risk_model.h"

namespace arbor {

// Stores `model` in one transaction, replacing a stored model with the same as_of.
Status SaveRiskModel(Database* db, const RiskModel& model);

// The stored model with the latest as_of on or before `on_or_before` (the latest of all when
// absent); NotFound naming the date when there is none.
Result<RiskModel> LoadRiskModel(Database* db, std::optional<Date> on_or_before);

}  // namespace arbor
