// Steps 2-4 of a resolution (resolution.h): an account's leaf-class weights from the template's,
// after its removals and weight overrides, each checked against its IPC band, with the rule that
// produced it.
//
//   Result<ClassWeights> w = ResolveClassWeights(customization, tmpl, tree, history);
//   w->leaves[0].weight;   // 0.4515
//   w->leaves[0].rule;
//   // "template weight 0.42; +0.0315 from Emerging Markets (pro rata within Equity)"
//
// Removals are additive and use template weights, so their order does not matter: a removed
// class's weight goes to the leaves that remain (none of any removal) under its parent, in
// proportion to their template weights, or one level up when none with weight remain there; or
// all of it to a named remaining leaf. Overrides then set leaves' weights and scale the others
// (in proportion to their weights after removals) to fill the rest.
#pragma once

#include <string>
#include <vector>

#include "core/base/status.h"
#include "core/models/asset_class_template.h"
#include "core/models/customization.h"
#include "core/models/template_tree.h"

namespace arbor::models {

struct LeafWeight {
  int cls = 0;        // index into Template::classes
  double weight = 0;  // absolute; 0 when removed
  bool removed = false;
  std::string rule;  // the steps that produced the weight, as TargetSource::rule
};

struct ClassWeights {
  std::vector<LeafWeight> leaves;  // template order
  std::vector<std::string> notes;  // customizations of classes this version does not have
};

// `history`: every version of the template, to tell a class another version has (a note) from a
// name no version has (an error). Errors name the customization and class, without the account.
Result<ClassWeights> ResolveClassWeights(const Customization& customization, const Template& tmpl,
                                         const TemplateTree& tree,
                                         const std::vector<Template>& history);

}  // namespace arbor::models
