#include "core/models/resolution.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/models/testing/test_book.h"

namespace arbor::models {
namespace {

using testing::D;

const Date kV1Date = D("2021-06-30");  // Balanced Growth v1 in effect
const Date kV2Date = D("2022-06-30");  // v2 in effect

const ResolvedTarget* Target(const Resolution& r, const std::string& symbol) {
  for (const ResolvedTarget& t : r.targets) {
    if (t.symbol == symbol) return &t;
  }
  return nullptr;
}

const ResolvedClass& Class(const Resolution& r, const std::string& name) {
  for (const ResolvedClass& c : r.classes) {
    if (c.asset_class == name) return c;
  }
  throw std::logic_error("no class " + name);
}

double TargetSum(const Resolution& r) {
  double sum = r.cash_weight;
  for (const ResolvedTarget& t : r.targets) sum += t.weight;
  return sum;
}

class ResolutionTest : public ::testing::Test {
 protected:
  Result<Resolution> Resolve(const Customization& c, Date as_of = kV1Date) {
    return resolver_.Resolve(c, as_of);
  }
  std::string Error(const Customization& c, Date as_of = kV1Date) {
    Result<Resolution> r = Resolve(c, as_of);
    EXPECT_FALSE(r.ok());
    return r.status().message();
  }
  static Customization Smith() {
    return {.account = "SMITH-JOINT", .template_name = "Balanced Growth"};
  }

