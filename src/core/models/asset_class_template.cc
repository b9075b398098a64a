#include "core/models/asset_class_template.h"

#include <cmath>
#include <set>

#include "core/base/enum_names.h"
#include "core/market/security.h"
#include "core/models/template_tree.h"
#include "core/models/weight_text.h"

namespace arbor::models {
namespace {

constexpr EnumNames<ProductKind, 5> kProductKindNames = {{
    {ProductKind::kEtf, "etf"},
    {ProductKind::kMutualFund, "mutual_fund"},
    {ProductKind::kDirectIndex, "direct_index"},
    {ProductKind::kActiveModel, "active_model"},
    {ProductKind::kCash, "cash"},
}};

// Weights are typed by people with a few decimals; 1e-9 forgives only the arithmetic.
constexpr double kSumTolerance = 1e-9;

bool IsFraction(double w) { return std::isfinite(w) && w >= 0 && w <= 1; }

Status CheckClass(const AssetClass& cls, const TemplateTree& tree, int c,
                  std::set<std::string>& product_ids) {
  const std::string field = "classes[" + cls.name + "].";
  if (!IsFraction(cls.min_weight) || !IsFraction(cls.max_weight) ||
      cls.min_weight > cls.max_weight) {
    return Status::InvalidArgument(field + "min_weight, max_weight: [" +
                                   WeightText(cls.min_weight) + ", " + WeightText(cls.max_weight) +
                                   "] is not a band within [0, 1]");
  }
  if (!tree.IsLeaf(c)) {
    // Bands are on what an account holds, which is leaves; a band on a parent would be ignored.
    if (cls.min_weight != 0 || cls.max_weight != 1) {
      return Status::InvalidArgument(field +
                                     "min_weight, max_weight: bands apply to leaf classes; " +
                                     cls.name + " has sub-classes");
    }
    if (!cls.products.empty() || !cls.default_product.empty()) {
      return Status::InvalidArgument(field + "products: only leaf classes have products; " +
                                     cls.name + " has sub-classes");
    }
    return Status::Ok();
  }
  const double absolute = tree.absolute[c];
  if (absolute < cls.min_weight - kSumTolerance || absolute > cls.max_weight + kSumTolerance) {
    return Status::InvalidArgument(field + "min_weight, max_weight: the band [" +
                                   WeightText(cls.min_weight) + ", " + WeightText(cls.max_weight) +
                                   "] does not contain the class's weight " + WeightText(absolute));
  }
  if (cls.products.empty()) {
    return Status::InvalidArgument(field + "products: a leaf class needs at least one product");
  }
  bool has_default = false;
  for (const ProductOption& product : cls.products) {
    const std::string pfield = field + "products[" + product.id + "]";
    if (product.id.empty()) return Status::InvalidArgument(field + "products: an id is empty");
    if (!product_ids.insert(product.id).second) {
      return Status::InvalidArgument(pfield + ".id: appears twice in the template");
    }
    if (product.kind != ProductKind::kCash && product.reference.empty()) {
      return Status::InvalidArgument(pfield + ".reference: a " +
                                     std::string(ToString(product.kind)) +
                                     " product needs a fund symbol or security model name");
    }
    if (product.kind == ProductKind::kEtf || product.kind == ProductKind::kMutualFund) {
      Status symbol = ValidateSymbol(product.reference);
      if (!symbol.ok()) return Status::InvalidArgument(pfield + ".reference: " + symbol.message());
    }
    has_default = has_default || product.id == cls.default_product;
  }
  if (!has_default) {
    return Status::InvalidArgument(field + "default_product: '" + cls.default_product +
                                   "' is not one of the class's products");
  }
  return Status::Ok();
}

Status CheckSum(const Template& tmpl, const std::vector<int>& members, const std::string& what) {
  double sum = 0;
  for (int c : members) sum += tmpl.classes[c].weight;
  if (std::abs(sum - 1) > kSumTolerance) {
    return Status::InvalidArgument(what + ": weights sum to " + WeightText(sum) + ", not 1");
  }
  return Status::Ok();
}

Status Validate(const Template& tmpl) {
  if (tmpl.version < 1) {
    return Status::InvalidArgument("version: " + std::to_string(tmpl.version) + " is below 1");
  }
  if (tmpl.classes.empty()) return Status::InvalidArgument("classes: a template needs classes");
  Result<TemplateTree> tree = BuildTemplateTree(tmpl);
  if (!tree.ok()) return tree.status();
  // Weights first: a band is checked against the absolute weight they produce.
  for (const AssetClass& cls : tmpl.classes) {
    if (!IsFraction(cls.weight)) {
      return Status::InvalidArgument("classes[" + cls.name + "].weight: " + WeightText(cls.weight) +
                                     " is outside [0, 1]");
    }
  }
  ARBOR_RETURN_IF_ERROR(CheckSum(tmpl, tree->top, "top-level classes"));
  for (size_t c = 0; c < tmpl.classes.size(); ++c) {
    if (tree->IsLeaf(static_cast<int>(c))) continue;
    ARBOR_RETURN_IF_ERROR(
        CheckSum(tmpl, tree->children[c], "classes[" + tmpl.classes[c].name + "] children"));
  }
  std::set<std::string> product_ids;
  for (size_t c = 0; c < tmpl.classes.size(); ++c) {
    ARBOR_RETURN_IF_ERROR(CheckClass(tmpl.classes[c], *tree, static_cast<int>(c), product_ids));
  }
  return Status::Ok();
}

}  // namespace

std::string_view ToString(ProductKind kind) { return NameOf(kProductKindNames, kind); }

Result<ProductKind> ProductKindFromString(std::string_view text) {
  if (std::optional<ProductKind> kind = ParseName(kProductKindNames, text)) return *kind;
  return Status::InvalidArgument(
      "unknown product kind '" + std::string(text) +
      "' (expected etf, mutual_fund, direct_index, active_model or cash)");
}

Status ValidateTemplate(const Template& tmpl) {
  if (tmpl.name.empty()) return Status::InvalidArgument("template: name must not be empty");
  return Validate(tmpl).WithContext("template " + tmpl.name + " v" + std::to_string(tmpl.version));
}

}  // namespace arbor::models
