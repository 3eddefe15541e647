// Flags shared by the `coalition` subcommands (each subcommand accepts a subset; see
// tools/commands.cc).
#ifndef COALITION_TOOLS_FLAGS_H_
#define COALITION_TOOLS_FLAGS_H_

#include <string>

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

#endif  // COALITION_TOOLS_FLAGS_H_
