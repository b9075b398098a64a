#include "core/models/asset_class_template.h"

#include <gtest/gtest.h>

#include "core/models/customization.h"
#include "core/models/testing/test_book.h"

namespace arbor::models {
namespace {

using testing::BalancedV1;

AssetClass& Class(Template& t, const std::string& name) {
  for (AssetClass& c : t.classes) {
    if (c.name == name) return c;
  }
  throw std::logic_error("no class " + name);
}

std::string Error(const Template& t) { return ValidateTemplate(t).message(); }

TEST(ValidateTemplateTest, TheNineClassTemplatesAreValid) {
  EXPECT_TRUE(ValidateTemplate(BalancedV1()).ok()) << Error(BalancedV1());
  EXPECT_TRUE(ValidateTemplate(testing::BalancedV2()).ok()) << Error(testing::BalancedV2());
}

TEST(ValidateTemplateTest, ChildrenMustSumToOne) {
  Template t = BalancedV1();
  Class(t, "Core Bonds").weight = 0.70;
  EXPECT_EQ(Error(t),
            "template Balanced Growth v1: classes[Fixed Income] children: weights sum to 0.90, "
            "not 1");
}

TEST(ValidateTemplateTest, TopLevelMustSumToOne) {
  Template t = BalancedV1();
  Class(t, "Equity").weight = 0.65;
  EXPECT_EQ(Error(t), "template Balanced Growth v1: top-level classes: weights sum to 1.05, not 1");
}

TEST(ValidateTemplateTest, WeightOutsideZeroOne) {
  Template t = BalancedV1();
  Class(t, "TIPS").weight = -0.2;
  EXPECT_EQ(Error(t), "template Balanced Growth v1: classes[TIPS].weight: -0.20 is outside [0, 1]");
}

TEST(ValidateTemplateTest, UnknownParent) {
  Template t = BalancedV1();
  Class(t, "TIPS").parent = "Fixed Incom";
  EXPECT_EQ(Error(t),
            "template Balanced Growth v1: classes[TIPS].parent: unknown class 'Fixed Incom'");
}

TEST(ValidateTemplateTest, DuplicateName) {
  Template t = BalancedV1();
  Class(t, "TIPS").name = "Core Bonds";
  EXPECT_EQ(Error(t), "template Balanced Growth v1: classes[Core Bonds].name: appears twice");
}

TEST(ValidateTemplateTest, CycleInParents) {
  Template t = BalancedV1();
  // Equity -> US Equity -> Equity; the leaves below hang off the cycle.
  Class(t, "Equity").parent = "US Equity";
  EXPECT_EQ(Error(t),
            "template Balanced Growth v1: classes[Equity].parent: the parents form a cycle "
            "Equity -> US Equity -> Equity");
  Template self = BalancedV1();
  Class(self, "Cash").parent = "Cash";
  EXPECT_EQ(Error(self),
            "template Balanced Growth v1: classes[Cash].parent: the parents form a cycle "
            "Cash -> Cash");
}

TEST(ValidateTemplateTest, BandMustBeABandWithinZeroOne) {
  Template t = BalancedV1();
  Class(t, "US Large Cap").min_weight = 0.50;
  EXPECT_EQ(Error(t),
            "template Balanced Growth v1: classes[US Large Cap].min_weight, max_weight: "
            "[0.50, 0.45] is not a band within [0, 1]");
}

TEST(ValidateTemplateTest, BandMustContainTheAbsoluteWeight) {
  Template t = BalancedV1();
  Class(t, "US Large Cap").max_weight = 0.25;  // its weight is 0.6 * 0.7 * 0.7 = 0.294
  EXPECT_EQ(Error(t),
            "template Balanced Growth v1: classes[US Large Cap].min_weight, max_weight: the band "
            "[0.20, 0.25] does not contain the class's weight 0.294");
}

TEST(ValidateTemplateTest, BandOnAParentIsRejected) {
  Template t = BalancedV1();
  Class(t, "Equity").max_weight = 0.7;
  EXPECT_EQ(Error(t),
            "template Balanced Growth v1: classes[Equity].min_weight, max_weight: bands apply to "
            "leaf classes; Equity has sub-classes");
}

TEST(ValidateTemplateTest, MissingDefaultProduct) {
  Template t = BalancedV1();
  Class(t, "US Large Cap").default_product = "SPY";
  EXPECT_EQ(Error(t),
            "template Balanced Growth v1: classes[US Large Cap].default_product: 'SPY' is not one "
            "of the class's products");
}

TEST(ValidateTemplateTest, ProductsOnLeavesOnly) {
  Template t = BalancedV1();
  Class(t, "TIPS").products.clear();
  EXPECT_EQ(Error(t),
            "template Balanced Growth v1: classes[TIPS].products: a leaf class needs at least one "
            "product");
  Template parent = BalancedV1();
  Class(parent, "Fixed Income").products = {testing::Etf("BND")};
  EXPECT_EQ(Error(parent),
            "template Balanced Growth v1: classes[Fixed Income].products: only leaf classes have "
            "products; Fixed Income has sub-classes");
}

TEST(ValidateTemplateTest, ProductIdsUniqueAndReferencesPresent) {
  Template t = BalancedV1();
  Class(t, "TIPS").products = {{"AGG", ProductKind::kEtf, "AGG"}};
  Class(t, "TIPS").default_product = "AGG";
  EXPECT_EQ(Error(t),
            "template Balanced Growth v1: classes[TIPS].products[AGG].id: appears twice in the "
            "template");
  Template empty = BalancedV1();
  Class(empty, "US Large Cap").products[1].reference = "";
  EXPECT_EQ(Error(empty),
            "template Balanced Growth v1: classes[US Large Cap].products[LC-DI].reference: a "
            "direct_index product needs a fund symbol or security model name");
  Template bad_symbol = BalancedV1();
  Class(bad_symbol, "TIPS").products[0].reference = "tip";
  EXPECT_EQ(Error(bad_symbol),
            "template Balanced Growth v1: classes[TIPS].products[TIP].reference: symbol 'tip' may "
            "contain only A-Z, 0-9, '.', '-' and '/'");
}

TEST(ProductKindTest, NamesBothWays) {
  for (ProductKind kind : {ProductKind::kEtf, ProductKind::kMutualFund, ProductKind::kDirectIndex,
                           ProductKind::kActiveModel, ProductKind::kCash}) {
    Result<ProductKind> back = ProductKindFromString(ToString(kind));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, kind);
  }
  EXPECT_EQ(ToString(ProductKind::kDirectIndex), "direct_index");
  EXPECT_EQ(*ProductKindFromString("Mutual_Fund"), ProductKind::kMutualFund);
  EXPECT_FALSE(ProductKindFromString("index").ok());
}

TEST(RedistributionTest, NamesBothWays) {
  EXPECT_EQ(ToString(Redistribution::kToClass), "to_class");
  EXPECT_EQ(*RedistributionFromString("PRO_RATA"), Redistribution::kProRata);
  EXPECT_EQ(RedistributionFromString("even").status().message(),
            "unknown redistribution 'even' (expected pro_rata or to_class)");
}

}  // namespace
}  // namespace arbor::models
