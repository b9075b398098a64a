#include "core/models/class_weights.h"

#include <cmath>

#include "core/models/weight_text.h"

namespace arbor::models {
namespace {

// Weights are typed with a few decimals; 1e-9 forgives the arithmetic, not a typo.
constexpr double kTolerance = 1e-9;

std::string TemplateLabel(const Template& tmpl) {
  return tmpl.name + " v" + std::to_string(tmpl.version);
}

std::string BandText(const AssetClass& cls) {
  return "[" + WeightText(cls.min_weight) + ", " + WeightText(cls.max_weight) + "]";
}

bool InBand(const AssetClass& cls, double w) {
  return w >= cls.min_weight - kTolerance && w <= cls.max_weight + kTolerance;
}

struct Removal {
  int cls;
  int to;  // a leaf for kToClass; kRoot for pro rata
};

class Resolving {
 public:
  Resolving(const Customization& customization, const Template& tmpl, const TemplateTree& tree,
            const std::vector<Template>& history)
      : c_(customization), tmpl_(tmpl), tree_(tree), history_(history) {
    const size_t n = tmpl.classes.size();
    weight_.assign(n, 0);
    rule_.resize(n);
    removed_.assign(n, false);
    for (int leaf : tree.leaves) {
      weight_[leaf] = tree.absolute[leaf];
      rule_[leaf] = "template weight " + WeightText(tree.absolute[leaf]);
    }
  }

  Result<ClassWeights> Run() {
    ARBOR_RETURN_IF_ERROR(CollectRemovals());
    ARBOR_RETURN_IF_ERROR(Redistribute());
    ARBOR_RETURN_IF_ERROR(ApplyOverrides());
    ARBOR_RETURN_IF_ERROR(CheckBands());
    ClassWeights out;
    for (int leaf : tree_.leaves) {
      out.leaves.push_back({leaf, weight_[leaf], removed_[leaf], std::move(rule_[leaf])});
    }
    out.notes = std::move(notes_);
    return out;
  }

 private:
  // The class's index; kRoot with a note when another version has it; an error when none does.
  Result<int> Find(const std::string& name, const std::string& field, const std::string& note) {
    const int c = tree_.Find(name);
    if (c != TemplateTree::kRoot) return c;
    if (name.empty()) return Status::InvalidArgument(field + ": names no asset class");
    if (!ClassInAnyVersion(history_, name)) {
      return Status::NotFound(field + ": unknown asset class '" + name + "' in template " +
                              tmpl_.name);
    }
    notes_.push_back(note + ": " + TemplateLabel(tmpl_) + " has no class " + name);
    return TemplateTree::kRoot;
  }

  Status CollectRemovals() {
    for (size_t i = 0; i < c_.removals.size(); ++i) {
      const ClassRemoval& r = c_.removals[i];
      const std::string field = "removals[" + std::to_string(i) + "]";
      Result<int> c =
          Find(r.asset_class, field, "the removal of " + r.asset_class + " does not apply");
      if (!c.ok()) return c.status();
      if (*c == TemplateTree::kRoot) continue;
      for (int leaf : tree_.LeavesUnder(*c)) {
        if (tmpl_.classes[leaf].removable) continue;
        return Status::FailedPrecondition(
            r.asset_class + " may not be removed: the IPC marked " +
            (leaf == *c ? std::string("it") : tmpl_.classes[leaf].name) + " not removable in " +
            TemplateLabel(tmpl_));
      }
      for (const Removal& other : removals_) {
        if (tree_.IsUnder(*c, other.cls) || tree_.IsUnder(other.cls, *c)) {
          return Status::InvalidArgument(field + ": the removals of " +
                                         tmpl_.classes[other.cls].name + " and " + r.asset_class +
                                         " overlap");
        }
      }
      if (r.rule == Redistribution::kProRata && !r.to_class.empty()) {
        return Status::InvalidArgument(field + ".to_class: " + r.to_class +
                                       " is named but the rule is pro_rata; use to_class");
      }
      int to = TemplateTree::kRoot;
      if (r.rule == Redistribution::kToClass) {
        Result<int> t =
            Find(r.to_class, field + ".to_class",
                 "the weight of removed " + r.asset_class + " goes pro rata, not to " + r.to_class);
        if (!t.ok()) return t.status();
        to = *t;
        if (to != TemplateTree::kRoot && !tree_.IsLeaf(to)) {
          return Status::InvalidArgument(field + ".to_class: " + r.to_class +
                                         " has sub-classes; name a leaf class");
        }
      }
      removals_.push_back({*c, to});
      for (int leaf : tree_.LeavesUnder(*c)) removed_[leaf] = true;
    }
    for (int leaf : tree_.leaves) {
      if (!removed_[leaf]) return Status::Ok();
    }
    return Status::InvalidArgument("the removals remove every class of " + TemplateLabel(tmpl_));
  }

