#include "engine/base/file_io.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "engine/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace coalition {
namespace {

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir ? dir : "/tmp";
}

std::string TempPath(const std::string& name) { return TempDir() + "/" + name; }

mode_t ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode;
}

// Entries of the test's temporary directory whose name starts with `prefix`.
std::vector<std::string> EntriesStartingWith(const std::string& prefix) {
  std::vector<std::string> out;
  DIR* d = ::opendir(TempDir().c_str());
  if (d == nullptr) return out;
  while (struct dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n.rfind(prefix, 0) == 0) out.push_back(n);
  }
  ::closedir(d);
  return out;
}

TEST(FileIoTest, WriteThenReadRoundTrips) {
  const std::string path = TempPath("roundtrip.txt");
  ASSERT_OK(WriteFileAtomically(path, "hello\nworld"));
  ASSERT_OK_AND_ASSIGN(std::string back, ReadFile(path));
  EXPECT_EQ(back, "hello\nworld");
  ASSERT_OK(WriteFileAtomically(path + ".2", "x"));
  ASSERT_OK_AND_ASSIGN(back, ReadFile(path + ".2"));
  EXPECT_EQ(back, "x");
}

TEST(FileIoTest, MissingFileIsNotFoundAndNamesThePath) {
  auto r = ReadFile(TempPath("does-not-exist.textproto"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("does-not-exist.textproto"), std::string::npos);
}

TEST(FileIoTest, DirectoryIsInvalidArgument) {
  auto r = ReadFile(TempDir());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(FileIoTest, WriteIntoMissingDirectoryIsNotFound) {
  absl::Status s = WriteFileAtomically(TempPath("no/such/dir/out.txt"), "x");
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
}

// Issue 16 defect 3 and 7: `--out dir/` and `--out file/x` are usage errors (exit 2), not
// internal ones.
TEST(FileIoTest, DirectoryAndFileParentAreInvalidArgument) {
  EXPECT_EQ(WriteFileAtomically(TempDir() + "/", "x").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WriteFileAtomically(TempDir(), "x").code(), absl::StatusCode::kInvalidArgument);
  const std::string file = TempPath("plain-file");
  ASSERT_OK(WriteFileAtomically(file, "x"));
  EXPECT_EQ(WriteFileAtomically(file + "/x", "y").code(), absl::StatusCode::kInvalidArgument);
}

// Issue 16 defect 3: a symlink, a FIFO or a device is never replaced by a regular file.
TEST(FileIoTest, RefusesNonRegularTargets) {
  const std::string real = TempPath("real.txt");
  const std::string link = TempPath("link.txt");
  ASSERT_OK(WriteFileAtomically(real, "original"));
  ASSERT_EQ(::symlink(real.c_str(), link.c_str()), 0);
  absl::Status s = WriteFileAtomically(link, "report");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find("symbolic link"), std::string::npos) << s;
  EXPECT_TRUE(S_ISLNK(ModeOf(link)));
  ASSERT_OK_AND_ASSIGN(std::string back, ReadFile(real));
  EXPECT_EQ(back, "original");

  const std::string fifo = TempPath("fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  s = WriteFileAtomically(fifo, "report");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_TRUE(S_ISFIFO(ModeOf(fifo)));

  s = WriteFileAtomically("/dev/null", "report");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_TRUE(S_ISCHR(ModeOf("/dev/null")));
  EXPECT_TRUE(EntriesStartingWith("link.txt.tmp").empty());
  EXPECT_TRUE(EntriesStartingWith("fifo.tmp").empty());
}

// Issue 16 defect 3: `--out` equal to an input (by any spelling, or a hard link) is refused.
TEST(FileIoTest, RefusesToOverwriteAnInput) {
  const std::string input = TempPath("input.textproto");
  ASSERT_OK(WriteFileAtomically(input, "name: \"m\""));
  EXPECT_FALSE(IsInputFile(input));
  ASSERT_OK(ReadFile(input).status());
  EXPECT_TRUE(IsInputFile(input));
  absl::Status s = WriteFileAtomically(input, "report");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find("input"), std::string::npos) << s;
  // Another spelling of the same file, and a hard link to it.
  EXPECT_EQ(WriteFileAtomically(TempDir() + "/./input.textproto", "r").code(),
            absl::StatusCode::kInvalidArgument);
  const std::string hard = TempPath("input-hardlink");
  ASSERT_EQ(::link(input.c_str(), hard.c_str()), 0);
  EXPECT_EQ(WriteFileAtomically(hard, "r").code(), absl::StatusCode::kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(std::string back, ReadFile(input));
  EXPECT_EQ(back, "name: \"m\"");
  // OpenInputFile records too (the streaming .binpbs reader uses it).
  const std::string streamed = TempPath("streamed.binpbs");
  ASSERT_OK(WriteFileAtomically(streamed, ""));
  ASSERT_OK_AND_ASSIGN(int fd, OpenInputFile(streamed));
  ::close(fd);
  EXPECT_EQ(WriteFileAtomically(streamed, "r").code(), absl::StatusCode::kInvalidArgument);
}

// Issue 16 defect 3: an existing target keeps its mode; a new file honours the umask.
TEST(FileIoTest, KeepsModeOrHonoursUmask) {
  const std::string secret = TempPath("secret.json");
  ASSERT_OK(WriteFileAtomically(secret, "old"));
  ASSERT_EQ(::chmod(secret.c_str(), 0600), 0);
  ASSERT_OK(WriteFileAtomically(secret, "new"));
  EXPECT_EQ(ModeOf(secret) & 07777, 0600u);

  const mode_t old_umask = ::umask(027);
  const std::string fresh = TempPath("fresh.json");
  absl::Status s = WriteFileAtomically(fresh, "x");
  ::umask(old_umask);
  ASSERT_OK(s);
  EXPECT_EQ(ModeOf(fresh) & 07777, 0640u);
}

TEST(FileIoTest, ReadFileRefusesOversizedInputBeforeReading) {
  const std::string big = TempPath("big.bin");
  ASSERT_OK(WriteFileAtomically(big, std::string(1000, 'x')));
  auto r = ReadFile(big, /*max_bytes=*/999);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("1000 bytes"), std::string::npos) << r.status();
  EXPECT_OK(ReadFile(big, 1000).status());
}

void RaiseSigterm(const char*) { ::raise(SIGTERM); }

// Issue 16 defect 3: a write killed by SIGTERM (or SIGINT) leaves no FILE.tmp.* behind and the
// old file intact.
TEST(FileIoTest, SignalMidWriteRemovesTheTemporaryFile) {
  for (int sig : {SIGTERM, SIGINT}) {
    const std::string target = TempPath(sig == SIGTERM ? "killed-term.txt" : "killed-int.txt");
    ASSERT_OK(WriteFileAtomically(target, "old"));
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      internal::SetAfterTempCreatedHookForTesting(
          sig == SIGTERM ? &RaiseSigterm : +[](const char*) { ::raise(SIGINT); });
      (void)WriteFileAtomically(target, std::string(1 << 20, 'n'));
      std::_Exit(0);  // not reached: the signal kills the child
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << status;
    EXPECT_EQ(WTERMSIG(status), sig);
    const std::string base = target.substr(target.rfind('/') + 1);
    EXPECT_TRUE(EntriesStartingWith(base + ".tmp").empty());
    ASSERT_OK_AND_ASSIGN(std::string back, ReadFile(target));
    EXPECT_EQ(back, "old");
  }
}

}  // namespace
}  // namespace coalition
