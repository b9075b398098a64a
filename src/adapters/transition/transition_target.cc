#include "adapters/transition/transition_target.h"

#include <charconv>

#include "adapters/io/csv.h"
#include "adapters/storage/csv_format.h"

namespace arbor {

Result<TransitionTarget> TargetFromTemplate(const RebalanceContext& context,
                                            const models::Customization& customization) {
  Result<models::Resolution> resolution = context.Resolve(customization);
  if (!resolution.ok()) return resolution.status();
  TransitionTarget target{.description = "template " + resolution->template_name + " v" +
                                         std::to_string(resolution->template_version),
                          .screened = resolution->screened,
                          .notes = resolution->notes};
  for (const models::ResolvedTarget& resolved : resolution->targets) {
    target.weights[resolved.symbol] = resolved.weight;
  }
  return target;
}

Result<TransitionTarget> TargetFromModel(const RebalanceContext& context, const std::string& name) {
  const models::SecurityModel* model = context.book().FindSecurityModel(name, context.as_of());
  if (model == nullptr) {
    return Status::NotFound("no security model '" + name + "' in effect on " +
                            context.as_of().ToString() + "; see `arbor model list`");
  }
  TransitionTarget target{.description = "security model " + model->name + " v" +
                                         std::to_string(model->version) + " (effective " +
                                         model->effective.ToString() + ")"};
  for (const models::ModelWeight& weight : model->weights) {
    target.weights[weight.symbol] = weight.weight;
  }
  return target;
}

Result<TransitionTarget> TargetFromCsv(const std::string& path, const SecurityMaster& master) {
  Result<FormatFile> file = FormatFile::Open(path, {{"symbol", true}, {"weight", true}});
  if (!file.ok()) return file.status();
  TransitionTarget target{.description = "target file " + path};
  double total = 0;
  CsvRow row;
  while (file->Next(&row)) {
    const std::string symbol(file->Get(row, "symbol"));
    if (!master.Contains(symbol)) {
      return FieldError(row, "symbol",
                        "unknown symbol '" + symbol + "'; add it with `arbor import securities`");
    }
    const std::string_view text = file->Get(row, "weight");
    double weight = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), weight);
    if (error != std::errc() || end != text.data() + text.size() || !(weight >= 0 && weight <= 1)) {
      return FieldError(row, "weight", "'" + std::string(text) + "' is not a fraction in [0, 1]");
    }
    if (!target.weights.emplace(symbol, weight).second) {
      return FieldError(row, "symbol", symbol + " is listed twice");
    }
    total += weight;
  }
  ARBOR_RETURN_IF_ERROR(file->status());
  if (total > 1 + 1e-6) {
    return Status::InvalidArgument(path + ": weights sum to " + std::to_string(total) +
                                   ", more than 1");
  }
  if (target.weights.empty()) return Status::InvalidArgument(path + ": no targets");
  return target;
}

}  // namespace arbor
