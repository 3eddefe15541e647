#include "tools/flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, mix, "",
          "The force mix: the name of a mix inside the model file, or a mix file "
          "(.textproto/.txtpb/.binpb/.json). Empty: the model's only mix.");
ABSL_FLAG(std::string, format, "text",
          "Output format: text, markdown, csv, json, textproto, binpb (matrix: csv, text, json, "
          "textproto, binpb).");
ABSL_FLAG(std::string, input_format, "",
          "Format of the input when reading '-' (stdin) or overriding the extension: textproto, "
          "binpb, json.");
ABSL_FLAG(std::string, output_format, "",
          "Format of the output when writing '-' (stdout) or overriding the extension: "
          "textproto, binpb, json.");
ABSL_FLAG(std::string, message, "model",
          "What the files of `convert` hold: model (coalition.v1.Model) or mix "
          "(coalition.v1.ForceMix).");
ABSL_FLAG(std::string, out, "-",
          "Write the report to this file (atomically: a temporary file renamed into place); "
          "'-' is stdout.");
ABSL_FLAG(std::string, fail_on, "none",
          "Exit 1 when the report has gaps of this class: none, policy, technical, any.");
ABSL_FLAG(int, max_gaps, 100,
          "List at most this many individual gaps, worst first (-1: all); aggregates count all.");
ABSL_FLAG(bool, warnings_as_errors, false, "validate: exit 1 when there are warnings.");
