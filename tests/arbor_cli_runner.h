// Runs the built `arbor` binary the way a user does, for the CLI tests: one command on one
// database, stdout and stderr together, and the exit status.
//
//   ArborRun run = RunArbor(dir / "arbor.db", "template list");
//   EXPECT_EQ(run.code, 0) << run.out;
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace arbor {

struct ArborRun {
  int code = 0;
  std::string out;  // stdout and stderr
};

// ARBOR_BINARY is the path CMake gives the test target.
inline ArborRun RunArbor(const std::filesystem::path& db, const std::string& args) {
  const std::string command =
      std::string(ARBOR_BINARY) + " --db " + db.string() + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  std::array<char, 4096> buffer;
  for (size_t n; (n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) out.append(buffer.data(), n);
  return {WEXITSTATUS(pclose(pipe)), out};
}

// Writes `text` to dir/name and returns the path, for a file to import.
inline std::string WriteFile(const std::filesystem::path& dir, const std::string& name,
                             const std::string& text) {
  std::ofstream(dir / name) << text;
  return (dir / name).string();
}

}  // namespace arbor
