#include "core/models/screen.h"

#include <gtest/gtest.h>

#include "core/models/testing/test_book.h"

namespace arbor::models {
namespace {

using Symbols = std::vector<std::string>;

TEST(ScreenedSymbolsTest, BySubIndustryAndSymbolSorted) {
  const SecurityMaster master = testing::TestMaster();
  const std::vector<Screen> screens = testing::TestScreens();
  EXPECT_EQ(*ScreenedSymbols({"tobacco"}, screens, master), (Symbols{"MO", "PM"}));
  EXPECT_EQ(*ScreenedSymbols({"fossil_fuels", "tobacco"}, screens, master),
            (Symbols{"MO", "PM", "XOM"}));
  EXPECT_TRUE(ScreenedSymbols({}, screens, master)->empty());
}

TEST(ScreenedSymbolsTest, IncludesAndExplicitSymbolsTheMasterDoesNotKnow) {
  const SecurityMaster master = testing::TestMaster();
  // faith = tobacco + alcohol + XYZ; XYZ is not in the master and is excluded all the same.
  EXPECT_EQ(*ScreenedSymbols({"faith"}, testing::TestScreens(), master),
            (Symbols{"MO", "PM", "STZ", "XYZ"}));
}

TEST(ScreenedSymbolsTest, UnknownScreensNameTheScreen) {
  const SecurityMaster master = testing::TestMaster();
  std::vector<Screen> screens = testing::TestScreens();
  EXPECT_EQ(ScreenedSymbols({"tobbaco"}, screens, master).status().message(),
            "unknown screen 'tobbaco'");
  screens.push_back({.name = "vice", .includes = {"faith", "gambling"}});
  EXPECT_EQ(ScreenedSymbols({"vice"}, screens, master).status().message(),
            "screen vice: includes unknown screen 'gambling'");
}

TEST(ScreenedSymbolsTest, CyclesAmongIncludesAreErrors) {
  const SecurityMaster master = testing::TestMaster();
  std::vector<Screen> screens = testing::TestScreens();
  screens.push_back({.name = "vice", .includes = {"sin"}});
  screens.push_back({.name = "sin", .symbols = {"LVS"}, .includes = {"tobacco", "vice"}});
  EXPECT_EQ(ScreenedSymbols({"alcohol", "vice"}, screens, master).status().message(),
            "screen vice: includes form a cycle vice -> sin -> vice");
  // A screen included twice along different paths is not a cycle.
  screens.pop_back();
  screens.pop_back();
  screens.push_back({.name = "both", .includes = {"faith", "tobacco"}});
  EXPECT_EQ(*ScreenedSymbols({"both"}, screens, master), (Symbols{"MO", "PM", "STZ", "XYZ"}));
}

}  // namespace
}  // namespace arbor::models
