#include "core/models/template_tree.h"

namespace arbor::models {

std::vector<int> TemplateTree::LeavesUnder(int c) const {
  std::vector<int> out;
  for (int leaf : leaves) {
    if (c == kRoot || IsUnder(leaf, c)) out.push_back(leaf);
  }
  return out;
}

bool TemplateTree::IsUnder(int c, int ancestor) const {
  for (int at = c; at != kRoot; at = parent[at]) {
    if (at == ancestor) return true;
  }
  return false;
}

bool ClassInAnyVersion(const std::vector<Template>& history, std::string_view class_name) {
  for (const Template& tmpl : history) {
    for (const AssetClass& cls : tmpl.classes) {
      if (cls.name == class_name) return true;
    }
  }
  return false;
}

bool ProductInAnyVersion(const std::vector<Template>& history, std::string_view class_name,
                         std::string_view product_id) {
  for (const Template& tmpl : history) {
    for (const AssetClass& cls : tmpl.classes) {
      if (cls.name != class_name) continue;
      for (const ProductOption& product : cls.products) {
        if (product.id == product_id) return true;
      }
    }
  }
  return false;
}

Result<TemplateTree> BuildTemplateTree(const Template& tmpl) {
  TemplateTree tree;
  const int n = static_cast<int>(tmpl.classes.size());
  for (int c = 0; c < n; ++c) {
    const std::string& name = tmpl.classes[c].name;
    if (name.empty()) {
      return Status::InvalidArgument("classes[" + std::to_string(c) + "].name: must not be empty");
    }
    if (!tree.index.emplace(name, c).second) {
      return Status::InvalidArgument("classes[" + name + "].name: appears twice");
    }
  }
  tree.parent.assign(n, TemplateTree::kRoot);
  tree.children.resize(n);
  for (int c = 0; c < n; ++c) {
    const AssetClass& cls = tmpl.classes[c];
    if (cls.parent.empty()) {
      tree.top.push_back(c);
      continue;
    }
    const int p = tree.Find(cls.parent);
    if (p == TemplateTree::kRoot) {
      return Status::InvalidArgument("classes[" + cls.name + "].parent: unknown class '" +
                                     cls.parent + "'");
    }
    tree.parent[c] = p;
    tree.children[p].push_back(c);
  }
  // A chain of parents that does not reach the top enters a cycle; report it from a member, the
  // first in template order, so the message lists exactly the classes of the cycle.
  for (int c = 0; c < n; ++c) {
    std::string path = tmpl.classes[c].name;
    int at = tree.parent[c];
    for (int steps = 0; at != TemplateTree::kRoot && steps < n; ++steps, at = tree.parent[at]) {
      path += " -> " + tmpl.classes[at].name;
      if (at == c) {
        return Status::InvalidArgument("classes[" + tmpl.classes[c].name +
                                       "].parent: the parents form a cycle " + path);
      }
    }
  }
  tree.absolute.assign(n, 0);
  for (int c = 0; c < n; ++c) {
    double w = 1;
    for (int at = c; at != TemplateTree::kRoot; at = tree.parent[at]) w *= tmpl.classes[at].weight;
    tree.absolute[c] = w;
    if (tree.children[c].empty()) tree.leaves.push_back(c);
  }
  return tree;
}

}  // namespace arbor::models
