#include "core/models/customization.h"

#include "core/base/enum_names.h"

namespace arbor::models {
namespace {

constexpr EnumNames<Redistribution, 2> kRedistributionNames = {{
    {Redistribution::kProRata, "pro_rata"},
    {Redistribution::kToClass, "to_class"},
}};

}  // namespace

std::string_view ToString(Redistribution rule) { return NameOf(kRedistributionNames, rule); }

Result<Redistribution> RedistributionFromString(std::string_view text) {
  if (std::optional<Redistribution> rule = ParseName(kRedistributionNames, text)) return *rule;
  return Status::InvalidArgument("unknown redistribution '" + std::string(text) +
                                 "' (expected pro_rata or to_class)");
}

}  // namespace arbor::models
