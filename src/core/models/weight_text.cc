#include "core/models/weight_text.h"

#include <cmath>
#include <cstdio>

namespace arbor::models {

std::string WeightText(double weight) {
  if (!std::isfinite(weight)) return std::isnan(weight) ? "nan" : (weight > 0 ? "inf" : "-inf");
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6f", weight);
  std::string text = buffer;
  const size_t point = text.find('.');
  size_t keep = text.size();
  while (keep > point + 3 && text[keep - 1] == '0') --keep;
  text.resize(keep);
  return text;
}

}  // namespace arbor::models
