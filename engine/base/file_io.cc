#include "engine/base/file_io.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "engine/base/status_macros.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace coalition {
namespace {

absl::Status ErrnoStatus(absl::string_view what, absl::string_view path, int err) {
  std::string msg = absl::StrCat(what, " '", path, "': ", std::strerror(err));
  if (err == ENOENT) return absl::NotFoundError(msg);
  if (err == EACCES || err == EPERM || err == EROFS) return absl::PermissionDeniedError(msg);
  if (err == EISDIR || err == ENOTDIR || err == ENAMETOOLONG || err == ELOOP) {
    return absl::InvalidArgumentError(msg);
  }
  return absl::InternalError(msg);
}

// ---- the inputs this process read ----------------------------------------------------------

std::mutex& InputsMutex() {
  static std::mutex* m = new std::mutex;
  return *m;
}
std::vector<std::pair<dev_t, ino_t>>& Inputs() {
  static auto* v = new std::vector<std::pair<dev_t, ino_t>>;
  return *v;
}
void RecordInput(const struct stat& st) {
  std::lock_guard<std::mutex> lock(InputsMutex());
  for (const auto& p : Inputs()) {
    if (p.first == st.st_dev && p.second == st.st_ino) return;
  }
  Inputs().emplace_back(st.st_dev, st.st_ino);
}
bool IsRecordedInput(const struct stat& st) {
  std::lock_guard<std::mutex> lock(InputsMutex());
  for (const auto& p : Inputs()) {
    if (p.first == st.st_dev && p.second == st.st_ino) return true;
  }
  return false;
}

absl::Status TooLarge(absl::string_view path, uint64_t size, uint64_t max_bytes, bool at_least) {
  return absl::InvalidArgumentError(absl::StrCat("'", path, "' holds ", at_least ? "over " : "",
                                                 size, " bytes, over the limit of ", max_bytes,
                                                 " bytes for this input"));
}

// ---- the temporary file of the output being written, removed on a fatal signal -------------

constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
constexpr int kNumCleanupSignals = sizeof(kCleanupSignals) / sizeof(kCleanupSignals[0]);
std::atomic<const char*> g_temp_path{nullptr};
struct sigaction g_previous[kNumCleanupSignals];
std::mutex g_output_mutex;  // one protected output at a time

extern "C" void RemoveTempAndDie(int sig) {
  // Async-signal-safe only: unlink, sigaction, raise.
  const char* p = g_temp_path.exchange(nullptr);
  if (p != nullptr) ::unlink(p);
  for (int i = 0; i < kNumCleanupSignals; ++i) {
    if (kCleanupSignals[i] == sig) ::sigaction(sig, &g_previous[i], nullptr);
  }
  ::raise(sig);  // delivered when this handler returns, with the previous disposition
}

// Installs the handlers for as long as it lives; set g_temp_path while a temporary file exists.
class TempFileGuard {
 public:
  TempFileGuard() : lock_(g_output_mutex) {
    g_temp_path.store(nullptr);
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_handler = &RemoveTempAndDie;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < kNumCleanupSignals; ++i) {
      ::sigaction(kCleanupSignals[i], nullptr, &g_previous[i]);
      // A signal the process ignores stays ignored (e.g. SIGPIPE under some shells).
      if (g_previous[i].sa_handler == SIG_IGN) continue;
      ::sigaction(kCleanupSignals[i], &sa, nullptr);
    }
  }
  ~TempFileGuard() {
    g_temp_path.store(nullptr);
    for (int i = 0; i < kNumCleanupSignals; ++i) {
      ::sigaction(kCleanupSignals[i], &g_previous[i], nullptr);
    }
  }
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;

 private:
  std::lock_guard<std::mutex> lock_;
};

// Creates `target`.tmp.XXXXXX exclusively (never following a symlink) with `mode` (the umask
// applies when `apply_umask`), returning the descriptor and the name.
absl::StatusOr<int> CreateTemp(const std::string& target, mode_t mode, bool apply_umask,
                               std::string* name) {
  static std::atomic<uint64_t> counter{0};
  for (int attempt = 0; attempt < 100; ++attempt) {
    const uint64_t salt =
        static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
        (counter.fetch_add(1) * 0x9E3779B97F4A7C15ULL) ^ static_cast<uint64_t>(::getpid());
    *name = absl::StrFormat("%s.tmp.%06x", target, salt & 0xFFFFFF);
    const int fd = ::open(name->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                          apply_umask ? 0666 : 0600);
    if (fd >= 0) {
      if (!apply_umask) ::fchmod(fd, mode);
      return fd;
    }
    if (errno != EEXIST) {
      return ErrnoStatus("cannot create a temporary file beside", target, errno);
    }
  }
  return absl::InternalError(absl::StrCat("cannot find a free temporary name beside '", target, "'"));
}

absl::Status WriteAll(int fd, absl::string_view contents, const std::string& name) {
  size_t off = 0;
  while (off < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + off, contents.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot write", name, errno);
    }
    off += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

void (*g_after_temp_created)(const char*) = nullptr;

}  // namespace

