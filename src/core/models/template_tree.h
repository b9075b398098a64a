// The tree of a template's asset classes, by index into Template::classes: parents, children,
// leaves in template order, and each class's absolute weight (the product of the relative
// weights on its path). Shared by ValidateTemplate and the resolver.
//
//   Result<TemplateTree> tree = BuildTemplateTree(tmpl);   // duplicate names, unknown parents,
//   for (int leaf : tree->leaves) tree->absolute[leaf];    // cycles are errors
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"
#include "core/models/asset_class_template.h"

namespace arbor::models {

struct TemplateTree {
  static constexpr int kRoot = -1;  // the parent of a top-level class

  std::map<std::string_view, int> index;  // class name -> index; views into the template
  std::vector<int> parent;                // kRoot for a top-level class
  std::vector<std::vector<int>> children;
  std::vector<int> top;     // top-level classes, template order
  std::vector<int> leaves;  // template order
  std::vector<double> absolute;

  int Find(std::string_view name) const {
    auto it = index.find(name);
    return it == index.end() ? kRoot : it->second;
  }
  bool IsLeaf(int c) const { return children[c].empty(); }
  // Leaves under `c` (itself when a leaf); under the whole template for kRoot; template order.
  std::vector<int> LeavesUnder(int c) const;
  // Is `c` equal to `ancestor` or below it?
  bool IsUnder(int c, int ancestor) const;
};

// Does any version of a template have this class (or this product of this class)? A
// customization naming a class that only another version has no longer applies, which is a note,
// not an error: an IPC change must not break accounts.
bool ClassInAnyVersion(const std::vector<Template>& history, std::string_view class_name);
bool ProductInAnyVersion(const std::vector<Template>& history, std::string_view class_name,
                         std::string_view product_id);

// Errors ("classes[X].parent: ...") name the class and field, without the template prefix. The
// template must outlive the tree.
Result<TemplateTree> BuildTemplateTree(const Template& tmpl);

}  // namespace arbor::models
