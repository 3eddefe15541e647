// The `coalition` subcommands. Each is a function of its parsed arguments (tools/args.h) and two
// streams that returns a Status, so tests can call it in-process; tools/coalition.cc parses the
// command line once and is the only place that turns a Status into an exit code (0 ok, 1
// findings at or above --fail_on, 2 usage or invalid input, 3 internal error).
#ifndef COALITION_TOOLS_COMMANDS_H_
#define COALITION_TOOLS_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/args.h"

namespace coalition::tools {

// Returned (as a Status payload-free code) when a command ran fine but found what --fail_on
// asks to fail on; the CLI maps it to exit code 1.
absl::Status FindingsStatus(const std::string& message);
bool IsFindings(const absl::Status& s);

struct Command {
  const char* name;
  const char* synopsis;  // one line for the command list
  const char* usage;     // full --help text
  std::vector<std::string> flags;  // flags the command accepts
  int min_args;
  int max_args;
  absl::Status (*run)(const Args& args, std::ostream& out, std::ostream& err);
};

// Runs the subcommand `name` (NotFound when there is none). The caller checks the argument count.
absl::Status RunCommand(const std::string& name, const Args& args, std::ostream& out,
                        std::ostream& err);

// All subcommands, in the order `coalition --help` lists them.
const std::vector<Command>& Commands();

// Families of subcommands, one per file; Commands() (commands.cc) concatenates them.
std::vector<Command> CoreCommands();  // validate, stats, convert, gaps, matrix (commands.cc)
std::vector<Command> RiskCommands();  // risk, whatif, spof (risk_commands.cc)
std::vector<Command> ImportCommands();  // import sipri|nisp (import_commands.cc)
std::vector<Command> GenerateCommands();  // generate (generate_commands.cc)
std::vector<Command> CompareCommands();  // compare (compare_commands.cc)
std::vector<Command> RecommendCommands();  // recommend (recommend_commands.cc)
std::vector<Command> ReportCommands();  // report: the HTML page of a mix (report_commands.cc)
std::vector<Command> ExportCommands();  // export --graph / --for (export_commands.cc)
std::vector<Command> SnapshotCommands();  // snapshot (snapshot_commands.cc)

}  // namespace coalition::tools

#endif  // COALITION_TOOLS_COMMANDS_H_
