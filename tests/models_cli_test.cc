// `arbor template|model|screen|account` and `arbor import customizations` end to end, as a user
// runs them on a fresh database: imports, listings, the template tree, a model's top weights, what
// a screen excludes, a customization refused for breaking a band, and an account's targets with
// their lineage.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "adapters/storage/model_catalogue_files.h"
#include "arbor_cli_runner.h"

namespace arbor {
namespace {

namespace fs = std::filesystem;

class ModelsCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("arbor_models_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const std::string& args : {"import securities " + Write("securities.csv", testing_util::kModelSecurities),
                                    "import accounts " + Write("accounts.csv",
                                                               "id,type,taxpayers\nA1,taxable,ann\n"
                                                               "A2,taxable,bob\n"),
                                    "model import " + Write("sp500.csv", testing_util::kSp500Csv) + " --name SP500",
                                    "template import " + Write("balanced.json", testing_util::kBalancedV1),
                                    "screen import " + Write("screens.json", testing_util::kScreensJson)}) {
      const Outcome outcome = Run(args);
      ASSERT_EQ(outcome.code, 0) << args << "\n" << outcome.out;
    }
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  using Outcome = ArborRun;
  static std::string Write(const std::string& name, const std::string& text) {
    return WriteFile(dir_, name, text);
  }
  static Outcome Run(const std::string& args) { return RunArbor(dir_ / "arbor.db", args); }

  // Exit status 1 and one line naming the problem.
  static void ExpectError(const std::string& args, const std::string& message) {
    const Outcome outcome = Run(args);
    EXPECT_EQ(outcome.code, 1) << args << "\n" << outcome.out;
    EXPECT_NE(outcome.out.find(message), std::string::npos) << args << "\n" << outcome.out;
    EXPECT_EQ(std::count(outcome.out.begin(), outcome.out.end(), '\n'), 1) << outcome.out;
  }

  static fs::path dir_;
};

fs::path ModelsCliTest::dir_;

bool Has(const std::string& out, const std::string& text) {
  return out.find(text) != std::string::npos;
}

TEST_F(ModelsCliTest, TemplatesModelsAndScreens) {
  const Outcome list = Run("template list");
  ASSERT_EQ(list.code, 0) << list.out;
  EXPECT_TRUE(Has(list.out, "Balanced")) << list.out;
  EXPECT_TRUE(Has(list.out, "2024-01-02")) << list.out;

  const Outcome show = Run("template show Balanced");
  ASSERT_EQ(show.code, 0) << show.out;
  EXPECT_TRUE(Has(show.out, "Balanced v1, effective 2024-01-02 (1 version): 60/40")) << show.out;
  EXPECT_TRUE(Has(show.out, "  US Large Cap")) << show.out;  // indented under Equity
  EXPECT_TRUE(Has(show.out, "[0.30, 0.55]")) << show.out;
  EXPECT_TRUE(Has(show.out, "*IVV (etf IVV), SP500-DI (direct_index SP500)")) << show.out;
  EXPECT_TRUE(Has(show.out, "accounts on Balanced: 0")) << show.out;
  ExpectError("template show Balanced --version 2", "has no version 2");
  ExpectError("template show Nope", "unknown template 'Nope'");

  const Outcome models = Run("model list");
  ASSERT_EQ(models.code, 0) << models.out;
  EXPECT_TRUE(Has(models.out, "SP500")) << models.out;
  const Outcome model = Run("model show SP500 --top 2");
  ASSERT_EQ(model.code, 0) << model.out;
  EXPECT_TRUE(Has(model.out, "SP500 v1, effective 2024-01-02 (1 version): 5 securities"))
      << model.out;
  EXPECT_TRUE(Has(model.out, "AAA")) << model.out;
  EXPECT_FALSE(Has(model.out, "CCC")) << model.out;
  EXPECT_TRUE(Has(model.out, "top 2 of 5 (0.70 of the model)")) << model.out;
  EXPECT_TRUE(
      Has(model.out,
          "SP500 is a product of Balanced v1 (US Large Cap); accounts on those templates: 0"))
      << model.out;

  const Outcome screens = Run("screen list");
  ASSERT_EQ(screens.code, 0) << screens.out;
  EXPECT_TRUE(Has(screens.out, "faith")) << screens.out;
  const Outcome faith = Run("screen show faith");
  ASSERT_EQ(faith.code, 0) << faith.out;
  EXPECT_TRUE(Has(faith.out, "excludes 2 of the 9 securities")) << faith.out;
  EXPECT_TRUE(Has(faith.out, "Altria")) << faith.out;
  EXPECT_TRUE(Has(faith.out, "Exxon Mobil")) << faith.out;

  // Re-imports change nothing; a bad file names its line and field.
  const Outcome again = Run("template import " + (dir_ / "balanced.json").string());
  EXPECT_TRUE(Has(again.out, "1 unchanged")) << again.out;
  EXPECT_TRUE(Has(again.out, "Balanced v1 (effective 2024-01-02) reaches 0 accounts")) << again.out;
  ExpectError("template import " + Write("bad.json",
                                         "[{\"name\": \"T\", \"version\": 1,\n"
                                         "  \"effective\": \"2024-01-02\",\n"
                                         "  \"classes\": [{\"name\": \"A\",\n"
                                         "    \"weight\": \"1\"}]}]\n"),
              "bad.json:3: [0].classes[0].weight: must be a number");
  ExpectError("model import " + Write("m.csv", "symbol,weight,effective_date\nAAA,2,2024-01-02\n") +
                  " --name M",
              "m.csv:2: weight: must be in (0, 1]");
  ExpectError("screen import " + Write("s.csv", "screen,include\na,b\nb,a\n"), "cycle");
}

