// Reading whole files and writing them atomically.
//
//   ASSIGN_OR_RETURN(std::string bytes, ReadFile("model.binpb"));   // "-" reads stdin
//   RETURN_IF_ERROR(WriteFileAtomically("report.json", text));     // "-" writes stdout
//
// WriteFileAtomically writes a temporary file beside the target, fsyncs it and renames it over
// the target, so a reader never sees a half-written file and a failure leaves the old file.
// Errors: NotFound (no such input), PermissionDenied, Internal (other I/O failures); each message
// names the path and the system error.
#ifndef COALITION_ENGINE_BASE_FILE_IO_H_
#define COALITION_ENGINE_BASE_FILE_IO_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace coalition {

// Reads the whole file; "-" reads standard input.
absl::StatusOr<std::string> ReadFile(absl::string_view path);

// Writes `contents` to `path` atomically (temp file + rename); "-" writes standard output.
absl::Status WriteFileAtomically(absl::string_view path, absl::string_view contents);

}  // namespace coalition

#endif  // COALITION_ENGINE_BASE_FILE_IO_H_
