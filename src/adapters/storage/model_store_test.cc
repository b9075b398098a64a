// Round trips of every model kind through the store, the history it keeps, and the checks that
// keep a bad template, model, screen or customization out without writing anything.
#include "adapters/storage/model_store.h"

#include <gtest/gtest.h>

#include <map>

#include "adapters/storage/account_targets.h"
#include "adapters/storage/model_test_util.h"
#include "adapters/storage/store_test_util.h"

namespace arbor {
namespace {

using testing_util::ModelFingerprint;
using testing_util::ScratchDir;

Date D(const char* text) { return *Date::Parse(text); }

bool Contains(const Status& status, const std::string& text) {
  return status.message().find(text) != std::string::npos;
}

int64_t Count(Database* db, const std::string& sql) {
  Result<Statement> select = db->Prepare(sql);
  EXPECT_TRUE(select.ok());
  EXPECT_TRUE(*select->Step());
  return select->ColumnInt(0);
}

class ModelStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = testing_util::OpenCatalogue(dir_); }
  Database* db() { return store_->database(); }

  ScratchDir dir_{"model_store"};
  std::unique_ptr<Store> store_;
};

TEST_F(ModelStoreTest, TemplateRoundTripsEveryField) {
  models::Template t{.name = "Growth",
                     .version = 3,
                     .effective = D("2024-02-01"),
                     .description = "aggressive growth"};
  t.classes.push_back({.name = "Stocks", .weight = 0.9});
  t.classes.push_back({.name = "US",
                       .parent = "Stocks",
                       .weight = 1,
                       .min_weight = 0.5,
                       .max_weight = 0.95,
                       .removable = false,
                       .products = {{"IVV", models::ProductKind::kEtf, "IVV"},
                                    {"DI", models::ProductKind::kDirectIndex, "SP500"},
                                    {"ACTIVE", models::ProductKind::kActiveModel, "SP500"},
                                    {"FUND", models::ProductKind::kMutualFund, "AGG"}},
                       .default_product = "DI"});
  t.classes.push_back({.name = "Cash",
                       .weight = 0.1,
                       .min_weight = 0.05,
                       .max_weight = 0.2,
                       .products = {{"CASH", models::ProductKind::kCash, ""}},
                       .default_product = "CASH"});
  ASSERT_EQ(SaveTemplate(*store_, t).value(), SaveOutcome::kStored);

  models::ModelBook book = LoadModelBook(*store_).value();
  const models::Template* loaded = book.FindTemplate("Growth", D("2024-02-01"));
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(loaded->version, 3);
  EXPECT_EQ(loaded->effective, D("2024-02-01"));
  EXPECT_EQ(loaded->description, "aggressive growth");
  ASSERT_EQ(loaded->classes.size(), 3u);
  for (size_t i = 0; i < t.classes.size(); ++i) {
    const models::AssetClass& a = t.classes[i];
    const models::AssetClass& b = loaded->classes[i];
    EXPECT_EQ(b.name, a.name);
    EXPECT_EQ(b.parent, a.parent);
    EXPECT_EQ(b.weight, a.weight);
    EXPECT_EQ(b.min_weight, a.min_weight);
    EXPECT_EQ(b.max_weight, a.max_weight);
    EXPECT_EQ(b.removable, a.removable);
    EXPECT_EQ(b.default_product, a.default_product);
    ASSERT_EQ(b.products.size(), a.products.size()) << a.name;
    for (size_t k = 0; k < a.products.size(); ++k) {
      EXPECT_EQ(b.products[k].id, a.products[k].id);
      EXPECT_EQ(b.products[k].kind, a.products[k].kind);
      EXPECT_EQ(b.products[k].reference, a.products[k].reference);
    }
  }
  EXPECT_EQ(book.FindTemplate("Growth", D("2024-01-31")), nullptr);  // not effective yet
}

