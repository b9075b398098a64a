// An account's security targets as of a review date, from its customization (model_store.h):
// the template and security model versions effective that day, and the account's screens
// re-allocated through the risk model when there is one (pro rata otherwise, with a note).
// Shared by the rebalance input loader and `arbor account show`, so both see the same targets.
//
//   std::optional<models::Customization> c = LoadCustomization(*store, "SMITH").value();
//   Result<RiskModel> risk = LoadRiskModel(store->database(), as_of);
//   Result<models::Resolution> r =
//       ResolveAccountTargets(*store, *c, as_of, master, risk.ok() ? &*risk : nullptr);
//   r->targets;   // symbol, weight and lineage; r->notes: what the resolution assumed
#pragma once

#include "adapters/storage/store.h"
#include "core/base/date.h"
#include "core/base/status.h"
#include "core/market/risk_model.h"
#include "core/market/security.h"
#include "core/models/customization.h"
#include "core/models/resolution.h"

namespace arbor {

// `risk_model`: the model to re-allocate screened weight with, or null for pro rata.
Result<models::Resolution> ResolveAccountTargets(Store& store,
                                                 const models::Customization& customization,
                                                 Date as_of, const SecurityMaster& master,
                                                 const RiskModel* risk_model);

// Adds the note that, without a risk model, the customization's screened weight went pro rata.
void NoteProRataScreens(const models::Customization& customization, Date as_of,
                        models::Resolution& resolution);

// The review date when none is given: the last price date (what `arbor rebalance` uses), else
// the latest effective date of any template or model version.
Result<Date> DefaultReviewDate(Store& store);

}  // namespace arbor
