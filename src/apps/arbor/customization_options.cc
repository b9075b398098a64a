#include "apps/arbor/customization_options.h"

#include <charconv>
#include <cmath>
#include <utility>
#include <vector>

#include "apps/arbor/output.h"
#include "core/models/weight_text.h"

namespace arbor::cli {
namespace {

// "CLASS=value" split at the last '=' (class names do not contain one).
std::pair<std::string, std::string> SplitAssignment(const std::string& option,
                                                    const std::string& text) {
  const size_t equals = text.rfind('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) {
    Fail(Status::InvalidArgument(option + ": expected CLASS=VALUE, got '" + text + "'"));
  }
  return {text.substr(0, equals), text.substr(equals + 1)};
}

}  // namespace

models::ClassRemoval ParseRemovalOption(const std::string& text) {
  const size_t equals = text.find('=');
  models::ClassRemoval removal{.asset_class = text.substr(0, equals)};
  const std::string rule = equals == std::string::npos ? "" : text.substr(equals + 1);
  if (rule.rfind("to:", 0) == 0 && rule.size() > 3) {
    removal.rule = models::Redistribution::kToClass;
    removal.to_class = rule.substr(3);
  } else if (!rule.empty() && rule != "pro_rata") {
    Fail(Status::InvalidArgument("--remove: expected CLASS, CLASS=pro_rata or CLASS=to:CLASS, "
                                 "got '" + text + "'"));
  }
  return removal;
}

models::WeightOverride ParseWeightOption(const std::string& text) {
  auto [name, value] = SplitAssignment("--weight", text);
  double weight = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), weight,
                                      std::chars_format::fixed);
  if (error != std::errc() || end != value.data() + value.size() || !std::isfinite(weight)) {
    Fail(Status::InvalidArgument("--weight: '" + value + "' is not a decimal number (" + name +
                                 ")"));
  }
  return {.asset_class = name, .weight = weight};
}

models::ProductChoice ParseProductOption(const std::string& text) {
  auto [name, id] = SplitAssignment("--product", text);
  return {.asset_class = name, .product = id};
}

CLI::Option* AddCustomizationOptions(CLI::App* command, CustomizationOptions* options) {
  CLI::Option* template_option =
      command->add_option("--template", options->template_name, "template name");
  command->add_option("--remove", options->removals,
                      "drop a class: CLASS, CLASS=pro_rata or CLASS=to:OTHER_CLASS");
  command->add_option("--weight", options->weights, "a class's weight: CLASS=0.40");
  command->add_option("--product", options->products, "a class's product: CLASS=PRODUCT_ID");
  command->add_option("--screen", options->screens, "a values screen by name");
  return template_option;
}

models::Customization ParseCustomization(const std::string& owner,
                                         const CustomizationOptions& options) {
  models::Customization c{.account = owner, .template_name = options.template_name};
  for (const std::string& text : options.removals) c.removals.push_back(ParseRemovalOption(text));
  for (const std::string& text : options.weights) c.weights.push_back(ParseWeightOption(text));
  for (const std::string& text : options.products) c.products.push_back(ParseProductOption(text));
  c.screens = options.screens;
  return c;
}

void AddRestrictionOptions(CLI::App* command, RestrictionOptions* options) {
  command->add_option("--no-buy", options->no_buy, "never buy this security");
  command->add_option("--no-sell", options->no_sell, "never sell this security");
  command->add_option("--hold", options->hold, "keep this position as it is (a legacy hold)");
}

std::vector<SecurityRestriction> ToRestrictions(const RestrictionOptions& options) {
  std::vector<SecurityRestriction> out;
  for (const std::string& s : options.no_buy) out.push_back({s, review::Restriction::kNoBuy});
  for (const std::string& s : options.no_sell) out.push_back({s, review::Restriction::kNoSell});
  for (const std::string& s : options.hold) out.push_back({s, review::Restriction::kHold});
  return out;
}

std::string DescribeCustomization(const models::Customization& c) {
  std::vector<std::string> parts;
  for (const models::ClassRemoval& r : c.removals) {
    parts.push_back("remove " + r.asset_class +
                    (r.rule == models::Redistribution::kToClass ? " (to " + r.to_class + ")"
                                                                : " (pro rata)"));
  }
  for (const models::WeightOverride& w : c.weights) {
    parts.push_back(w.asset_class + " weight " + models::WeightText(w.weight));
  }
  for (const models::ProductChoice& p : c.products) {
    parts.push_back(p.asset_class + " product " + p.product);
  }
  if (!c.screens.empty()) {
    std::string screens;
    for (const std::string& s : c.screens) screens += (screens.empty() ? "" : ", ") + s;
    parts.push_back("screens " + screens);
  }
  if (parts.empty()) return "the template as the IPC set it";
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : "; ") + part;
  return text;
}

}  // namespace arbor::cli
