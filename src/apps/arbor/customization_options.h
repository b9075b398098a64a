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
