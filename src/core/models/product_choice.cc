#include "core/models/product_choice.h"

namespace arbor::models {
namespace {

const ProductOption* FindProduct(const AssetClass& cls, const std::string& id) {
  for (const ProductOption& option : cls.products) {
    if (option.id == id) return &option;
  }
  return nullptr;
}

std::string Label(const Template& tmpl) { return tmpl.name + " v" + std::to_string(tmpl.version); }

}  // namespace

Result<ProductChoices> ChooseProducts(const Customization& c, const Template& tmpl,
                                      const TemplateTree& tree,
                                      const std::vector<Template>& history) {
  ProductChoices out;
  out.product.assign(tmpl.classes.size(), nullptr);
  out.chosen.assign(tmpl.classes.size(), false);
  for (int leaf : tree.leaves) {
    out.product[leaf] = FindProduct(tmpl.classes[leaf], tmpl.classes[leaf].default_product);
  }
  for (size_t i = 0; i < c.products.size(); ++i) {
    const ProductChoice& choice = c.products[i];
    const std::string field = "products[" + std::to_string(i) + "]";
    const int cls = tree.Find(choice.asset_class);
    if (cls == TemplateTree::kRoot) {
      if (!ClassInAnyVersion(history, choice.asset_class)) {
        return Status::NotFound(field + ": unknown asset class '" + choice.asset_class +
                                "' in template " + tmpl.name);
      }
      out.notes.push_back("the product choice " + choice.product + " for " + choice.asset_class +
                          " does not apply: " + Label(tmpl) + " has no class " +
                          choice.asset_class);
      continue;
    }
    const AssetClass& ac = tmpl.classes[cls];
    if (!tree.IsLeaf(cls)) {
      return Status::InvalidArgument(field + ": " + ac.name +
                                     " has sub-classes; products belong to leaf classes");
    }
    if (out.chosen[cls]) return Status::InvalidArgument(ac.name + " is given two products");
    const ProductOption* option = FindProduct(ac, choice.product);
    if (option == nullptr) {
      if (!ProductInAnyVersion(history, ac.name, choice.product)) {
        std::string approved;
        for (const ProductOption& o : ac.products)
          approved += (approved.empty() ? "" : ", ") + o.id;
        return Status::NotFound(field + ": " + ac.name + " has no product '" + choice.product +
                                "' (approved: " + approved + ")");
      }
      out.notes.push_back("the product choice " + choice.product + " for " + ac.name +
                          " does not apply: " + Label(tmpl) + " no longer offers it; the default " +
                          ac.default_product + " applies");
      continue;
    }
    out.chosen[cls] = true;
    out.product[cls] = option;
  }
  return out;
}

}  // namespace arbor::models
