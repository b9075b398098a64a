// An account's choices within its template: the IPC sets the template and its bounds, the
// advisor customizes per client.
//
//   Customization c{.account = "SMITH-JOINT", .template_name = "Balanced 60/40"};
//   c.removals.push_back({.asset_class = "Emerging Markets"});           // pro rata
//   c.weights.push_back({.asset_class = "US Large Cap", .weight = 0.40});  // within its band
//   c.products.push_back({.asset_class = "US Large Cap", .product = "SP500-DI"});
//   c.screens = {"tobacco", "fossil_fuels"};
//
// Customizations name asset classes and products, not template versions, so an IPC change
// (a new template version) keeps them; one that no longer applies (its class is gone) is
// reported by the resolution, never silently dropped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"

namespace arbor::models {

enum class Redistribution {
  // The removed weight goes to the remaining leaves under the removed class's parent, in
  // proportion to their weights; when none remain there, one level up, and so on.
  kProRata,
  kToClass,  // all of it to the named leaf class
};
std::string_view ToString(Redistribution rule);
Result<Redistribution> RedistributionFromString(std::string_view text);  // pro_rata, to_class

struct ClassRemoval {
  std::string asset_class;
  Redistribution rule = Redistribution::kProRata;
  std::string to_class;  // kToClass only
};

// Sets a leaf's absolute weight; the leaves not overridden share what is left in proportion to
// their template weights. Every resulting leaf weight must stay within its band.
struct WeightOverride {
  std::string asset_class;
  double weight = 0;
};

struct ProductChoice {
  std::string asset_class;
  std::string product;  // a ProductOption id of that class
};

struct Customization {
  std::string account;
  std::string template_name;
  std::vector<ClassRemoval> removals;
  std::vector<WeightOverride> weights;
  std::vector<ProductChoice> products;
  std::vector<std::string> screens;  // screen names
};

}  // namespace arbor::models