namespace internal {
void SetAfterTempCreatedHookForTesting(void (*hook)(const char* temp_path)) {
  g_after_temp_created = hook;
}
}  // namespace internal

absl::StatusOr<int> OpenInputFile(absl::string_view path) {
  const std::string p(path);
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoStatus("cannot stat", path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(absl::StrCat("'", path, "' is a directory, not a file"));
  }
  RecordInput(st);
  return fd;
}

bool IsInputFile(absl::string_view path) {
  struct stat st;
  if (::stat(std::string(path).c_str(), &st) != 0) return false;
  return IsRecordedInput(st);
}

absl::StatusOr<std::string> ReadFile(absl::string_view path, uint64_t max_bytes) {
  std::string data;
  if (path == "-") {
    char buf[1 << 16];
    while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
      data.append(buf, static_cast<size_t>(std::cin.gcount()));
      if (data.size() > max_bytes) return TooLarge("-", data.size(), max_bytes, true);
    }
    return data;
  }
  absl::StatusOr<int> opened = OpenInputFile(path);
  if (!opened.ok()) return opened.status();
  const int fd = *opened;
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoStatus("cannot stat", path, err);
  }
  if (S_ISREG(st.st_mode)) {
    if (static_cast<uint64_t>(st.st_size) > max_bytes) {
      ::close(fd);
      return TooLarge(path, static_cast<uint64_t>(st.st_size), max_bytes, false);
    }
    data.reserve(static_cast<size_t>(st.st_size));
  }
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ErrnoStatus("cannot read", path, err);
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > max_bytes) {
      ::close(fd);
      return TooLarge(path, data.size(), max_bytes, true);
    }
  }
  ::close(fd);
  return data;
}

absl::Status WriteFileAtomically(absl::string_view path, absl::string_view contents) {
  if (path == "-") {
    std::cout.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    std::cout.flush();
    if (!std::cout) return absl::InternalError("cannot write to standard output");
    return absl::OkStatus();
  }
  if (path.empty()) return absl::InvalidArgumentError("the output path is empty");
  if (absl::EndsWith(path, "/")) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot write '", path, "': it names a directory, not a file"));
  }
  const std::string target(path);
  struct stat st;
  mode_t mode = 0;
  bool apply_umask = true;
  if (::lstat(target.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "refusing to write '", path, "': it is a symbolic link (write to its target instead)"));
    }
    if (S_ISDIR(st.st_mode)) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot write '", path, "': it is a directory, not a file"));
    }
    if (!S_ISREG(st.st_mode)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "refusing to write '", path,
          "': it is not a regular file (a FIFO, socket or device); use '-' for standard output"));
    }
    if (IsRecordedInput(st)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "refusing to write '", path, "': it is one of this command's input files"));
    }
    mode = st.st_mode & 07777;
    apply_umask = false;
  } else if (errno == ENOTDIR) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot write '", path, "': a parent of it is not a directory"));
  } else if (errno != ENOENT) {
    return ErrnoStatus("cannot write", path, errno);
  }
  std::string temp;
  TempFileGuard guard;
  absl::StatusOr<int> fd = CreateTemp(target, mode, apply_umask, &temp);
  if (!fd.ok()) return fd.status();
  g_temp_path.store(temp.c_str());
  if (g_after_temp_created != nullptr) g_after_temp_created(temp.c_str());
  absl::Status written = WriteAll(*fd, contents, temp);
  if (written.ok() && (::fsync(*fd) != 0)) written = ErrnoStatus("cannot flush", temp, errno);
  if (::close(*fd) != 0 && written.ok()) written = ErrnoStatus("cannot close", temp, errno);
  if (written.ok() && ::rename(temp.c_str(), target.c_str()) != 0) {
    written = ErrnoStatus("cannot rename onto", path, errno);
  }
  g_temp_path.store(nullptr);
  if (!written.ok()) ::unlink(temp.c_str());
  return written;
}

absl::StatusOr<std::unique_ptr<MappedFile>> MappedFile::Map(absl::string_view path,
                                                            bool populate) {
  ASSIGN_OR_RETURN(const int fd, OpenInputFile(path));
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    return ErrnoStatus("cannot stat", path, e);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a regular file"));
  }
  std::unique_ptr<MappedFile> f(new MappedFile());
  f->size_ = static_cast<size_t>(st.st_size);
  if (f->size_ == 0) {
    ::close(fd);
    return f;
  }
  void* p = ::mmap(nullptr, f->size_, PROT_READ, MAP_PRIVATE | (populate ? MAP_POPULATE : 0), fd, 0);
  const int e = errno;
  ::close(fd);
  if (p == MAP_FAILED) {
    return absl::InternalError(absl::StrCat(path, ": cannot map: ", std::strerror(e)));
  }
  f->map_ = p;
  f->data_ = static_cast<const char*>(p);
  return f;
}

MappedFile::~MappedFile() {
  if (map_ != nullptr) ::munmap(map_, size_);
}

}  // namespace coalition
