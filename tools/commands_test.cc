// The subcommands as functions: called in-process with parsed arguments and string streams,
// no flags, no process, no environment.
#include "tools/commands.h"

#include <sstream>
#include <string>

#include "engine/testing/status_matchers.h"
#include "gtest/gtest.h"
#include "tools/args.h"

namespace coalition::tools {
namespace {

constexpr char kModel[] = "datasets/starter.textproto";

TEST(CommandsTest, GapsInProcess) {
  Args a = ReadArgs({kModel});  // every flag at its default
  a.format = "text";
  std::ostringstream out, err;
  ASSERT_OK(RunCommand("gaps", a, out, err));
  EXPECT_EQ(out.str().rfind("Gap report: mix \"", 0), 0u) << out.str();
  // The same arguments give the same bytes.
  std::ostringstream again, err2;
  ASSERT_OK(RunCommand("gaps", a, again, err2));
  EXPECT_EQ(out.str(), again.str());
  // --fail_on any: the starter mix has gaps, so the command reports findings.
  a.fail_on = "any";
  std::ostringstream out3, err3;
  EXPECT_TRUE(IsFindings(RunCommand("gaps", a, out3, err3)));
}

TEST(CommandsTest, WhatIfShortFlagsBecomeTypedChanges) {
  Args a = ReadArgs({kModel});
  a.release = {"LINK16:UKR"};
  a.format = "textproto";
  std::ostringstream out, err;
  ASSERT_OK(RunCommand("whatif", a, out, err));
  EXPECT_NE(out.str().find("item_kind: LINK"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("party: \"UKR\""), std::string::npos) << out.str();
  // An unknown id is a NotFound that names it.
  a.release = {"LINK16:ATLANTIS"};
  std::ostringstream out2, err2;
  const absl::Status s = RunCommand("whatif", a, out2, err2);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
}

TEST(CommandsTest, CompareInProcess) {
  Args a = ReadArgs({"datasets/coalition.textproto"});
  a.mixes = {"datasets/mixes/exquisite_f35.textproto",
             "datasets/mixes/frontline_air_defence.textproto"};
  a.format = "csv";
  std::ostringstream out, err;
  ASSERT_OK(RunCommand("compare", a, out, err));
  EXPECT_NE(out.str().find("\nexquisite-f35,"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("\nfrontline-air-defence,"), std::string::npos) << out.str();
  // An unknown mix is a NotFound (exit 2) that names it.
  a.mixes = {"atlantis"};
  std::ostringstream out2, err2;
  const absl::Status s = RunCommand("compare", a, out2, err2);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_NE(s.message().find("'atlantis'"), absl::string_view::npos) << s;
}

TEST(CommandsTest, UnknownCommand) {
  std::ostringstream out, err;
  EXPECT_EQ(RunCommand("nope", ReadArgs({}), out, err).code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace coalition::tools