  ModelBook book_ = testing::TestBook();
  SecurityMaster master_ = testing::TestMaster();
  Resolver resolver_{book_, master_};
};

TEST_F(ResolutionTest, TemplateDefaultsWithLineage) {
  Result<Resolution> r = Resolve(Smith());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->template_name, "Balanced Growth");
  EXPECT_EQ(r->template_version, 1);
  ASSERT_EQ(r->classes.size(), 9u);
  EXPECT_EQ(r->classes[0].asset_class, "US Large Cap");
  EXPECT_EQ(r->classes[8].asset_class, "Cash");
  // One ETF per class, by symbol; the cash class adds to cash_weight.
  std::vector<std::string> symbols;
  for (const ResolvedTarget& t : r->targets) symbols.push_back(t.symbol);
  EXPECT_EQ(symbols,
            (std::vector<std::string>{"AGG", "EEM", "EFA", "IJH", "IJR", "IVV", "TIP", "VNQ"}));
  EXPECT_DOUBLE_EQ(Target(*r, "IVV")->weight, 0.6 * 0.7 * 0.7);
  EXPECT_DOUBLE_EQ(Target(*r, "EEM")->weight, 0.6 * 0.3 * 0.25);
  EXPECT_DOUBLE_EQ(Target(*r, "AGG")->weight, 0.3 * 0.8);
  EXPECT_DOUBLE_EQ(r->cash_weight, 0.03);
  EXPECT_NEAR(TargetSum(*r), 1, 1e-12);
  const TargetSource& source = Target(*r, "IVV")->sources.at(0);
  EXPECT_EQ(source.asset_class, "US Large Cap");
  EXPECT_EQ(source.product, "IVV");
  EXPECT_EQ(source.model, "");
  EXPECT_DOUBLE_EQ(source.weight, 0.294);
  EXPECT_EQ(source.rule, "template weight 0.294");
  EXPECT_EQ(Class(*r, "Cash").product, "CASH");
  EXPECT_TRUE(r->notes.empty());
  EXPECT_TRUE(r->screened.empty());
}

TEST_F(ResolutionTest, RemovalProRataWithinTheParent) {
  Customization c = Smith();
  c.removals = {{.asset_class = "US Small Cap"}};
  Result<Resolution> r = Resolve(c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  // 0.042 goes to Large (0.294) and Mid (0.084) in proportion: 7/9 and 2/9 of it.
  EXPECT_DOUBLE_EQ(Class(*r, "US Large Cap").weight, 0.294 + 0.042 * 7 / 9);
  EXPECT_DOUBLE_EQ(Class(*r, "US Mid Cap").weight, 0.084 + 0.042 * 2 / 9);
  EXPECT_EQ(Class(*r, "US Small Cap").weight, 0);
  EXPECT_EQ(Class(*r, "US Small Cap").product, "");
  EXPECT_EQ(Class(*r, "US Small Cap").rule, "removed (pro rata), template weight 0.042");
  EXPECT_DOUBLE_EQ(Class(*r, "Intl Developed").weight, 0.135);  // other branches untouched
  EXPECT_EQ(Target(*r, "IJR"), nullptr);
  EXPECT_EQ(Target(*r, "IJH")->sources[0].rule,
            "template weight 0.084; +0.009333 from US Small Cap (pro rata within US Equity)");
  EXPECT_NEAR(TargetSum(*r), 1, 1e-12);
}

TEST_F(ResolutionTest, RemovalGoesUpTheTreeWhenNothingRemainsUnderTheParent) {
  // Real Estate is Real Assets' only class: its 0.07 goes to every remaining leaf pro rata.
  Customization c = Smith();
  c.removals = {{.asset_class = "Real Estate"}};
  Result<Resolution> r = Resolve(c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_DOUBLE_EQ(Class(*r, "US Large Cap").weight, 0.294 + 0.07 * 0.294 / 0.93);
  EXPECT_DOUBLE_EQ(Class(*r, "Core Bonds").weight, 0.24 + 0.07 * 0.24 / 0.93);
  EXPECT_DOUBLE_EQ(r->cash_weight, 0.03 + 0.07 * 0.03 / 0.93);
  EXPECT_NEAR(TargetSum(*r), 1, 1e-12);
  // Both international classes removed: their 0.18 goes to the US classes, within Equity.
  c.removals = {{.asset_class = "Emerging Markets"}, {.asset_class = "Intl Developed"}};
  r = Resolve(c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_DOUBLE_EQ(Class(*r, "US Mid Cap").weight, 0.084 + 0.18 * 0.084 / 0.42);
  EXPECT_DOUBLE_EQ(Class(*r, "Core Bonds").weight, 0.24);
  EXPECT_EQ(Class(*r, "US Mid Cap").rule,
            "template weight 0.084; +0.009 from Emerging Markets (pro rata within Equity); "
            "+0.027 from Intl Developed (pro rata within Equity)");
}

TEST_F(ResolutionTest, RemovingAParentClassRemovesItsLeaves) {
  Customization c = Smith();
  c.removals = {{.asset_class = "International"}};
  Result<Resolution> r = Resolve(c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Class(*r, "Intl Developed").weight, 0);
  EXPECT_EQ(Class(*r, "Emerging Markets").weight, 0);
  EXPECT_DOUBLE_EQ(Class(*r, "US Large Cap").weight, 0.294 + 0.18 * 0.294 / 0.42);
}

TEST_F(ResolutionTest, RemovalToANamedClass) {
  Customization c = Smith();
  c.removals = {
      {.asset_class = "Real Estate", .rule = Redistribution::kToClass, .to_class = "Core Bonds"}};
  Result<Resolution> r = Resolve(c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_DOUBLE_EQ(Target(*r, "AGG")->weight, 0.31);
  EXPECT_EQ(Class(*r, "Core Bonds").rule,
            "template weight 0.24; +0.07 from Real Estate (to class)");
  EXPECT_EQ(Class(*r, "Real Estate").rule, "removed (to Core Bonds), template weight 0.07");
  EXPECT_DOUBLE_EQ(Class(*r, "TIPS").weight, 0.06);
}

TEST_F(ResolutionTest, RemovalOrderDoesNotMatter) {
  // Real Estate's weight goes to every remaining leaf, Emerging Markets' to Intl Developed, Small
  // Cap's to Core Bonds; each by template weights, so the order of the removals is irrelevant.
  Customization a = Smith();
  a.removals = {
      {.asset_class = "Real Estate"},
      {.asset_class = "Emerging Markets"},
      {.asset_class = "US Small Cap", .rule = Redistribution::kToClass, .to_class = "Core Bonds"}};
  Customization b = a;
  std::swap(b.removals[0], b.removals[2]);
  Result<Resolution> ra = Resolve(a), rb = Resolve(b);
  ASSERT_TRUE(ra.ok()) << ra.status().message();
  ASSERT_TRUE(rb.ok()) << rb.status().message();
  for (size_t i = 0; i < ra->classes.size(); ++i) {
    EXPECT_NEAR(ra->classes[i].weight, rb->classes[i].weight, 1e-15) << ra->classes[i].asset_class;
  }
  const double remaining = 1 - 0.07 - 0.045 - 0.042;
  EXPECT_DOUBLE_EQ(Class(*ra, "Intl Developed").weight, 0.135 + 0.045 + 0.07 * 0.135 / remaining);
  EXPECT_DOUBLE_EQ(Class(*ra, "Core Bonds").weight, 0.24 + 0.042 + 0.07 * 0.24 / remaining);
  EXPECT_NEAR(TargetSum(*ra), 1, 1e-12);
}

TEST_F(ResolutionTest, RemovalErrorsNameTheAccountAndClass) {
  Customization c = Smith();
  c.removals = {{.asset_class = "Cash"}};
  EXPECT_EQ(Error(c),
            "account SMITH-JOINT: Cash may not be removed: the IPC marked it not removable in "
            "Balanced Growth v1");
  c.removals = {{.asset_class = "Emerging Market"}};
  EXPECT_EQ(Error(c),
            "account SMITH-JOINT: removals[0]: unknown asset class 'Emerging Market' in template "
            "Balanced Growth");
  c.removals = {
      {.asset_class = "Real Estate", .rule = Redistribution::kToClass, .to_class = "Fixed Income"}};
  EXPECT_EQ(Error(c),
            "account SMITH-JOINT: removals[0].to_class: Fixed Income has sub-classes; name a leaf "
            "class");
  c.removals = {
      {.asset_class = "Real Estate", .rule = Redistribution::kToClass, .to_class = "TIPS"},
      {.asset_class = "TIPS"}};
  EXPECT_EQ(Error(c),
            "account SMITH-JOINT: the removal of Real Estate sends its weight to TIPS, which is "
            "removed too");
  c.removals = {{.asset_class = "Real Estate", .to_class = "TIPS"}};
  EXPECT_EQ(Error(c),
            "account SMITH-JOINT: removals[0].to_class: TIPS is named but the rule is pro_rata; "
            "use to_class");
  c.removals = {{.asset_class = "Equity"}, {.asset_class = "US Mid Cap"}};
  EXPECT_EQ(Error(c),
            "account SMITH-JOINT: removals[1]: the removals of Equity and US Mid Cap overlap");
}

TEST_F(ResolutionTest, RemovingEveryClassIsAnError) {
  Template t = testing::BalancedV1();
  t.classes.back().removable = true;
  ModelBook book;
  ASSERT_TRUE(book.AddTemplate(t).ok());
  Resolver resolver(book, master_);
  Customization c = Smith();
  c.removals = {{.asset_class = "Equity"},
                {.asset_class = "Fixed Income"},
                {.asset_class = "Real Assets"},
                {.asset_class = "Cash"}};
  EXPECT_EQ(resolver.Resolve(c, kV1Date).status().message(),
            "account SMITH-JOINT: the removals remove every class of Balanced Growth v1");
}

TEST_F(ResolutionTest, OverrideScalesTheRestProRata) {
  Customization c = Smith();
  c.weights = {{.asset_class = "US Large Cap", .weight = 0.35}};
  Result<Resolution> r = Resolve(c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const double factor = 0.65 / 0.706;
  EXPECT_EQ(Target(*r, "IVV")->weight, 0.35);
  EXPECT_DOUBLE_EQ(Target(*r, "AGG")->weight, 0.24 * factor);
  EXPECT_DOUBLE_EQ(r->cash_weight, 0.03 * factor);
  EXPECT_NEAR(TargetSum(*r), 1, 1e-12);
  EXPECT_EQ(Class(*r, "US Large Cap").rule, "override 0.35 (template weight 0.294)");
  EXPECT_EQ(Class(*r, "TIPS").rule,
            "template weight 0.06; scaled x0.92068 for the weight overrides");
}

TEST_F(ResolutionTest, OverrideOutsideItsBandIsRejected) {
  Customization c = Smith();
  c.weights = {{.asset_class = "US Large Cap", .weight = 0.62}};
  Result<Resolution> r = Resolve(c);
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(r.status().message(),
            "account SMITH-JOINT: US Large Cap weight 0.62 is outside the IPC band [0.20, 0.45]");
  c.weights = {{.asset_class = "US Large Cap", .weight = 0.19}};
  EXPECT_EQ(Error(c),
            "account SMITH-JOINT: US Large Cap weight 0.19 is outside the IPC band [0.20, 0.45]");
  c.weights = {{.asset_class = "US Large Cap", .weight = 0.45}};  // the bound itself is inside
  EXPECT_TRUE(Resolve(c).ok());
}

TEST_F(ResolutionTest, ScalingThatPushesAnotherClassOutOfItsBandIsRejected) {
  // Large Cap 0.40 and Core Bonds 0.35 leave 0.25 for the rest (template 0.466): Intl Developed
  // falls from 0.135 to 0.0724, below its 0.08 floor.
  Customization c = Smith();
  c.weights = {{.asset_class = "US Large Cap", .weight = 0.40},
               {.asset_class = "Core Bonds", .weight = 0.35}};
  EXPECT_EQ(Error(c),
            "account SMITH-JOINT: Intl Developed weight 0.072425 is outside the IPC band "
            "[0.08, 0.22] (template weight 0.135; scaled x0.536481 for the weight overrides)");
}

TEST_F(ResolutionTest, ConflictingOverridesAreErrors) {
  Customization c = Smith();
  c.removals = {{.asset_class = "TIPS"}};
  c.weights = {{.asset_class = "TIPS", .weight = 0.05}};
  EXPECT_EQ(Error(c), "account SMITH-JOINT: TIPS is both removed and given a weight");
  c.removals.clear();
  c.weights = {{.asset_class = "TIPS", .weight = 0.05}, {.asset_class = "TIPS", .weight = 0.04}};
  EXPECT_EQ(Error(c), "account SMITH-JOINT: TIPS is given two weights");
  c.weights = {{.asset_class = "Equity", .weight = 0.5}};
  EXPECT_EQ(Error(c),
            "account SMITH-JOINT: weights[0]: Equity has sub-classes; weights are set on leaf "
            "classes");
}

TEST_F(ResolutionTest, SwitchingAClassFromEtfToDirectIndex) {
  Customization c = Smith();
  c.products = {{.asset_class = "US Large Cap", .product = "LC-DI"}};
  Result<Resolution> r = Resolve(c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Target(*r, "IVV"), nullptr);
  EXPECT_DOUBLE_EQ(Target(*r, "AAPL")->weight, 0.294 * 0.30);
  EXPECT_DOUBLE_EQ(Target(*r, "MO")->weight, 0.294 * 0.10);
  const TargetSource& source = Target(*r, "MSFT")->sources.at(0);
  EXPECT_EQ(source.asset_class, "US Large Cap");
  EXPECT_EQ(source.product, "LC-DI");
  EXPECT_EQ(source.model, "US500 v1");
  EXPECT_EQ(source.rule, "template weight 0.294");
  EXPECT_EQ(Class(*r, "US Large Cap").product, "LC-DI");
  EXPECT_EQ(r->targets.size(), 7u + 5u);  // seven other ETFs and five stocks
  EXPECT_NEAR(TargetSum(*r), 1, 1e-12);
}

TEST_F(ResolutionTest, TheSameSymbolFromTwoClassesIsSummedWithBothSources) {
  Customization c = Smith();
  c.products = {{.asset_class = "US Large Cap", .product = "LC-DI"},
                {.asset_class = "US Mid Cap", .product = "MID-ACTIVE"}};
  Result<Resolution> r = Resolve(c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const ResolvedTarget* jpm = Target(*r, "JPM");
  ASSERT_NE(jpm, nullptr);
  EXPECT_DOUBLE_EQ(jpm->weight, 0.294 * 0.20 + 0.084 * 0.40);
  ASSERT_EQ(jpm->sources.size(), 2u);
  EXPECT_EQ(jpm->sources[0].asset_class, "US Large Cap");  // template order
  EXPECT_DOUBLE_EQ(jpm->sources[0].weight, 0.294 * 0.20);
  EXPECT_EQ(jpm->sources[1].asset_class, "US Mid Cap");
  EXPECT_EQ(jpm->sources[1].model, "MIDCAP-QUALITY v1");
  EXPECT_DOUBLE_EQ(jpm->sources[1].weight, 0.084 * 0.40);
  EXPECT_EQ(Target(*r, "DECK")->sources.size(), 1u);
  EXPECT_NEAR(TargetSum(*r), 1, 1e-12);
}

TEST_F(ResolutionTest, ProductChoiceErrorsAndNotes) {
  Customization c = Smith();
  c.products = {{.asset_class = "US Large Cap", .product = "SPY"}};
  EXPECT_EQ(Error(c),
            "account SMITH-JOINT: products[0]: US Large Cap has no product 'SPY' (approved: IVV, "
            "LC-DI)");
  c.products = {{.asset_class = "Large Cap", .product = "LC-DI"}};
  EXPECT_EQ(Error(c),
            "account SMITH-JOINT: products[0]: unknown asset class 'Large Cap' in template "
            "Balanced Growth");
  c.products = {{.asset_class = "TIPS", .product = "TIP"}};
  c.removals = {{.asset_class = "TIPS"}};
  Result<Resolution> r = Resolve(c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->notes, std::vector<std::string>{
                          "the product choice for TIPS is not used: the class is removed"});
}

TEST_F(ResolutionTest, AMissingSecurityModelIsAnError) {
  ModelBook book;
  ASSERT_TRUE(book.AddTemplate(testing::BalancedV1()).ok());
  Resolver resolver(book, master_);
  Customization c = Smith();
  c.products = {{.asset_class = "US Large Cap", .product = "LC-DI"}};
  EXPECT_EQ(
      resolver.Resolve(c, kV1Date).status().message(),
      "account SMITH-JOINT: US Large Cap's product LC-DI uses security model US500, which the "
      "book does not have");
}

TEST_F(ResolutionTest, UnknownTemplateOrNoVersionYet) {
  Customization c = Smith();
  c.template_name = "Aggressive";
  EXPECT_EQ(Error(c), "account SMITH-JOINT: unknown template 'Aggressive'");
  EXPECT_EQ(Error(Smith(), D("2020-12-31")),
            "account SMITH-JOINT: template Balanced Growth has no version effective on 2020-12-31 "
            "(v1 takes effect on 2021-01-04)");
}

TEST_F(ResolutionTest, ScreensReallocateProRataAndListTheScreenedNames) {
  Customization c = Smith();
  c.products = {{.asset_class = "US Large Cap", .product = "LC-DI"}};
  c.screens = {"tobacco"};
  Result<Resolution> r = Resolve(c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Target(*r, "MO"), nullptr);
  EXPECT_DOUBLE_EQ(Target(*r, "AAPL")->weight, 0.294 * 0.30 / 0.90);
  EXPECT_DOUBLE_EQ(Target(*r, "XOM")->weight, 0.294 * 0.15 / 0.90);
  EXPECT_EQ(r->screened, (std::vector<std::string>{"MO", "PM"}));
  EXPECT_EQ(Target(*r, "AAPL")->sources[0].rule,
            "template weight 0.294; screens tobacco: 1 name (0.10 of US500 v1) out, pro-rata "
            "reallocation");
  EXPECT_NEAR(TargetSum(*r), 1, 1e-12);
}

TEST_F(ResolutionTest, UnknownScreenIsAnError) {
  Customization c = Smith();
  c.screens = {"tobbaco"};
  EXPECT_EQ(Error(c), "account SMITH-JOINT: unknown screen 'tobbaco'");
}

// Gives all of the screened weight to the first remaining name, and counts its calls.
class ToFirstReallocator : public ScreenReallocator {
 public:
  Result<SecurityModel> Reallocate(const SecurityModel& model,
                                   const std::vector<std::string>& excluded) const override {
    ++calls;
    SecurityModel out = model;
    out.weights.clear();
    double removed = 0;
    for (const ModelWeight& w : model.weights) {
      if (std::binary_search(excluded.begin(), excluded.end(), w.symbol)) {
        removed += w.weight;
      } else {
        out.weights.push_back(w);
      }
    }
    out.weights.front().weight += removed + skew;
    return out;
  }
  std::string Describe() const override { return "to-first reallocation"; }

  mutable std::atomic<int> calls = 0;
  double skew = 0;  // != 0 makes the result invalid
};

TEST_F(ResolutionTest, ScreensUseTheGivenReallocatorOncePerModelAndScreenSet) {
  ToFirstReallocator fake;
  Resolver resolver(book_, master_, &fake);
  Customization c = Smith();
  c.products = {{.asset_class = "US Large Cap", .product = "LC-DI"}};
  c.screens = {"fossil_fuels", "tobacco"};
  for (int i = 0; i < 3; ++i) {
    Customization account = c;
    account.account = "ACCOUNT-" + std::to_string(i);
    ASSERT_TRUE(resolver.Resolve(account, kV1Date).ok());
  }
  EXPECT_EQ(fake.calls, 1);
  // The same set typed in another order (and repeated) is the same cache entry.
  c.screens = {"tobacco", "fossil_fuels", "tobacco"};
  Result<Resolution> r = resolver.Resolve(c, kV1Date);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(fake.calls, 1);
  // US500's first name is AAPL: it takes XOM's 0.15 and MO's 0.10.
  EXPECT_DOUBLE_EQ(Target(*r, "AAPL")->weight, 0.294 * (0.30 + 0.25));
  EXPECT_DOUBLE_EQ(Target(*r, "MSFT")->weight, 0.294 * 0.25);
  EXPECT_EQ(Target(*r, "XOM"), nullptr);
  EXPECT_EQ(Target(*r, "AAPL")->sources[0].rule,
            "template weight 0.294; screens fossil_fuels,tobacco: 2 names (0.25 of US500 v1) out, "
            "to-first reallocation");
  c.screens = {"tobacco"};
  ASSERT_TRUE(resolver.Resolve(c, kV1Date).ok());
  EXPECT_EQ(fake.calls, 2);
  // Without a direct index there is nothing to reallocate.
  c.products.clear();
  c.screens = {"alcohol"};
  ASSERT_TRUE(resolver.Resolve(c, kV1Date).ok());
  EXPECT_EQ(fake.calls, 2);
}

TEST_F(ResolutionTest, AnInvalidReallocationIsAnErrorNamingTheReallocator) {
  ToFirstReallocator fake;
  fake.skew = 0.5;
  Resolver resolver(book_, master_, &fake);
  Customization c = Smith();
  c.products = {{.asset_class = "US Large Cap", .product = "LC-DI"}};
  c.screens = {"tobacco"};
  EXPECT_EQ(resolver.Resolve(c, kV1Date).status().message(),
            "account SMITH-JOINT: US Large Cap: to-first reallocation of US500 v1 for screens "
            "tobacco is not a valid model: security model US500 v1: weights sum to 1.50, not 1");
}

TEST_F(ResolutionTest, AModelTheScreensEmptyIsHeldInCash) {
  ASSERT_TRUE(
      book_.AddScreen({.name = "no-us500", .symbols = {"AAPL", "JPM", "MO", "MSFT", "XOM"}}).ok());
  Customization c = Smith();
  c.products = {{.asset_class = "US Large Cap", .product = "LC-DI"}};
  c.screens = {"no-us500"};
  Result<Resolution> r = Resolve(c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_DOUBLE_EQ(r->cash_weight, 0.03 + 0.294);
  EXPECT_EQ(Target(*r, "AAPL"), nullptr);
  ASSERT_FALSE(r->notes.empty());
  EXPECT_EQ(r->notes.front(),
            "US Large Cap: screens no-us500: 5 names (1.00 of US500 v1) out, every name of the "
            "model; its 0.294 is held in cash");
  EXPECT_NEAR(TargetSum(*r), 1, 1e-12);
}

TEST_F(ResolutionTest, ScreenedNamesInsideATargetedFundAreNoted) {
  ASSERT_TRUE(book_
                  .AddFundHoldings({.fund = "IVV",
                                    .as_of = D("2021-03-31"),
                                    .weights = {{"AAPL", 0.06}, {"MO", 0.0012}, {"PM", 0.0019}}})
                  .ok());
  Customization c = Smith();
  c.screens = {"tobacco"};
  Result<Resolution> r = Resolve(c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_GE(r->notes.size(), 1u);
  EXPECT_EQ(r->notes[0],
            "US Large Cap: the fund IVV cannot be screened; 0.31% of it (PM 0.19%, MO 0.12%) is in "
            "names the screens tobacco exclude (holdings of 2021-03-31)");
  // The funds without holdings are named in one note; a fund whose holdings avoid the names is
  // not named at all.
  EXPECT_EQ(r->notes.size(), 2u);
  EXPECT_EQ(r->notes.back(),
            "screens do not apply to funds, and the holdings of IJH, IJR, EFA, EEM, AGG, TIP, VNQ "
            "are not loaded to show how much of them the screens tobacco would exclude");
  ASSERT_TRUE(
      book_.AddFundHoldings({.fund = "IJH", .as_of = D("2021-03-31"), .weights = {{"DECK", 0.01}}})
          .ok());
  Resolver fresh(book_, master_);
  r = fresh.Resolve(c, kV1Date);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->notes.size(), 2u);
  for (const std::string& note : r->notes) EXPECT_EQ(note.find("IJH"), std::string::npos) << note;
  // The screens still apply to the targets: IVV stays, screened names are listed for the
  // optimizer (not to buy, to sell if held).
  EXPECT_NE(Target(*r, "IVV"), nullptr);
  EXPECT_EQ(r->screened, (std::vector<std::string>{"MO", "PM"}));
}

TEST_F(ResolutionTest, AFundTheAccountScreensOutIsAnError) {
  ASSERT_TRUE(book_.AddScreen({.name = "no-reits", .symbols = {"VNQ"}}).ok());
  Customization c = Smith();
  c.screens = {"no-reits"};
  EXPECT_EQ(Error(c),
            "account SMITH-JOINT: Real Estate's product VNQ is the fund VNQ, which the account's "
            "screens no-reits exclude; choose another product");
  c.removals = {{.asset_class = "Real Estate"}};
  EXPECT_TRUE(Resolve(c).ok());
}

// The advisor's choices are kept across an IPC change: v1 before 2022-01-03, v2 after.
Customization Versioned() {
  return {.account = "SMITH-JOINT",
          .template_name = "Balanced Growth",
          .removals = {{.asset_class = "Emerging Markets"},
                       {.asset_class = "Real Estate",
                        .rule = Redistribution::kToClass,
                        .to_class = "Core Bonds"}},
          .weights = {{.asset_class = "US Large Cap", .weight = 0.30}},
          .products = {{.asset_class = "US Large Cap", .product = "LC-DI"},
                       {.asset_class = "US Small Cap", .product = "SC-FUND"}}};
}

TEST_F(ResolutionTest, VersionOneBeforeTheTacticalShift) {
  Result<Resolution> r = Resolve(Versioned(), kV1Date);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->template_version, 1);
  EXPECT_TRUE(r->notes.empty());
  // Removals: Intl Developed 0.135 + 0.045 = 0.18; Core Bonds 0.24 + 0.07 = 0.31. The override
  // sets Large Cap to 0.30, the other 0.706 is scaled to 0.70.
  const double factor = 0.70 / 0.706;
  EXPECT_EQ(Class(*r, "US Large Cap").weight, 0.30);
  EXPECT_DOUBLE_EQ(Class(*r, "Intl Developed").weight, 0.18 * factor);
  EXPECT_DOUBLE_EQ(Class(*r, "Core Bonds").weight, 0.31 * factor);
  EXPECT_DOUBLE_EQ(Target(*r, "VSMAX")->weight, 0.042 * factor);
  EXPECT_DOUBLE_EQ(Target(*r, "AAPL")->weight, 0.30 * 0.30);
  EXPECT_DOUBLE_EQ(r->cash_weight, 0.03 * factor);
  EXPECT_EQ(Class(*r, "Core Bonds").rule,
            "template weight 0.24; +0.07 from Real Estate (to class); scaled x0.991501 for the "
            "weight overrides");
  EXPECT_NEAR(TargetSum(*r), 1, 1e-12);
}

TEST_F(ResolutionTest, VersionTwoAfterTheTacticalShiftKeepsTheCustomizations) {
  Result<Resolution> r = Resolve(Versioned(), kV2Date);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->template_version, 2);
  ASSERT_EQ(r->classes.size(), 8u);
  // v2: Intl Developed 0.14625 + Emerging 0.04875 = 0.195; Core Bonds 0.256 (Real Estate is
  // gone, so its removal no longer applies); Large Cap overridden to 0.30, the other 0.6815
  // scaled to 0.70.
  const double factor = 0.70 / 0.6815;
  EXPECT_EQ(Class(*r, "US Large Cap").weight, 0.30);
  EXPECT_DOUBLE_EQ(Class(*r, "Intl Developed").weight, 0.195 * factor);
  EXPECT_EQ(Class(*r, "Emerging Markets").weight, 0);
  EXPECT_DOUBLE_EQ(Class(*r, "Core Bonds").weight, 0.256 * factor);
  EXPECT_DOUBLE_EQ(Target(*r, "AAPL")->weight, 0.30 * 0.30);
  EXPECT_DOUBLE_EQ(Target(*r, "IJR")->weight, 0.0455 * factor);  // the fund is gone: default
  EXPECT_EQ(r->notes,
            (std::vector<std::string>{
                "the removal of Real Estate does not apply: Balanced Growth v2 has no class Real "
                "Estate",
                "the product choice SC-FUND for US Small Cap does not apply: Balanced Growth v2 no "
                "longer offers it; the default IJR applies"}));
  EXPECT_NEAR(TargetSum(*r), 1, 1e-12);
}

TEST_F(ResolutionTest, AnOverrideOrToClassOfADroppedClassIsANote) {
  Customization c = Smith();
  c.removals = {{.asset_class = "Emerging Markets",
                 .rule = Redistribution::kToClass,
                 .to_class = "Real Estate"}};
  // In v1 the weight goes to Real Estate, above its band; in v2 it has nowhere to go but pro rata.
  EXPECT_EQ(Error(c, kV1Date),
            "account SMITH-JOINT: Real Estate weight 0.115 is outside the IPC band [0.00, 0.10] "
            "(template weight 0.07; +0.045 from Emerging Markets (to class))");
  Result<Resolution> r = Resolve(c, kV2Date);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_DOUBLE_EQ(Class(*r, "Intl Developed").weight, 0.195);  // pro rata instead
  c.weights = {{.asset_class = "Real Estate", .weight = 0.09}};
  r = Resolve(c, kV2Date);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->notes,
            (std::vector<std::string>{
                "the weight of removed Emerging Markets goes pro rata, not to Real Estate: "
                "Balanced Growth v2 has no class Real Estate",
                "the weight override of Real Estate does not apply: Balanced Growth v2 has no "
                "class Real Estate"}));
  EXPECT_DOUBLE_EQ(Class(*r, "Core Bonds").weight, 0.256);  // no override, nothing scaled
}

TEST(ProRataReallocatorTest, ScalesTheRestAndRefusesToEmptyAModel) {
  const ProRataReallocator pro_rata;
  const SecurityModel us500 = testing::Us500();
  Result<SecurityModel> none = pro_rata.Reallocate(us500, {"PM"});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->weights.size(), 5u);
  Result<SecurityModel> two = pro_rata.Reallocate(us500, {"MO", "XOM"});
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->weights.size(), 3u);
  EXPECT_DOUBLE_EQ(two->weights[0].weight, 0.30 / 0.75);
  EXPECT_EQ(pro_rata.Reallocate(us500, {"AAPL", "JPM", "MO", "MSFT", "XOM"}).status().message(),
            "security model US500 v1: the screens exclude every name");
}

TEST_F(ResolutionTest, ASecurityModelUpdateCascadesThroughTheCache) {
  SecurityModel v2 = testing::Us500();
  v2.version = 2;
  v2.effective = D("2022-03-31");
  v2.weights = {{"AAPL", 0.40}, {"MSFT", 0.30}, {"MO", 0.20}, {"PM", 0.10}};
  ASSERT_TRUE(book_.AddSecurityModel(v2).ok());
  Customization c = Smith();
  c.products = {{.asset_class = "US Large Cap", .product = "LC-DI"}};
  c.screens = {"tobacco"};
  Result<Resolution> before = Resolve(c, D("2022-03-30"));
  Result<Resolution> after = Resolve(c, D("2022-03-31"));
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_EQ(Target(*before, "AAPL")->sources[0].model, "US500 v1");
  EXPECT_DOUBLE_EQ(Target(*before, "AAPL")->weight, 0.3185 * 0.30 / 0.90);  // template v2
  EXPECT_EQ(Target(*after, "AAPL")->sources[0].model, "US500 v2");
  EXPECT_DOUBLE_EQ(Target(*after, "AAPL")->weight, 0.3185 * 0.40 / 0.70);
  EXPECT_EQ(Target(*after, "JPM"), nullptr);
}

TEST_F(ResolutionTest, SameInputSameOutputBitForBitAcrossThreads) {
  Customization c = Versioned();
  c.products.push_back({.asset_class = "US Mid Cap", .product = "MID-ACTIVE"});
  c.screens = {"fossil_fuels", "tobacco"};
  const Resolution expected = *Resolve(c, kV2Date);
  auto same = [&](const Resolution& r) {
    if (r.targets.size() != expected.targets.size() || r.notes != expected.notes ||
        r.cash_weight != expected.cash_weight) {
      return false;
    }
    for (size_t i = 0; i < r.targets.size(); ++i) {
      const ResolvedTarget& a = r.targets[i];
      const ResolvedTarget& b = expected.targets[i];
      if (a.symbol != b.symbol || a.weight != b.weight || a.sources.size() != b.sources.size()) {
        return false;
      }
      for (size_t k = 0; k < a.sources.size(); ++k) {
        if (a.sources[k].weight != b.sources[k].weight || a.sources[k].rule != b.sources[k].rule) {
          return false;
        }
      }
    }
    return true;
  };
  // A fresh resolver, so the threads race to fill the cache.
  Resolver resolver(book_, master_);
  std::atomic<int> mismatches = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        Result<Resolution> r = resolver.Resolve(c, kV2Date);
        if (!r.ok() || !same(*r)) ++mismatches;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
}  // namespace arbor::models
