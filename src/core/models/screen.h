// A values (ESG) screen: securities a client does not want to own, defined by the firm by GICS
// sub-industry, by explicit symbols, and by other screens (a faith-based screen may be tobacco +
// alcohol + gambling + a list of its own).
//
//   Screen faith{.name = "faith", .includes = {"tobacco", "alcohol", "gambling"},
//                .symbols = {"XYZ"}};
//   Result<std::vector<std::string>> out = ScreenedSymbols({"faith"}, screens, master);
#pragma once

#include <string>
#include <vector>

#include "core/base/status.h"
#include "core/market/security.h"

namespace arbor::models {

struct Screen {
  std::string name;  // e.g. "tobacco"
  std::string description;
  std::vector<std::string> sub_industries;  // GICS sub-industry names, exact
  std::vector<std::string> symbols;
  std::vector<std::string> includes;  // names of other screens; cycles are an error
};

// A name, and something to exclude (sub-industries, symbols or included screens).
Status ValidateScreen(const Screen& screen);

// The union of what the named screens exclude among the master's securities, sorted. Unknown
// screen names and cycles among includes are errors naming the screen. Explicit symbols are
// excluded whether or not the master knows them: a list says "never own this".
Result<std::vector<std::string>> ScreenedSymbols(const std::vector<std::string>& screen_names,
                                                 const std::vector<Screen>& screens,
                                                 const SecurityMaster& master);

}  // namespace arbor::models