TEST_F(ModelStoreTest, SecurityModelScreenAndCustomizationRoundTrip) {
  models::SecurityModel m{.name = "TECH",
                          .version = 1,
                          .effective = D("2024-03-01"),
                          .description = "two names",
                          .weights = {{"BBB", 0.25}, {"AAA", 0.75}}};
  ASSERT_EQ(SaveSecurityModel(*store_, m).value(), SaveOutcome::kStored);
  // A screen's list may name what the firm does not trade (yet).
  models::Screen screen{.name = "banks_and_more",
                        .description = "no banks",
                        .sub_industries = {"Diversified Banks"},
                        .symbols = {"ZZZ", "AAA"},
                        .includes = {"tobacco"}};
  ASSERT_EQ(SaveScreen(*store_, screen).value(), SaveOutcome::kStored);
  models::Customization c{.account = "A1", .template_name = "Balanced"};
  c.removals = {{.asset_class = "Real Estate",
                 .rule = models::Redistribution::kToClass,
                 .to_class = "Intl Developed"}};
  c.weights = {{.asset_class = "US Large Cap", .weight = 0.45}};
  c.products = {{.asset_class = "US Large Cap", .product = "SP500-DI"}};
  c.screens = {"faith", "banks_and_more"};
  ASSERT_EQ(SaveCustomization(*store_, c).value(), SaveOutcome::kStored);

  models::ModelBook book = LoadModelBook(*store_).value();
  const models::SecurityModel* model = book.FindSecurityModel("TECH", D("2024-03-01"));
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->description, "two names");
  ASSERT_EQ(model->weights.size(), 2u);  // by symbol
  EXPECT_EQ(model->weights[0].symbol, "AAA");
  EXPECT_EQ(model->weights[0].weight, 0.75);
  const models::Screen* loaded_screen = book.FindScreen("banks_and_more");
  ASSERT_NE(loaded_screen, nullptr);
  EXPECT_EQ(loaded_screen->description, "no banks");
  EXPECT_EQ(loaded_screen->sub_industries, std::vector<std::string>{"Diversified Banks"});
  EXPECT_EQ(loaded_screen->symbols, (std::vector<std::string>{"AAA", "ZZZ"}));
  EXPECT_EQ(loaded_screen->includes, std::vector<std::string>{"tobacco"});

  std::optional<models::Customization> loaded = LoadCustomization(*store_, "A1").value();
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->template_name, "Balanced");
  ASSERT_EQ(loaded->removals.size(), 1u);
  EXPECT_EQ(loaded->removals[0].asset_class, "Real Estate");
  EXPECT_EQ(loaded->removals[0].rule, models::Redistribution::kToClass);
  EXPECT_EQ(loaded->removals[0].to_class, "Intl Developed");
  ASSERT_EQ(loaded->weights.size(), 1u);
  EXPECT_EQ(loaded->weights[0].asset_class, "US Large Cap");
  EXPECT_EQ(loaded->weights[0].weight, 0.45);
  ASSERT_EQ(loaded->products.size(), 1u);
  EXPECT_EQ(loaded->products[0].product, "SP500-DI");
  EXPECT_EQ(loaded->screens, (std::vector<std::string>{"faith", "banks_and_more"}));
  EXPECT_FALSE(LoadCustomization(*store_, "A2").value().has_value());
}

