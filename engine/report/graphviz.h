// Graphviz layout as a subprocess: `dot -T<format>` reading DOT on stdin (Debian's `graphviz`,
// installed by tools/setup). The layout is a pure function of the input on one Graphviz version
// (dot's network-simplex ranking and ordering are deterministic), so the same DOT gives the
// same picture byte for byte.
//
//   ASSIGN_OR_RETURN(std::string svg, RunGraphviz(ToDot(graph), "svg", /*timeout_s=*/20));
//
// Errors: FailedPrecondition when `dot` is not on PATH (the message says to run tools/setup);
// DeadlineExceeded when it runs longer than timeout_s (it is killed); Internal when it exits
// non-zero (with its stderr). Blocks the calling thread; library code: never prints.
#ifndef COALITION_ENGINE_REPORT_GRAPHVIZ_H_
#define COALITION_ENGINE_REPORT_GRAPHVIZ_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace coalition::report {

absl::StatusOr<std::string> RunGraphviz(absl::string_view dot, absl::string_view format,
                                        double timeout_s);

}  // namespace coalition::report

#endif  // COALITION_ENGINE_REPORT_GRAPHVIZ_H_
