// The investment-model file imports: every format read into the store, re-imports that change
// nothing, and bad files rejected with `file:line: field` and nothing changed.
#include <gtest/gtest.h>

#include "adapters/storage/model_store.h"
#include "adapters/storage/model_test_util.h"
#include "adapters/storage/store_test_util.h"

namespace arbor {
namespace {

using testing_util::ModelFingerprint;
using testing_util::ScratchDir;

Date D(const char* text) { return *Date::Parse(text); }

class ModelImportTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = testing_util::OpenCatalogue(dir_); }

  // Imports `text` as `name` with `import`, expects it to fail with a message containing
  // `message`, and checks that nothing changed.
  template <typename Import>
  void ExpectRejected(Import import, const std::string& name, const std::string& text,
                      const std::string& message) {
    const std::string before = ModelFingerprint(store_->database());
    Result<ImportSummary> result = import(dir_.Write(name, text));
    ASSERT_FALSE(result.ok()) << message;
    EXPECT_NE(result.status().message().find(message), std::string::npos)
        << result.status().message();
    EXPECT_EQ(ModelFingerprint(store_->database()), before) << message;
  }
  Result<ImportSummary> Templates(const std::string& path) {
    return ImportTemplates(*store_, {path});
  }

  ScratchDir dir_{"model_import"};
  std::unique_ptr<Store> store_;
};

TEST_F(ModelImportTest, EveryFormatAndReimportsChangeNothing) {
  // The fixture imported SP500, Balanced v1 and two screens; v2 comes in a file of its own.
  const std::string v2 = dir_.Write("v2.json", testing_util::kBalancedV2);
  Result<ImportSummary> templates = ImportTemplates(*store_, {v2});
  ASSERT_TRUE(templates.ok()) << templates.status().message();
  EXPECT_EQ(templates->inserted, 1u);
  // A third-party CSV with a model column: two models, one of them in two versions.
  const std::string models = dir_.Write("third_party.csv",
                                        "model,symbol,weight,effective_date\n"
                                        "VALUE,BBB,0.6,2024-01-02\n"
                                        "VALUE,CCC,0.4,2024-01-02\n"
                                        "VALUE,BBB,0.5,2024-04-01\n"
                                        "VALUE,CCC,0.3,2024-04-01\n"
                                        "VALUE,XOM,0.2,2024-04-01\n"
                                        "TECH,AAA,1,2024-02-01\n");
  Result<ImportSummary> imported = ImportSecurityModels(*store_, {models}, "");
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  EXPECT_EQ(imported->inserted, 3u);
  const std::string screens = dir_.Write("screens.csv",
                                         "screen,gics_sub_industry,symbol,include,description\n"
                                         "energy,Integrated Oil & Gas,,,fossil fuels\n"
                                         "energy,,ZZZ,,\n"
                                         "strict,,,energy,\n"
                                         "strict,,,faith,\n");
  Result<ImportSummary> screened = ImportScreens(*store_, {screens});
  ASSERT_TRUE(screened.ok()) << screened.status().message();
  const std::string customizations = dir_.Write("customizations.json", R"json({
    "customizations": [
      {"account": "A1", "template": "Balanced",
       "removals": ["Real Estate"],
       "products": {"US Large Cap": "SP500-DI"},
       "screens": ["tobacco"]},
      {"account": "A2", "template": "Balanced",
       "removals": [{"asset_class": "Real Estate", "to_class": "Intl Developed"}],
       "weights": {"US Large Cap": 0.5}}
    ]})json");
  Result<ImportSummary> customized = ImportCustomizations(*store_, {customizations});
  ASSERT_TRUE(customized.ok()) << customized.status().message();
  EXPECT_EQ(customized->inserted, 2u);

  models::ModelBook book = LoadModelBook(*store_).value();
  EXPECT_EQ(book.FindSecurityModel("VALUE", D("2024-03-01"))->version, 1);
  const models::SecurityModel* value = book.FindSecurityModel("VALUE", D("2024-04-01"));
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(value->version, 2);
  EXPECT_EQ(value->weights.size(), 3u);
  const models::Screen* energy = book.FindScreen("energy");
  ASSERT_NE(energy, nullptr);
  EXPECT_EQ(energy->description, "fossil fuels");
  EXPECT_EQ(energy->symbols, std::vector<std::string>{"ZZZ"});
  EXPECT_EQ(book.FindScreen("strict")->includes.size(), 2u);
  models::Customization a2 = *LoadCustomization(*store_, "A2").value();
  ASSERT_EQ(a2.removals.size(), 1u);
  EXPECT_EQ(a2.removals[0].rule, models::Redistribution::kToClass);
  EXPECT_EQ(a2.weights[0].weight, 0.5);

  // Everything again: nothing new.
  const std::string before = ModelFingerprint(store_->database());
  EXPECT_EQ(ImportTemplates(*store_, {v2})->unchanged, 1u);
  EXPECT_EQ(ImportSecurityModels(*store_, {models}, "")->unchanged, 3u);
  EXPECT_EQ(ImportScreens(*store_, {screens})->unchanged, 2u);
  EXPECT_EQ(ImportCustomizations(*store_, {customizations})->unchanged, 2u);
  EXPECT_EQ(ModelFingerprint(store_->database()), before);

  // A new effective date of a stored model is its next version.
  ASSERT_TRUE(ImportSecurityModels(*store_,
                                   {dir_.Write("sp500_v2.csv",
                                               "symbol,weight,effective_date\n"
                                               "AAA,0.5,2024-07-01\nBBB,0.5,2024-07-01\n")},
                                   "SP500")
                  .ok());
  EXPECT_EQ(LoadModelBook(*store_).value().FindSecurityModel("SP500", D("2024-07-01"))->version, 2);
}

