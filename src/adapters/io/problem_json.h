// The optimizer's problem file and result document (docs/rebalance-problem.md section 2).
//
//   Result<optimize::Problem> problem = ParseProblemText(text);
//   if (!problem.ok()) std::cerr << problem.status().message();
//                                   // "lots[L7].shares: must be > 0, got -3"
//   std::cout << SolutionJson(*problem, Solve(*problem).value()).dump(2);
//
// Nothing in a problem file is ignored: unknown fields, unknown symbols, wrong types, nulls where
// a value is required, keys given twice and declared groups that no security lists are errors
// naming the field, and the parsed problem must pass optimize::ValidateProblem.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/base/status.h"
#include "core/optimize/problem.h"
#include "core/optimize/solver.h"

namespace arbor {

// Problem::groups lists the file's "groups" in order, then any group a security names that the
// file does not declare (penalty 0, no bound), in order of first mention.
Result<optimize::Problem> ParseProblem(const nlohmann::json& document);

// Parses the text as JSON first; a syntax error reports its line and column.
Result<optimize::Problem> ParseProblemText(std::string_view text);

// The result document, keys in the spec's order; "message" follows "status" when the status is
// not optimal. Buys are keyed by symbol and sells by lot id, listing only nonzero trades.
nlohmann::ordered_json SolutionJson(const optimize::Problem& problem,
                                    const optimize::Solution& solution);

}  // namespace arbor
