// The optimizer's problem file and result document (docs/rebalance-problem.md section 2), and
// the household file of section 4: the same file with "accounts" in place of "cash" and "lots".
//
//   Result<optimize::Problem> problem = ParseProblemText(text);
//   if (!problem.ok()) std::cerr << problem.status().message();
//                                   // "lots[L7].shares: must be > 0, got -3"
//   std::cout << SolutionJson(*problem, Solve(*problem).value()).dump(2);
//
//   Result<nlohmann::json> document = ParseProblemDocument(text);   // either kind
//   if (document.ok() && IsHouseholdDocument(*document)) {
//     Result<optimize::HouseholdProblem> household = ParseHouseholdProblem(*document);
//     ...                            // "accounts[IRA].lots[L7].shares: must be > 0, got -3"
//   }
//
// Nothing in a problem file is ignored: unknown fields, unknown symbols, wrong types, nulls where
// a value is required, keys given twice and declared groups that no security lists are errors
// naming the field, and the parsed problem must pass optimize::ValidateProblem.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/base/status.h"
#include "core/optimize/household_problem.h"
#include "core/optimize/problem.h"
#include "core/optimize/solver.h"

namespace arbor {

// Problem::groups lists the file's "groups" in order, then any group a security names that the
// file does not declare (penalty 0, no bound), in order of first mention.
Result<optimize::Problem> ParseProblem(const nlohmann::json& document);

// Parses the text as JSON first; a syntax error reports its line and column.
Result<optimize::Problem> ParseProblemText(std::string_view text);

// The household file. Each account has "id", "type" (e.g. "taxable", "traditional_ira",
// "roth_ira", "401k"), "cash" and "lots" as the account file has them, and optionally "allowed"
// (the symbols it may buy), "cost_rates" ({symbol: rate}, the securities' cost_rate for symbols
// it omits) and "drift_penalty"; the top level may add "location": {account id: {symbol: loc}}.
// A lot outside a "taxable" account must have tax rate 0. Errors name the account
// ("accounts[IRA].lots[L7].shares: ..."), and the problem must pass
// optimize::ValidateHouseholdProblem.
Result<optimize::HouseholdProblem> ParseHouseholdProblem(const nlohmann::json& document);
Result<optimize::HouseholdProblem> ParseHouseholdProblemText(std::string_view text);

// The text as JSON, rejecting syntax errors (with line and column) and keys given twice.
Result<nlohmann::json> ParseProblemDocument(std::string_view text);

// A household file is told from an account file by its "accounts".
bool IsHouseholdDocument(const nlohmann::json& document);

// The result document, keys in the spec's order; "message" follows "status" when the status is
// not optimal. Buys are keyed by symbol and sells by lot id, listing only nonzero trades.
nlohmann::ordered_json SolutionJson(const optimize::Problem& problem,
                                    const optimize::Solution& solution);

// The household's result document: as SolutionJson, with "location" among the terms, "buys" and
// "sells" keyed by account id (every account, each listing only nonzero trades), and then
// "accounts": {id: {"type", "cash_after", "tax", "cost", "location", "drift"}} in the file's
// order, the account's share of each term in dollars.
nlohmann::ordered_json HouseholdSolutionJson(const optimize::HouseholdProblem& problem,
                                             const optimize::HouseholdSolution& solution);

}  // namespace arbor