  Status Redistribute() {
    for (const Removal& r : removals_) {
      const std::string& name = tmpl_.classes[r.cls].name;
      double amount = 0;
      for (int leaf : tree_.LeavesUnder(r.cls)) amount += tree_.absolute[leaf];
      if (r.to != TemplateTree::kRoot) {
        if (removed_[r.to]) {
          return Status::InvalidArgument("the removal of " + name + " sends its weight to " +
                                         tmpl_.classes[r.to].name + ", which is removed too");
        }
        MarkRemoved(r.cls, "removed (to " + tmpl_.classes[r.to].name + ")");
        Give(r.to, amount, "+" + WeightText(amount) + " from " + name + " (to class)");
        continue;
      }
      MarkRemoved(r.cls, "removed (pro rata)");
      if (amount == 0) continue;
      // Up the tree from the parent until some remaining leaf with weight can take it.
      for (int scope = tree_.parent[r.cls];; scope = tree_.parent[scope]) {
        std::vector<int> takers;
        double total = 0;
        for (int leaf : tree_.LeavesUnder(scope)) {
          if (removed_[leaf]) continue;
          takers.push_back(leaf);
          total += tree_.absolute[leaf];
        }
        if (total > 0) {
          const std::string within =
              scope == TemplateTree::kRoot ? "" : " within " + tmpl_.classes[scope].name;
          for (int leaf : takers) {
            const double share = amount * tree_.absolute[leaf] / total;
            if (share > 0) {
              Give(leaf, share,
                   "+" + WeightText(share) + " from " + name + " (pro rata" + within + ")");
            }
          }
          break;
        }
        if (scope == TemplateTree::kRoot) {
          return Status::InvalidArgument("removing " + name +
                                         " leaves no class with weight to take its " +
                                         WeightText(amount));
        }
      }
    }
    return Status::Ok();
  }

  void MarkRemoved(int c, const std::string& rule) {
    for (int leaf : tree_.LeavesUnder(c)) {
      weight_[leaf] = 0;
      rule_[leaf] = rule + ", template weight " + WeightText(tree_.absolute[leaf]);
    }
  }

  void Give(int leaf, double amount, const std::string& rule) {
    weight_[leaf] += amount;
    rule_[leaf] += "; " + rule;
  }

  Status ApplyOverrides() {
    std::vector<bool> overridden(tmpl_.classes.size(), false);
    double overrides = 0;
    bool any = false;
    for (size_t i = 0; i < c_.weights.size(); ++i) {
      const WeightOverride& o = c_.weights[i];
      const std::string field = "weights[" + std::to_string(i) + "]";
      Result<int> found =
          Find(o.asset_class, field, "the weight override of " + o.asset_class + " does not apply");
      if (!found.ok()) return found.status();
      const int c = *found;
      if (c == TemplateTree::kRoot) continue;
      const AssetClass& cls = tmpl_.classes[c];
      if (!tree_.IsLeaf(c)) {
        return Status::InvalidArgument(field + ": " + cls.name +
                                       " has sub-classes; weights are set on leaf classes");
      }
      if (removed_[c]) {
        return Status::InvalidArgument(cls.name + " is both removed and given a weight");
      }
      if (overridden[c]) return Status::InvalidArgument(cls.name + " is given two weights");
      if (!std::isfinite(o.weight) || o.weight < 0 || o.weight > 1) {
        return Status::InvalidArgument(field + ": " + cls.name + " weight " + WeightText(o.weight) +
                                       " is outside [0, 1]");
      }
      if (!InBand(cls, o.weight)) {
        return Status::FailedPrecondition(cls.name + " weight " + WeightText(o.weight) +
                                          " is outside the IPC band " + BandText(cls));
      }
      overridden[c] = true;
      any = true;
      overrides += o.weight;
      rule_[c] = "override " + WeightText(o.weight) + " (template weight " +
                 WeightText(tree_.absolute[c]) + ")";
      weight_[c] = o.weight;
    }
    if (!any) return Status::Ok();
    double others = 0;
    for (int leaf : tree_.leaves) {
      if (!removed_[leaf] && !overridden[leaf]) others += weight_[leaf];
    }
    const double rest = 1 - overrides;
    if (rest < -kTolerance) {
      return Status::InvalidArgument("the weight overrides sum to " + WeightText(overrides) +
                                     ", above 1");
    }
    if (others <= 0) {
      if (rest > kTolerance) {
        return Status::InvalidArgument("the weight overrides sum to " + WeightText(overrides) +
                                       " and leave no other class to hold the remaining " +
                                       WeightText(rest));
      }
      return Status::Ok();
    }
    const double factor = std::max(rest, 0.0) / others;
    for (int leaf : tree_.leaves) {
      if (removed_[leaf] || overridden[leaf]) continue;
      weight_[leaf] *= factor;
      rule_[leaf] += "; scaled x" + WeightText(factor) + " for the weight overrides";
    }
    return Status::Ok();
  }

  // Overrides were checked as given; this catches a class pushed out of its band by removals or
  // by the scaling that makes room for overrides.
  Status CheckBands() const {
    for (int leaf : tree_.leaves) {
      const AssetClass& cls = tmpl_.classes[leaf];
      if (removed_[leaf] || InBand(cls, weight_[leaf])) continue;
      return Status::FailedPrecondition(cls.name + " weight " + WeightText(weight_[leaf]) +
                                        " is outside the IPC band " + BandText(cls) + " (" +
                                        rule_[leaf] + ")");
    }
    return Status::Ok();
  }

  const Customization& c_;
  const Template& tmpl_;
  const TemplateTree& tree_;
  const std::vector<Template>& history_;
  std::vector<double> weight_;
  std::vector<std::string> rule_;
  std::vector<bool> removed_;
  std::vector<Removal> removals_;
  std::vector<std::string> notes_;
};

}  // namespace

Result<ClassWeights> ResolveClassWeights(const Customization& customization, const Template& tmpl,
                                         const TemplateTree& tree,
                                         const std::vector<Template>& history) {
  return Resolving(customization, tmpl, tree, history).Run();
}

}  // namespace arbor::models
