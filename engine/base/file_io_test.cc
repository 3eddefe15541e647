#include "engine/base/file_io.h"

#include <cstdlib>
#include <string>

#include "engine/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace coalition {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

TEST(FileIoTest, WriteThenReadRoundTrips) {
  const std::string path = TempPath("roundtrip.txt");
  ASSERT_OK(WriteFileAtomically(path, "hello\nworld"));
  ASSERT_OK_AND_ASSIGN(std::string back, ReadFile(path));
  EXPECT_EQ(back, "hello\nworld");
  // Overwriting replaces the whole file.
  ASSERT_OK(WriteFileAtomically(path, "x"));
  ASSERT_OK_AND_ASSIGN(back, ReadFile(path));
  EXPECT_EQ(back, "x");
}

TEST(FileIoTest, MissingFileIsNotFoundAndNamesThePath) {
  auto r = ReadFile(TempPath("does-not-exist.textproto"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("does-not-exist.textproto"), std::string::npos);
}

TEST(FileIoTest, DirectoryIsInvalidArgument) {
  auto r = ReadFile(std::getenv("TEST_TMPDIR") ? std::getenv("TEST_TMPDIR") : "/tmp");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(FileIoTest, WriteIntoMissingDirectoryFailsAndLeavesNothing) {
  EXPECT_FALSE(WriteFileAtomically(TempPath("no/such/dir/out.txt"), "x").ok());
}


}  // namespace
}  // namespace coalition
