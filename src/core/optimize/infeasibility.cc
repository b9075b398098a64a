#include "core/optimize/infeasibility.h"

#include <functional>
#include <utility>
#include <vector>

#include "core/optimize/interior_point.h"
#include "core/optimize/qp_model.h"

namespace arbor::optimize::internal {
namespace {

template <typename P>
struct Suspect {
  std::string name;
  // Removes the family from a copy of the problem; false when the problem has none of it.
  std::function<bool(P&)> remove;
};

bool RemoveCashBounds(CashInput& cash) {
  const bool had = cash.min || cash.max;
  cash.min = cash.max = std::nullopt;
  return had;
}

bool RemoveMustSell(std::vector<LotInput>& lots) {
  bool had = false;
  for (LotInput& lot : lots) had = std::exchange(lot.must_sell, false) || had;
  return had;
}

// The families both problem kinds have: budget, cap, group bounds, weight bounds.
template <typename P>
std::vector<Suspect<P>> SharedSuspects(const P& problem) {
  std::vector<Suspect<P>> suspects = {
      {"tax budget", [](P& p) { return std::exchange(p.tax_budget, std::nullopt).has_value(); }},
      {"turnover", [](P& p) { return std::exchange(p.turnover_max, std::nullopt).has_value(); }},
  };
  for (size_t g = 0; g < problem.groups.size(); ++g) {
    suspects.push_back({"group bound of " + problem.groups[g].name,
                        [g](P& p) { return std::exchange(p.groups[g].max_active, std::nullopt).has_value(); }});
  }
  suspects.push_back({"weight bounds", [](P& p) {
                        bool had = false;
                        for (SecurityInput& s : p.securities) {
                          had = had || s.min_weight > 0 || s.max_weight < 1;
                          s.min_weight = 0;
                          s.max_weight = 1;
                        }
                        return had;
                      }});
  return suspects;
}

std::vector<Suspect<Problem>> Suspects(const Problem& problem) {
  std::vector<Suspect<Problem>> suspects = SharedSuspects(problem);
  suspects.push_back({"cash", [](Problem& p) { return RemoveCashBounds(p.cash); }});
  suspects.push_back({"must-sell lots", [](Problem& p) { return RemoveMustSell(p.lots); }});
  return suspects;
}

std::vector<Suspect<HouseholdProblem>> Suspects(const HouseholdProblem& problem) {
  std::vector<Suspect<HouseholdProblem>> suspects = SharedSuspects(problem);
  for (size_t a = 0; a < problem.accounts.size(); ++a) {
    suspects.push_back({"cash of account " + problem.accounts[a].id,
                        [a](HouseholdProblem& p) { return RemoveCashBounds(p.accounts[a].cash); }});
  }
  suspects.push_back({"must-sell lots", [](HouseholdProblem& p) {
                        bool had = false;
                        for (HouseholdAccountInput& account : p.accounts) had = RemoveMustSell(account.lots) || had;
                        return had;
                      }});
  return suspects;
}

bool Feasible(const ModelInput& input, const SolverOptions& options) {
  const ModelBuild build = BuildQpModel(input);
  if (!build.infeasible.empty()) return false;
  SolverOptions quiet = options;
  quiet.callback = nullptr;
  return RunInteriorPoint(build.model, quiet, {}).status == SolveStatus::kOptimal;
}

template <typename P>
std::optional<std::string> Diagnose(const P& problem, const SolverOptions& options) {
  std::vector<std::string> culprits;
  for (const Suspect<P>& suspect : Suspects(problem)) {
    P relaxed = problem;
    if (suspect.remove(relaxed) && Feasible(ViewOf(relaxed), options)) culprits.push_back(suspect.name);
  }
  if (culprits.empty()) return std::nullopt;
  if (culprits.size() == 1) {
    return culprits[0] + ": cannot be met together with the other constraints (without it the problem is feasible)";
  }
  std::string names = culprits[0];
  for (size_t k = 1; k < culprits.size(); ++k) names += (k + 1 == culprits.size() ? " and " : ", ") + culprits[k];
  return names + ": cannot all be met together (dropping any one of them makes the problem feasible)";
}

}  // namespace

std::optional<std::string> DiagnoseInfeasibility(const Problem& problem, const SolverOptions& options) {
  return Diagnose(problem, options);
}

std::optional<std::string> DiagnoseInfeasibility(const HouseholdProblem& problem, const SolverOptions& options) {
  return Diagnose(problem, options);
}

}  // namespace arbor::optimize::internal
