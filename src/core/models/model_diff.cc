#include "core/models/model_diff.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/models/template_tree.h"

namespace arbor::models {
namespace {

struct Leaf {
  double weight = 0;
  std::string product;
};

// Absolute weight and default product of every leaf; a template that does not validate has
// none (the book only holds validated ones).
std::map<std::string, Leaf> LeavesOf(const Template& tmpl) {
  std::map<std::string, Leaf> leaves;
  Result<TemplateTree> tree = BuildTemplateTree(tmpl);
  if (!tree.ok()) return leaves;
  for (int leaf : tree->leaves) {
    leaves[tmpl.classes[leaf].name] = {tree->absolute[leaf], tmpl.classes[leaf].default_product};
  }
  return leaves;
}

bool ByLargestChange(const WeightChange& a, const WeightChange& b) {
  const double da = std::abs(a.after - a.before), db = std::abs(b.after - b.before);
  return da != db ? da > db : a.name < b.name;
}

}  // namespace

SecurityModelDiff DiffSecurityModels(const SecurityModel& from, const SecurityModel& to) {
  std::map<std::string, WeightChange> by_symbol;
  for (const ModelWeight& w : from.weights) by_symbol[w.symbol] = {w.symbol, w.weight, 0};
  for (const ModelWeight& w : to.weights) {
    WeightChange& change = by_symbol[w.symbol];
    change.name = w.symbol;
    change.after = w.weight;
  }
  SecurityModelDiff diff;
  for (const auto& [symbol, change] : by_symbol) {
    if (change.before == change.after) continue;
    diff.turnover += 0.5 * std::abs(change.after - change.before);
    diff.added += change.before == 0;
    diff.removed += change.after == 0;
    diff.changes.push_back(change);
  }
  std::sort(diff.changes.begin(), diff.changes.end(), ByLargestChange);
  return diff;
}

TemplateDiff DiffTemplates(const Template& from, const Template& to) {
  const std::map<std::string, Leaf> before = LeavesOf(from);
  const std::map<std::string, Leaf> after = LeavesOf(to);
  std::map<std::string, ClassChange> by_class;
  for (const auto& [name, leaf] : before) {
    by_class[name] = {.asset_class = name, .before = leaf.weight, .product_before = leaf.product};
  }
  for (const auto& [name, leaf] : after) {
    ClassChange& change = by_class[name];
    change.asset_class = name;
    change.after = leaf.weight;
    change.product_after = leaf.product;
  }
  TemplateDiff diff;
  for (const auto& [name, change] : by_class) {
    diff.turnover += 0.5 * std::abs(change.after - change.before);
    if (std::abs(change.after - change.before) > 1e-12 ||
        change.product_before != change.product_after) {
      diff.changes.push_back(change);
    }
  }
  std::stable_sort(diff.changes.begin(), diff.changes.end(),
                   [](const ClassChange& a, const ClassChange& b) {
                     return std::abs(a.after - a.before) > std::abs(b.after - b.before);
                   });
  return diff;
}

double TargetTurnover(const Resolution& before, const Resolution& after) {
  std::map<std::string, double> delta;
  for (const ResolvedTarget& t : before.targets) delta[t.symbol] -= t.weight;
  for (const ResolvedTarget& t : after.targets) delta[t.symbol] += t.weight;
  double moved = std::abs(after.cash_weight - before.cash_weight);
  for (const auto& [symbol, d] : delta) moved += std::abs(d);
  return 0.5 * moved;
}

}  // namespace arbor::models