TEST_F(ModelsCliTest, AccountCustomizationAndItsTargets) {
  ExpectError("account customize A1 --template Balanced --weight \"US Large Cap=0.62\"",
              "arbor: account A1: US Large Cap weight 0.62 is outside the IPC band [0.30, 0.55]");
  ExpectError("account show A1", "account A1 has no customization");
  ExpectError("account customize A1 --template Balanced --remove \"Real Estate=elsewhere\"",
              "--remove: expected CLASS, CLASS=pro_rata or CLASS=to:CLASS");

  const Outcome customized =
      Run("account customize A1 --template Balanced --remove \"Real Estate\" "
          "--product \"US Large Cap=SP500-DI\" --screen tobacco");
  ASSERT_EQ(customized.code, 0) << customized.out;
  EXPECT_TRUE(Has(customized.out,
                  "remove Real Estate (pro rata); US Large Cap product "
                  "SP500-DI; screens tobacco"))
      << customized.out;

  const Outcome show = Run("account show A1 --as-of 2024-03-01 --top 2");
  ASSERT_EQ(show.code, 0) << show.out;
  EXPECT_TRUE(Has(show.out, "account A1: template Balanced v1 as of 2024-03-01")) << show.out;
  EXPECT_TRUE(Has(show.out, "targets: 6 securities, the largest 2 (--all for every one)"))
      << show.out;
  EXPECT_TRUE(Has(show.out, "AGG")) << show.out;       // 0.40, the largest
  EXPECT_TRUE(Has(show.out, "SP500 v1")) << show.out;  // AAA, from the direct index
  EXPECT_TRUE(Has(show.out, "screened out (1): MO")) << show.out;
  EXPECT_TRUE(Has(show.out, "note: no risk model on or before 2024-03-01")) << show.out;
  const Outcome all = Run("account show A1 --as-of 2024-03-01 --all");
  ASSERT_EQ(all.code, 0) << all.out;
  for (const char* symbol : {"AAA", "BBB", "CCC", "XOM", "EFA", "AGG"}) {
    EXPECT_TRUE(Has(all.out, std::string("\n") + symbol + " ")) << symbol << "\n" << all.out;
  }
  EXPECT_FALSE(Has(all.out, "\nMO ")) << all.out;
  EXPECT_FALSE(Has(all.out, "\nVNQ ")) << all.out;
  EXPECT_TRUE(Has(Run("template show Balanced").out, "accounts on Balanced: 1 (A1)"));

  // Restrictions go with the customization, all or nothing: an unknown symbol changes neither.
  ExpectError("account customize A1 --template Balanced --hold XOM --no-buy NOPE",
              "account A1: restriction on unknown symbol 'NOPE'");
  EXPECT_FALSE(Has(Run("account show A1 --as-of 2024-03-01").out, "restrictions:"));
  const Outcome held = Run("account customize A1 --template Balanced --remove \"Real Estate\" "
                           "--product \"US Large Cap=SP500-DI\" --screen tobacco --hold XOM "
                           "--no-buy BBB");
  ASSERT_EQ(held.code, 0) << held.out;
  EXPECT_TRUE(Has(held.out, "restrictions: no_buy BBB, hold XOM")) << held.out;
  EXPECT_TRUE(Has(Run("account show A1 --as-of 2024-03-01").out,
                  "restrictions: no_buy BBB; hold XOM;"));
  // Without restriction options the list is kept; --clear-restrictions lifts it.
  ASSERT_EQ(Run("account customize A1 --template Balanced --screen tobacco").code, 0);
  EXPECT_TRUE(Has(Run("account show A1 --as-of 2024-03-01").out, "hold XOM"));
  ASSERT_EQ(Run("account customize A1 --template Balanced --remove \"Real Estate\" "
                "--product \"US Large Cap=SP500-DI\" --screen tobacco --clear-restrictions")
                .code,
            0);
  EXPECT_FALSE(Has(Run("account show A1 --as-of 2024-03-01").out, "restrictions:"));

  const std::string file =
      Write("customizations.json",
            "{\"customizations\": [\n"
            "  {\"account\": \"A2\", \"template\": \"Balanced\",\n"
            "   \"weights\": {\"US Large Cap\": 0.5}, \"screens\": [\"faith\"]}\n"
            "]}\n");
  const Outcome imported = Run("import customizations " + file);
  ASSERT_EQ(imported.code, 0) << imported.out;
  EXPECT_TRUE(Has(imported.out, "1 read, 1 stored")) << imported.out;
  ExpectError(
      "import customizations " + Write("bad_customizations.json",
                                       "{\"customizations\": [\n"
                                       "  {\"account\": \"A2\", \"template\": \"Balanced\",\n"
                                       "   \"removals\": [\"US Large Cap\"]}\n"
                                       "]}\n"),
      "bad_customizations.json:2: account A2: ");
  // The failed import left A2 as it was.
  const Outcome a2 = Run("account show A2 --as-of 2024-03-01");
  ASSERT_EQ(a2.code, 0) << a2.out;
  EXPECT_TRUE(Has(a2.out, "US Large Cap weight 0.50; screens faith")) << a2.out;
}

}  // namespace
}  // namespace arbor
