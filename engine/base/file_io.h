// Reading whole files, and the one routine that writes output files.
//
//   ASSIGN_OR_RETURN(std::string bytes, ReadFile("model.binpb"));   // "-" reads stdin
//   RETURN_IF_ERROR(WriteFileAtomically("report.json", text));     // "-" writes stdout
//
// Inputs. Every file opened by ReadFile or OpenInputFile is remembered (device and inode) for
// the life of the process, so that no output can replace an input (`--out` equal to the model,
// the `--mix` file or the `--changes` file, however the path is spelled). ReadFile refuses a
// regular file larger than `max_bytes` before reading any of it (stdin and pipes: as soon as
// more than `max_bytes` arrived).
//
// Output. WriteFileAtomically writes a temporary file beside the target (created with mode
// 0666 & ~umask, or the existing target's permission bits), fsyncs it and renames it over the
// target, so a reader never sees a half-written file and a failure leaves the old file. It
// refuses, before writing anything:
//   - a path ending in '/' or naming a directory, a symlink, a FIFO, a socket or a device
//     (InvalidArgument: `--out /dev/null` never replaces /dev/null, a symlink is never followed
//     or replaced);
//   - a path whose parent is not a directory (`--out file/x`: InvalidArgument);
//   - a file this process read as an input (InvalidArgument).
// While the temporary file exists, SIGINT, SIGTERM, SIGHUP and SIGPIPE remove it before the
// process dies of the signal (the previous disposition is restored afterwards); only SIGKILL or
// a power cut can leave a `TARGET.tmp.*` file behind.
// Errors: NotFound (no such input, or the output's directory is missing), PermissionDenied,
// InvalidArgument (the refusals above, a directory given as input, an input over max_bytes),
// Internal (other I/O failures); each message names the path and the system error.
// Thread-safety: the functions may be called from several threads; only one output file at a
// time is protected against signals (the last one started).
#ifndef COALITION_ENGINE_BASE_FILE_IO_H_
#define COALITION_ENGINE_BASE_FILE_IO_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace coalition {

inline constexpr uint64_t kNoSizeLimit = ~uint64_t{0};

// Reads the whole file; "-" reads standard input. Refuses more than `max_bytes`
// (InvalidArgument naming the size and the limit).
absl::StatusOr<std::string> ReadFile(absl::string_view path, uint64_t max_bytes = kNoSizeLimit);

// Opens `path` for reading (O_RDONLY | O_CLOEXEC), records it as an input (see above) and
// returns the descriptor (the caller closes it). Directories are refused (InvalidArgument).
absl::StatusOr<int> OpenInputFile(absl::string_view path);

// A regular file mapped read-only into memory (mmap, MAP_PRIVATE), recorded as an input like
// OpenInputFile. An empty file maps to an empty view. The mapping lives as long as the object.
// Errors: those of OpenInputFile; InvalidArgument for something that is not a regular file
// (a pipe, a device); Internal when the map fails. `populate`: read the whole file in at once
// (MAP_POPULATE; faster than a page fault per page for a file that will be read whole).
class MappedFile {
 public:
  static absl::StatusOr<std::unique_ptr<MappedFile>> Map(absl::string_view path,
                                                         bool populate = false);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  absl::string_view bytes() const { return absl::string_view(data_, size_); }

 private:
  MappedFile() = default;
  void* map_ = nullptr;
  const char* data_ = "";
  size_t size_ = 0;
};

// Whether `path` names a file this process opened as an input (same device and inode).
bool IsInputFile(absl::string_view path);

// Writes `contents` to `path` atomically (temp file + rename); "-" writes standard output.
absl::Status WriteFileAtomically(absl::string_view path, absl::string_view contents);

namespace internal {
// Tests only: called with the temporary file's name right after it is created (e.g. to raise a
// signal mid-write). nullptr removes the hook.
void SetAfterTempCreatedHookForTesting(void (*hook)(const char* temp_path));
}  // namespace internal

}  // namespace coalition

#endif  // COALITION_ENGINE_BASE_FILE_IO_H_