TEST_F(ModelImportTest, TheSharedEsgFilesImportTogether) {
  // The layouts of ../shared/data/esg-screens: definitions, and the names they caught.
  const std::string definitions = dir_.Write("definitions.csv",
                                             "screen,gics_sub_industry\n"
                                             "fossil_fuels,Integrated Oil & Gas\n"
                                             "fossil_fuels,Oil & Gas Refining & Marketing\n");
  const std::string names = dir_.Write("names.csv",
                                       "screen,gics_sub_industry,symbol,security,gics_sector\n"
                                       "fossil_fuels,Integrated Oil & Gas,XOM,Exxon,Energy\n");
  Result<ImportSummary> imported = ImportScreens(*store_, {definitions, names});
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  EXPECT_EQ(imported->inserted, 1u);
  const models::ModelBook book = LoadModelBook(*store_).value();
  const models::Screen* screen = book.FindScreen("fossil_fuels");
  ASSERT_NE(screen, nullptr);
  EXPECT_EQ(screen->sub_industries.size(), 2u);
  EXPECT_EQ(screen->symbols, std::vector<std::string>{"XOM"});
}

TEST_F(ModelImportTest, BadTemplatesNameTheLineAndField) {
  auto templates = [&](const std::string& path) { return Templates(path); };
  ExpectRejected(templates, "typo.json",
                 "{\"templates\": [\n"
                 "  {\"name\": \"T\", \"version\": 1, \"effective\": \"2024-01-02\",\n"
                 "   \"classes\": [\n"
                 "     {\"name\": \"All\", \"wieght\": 1}\n"
                 "   ]}\n"
                 "]}\n",
                 "typo.json:4: templates[0].classes[0].wieght: unknown field");
  // Braces and escaped quotes inside strings do not throw the line count off.
  ExpectRejected(templates, "strings.json",
                 "{\"templates\": [\n"
                 "  {\"name\": \"T\", \"description\": \"{not \\\"an\\\" object}\",\n"
                 "   \"version\": 1, \"effective\": \"2024-01-02\", \"classes\": [\n"
                 "     {\"name\": \"{A}\", \"weight\": true}]}]}\n",
                 "strings.json:4: templates[0].classes[0].weight: must be a number, got true");
  ExpectRejected(templates, "sum.json",
                 "[{\"name\": \"T\", \"version\": 1, \"effective\": \"2024-01-02\",\n"
                 "  \"classes\": [\n"
                 "    {\"name\": \"A\", \"weight\": 0.5, \"products\": "
                 "[{\"id\": \"IVV\", \"kind\": \"etf\", \"reference\": \"IVV\"}]},\n"
                 "    {\"name\": \"B\", \"weight\": 0.4, \"products\": "
                 "[{\"id\": \"AGG\", \"kind\": \"etf\", \"reference\": \"AGG\"}]}\n"
                 "  ]}]\n",
                 "sum.json:1: template T v1: ");
  ExpectRejected(templates, "band.json",
                 "[{\"name\": \"T\", \"version\": 1, \"effective\": \"2024-01-02\",\n"
                 "  \"classes\": [{\"name\": \"A\", \"weight\": 1, \"max_weight\": 0.5,\n"
                 "    \"products\": [{\"id\": \"IVV\", \"kind\": \"etf\", \"reference\": \"IVV\"}]}"
                 "]}]\n",
                 "band.json:1: template T v1: classes[A].min_weight, max_weight: the band "
                 "[0.00, 0.50] does not contain");
  ExpectRejected(templates, "cycle.json",
                 "[{\"name\": \"T\", \"version\": 1, \"effective\": \"2024-01-02\",\n"
                 "  \"classes\": [{\"name\": \"A\", \"parent\": \"B\", \"weight\": 1},\n"
                 "                {\"name\": \"B\", \"parent\": \"A\", \"weight\": 1}]}]\n",
                 "cycle.json:1: template T v1");
  ExpectRejected(templates, "kind.json",
                 "[{\"name\": \"T\", \"version\": 1, \"effective\": \"2024-01-02\",\n"
                 "  \"classes\": [\n"
                 "    {\"name\": \"A\", \"weight\": 1, \"products\": [\n"
                 "      {\"id\": \"X\", \"kind\": \"hedge_fund\", \"reference\": \"X\"}]}]}]\n",
                 "kind.json:4: [0].classes[0].products[0].kind: unknown product kind 'hedge_fund'");
  ExpectRejected(templates, "twice.json", "{\"templates\": [{\"name\": \"T\", \"name\": \"U\"}]}",
                 "twice.json:1: name: "
                 "the key appears twice");
  ExpectRejected(templates, "broken.json", "{\"templates\": [", "broken.json: not valid JSON");
  // Balanced v1 is stored: a v1 with other content is refused, and so is an earlier v2.
  ExpectRejected(templates, "edit.json",
                 std::string(testing_util::kBalancedV1)
                     .replace(std::string(testing_util::kBalancedV1).find("60/40"), 5, "sixty"),
                 "edit.json:2: template Balanced v1 is already stored with different content");
  std::string early(testing_util::kBalancedV2);
  early.replace(early.find("2024-07-01"), 10, "2023-12-01");
  ExpectRejected(templates, "early.json", early, "not after v1");
}

