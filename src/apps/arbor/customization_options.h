// Command-line spellings of customization choices, shared by `account customize` and `whatif`:
//   --remove "Emerging Markets"  --remove "Real Estate=to:Core Bonds"  --remove "X=pro_rata"
//   --weight "US Large Cap=0.40"  --product "US Large Cap=SP500-DI"
// A malformed value ends the command with a message naming the option.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "adapters/storage/rebalance_settings_store.h"
#include "core/models/customization.h"

namespace arbor::cli {

models::ClassRemoval ParseRemovalOption(const std::string& text);
models::WeightOverride ParseWeightOption(const std::string& text);
models::ProductChoice ParseProductOption(const std::string& text);

// A whole customization: --template plus the choices above and --screen NAME (repeatable).
struct CustomizationOptions {
  std::string template_name;
  std::vector<std::string> removals;  // CLASS, CLASS=pro_rata or CLASS=to:OTHER
  std::vector<std::string> weights;   // CLASS=0.40
  std::vector<std::string> products;  // CLASS=ID
  std::vector<std::string> screens;
};
// Returns the --template option, for the caller to make it required.
CLI::Option* AddCustomizationOptions(CLI::App* command, CustomizationOptions* options);
models::Customization ParseCustomization(const std::string& owner,
                                         const CustomizationOptions& options);

// --no-buy, --no-sell and --hold SYMBOL (repeatable), in the order the kinds are listed here.
struct RestrictionOptions {
  std::vector<std::string> no_buy, no_sell, hold;
};
void AddRestrictionOptions(CLI::App* command, RestrictionOptions* options);
std::vector<SecurityRestriction> ToRestrictions(const RestrictionOptions& options);

// "remove Emerging Markets (pro rata); US Large Cap product SP500-DI; screens tobacco", or
// "the template as the IPC set it".
std::string DescribeCustomization(const models::Customization& customization);

}  // namespace arbor::cli
