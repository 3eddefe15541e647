// Flags shared by the `coalition` subcommands (each subcommand accepts a subset; see
// tools/commands.cc). Only main (tools/coalition.cc) and ReadArgs (tools/args.h) read them.
#ifndef COALITION_TOOLS_FLAGS_H_
#define COALITION_TOOLS_FLAGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/declare.h"

ABSL_DECLARE_FLAG(std::string, mix);
ABSL_DECLARE_FLAG(std::string, format);
ABSL_DECLARE_FLAG(std::string, input_format);
ABSL_DECLARE_FLAG(std::string, output_format);
ABSL_DECLARE_FLAG(std::string, message);
ABSL_DECLARE_FLAG(std::string, out);
ABSL_DECLARE_FLAG(std::string, fail_on);
ABSL_DECLARE_FLAG(int, max_gaps);
ABSL_DECLARE_FLAG(bool, warnings_as_errors);
// generate (tools/generate_commands.cc)
ABSL_DECLARE_FLAG(int64_t, edges);
ABSL_DECLARE_FLAG(int, nations);
ABSL_DECLARE_FLAG(int, platforms);
ABSL_DECLARE_FLAG(int, links);
ABSL_DECLARE_FLAG(int, standards);
ABSL_DECLARE_FLAG(int, components);
ABSL_DECLARE_FLAG(int, suppliers);
ABSL_DECLARE_FLAG(int, elements);
ABSL_DECLARE_FLAG(int, iers);
ABSL_DECLARE_FLAG(int64_t, max_pairs);
ABSL_DECLARE_FLAG(uint64_t, seed);
// risk, whatif, spof (tools/risk_commands.cc). The std::vector<std::string> flags are
// repeatable: tools/coalition.cc accumulates every occurrence (and each takes a comma list).
ABSL_DECLARE_FLAG(std::vector<std::string>, embargo);
ABSL_DECLARE_FLAG(std::vector<std::string>, remove_supplier);
ABSL_DECLARE_FLAG(std::vector<std::string>, remove_element);
ABSL_DECLARE_FLAG(std::vector<std::string>, remove_platform);
ABSL_DECLARE_FLAG(std::vector<std::string>, release);
ABSL_DECLARE_FLAG(std::vector<std::string>, fit);
ABSL_DECLARE_FLAG(std::vector<std::string>, add_element);
ABSL_DECLARE_FLAG(std::vector<std::string>, upgrade);
ABSL_DECLARE_FLAG(std::vector<std::string>, add_gateway);
ABSL_DECLARE_FLAG(std::vector<std::string>, share);
ABSL_DECLARE_FLAG(std::string, changes);
ABSL_DECLARE_FLAG(int, max_findings);
ABSL_DECLARE_FLAG(int, pairs_per_point);
ABSL_DECLARE_FLAG(std::string, us_nation);
// recommend (tools/recommend_commands.cc)
ABSL_DECLARE_FLAG(double, budget);
ABSL_DECLARE_FLAG(std::string, ier);
ABSL_DECLARE_FLAG(int, max_steps);
ABSL_DECLARE_FLAG(double, time_limit);
// export --graph, convert --type
ABSL_DECLARE_FLAG(std::string, graph);
ABSL_DECLARE_FLAG(std::string, type);
ABSL_DECLARE_FLAG(std::string, for);  // export --for

#endif  // COALITION_TOOLS_FLAGS_H_
