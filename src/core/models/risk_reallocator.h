// Screen re-allocation by the risk model: a security model without the screened names is the
// fully invested long-only portfolio of its remaining names with the least ex-ante tracking
// error to the unscreened model, so a screened oil major's weight goes mostly to other energy
// names and to what moves like them, not pro rata to the whole index.
//
//   RiskModelReallocator reallocator(risk_model, master);
//   Result<SecurityModel> screened = reallocator.Reallocate(sp500, {"MO", "PM", "XOM"});
//
// Names the risk model does not cover get their sector's mean loadings and median specific
// variance (as in core/review/risk_rows.h).
#pragma once

#include <string>
#include <vector>

#include "core/market/risk_model.h"
#include "core/market/security.h"
#include "core/models/resolution.h"

namespace arbor::models {

class RiskModelReallocator : public ScreenReallocator {
 public:
  // `risk_model` and `master` must outlive the reallocator.
  RiskModelReallocator(const RiskModel& risk_model, const SecurityMaster& master);

  Result<SecurityModel> Reallocate(const SecurityModel& model,
                                   const std::vector<std::string>& excluded) const override;
  std::string Describe() const override;  // "risk-model reallocation (model of 2021-04-21)"

 private:
  const RiskModel& risk_model_;
  const SecurityMaster& master_;
};

}  // namespace arbor::models
