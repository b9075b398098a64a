// Values screens from the data set's CSV files (../shared/data/esg-screens): which GICS
// sub-industries each screen excludes, and the names it excluded among the S&P 500 of the
// list's date.
//
//   Result<std::vector<models::Screen>> screens = LoadGicsScreens(data_dir);
//   // tobacco, alcohol, gambling, fossil_fuels, weapons_defense_proxy
//
// Errors name the file, line and field, e.g. "gics_screen_definitions.csv:4: gics_sub_industry:
// 'Brewer' is not a GICS sub-industry".
#pragma once

#include <string>
#include <vector>

#include "core/base/status.h"
#include "core/models/screen.h"

namespace arbor {

// screen,gics_sub_industry: one screen per distinct name, in the file's order, with its
// sub-industries. A sub-industry must be one of GICS's (2023 structure); a repeated row is an
// error.
Result<std::vector<models::Screen>> ReadScreenDefinitions(const std::string& path);

// screen,gics_sub_industry,symbol,...: adds each row's symbol to its screen's explicit list, so
// that the screen also catches a listed name the security master cannot classify. The screen
// must be among `screens` and the row's sub-industry among the screen's.
Status ReadScreenSymbols(const std::string& path, std::vector<models::Screen>* screens);

// Both files of data_dir/esg-screens (gics_screen_definitions.csv and
// gics_exclusion_screens_2026-08-08.csv).
Result<std::vector<models::Screen>> LoadGicsScreens(const std::string& data_dir);

}  // namespace arbor
