// `arbor model diff`, for the command and for the demo: what version N of a template or security
// model changed against N-1, and the accounts and dollars it reaches (printed to stdout).
#pragma once

#include <string>

#include "adapters/storage/store.h"

namespace arbor::cli {

// version 0: the latest. Ends the command with a message for an unknown name or version 1.
void ReportModelDiff(Store& store, const std::string& name, int version);

}  // namespace arbor::cli
