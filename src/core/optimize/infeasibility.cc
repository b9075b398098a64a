#include "core/optimize/infeasibility.h"

#include <functional>
#include <utility>
#include <vector>

#include "core/optimize/interior_point.h"
#include "core/optimize/qp_model.h"

namespace arbor::optimize::internal {
namespace {

struct Suspect {
  std::string name;
  // Removes the family from a copy of the problem; false when the problem has none of it.
  std::function<bool(Problem&)> remove;
};

std::vector<Suspect> Suspects(const Problem& problem) {
  std::vector<Suspect> suspects = {
      {"tax budget", [](Problem& p) { return std::exchange(p.tax_budget, std::nullopt).has_value(); }},
      {"turnover", [](Problem& p) { return std::exchange(p.turnover_max, std::nullopt).has_value(); }},
  };
  for (size_t g = 0; g < problem.groups.size(); ++g) {
    suspects.push_back({"group bound of " + problem.groups[g].name,
                        [g](Problem& p) { return std::exchange(p.groups[g].max_active, std::nullopt).has_value(); }});
  }
  suspects.push_back({"cash", [](Problem& p) {
                        const bool had = p.cash.min || p.cash.max;
                        p.cash.min = p.cash.max = std::nullopt;
                        return had;
                      }});
  suspects.push_back({"weight bounds", [](Problem& p) {
                        bool had = false;
                        for (SecurityInput& s : p.securities) {
                          had = had || s.min_weight > 0 || s.max_weight < 1;
                          s.min_weight = 0;
                          s.max_weight = 1;
                        }
                        return had;
                      }});
  suspects.push_back({"must-sell lots", [](Problem& p) {
                        bool had = false;
                        for (LotInput& lot : p.lots) had = had || std::exchange(lot.must_sell, false);
                        return had;
                      }});
  return suspects;
}

bool Feasible(const Problem& problem, const SolverOptions& options) {
  const ModelBuild build = BuildQpModel(problem);
  if (!build.infeasible.empty()) return false;
  SolverOptions quiet = options;
  quiet.callback = nullptr;
  return RunInteriorPoint(build.model, quiet, {}).status == SolveStatus::kOptimal;
}

}  // namespace

std::optional<std::string> DiagnoseInfeasibility(const Problem& problem, const SolverOptions& options) {
  std::vector<std::string> culprits;
  for (const Suspect& suspect : Suspects(problem)) {
    Problem relaxed = problem;
    if (suspect.remove(relaxed) && Feasible(relaxed, options)) culprits.push_back(suspect.name);
  }
  if (culprits.empty()) return std::nullopt;
  if (culprits.size() == 1) {
    return culprits[0] + ": cannot be met together with the other constraints (without it the problem is feasible)";
  }
  std::string names = culprits[0];
  for (size_t k = 1; k < culprits.size(); ++k) names += (k + 1 == culprits.size() ? " and " : ", ") + culprits[k];
  return names + ": cannot all be met together (dropping any one of them makes the problem feasible)";
}

}  // namespace arbor::optimize::internal