TEST_F(ModelImportTest, AllFilesOfACallOrNone) {
  const std::string good = dir_.Write("v2.json", testing_util::kBalancedV2);
  const std::string bad = dir_.Write("bad.json", "[{\"name\": \"T\"}]");
  const std::string before = ModelFingerprint(store_->database());
  Result<ImportSummary> both = ImportTemplates(*store_, {good, bad});
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.status().message().find("bad.json:1: [0].version: missing"), std::string::npos)
      << both.status().message();
  EXPECT_EQ(ModelFingerprint(store_->database()), before);
}

TEST_F(ModelImportTest, BadSecurityModelsNameTheLineAndField) {
  auto models = [&](const std::string& path) { return ImportSecurityModels(*store_, {path}, "M"); };
  ExpectRejected(models, "weight.csv",
                 "symbol,weight,effective_date\nAAA,0.5,2024-01-02\nBBB,abc,2024-01-02\n",
                 "weight.csv:3: weight: 'abc' is not a decimal number");
  ExpectRejected(models, "column.csv", "symbol,wieght,effective_date\n",
                 "column.csv:1: wieght: unknown column");
  ExpectRejected(models, "sum.csv",
                 "symbol,weight,effective_date\nAAA,0.5,2024-01-02\nBBB,0.4,2024-01-02\n",
                 "sum.csv:2: security model M v1: weights sum to 0.90, not 1");
  ExpectRejected(models, "unknown.csv",
                 "symbol,weight,effective_date\nAAA,0.5,2024-01-02\nQQQ,0.5,2024-01-02\n",
                 "unknown.csv:2: security model M v1: weights[QQQ]: unknown symbol");
  ExpectRejected(models, "twice.csv",
                 "symbol,weight,effective_date\nAAA,0.5,2024-01-02\nAAA,0.5,2024-01-02\n",
                 "twice.csv:3: symbol: AAA is listed twice for M effective 2024-01-02");
  ExpectRejected(models, "date.csv", "symbol,weight,effective_date\nAAA,1,2024-13-01\n",
                 "date.csv:2: effective_date");
  auto unnamed = [&](const std::string& path) { return ImportSecurityModels(*store_, {path}, ""); };
  ExpectRejected(unnamed, "unnamed.csv", "symbol,weight,effective_date\nAAA,1,2024-01-02\n",
                 "unnamed.csv:2: model: missing: give the model a name with --name");
  // SP500 of 2024-01-02 is stored: other weights for that date are refused.
  auto sp500 = [&](const std::string& path) {
    return ImportSecurityModels(*store_, {path}, "SP500");
  };
  ExpectRejected(sp500, "restated.csv", "symbol,weight,effective_date\nAAA,1,2024-01-02\n",
                 "restated.csv:2: effective_date: SP500 effective 2024-01-02 is already stored");
}

