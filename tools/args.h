// The parsed command line of one subcommand: its positional arguments and the value of every
// flag, read once by main (ReadArgs, tools/flags.cc). Commands read only this struct — never
// absl flags — so tests can call a command in-process with any arguments:
//
//   Args a = ReadArgs({"datasets/starter.textproto"});   // every flag at its default
//   a.mix = "east";  a.format = "json";
//   absl::Status s = RunCommand("gaps", a, out, err);     // tools/commands.h
//
// Paths are used as given: the CLI changes into the user's directory first (see coalition.cc),
// so nothing below tools/ resolves paths against the environment.
#ifndef COALITION_TOOLS_ARGS_H_
#define COALITION_TOOLS_ARGS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace coalition::tools {

struct Args {
  std::vector<std::string> positional;
  // Shared (see tools/flags.cc for the help text of each).
  std::string mix, format, input_format, output_format, message, out, fail_on;
  // Every --mix given, in order (main fills it; ReadArgs leaves it empty). `compare` reads it
  // (falling back to `mix` when empty, for in-process callers); the other commands read `mix`,
  // the last occurrence.
  std::vector<std::string> mixes;
  int max_gaps = 0;
  bool warnings_as_errors = false;
  // generate
  int64_t edges = 0;
  int nations = 0, platforms = 0, links = 0, standards = 0, components = 0, suppliers = 0,
      elements = 0, iers = 0;
  int64_t max_pairs = 0;
  uint64_t seed = 0;
  // whatif: the short change flags (parsed against the model by tools/change_flags.h) and the
  // structured --changes file.
  std::vector<std::string> embargo, remove_supplier, remove_element, remove_platform, release, fit,
      add_element, upgrade, add_gateway, share, lift;
  std::string changes;
  // risk, spof
  int max_findings = 0, pairs_per_point = 0;
  std::string us_nation;
  double horizon_months = 0;
  // recommend
  double budget = 0;
  std::string ier;
  int max_steps = 0;
  double time_limit = 0;
  // export --graph (tools/graph_export_commands.cc): interop or supply; convert --type.
  std::string graph, type;
  // export --for (tools/filter_export_commands.cc): the recipient nation of a filtered export.
  std::string for_nation;
};

// The flags' current values (their defaults unless main parsed a command line) and `positional`.
Args ReadArgs(std::vector<std::string> positional);

}  // namespace coalition::tools

#endif  // COALITION_TOOLS_ARGS_H_
