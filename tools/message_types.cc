#include "tools/message_types.h"

#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "coalition/v1/change.pb.h"
#include "coalition/v1/compare.pb.h"
#include "coalition/v1/mix.pb.h"
#include "coalition/v1/model.pb.h"
#include "coalition/v1/recommend.pb.h"
#include "coalition/v1/report.pb.h"
#include "google/protobuf/descriptor.h"

namespace coalition::tools {

namespace v1 = ::coalition::v1;

const std::vector<MessageType>& MessageTypes() {
  static const auto* types = new std::vector<MessageType>{
      {"model", &v1::Model::default_instance()},
      {"mix", &v1::ForceMix::default_instance()},
      {"whatif", &v1::WhatIf::default_instance()},
      {"validation", &v1::ValidationReport::default_instance()},
      {"gaps", &v1::GapReport::default_instance()},
      {"matrix", &v1::InteropMatrix::default_instance()},
      {"risk", &v1::RiskReport::default_instance()},
      {"whatif_report", &v1::WhatIfReport::default_instance()},
      {"spof", &v1::SinglePointsReport::default_instance()},
      {"recommend", &v1::RecommendReport::default_instance()},
      {"compare", &v1::CompareReport::default_instance()},
  };
  return *types;
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> NewMessage(absl::string_view name) {
  std::vector<std::string> allowed;
  for (const MessageType& t : MessageTypes()) {
    if (name == t.name || name == t.prototype->GetDescriptor()->full_name()) {
      return std::unique_ptr<google::protobuf::Message>(t.prototype->New());
    }
    allowed.push_back(t.name);
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown message type '", name, "' (allowed: ",
                                                 absl::StrJoin(allowed, ", "),
                                                 ", or a full name such as coalition.v1.GapReport)"));
}

std::string ProtoMessageHeader(absl::string_view text) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    if (!absl::ConsumePrefix(&line, "#")) break;  // the leading comments end here
    line = absl::StripLeadingAsciiWhitespace(line);
    if (absl::ConsumePrefix(&line, "proto-message:")) {
      return std::string(absl::StripAsciiWhitespace(line));
    }
  }
  return "";
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> MessageToConvert(const Args& args) {
  std::string header;
  std::error_code ec;
  // Only a regular file is peeked at (a FIFO or a device is read once, by the loader).
  if (!args.positional.empty() && args.positional[0] != "-" &&
      std::filesystem::is_regular_file(args.positional[0], ec)) {
    std::ifstream in(args.positional[0], std::ios::binary);
    std::string head(8192, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
    // Only text has comments: a binary file's bytes are not read as a header.
    if (!head.empty() && head[0] == '#') header = ProtoMessageHeader(head);
  }
  if (!args.type.empty()) {
    auto m = NewMessage(args.type);
    if (m.ok() && !header.empty() && (*m)->GetDescriptor()->full_name() != header) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--type ", args.type, " is ", (*m)->GetDescriptor()->full_name(), " but ",
          args.positional[0], " says '# proto-message: ", header, "'"));
    }
    return m;
  }
  if (!header.empty()) {
    auto m = NewMessage(header);
    if (!m.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(args.positional[0], ": '# proto-message: ",
                                                     header, "' is not a message convert knows; ",
                                                     m.status().message()));
    }
    return m;
  }
  return NewMessage(args.message.empty() ? "model" : args.message);
}

std::string TextHeader(const google::protobuf::Message& m) {
  const google::protobuf::Descriptor* d = m.GetDescriptor();
  return absl::StrCat("# proto-file: ", d->file()->name(), "\n# proto-message: ", d->full_name(),
                      "\n");
}

}  // namespace coalition::tools