TEST_F(ModelStoreTest, EveryVersionIsKept) {
  ASSERT_TRUE(ImportTemplates(*store_, {dir_.Write("v2.json", testing_util::kBalancedV2)}).ok());
  models::ModelBook book = LoadModelBook(*store_).value();
  ASSERT_EQ(book.TemplateHistory("Balanced")->size(), 2u);
  EXPECT_EQ(book.FindTemplate("Balanced", D("2024-06-30"))->version, 1);
  EXPECT_EQ(book.FindTemplate("Balanced", D("2024-07-01"))->version, 2);

  // The same version again is a no-op; a changed one is refused, and so is one that does not
  // take effect after the latest.
  models::Template v2 = *book.FindTemplate("Balanced", D("2024-07-01"));
  EXPECT_EQ(SaveTemplate(*store_, v2).value(), SaveOutcome::kUnchanged);
  const std::string before = ModelFingerprint(db());
  models::Template changed = v2;
  changed.description = "edited";
  Result<SaveOutcome> edited = SaveTemplate(*store_, changed);
  EXPECT_EQ(edited.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(Contains(edited.status(), "store the change as version 3"))
      << edited.status().message();
  models::Template early = v2;
  early.version = 3;
  early.effective = D("2024-06-01");
  Result<SaveOutcome> too_early = SaveTemplate(*store_, early);
  EXPECT_TRUE(Contains(too_early.status(), "takes effect 2024-06-01, not after v2"))
      << too_early.status().message();
  EXPECT_EQ(ModelFingerprint(db()), before);

  // Screens and customizations: a change is a new version beside the old.
  models::Screen tobacco = *book.FindScreen("tobacco");
  EXPECT_EQ(SaveScreen(*store_, tobacco).value(), SaveOutcome::kUnchanged);
  tobacco.symbols = {"PM"};
  EXPECT_EQ(SaveScreen(*store_, tobacco).value(), SaveOutcome::kStored);
  EXPECT_EQ(Count(db(), "SELECT count(*) FROM screens WHERE name = 'tobacco'"), 2);
  EXPECT_EQ(LoadModelBook(*store_).value().FindScreen("tobacco")->symbols,
            std::vector<std::string>{"PM"});

  models::Customization c{.account = "A1", .template_name = "Balanced", .screens = {"tobacco"}};
  EXPECT_EQ(SaveCustomization(*store_, c).value(), SaveOutcome::kStored);
  EXPECT_EQ(SaveCustomization(*store_, c).value(), SaveOutcome::kUnchanged);
  c.screens.clear();
  EXPECT_EQ(SaveCustomization(*store_, c).value(), SaveOutcome::kStored);
  EXPECT_EQ(Count(db(), "SELECT count(*) FROM account_customizations WHERE account = 'A1'"), 2);
  EXPECT_TRUE(LoadCustomization(*store_, "A1").value()->screens.empty());
}

TEST_F(ModelStoreTest, CustomizationOutsideTheBandsWritesNothing) {
  const std::string before = ModelFingerprint(db());
  auto rejected = [&](models::Customization c, const std::string& message) {
    Result<SaveOutcome> saved = SaveCustomization(*store_, c);
    ASSERT_FALSE(saved.ok()) << message;
    EXPECT_TRUE(Contains(saved.status(), message)) << saved.status().message();
    EXPECT_EQ(ModelFingerprint(db()), before) << message;
  };
  rejected({.account = "A1",
            .template_name = "Balanced",
            .weights = {{.asset_class = "US Large Cap", .weight = 0.62}}},
           "US Large Cap weight 0.62 is outside the IPC band [0.30, 0.55]");
  rejected(
      {.account = "A1", .template_name = "Balanced", .removals = {{.asset_class = "US Large Cap"}}},
      "not removable");
  rejected(
      {.account = "A1", .template_name = "Balanced", .removals = {{.asset_class = "Small Cap"}}},
      "Small Cap");
  rejected({.account = "A1",
            .template_name = "Balanced",
            .products = {{.asset_class = "US Large Cap", .product = "QQQ"}}},
           "QQQ");
  rejected({.account = "A1", .template_name = "Balanced", .screens = {"alcohol"}}, "alcohol");
  rejected({.account = "A1", .template_name = "Balanced", .screens = {"tobacco", "tobacco"}},
           "tobacco is named twice");
  rejected({.account = "A1", .template_name = "Aggressive"}, "unknown template 'Aggressive'");
  rejected({.account = "NOPE", .template_name = "Balanced"}, "unknown account 'NOPE'");
}

TEST_F(ModelStoreTest, BadTemplatesModelsAndScreensWriteNothing) {
  const std::string before = ModelFingerprint(db());
  models::Template bad{.name = "Bad", .version = 1, .effective = D("2024-01-02")};
  bad.classes.push_back({.name = "All",
                         .weight = 0.9,
                         .products = {{"IVV", models::ProductKind::kEtf, "IVV"}},
                         .default_product = "IVV"});
  EXPECT_TRUE(Contains(SaveTemplate(*store_, bad).status(), "template Bad v1"));
  bad.classes[0].weight = 1;
  bad.classes[0].products[0] = {"QQQ", models::ProductKind::kEtf, "QQQ"};
  bad.classes[0].default_product = "QQQ";
  EXPECT_TRUE(Contains(SaveTemplate(*store_, bad).status(),
                       "classes[All].products[QQQ].reference: unknown symbol 'QQQ'"));
  bad.classes[0].products[0] = {"DI", models::ProductKind::kDirectIndex, "RUSSELL"};
  bad.classes[0].default_product = "DI";
  EXPECT_TRUE(Contains(SaveTemplate(*store_, bad).status(), "unknown security model 'RUSSELL'"));

  models::SecurityModel unknown{.name = "X",
                                .version = 1,
                                .effective = D("2024-01-02"),
                                .weights = {{"AAA", 0.5}, {"QQQ", 0.5}}};
  EXPECT_TRUE(Contains(SaveSecurityModel(*store_, unknown).status(), "weights[QQQ]"));
  unknown.weights[1].symbol = "BBB";
  unknown.weights[1].weight = 0.4;  // sums to 0.9
  EXPECT_FALSE(SaveSecurityModel(*store_, unknown).ok());

  // tobacco -> vices -> tobacco
  ASSERT_EQ(SaveScreen(*store_, {.name = "vices", .includes = {"tobacco"}}).value(),
            SaveOutcome::kStored);
  const std::string with_vices = ModelFingerprint(db());
  Result<SaveOutcome> cycle = SaveScreen(
      *store_, {.name = "tobacco", .sub_industries = {"Tobacco"}, .includes = {"vices"}});
  EXPECT_FALSE(cycle.ok());
  EXPECT_TRUE(Contains(cycle.status(), "screen tobacco: includes form a cycle"))
      << cycle.status().message();
  EXPECT_FALSE(SaveScreen(*store_, {.name = "empty"}).ok());
  EXPECT_FALSE(SaveScreen(*store_, {.name = "x", .includes = {"nowhere"}}).ok());
  EXPECT_EQ(ModelFingerprint(db()), with_vices);
  EXPECT_NE(with_vices, before);
}

TEST_F(ModelStoreTest, WhoUsesWhat) {
  ASSERT_TRUE(SaveCustomization(*store_, {.account = "A2", .template_name = "Balanced"}).ok());
  ASSERT_TRUE(SaveCustomization(*store_, {.account = "A1", .template_name = "Balanced"}).ok());
  EXPECT_EQ(AccountsUsingTemplate(*store_, "Balanced").value(),
            (std::vector<std::string>{"A1", "A2"}));
  EXPECT_TRUE(AccountsUsingTemplate(*store_, "Other").value().empty());
  ASSERT_TRUE(ImportTemplates(*store_, {dir_.Write("v2.json", testing_util::kBalancedV2)}).ok());
  std::vector<TemplateVersionRef> users = TemplatesUsingSecurityModel(*store_, "SP500").value();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[1].name, "Balanced");
  EXPECT_EQ(users[1].version, 2);
  EXPECT_EQ(users[1].asset_class, "US Large Cap");

  std::vector<TemplateSummary> templates = ListTemplates(*store_).value();
  ASSERT_EQ(templates.size(), 1u);
  EXPECT_EQ(templates[0].versions, 2);
  EXPECT_EQ(templates[0].latest_version, 2);
  EXPECT_EQ(templates[0].latest_effective, D("2024-07-01"));
  EXPECT_EQ(templates[0].description, "70/30");
  EXPECT_EQ(templates[0].accounts, 2);
  std::vector<SecurityModelSummary> models = ListSecurityModels(*store_).value();
  ASSERT_EQ(models.size(), 1u);
  EXPECT_EQ(models[0].name, "SP500");
  EXPECT_EQ(models[0].securities, 5);
}

