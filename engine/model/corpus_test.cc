// The bad-input corpus (tests/bad_inputs/, see its README.md): every NAME.textproto is loaded
// with LoadModel and validated; the formatted diagnostics, one FormatDiagnostic line each in
// report order, must equal NAME.expected byte for byte. Where loading fails (a syntax error),
// the loader's status message plus a newline is compared instead.
//
// Regenerate the .expected files (then review the diff by hand):
//   COALITION_REGENERATE=1 bazel run //engine/model:corpus_test
// Under `bazel run` the test then reads the inputs from, and writes the .expected files to, the
// source tree ($BUILD_WORKSPACE_DIRECTORY), and passes.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "engine/base/file_io.h"
#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "engine/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace coalition {
namespace {

constexpr char kCorpusDir[] = "tests/bad_inputs";

// True when regenerating; then the working directory is the source workspace, so LoadModel reads
// the relative paths from there.
bool Regenerating() {
  static const bool regenerating = [] {
    const char* flag = std::getenv("COALITION_REGENERATE");
    const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
    if (flag == nullptr || std::string(flag).empty() || workspace == nullptr) return false;
    return chdir(workspace) == 0;
  }();
  return regenerating;
}

// The corpus inputs, by name, in name order.
std::vector<std::string> CorpusNames() {
  Regenerating();
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kCorpusDir, ec)) {
    const std::string file = entry.path().filename().string();
    if (absl::EndsWith(file, ".textproto")) {
      names.push_back(std::string(absl::StripSuffix(file, ".textproto")));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// What the corpus expects for one input: the validator's lines, or the loader's message.
std::string Actual(const std::string& input) {
  absl::StatusOr<LoadedModel> loaded = LoadModel(input);
  if (!loaded.ok()) return absl::StrCat(loaded.status().message(), "\n");
  const v1::ValidationReport report = Validate(loaded->model, loaded->source);
  std::string out;
  for (const v1::Diagnostic& d : report.diagnostics()) {
    absl::StrAppend(&out, FormatDiagnostic(d), "\n");
  }
  return out;
}

class CorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusTest, MatchesExpected) {
  const std::string input = absl::StrCat(kCorpusDir, "/", GetParam(), ".textproto");
  const std::string expected_path = absl::StrCat(kCorpusDir, "/", GetParam(), ".expected");
  const std::string actual = Actual(input);
  if (Regenerating()) {
    ASSERT_OK(WriteFileAtomically(expected_path, actual));
    return;
  }
  ASSERT_OK_AND_ASSIGN(std::string expected, ReadFile(expected_path));
  EXPECT_EQ(actual, expected) << "regenerate with: COALITION_REGENERATE=1 bazel run "
                                 "//engine/model:corpus_test";
}

INSTANTIATE_TEST_SUITE_P(BadInputs, CorpusTest, ::testing::ValuesIn(CorpusNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// The corpus holds one file per problem class; a missing one is a packaging mistake.
TEST(CorpusContents, HasEveryProblemClass) {
  const std::vector<std::string> names = CorpusNames();
  for (const char* required :
       {"bad_id", "bad_selector", "component_cycle", "component_no_supplier", "dangling_reference",
        "duplicate_id", "five_problems", "gateway_standard", "missing_field",
        "mix_unknown_platform", "negative_value", "out_of_range", "parse_error",
        "selector_matches_nothing", "sourcing_mismatch", "unspecified_enum",
        // issue 16
        "enum_out_of_range", "invalid_utf8", "duplicate_entry", "too_large", "empty_model"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), required), names.end()) << required;
  }
}

// Every input but the syntax error loads, and each gives at least one diagnostic.
TEST(CorpusContents, EveryInputIsBad) {
  for (const std::string& name : CorpusNames()) {
    const std::string input = absl::StrCat(kCorpusDir, "/", name, ".textproto");
    absl::StatusOr<LoadedModel> loaded = LoadModel(input);
    if (name == "parse_error") {
      EXPECT_FALSE(loaded.ok());
      continue;
    }
    ASSERT_OK(loaded);
    EXPECT_GT(Validate(loaded->model, loaded->source).diagnostics_size(), 0) << name;
  }
}

}  // namespace
}  // namespace coalition
