// What an advisor picks for a client from the demo catalogue (demo_models.h): a template, a
// product for US large caps (the ETF, the 500-name direct index or its 100-name sample), asset
// classes removed and values screens. Shared by the demo's client book and the firm generator so
// both draw their accounts the same way.
//
//   std::mt19937_64 rng(11);
//   models::Customization c = DrawCustomization("C0001-TAX", rng, {.direct_index = 0.45,
//                                                                 .sampled_index = 0.15});
//
// Deterministic for a given generator state.
#pragma once

#include <random>
#include <string>

#include "core/models/customization.h"

namespace arbor {

struct CustomizationDraw {
  double direct_index = 0;   // probability of the 500-name direct index for US large caps
  double sampled_index = 0;  // of the 100-name sample, when `can_sample`
  bool can_sample = true;    // the sampled model exists on the funding date
};

inline constexpr char kUsLargeCap[] = "US Large Cap";

models::Customization DrawCustomization(const std::string& account, std::mt19937_64& rng,
                                        const CustomizationDraw& draw);

}  // namespace arbor