TEST_F(ModelStoreTest, AccountTargetsWithoutARiskModelAreScreenedProRata) {
  models::Customization c{.account = "A1", .template_name = "Balanced"};
  c.products = {{.asset_class = "US Large Cap", .product = "SP500-DI"}};
  c.screens = {"faith"};  // MO by sub-industry, XOM by name
  ASSERT_TRUE(SaveCustomization(*store_, c).ok());
  const SecurityMaster master = store_->LoadSecurities().value();
  models::Resolution r =
      ResolveAccountTargets(*store_, c, D("2024-03-01"), master, nullptr).value();
  EXPECT_EQ(r.template_version, 1);
  EXPECT_EQ(r.screened, (std::vector<std::string>{"MO", "XOM"}));
  std::map<std::string, double> weights;
  for (const models::ResolvedTarget& t : r.targets) weights[t.symbol] = t.weight;
  // SP500 without MO and XOM, scaled up pro rata to US Large Cap's 0.42.
  EXPECT_NEAR(weights["AAA"], 0.42 * 0.40 / 0.85, 1e-9);
  EXPECT_NEAR(weights["CCC"], 0.42 * 0.15 / 0.85, 1e-9);
  EXPECT_FALSE(weights.contains("MO"));
  EXPECT_NEAR(weights["VNQ"], 0.06, 1e-9);
  bool noted = false;
  for (const std::string& note : r.notes)
    noted |= note.find("re-allocated pro rata") != std::string::npos;
  EXPECT_TRUE(noted);
}

}  // namespace
}  // namespace arbor
