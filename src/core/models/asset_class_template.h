// An asset-allocation template of the investment policy committee (IPC): a tree of asset classes
// with weights, the band an account may move each class's weight within, and the products that
// may implement each leaf class (an ETF, a mutual fund, a direct-index or active security model,
// or cash), with the IPC's default.
//
//   Template t{.name = "Balanced 60/40", .version = 1, .effective = *Date::Parse("2021-01-04")};
//   t.classes.push_back({.name = "Equity", .weight = 0.6});
//   t.classes.push_back({.name = "US Large Cap", .parent = "Equity", .weight = 0.7,
//                        .min_weight = 0.30, .max_weight = 0.55,
//                        .products = {{"IVV", ProductKind::kEtf, "IVV"},
//                                     {"SP500-DI", ProductKind::kDirectIndex, "SP500"}},
//                        .default_product = "IVV"});
//   ...
//   Status ok = ValidateTemplate(t);  // with .max_weight = 0.40 instead:
//   // "template Balanced 60/40 v1: classes[US Large Cap].min_weight, max_weight: the band
//   //  [0.30, 0.40] does not contain the class's weight 0.42"
//
// Weights are relative to the parent: the children of every class (and the top-level classes)
// sum to 1, so a tactical shift inside equities changes one level only. Bands are on a leaf's
// absolute weight (the product of the weights on its path), the number a client sees.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/date.h"
#include "core/base/status.h"

namespace arbor::models {

enum class ProductKind {
  kEtf,          // one fund security, looked through to its holdings for risk
  kMutualFund,   // likewise
  kDirectIndex,  // a security model held stock by stock (screens apply)
  kActiveModel,  // a manager's security model (screens apply)
  kCash,         // the class's weight stays in cash
};
std::string_view ToString(ProductKind kind);
// Case-insensitive: etf, mutual_fund, direct_index, active_model, cash.
Result<ProductKind> ProductKindFromString(std::string_view text);

struct ProductOption {
  std::string id;         // unique within the template, e.g. "IVV" or "SP500-DI-100"
  ProductKind kind = ProductKind::kEtf;
  std::string reference;  // the fund's symbol, or the security model's name; empty for cash
};

struct AssetClass {
  std::string name;    // unique within the template, e.g. "US Large Cap"
  std::string parent;  // empty for a top-level class
  double weight = 0;   // fraction of the parent's weight
  // The IPC's band for an account's weight of this leaf (absolute, fraction of the account).
  double min_weight = 0;
  double max_weight = 1;
  bool removable = true;  // may an account drop this class?
  // Leaves only: the approved products, and the default one's id.
  std::vector<ProductOption> products;
  std::string default_product;
};

struct Template {
  std::string name;
  int version = 1;  // 1, 2, ...: every IPC change is a new version; history is kept
  Date effective;   // first review date the version applies to
  std::string description;
  std::vector<AssetClass> classes;  // any order; the tree is given by `parent`
};

// Names unique, parents known, no cycles, weights in [0, 1] summing to 1 under every parent
// (within 1e-9), leaves and only leaves with products, the default among them, product ids
// unique, references present (non-empty except for cash), bands containing the leaf's
// absolute weight. The message names the class and field.
Status ValidateTemplate(const Template& tmpl);

}  // namespace arbor::models
