// Step 5 of a resolution (resolution.h), its first half: each leaf's product, the account's
// choice or the IPC's default.
//
//   Result<ProductChoices> p = ChooseProducts(customization, tmpl, tree, history);
//   p->product[leaf]->kind;   // kDirectIndex after {"US Large Cap", "LC-DI"}
//
// A choice of a class or product that only another version of the template has is a note (the
// default applies); one that no version has is an error, as is a choice for a parent class or
// two choices for one class.
#pragma once

#include <string>
#include <vector>

#include "core/base/status.h"
#include "core/models/asset_class_template.h"
#include "core/models/customization.h"
#include "core/models/template_tree.h"

namespace arbor::models {

struct ProductChoices {
  std::vector<const ProductOption*> product;  // by class index; null for parent classes
  std::vector<bool> chosen;                   // by class index: the account chose the product
  std::vector<std::string> notes;
};

// Errors name the choice and class, without the account.
Result<ProductChoices> ChooseProducts(const Customization& customization, const Template& tmpl,
                                      const TemplateTree& tree,
                                      const std::vector<Template>& history);

}  // namespace arbor::models
