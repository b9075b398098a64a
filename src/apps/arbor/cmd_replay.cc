// arbor replay --input EVENTS.json: the stateless replay contract of docs/replay.md.
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "adapters/io/replay_json.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/output.h"

namespace arbor::cli {

void AddReplayCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "replay", "Replay a JSON list of events; print realized gains, open lots and totals as JSON");
  auto input = std::make_shared<std::string>();
  cmd->add_option("--input,-i", *input, "events file (JSON, see docs/replay.md); - for stdin")
      ->required();
  cmd->callback([input] {
    std::string text;
    if (*input == "-") {
      text.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else {
      std::ifstream in(*input);
      if (!in) Fail(Status::NotFound("cannot read " + *input));
      text.assign(std::istreambuf_iterator<char>(in), {});
    }
    nlohmann::json document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) Fail(Status::InvalidArgument(*input + ": not valid JSON"));
    Result<nlohmann::ordered_json> output = Replay(document);
    if (!output.ok()) Fail(output.status().WithContext(*input));
    std::cout << output->dump(2) << "\n";
  });
}

}  // namespace arbor::cli
