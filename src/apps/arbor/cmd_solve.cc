// arbor solve --problem FILE.json: the rebalance core of docs/rebalance-problem.md on one problem
// file, the result as JSON on stdout. An account file (section 2) is solved by Solve(), a
// household file (section 4, told apart by its "accounts") by SolveHousehold(). A result that is
// not optimal (infeasible, ...) is still a result: it is printed, with its message, and the
// command succeeds.
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "adapters/io/problem_json.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/output.h"
#include "core/optimize/household_problem.h"
#include "core/optimize/solver.h"

namespace arbor::cli {

void AddSolveCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("solve",
                                 "Solve one rebalance problem file, an account's or a household's "
                                 "(docs/rebalance-problem.md); print the result as JSON");
  auto path = std::make_shared<std::string>();
  auto options = std::make_shared<optimize::SolverOptions>();
  cmd->add_option("--problem,-p", *path, "problem file (JSON); - for stdin")->required();
  cmd->add_option("--tolerance", options->tolerance,
                  "stop when the relative gap and scaled residuals are below this")
      ->capture_default_str();
  cmd->add_option("--max-iterations", options->max_iterations, "interior-point iteration limit")
      ->capture_default_str();
  cmd->callback([path, options] {
    OrFail(options->Validate());
    std::string text;
    if (*path == "-") {
      text.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else {
      std::ifstream in(*path);
      if (!in) Fail(Status::NotFound("cannot read " + *path));
      text.assign(std::istreambuf_iterator<char>(in), {});
    }
    Result<nlohmann::json> document = ParseProblemDocument(text);
    if (!document.ok()) Fail(document.status().WithContext(*path));
    if (IsHouseholdDocument(*document)) {
      Result<optimize::HouseholdProblem> household = ParseHouseholdProblem(*document);
      if (!household.ok()) Fail(household.status().WithContext(*path));
      Result<optimize::HouseholdSolution> solution = optimize::SolveHousehold(*household, *options);
      if (!solution.ok()) Fail(solution.status().WithContext(*path));
      std::cout << HouseholdSolutionJson(*household, *solution).dump(2) << "\n";
      return;
    }
    Result<optimize::Problem> problem = ParseProblem(*document);
    if (!problem.ok()) Fail(problem.status().WithContext(*path));
    Result<optimize::Solution> solution = optimize::Solve(*problem, *options);
    if (!solution.ok()) Fail(solution.status().WithContext(*path));
    std::cout << SolutionJson(*problem, *solution).dump(2) << "\n";
  });
}

}  // namespace arbor::cli
