#include "adapters/demo/advisor_choices.h"

#include <algorithm>

namespace arbor {

models::Customization DrawCustomization(const std::string& account, std::mt19937_64& rng,
                                        const CustomizationDraw& draw) {
  std::uniform_real_distribution<double> u(0, 1);
  static const char* kTemplates[] = {"Conservative 30/70", "Balanced 60/40", "Balanced 60/40",
                                     "Growth 80/20"};
  models::Customization c{.account = account, .template_name = kTemplates[rng() % 4]};
  const double roll = u(rng);
  if (roll < draw.direct_index) {
    c.products.push_back({kUsLargeCap, "SP500-DI"});
  } else if (draw.can_sample && roll < draw.direct_index + draw.sampled_index) {
    c.products.push_back({kUsLargeCap, "SP500-100-DI"});
  }
  if (u(rng) < 0.15) c.removals.push_back({.asset_class = "Emerging Markets"});
  if (u(rng) < 0.08) {
    c.removals.push_back({.asset_class = "Real Estate",
                          .rule = models::Redistribution::kToClass,
                          .to_class = "Core Bonds"});
  }
  // Screens are for clients who own the stocks: a fund cannot be screened.
  if (!c.products.empty() && u(rng) < 0.35) {
    static const char* kScreens[] = {"tobacco", "fossil_fuels", "faith_based", "alcohol",
                                     "weapons_defense_proxy"};
    c.screens.push_back(kScreens[rng() % 5]);
    if (u(rng) < 0.3) c.screens.push_back("tobacco");
    std::sort(c.screens.begin(), c.screens.end());
    c.screens.erase(std::unique(c.screens.begin(), c.screens.end()), c.screens.end());
  }
  return c;
}

}  // namespace arbor
