// Weights in messages and lineage: at least two decimals, at most six significant digits, so a
// band reads "[0.30, 0.55]" and a weight just outside it still shows why ("0.5503").
//
//   WeightText(0.3);      // "0.30"
//   WeightText(0.5503);   // "0.5503"
#pragma once

#include <string>

namespace arbor::models {

std::string WeightText(double weight);

}  // namespace arbor::models
