#include "engine/report/graphviz.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace coalition::report {
namespace {

// Graphviz is installed by tools/setup; where it is not, the tests say so and skip.
bool HaveDot() {
  absl::StatusOr<std::string> r = RunGraphviz("graph{}", "svg", 10);
  return r.status().code() != absl::StatusCode::kFailedPrecondition;
}

TEST(GraphvizTest, LaysOutSvgDeterministically) {
  if (!HaveDot()) GTEST_SKIP() << "Graphviz's dot is not installed (tools/setup installs it)";
  const std::string dot = "graph g { a -- b; b -- c; c -- a; a [label=\"A & B\"]; }";
  absl::StatusOr<std::string> svg = RunGraphviz(dot, "svg", 10);
  ASSERT_TRUE(svg.ok()) << svg.status();
  EXPECT_TRUE(absl::StrContains(*svg, "<svg"));
  EXPECT_TRUE(absl::StrContains(*svg, "A &amp; B"));
  absl::StatusOr<std::string> again = RunGraphviz(dot, "svg", 10);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*svg, *again);
}

TEST(GraphvizTest, InputLargerThanAPipeBuffer) {
  if (!HaveDot()) GTEST_SKIP() << "Graphviz's dot is not installed (tools/setup installs it)";
  std::string dot = "digraph g {\n";
  for (int i = 0; i < 4000; ++i) absl::StrAppend(&dot, "/* padding padding padding padding */\n");
  dot += "x -> y; }\n";
  ASSERT_GT(dot.size(), 65536u);
  absl::StatusOr<std::string> svg = RunGraphviz(dot, "svg", 20);
  ASSERT_TRUE(svg.ok()) << svg.status();
  EXPECT_TRUE(absl::StrContains(*svg, ">x</text>"));
}

TEST(GraphvizTest, SyntaxErrorIsInternalWithDotsMessage) {
  if (!HaveDot()) GTEST_SKIP() << "Graphviz's dot is not installed (tools/setup installs it)";
  absl::StatusOr<std::string> svg = RunGraphviz("graph { a -- ", "svg", 10);
  ASSERT_FALSE(svg.ok());
  EXPECT_EQ(svg.status().code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(absl::StrContains(svg.status().message(), "dot failed")) << svg.status();
}

}  // namespace
}  // namespace coalition::report