TEST_F(ModelImportTest, BadScreensAndCustomizationsNameTheLineAndField) {
  auto screens = [&](const std::string& path) { return ImportScreens(*store_, {path}); };
  ExpectRejected(screens, "column.csv", "screen,industry\n",
                 "column.csv:1: industry: unknown column");
  ExpectRejected(screens, "cycle.csv", "screen,include\na,b\nb,a\n",
                 "cycle.csv:2: includes: the screens include each other in a cycle: a -> b -> a");
  ExpectRejected(screens, "unknown.json",
                 "{\"screens\": [{\"name\": \"x\", \"includes\": [\"nope\"]}]}",
                 "unknown.json:1: screen x: includes unknown screen 'nope'");
  ExpectRejected(screens, "symbol.csv", "screen,symbol\nx,not a symbol\n", "symbol.csv:2: symbol");

  auto customizations = [&](const std::string& path) {
    return ImportCustomizations(*store_, {path});
  };
  ExpectRejected(customizations, "band.json",
                 "{\"customizations\": [\n"
                 "  {\"account\": \"A2\", \"template\": \"Balanced\"},\n"
                 "  {\"account\": \"A1\", \"template\": \"Balanced\",\n"
                 "   \"weights\": {\"US Large Cap\": 0.62}}\n"
                 "]}\n",
                 "band.json:3: account A1: US Large Cap weight 0.62 is outside the IPC band "
                 "[0.30, 0.55]");
  ExpectRejected(customizations, "field.json",
                 "[{\"account\": \"A1\", \"template\": \"Balanced\", \"screen\": [\"tobacco\"]}]",
                 "field.json:1: [0].screen: unknown field");
  ExpectRejected(customizations, "rule.json",
                 "[{\"account\": \"A1\", \"template\": \"Balanced\",\n"
                 "  \"removals\": [{\"asset_class\": \"Real Estate\", \"rule\": \"to_class\"}]}]",
                 "rule.json:2: [0].removals[0].to_class: missing");
  ExpectRejected(customizations, "twice.json",
                 "[{\"account\": \"A1\", \"template\": \"Balanced\"},\n"
                 " {\"account\": \"A1\", \"template\": \"Balanced\"}]",
                 "twice.json:2: account A1 is also given at ");
  ExpectRejected(
      customizations, "class.json",
      "[{\"account\": \"A1\", \"template\": \"Balanced\", \"weights\": {\"Gold\": 0.1}}]",
      "class.json:1: account A1: weights[0]: unknown asset class 'Gold'");
}

}  // namespace
}  // namespace arbor
