#include "engine/model/load.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/base/file_io.h"
#include "engine/base/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"

namespace coalition {
namespace {

using google::protobuf::TextFormat;

// Collects every text-format parse error with its position (the parser stops at the first
// syntax error but reports each unknown field / bad value it passes).
class CollectingErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  explicit CollectingErrorCollector(absl::string_view file) : file_(file) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    errors_.push_back(absl::StrCat(file_, ":", line + 1, ":", column + 1, ": ", message));
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {}
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::string file_;
  std::vector<std::string> errors_;
};

}  // namespace

absl::StatusOr<Format> ParseFormatName(absl::string_view name) {
  std::string n = absl::AsciiStrToLower(name);
  if (n == "textproto" || n == "text" || n == "txtpb" || n == "pbtxt") return Format::kTextProto;
  if (n == "binpb" || n == "binary" || n == "pb") return Format::kBinary;
  if (n == "json") return Format::kJson;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown format '", name, "' (allowed: textproto, binpb, json)"));
}

absl::string_view FormatName(Format f) {
  switch (f) {
    case Format::kTextProto:
      return "textproto";
    case Format::kBinary:
      return "binpb";
    case Format::kJson:
      return "json";
  }
  return "?";
}

absl::StatusOr<Format> FormatForPath(absl::string_view path, absl::string_view override_name) {
  if (!override_name.empty()) return ParseFormatName(override_name);
  if (path == "-") {
    return absl::InvalidArgumentError(
        "reading '-' (stdin) or writing '-' (stdout) needs an explicit format "
        "(--input_format / --output_format = textproto, binpb or json)");
  }
  for (absl::string_view ext : {".textproto", ".txtpb", ".pbtxt"}) {
    if (absl::EndsWith(path, ext)) return Format::kTextProto;
  }
  for (absl::string_view ext : {".binpb", ".pb"}) {
    if (absl::EndsWith(path, ext)) return Format::kBinary;
  }
  if (absl::EndsWith(path, ".json")) return Format::kJson;
  return absl::InvalidArgumentError(
      absl::StrCat("cannot tell the format of '", path,
                   "' from its extension (use .textproto, .txtpb, .binpb or .json, or give the "
                   "format explicitly)"));
}

std::pair<int, int> SourceInfo::Locate(const std::vector<FieldStep>& path) const {
  if (tree_ == nullptr || path.empty()) return {0, 0};
  // ParseInfoTree CHECK-fails when a repeated field comes without an index (or vice versa).
  for (const FieldStep& step : path) {
    if (step.field == nullptr || step.field->is_repeated() != (step.index >= 0)) return {0, 0};
  }
  const TextFormat::ParseInfoTree* tree = tree_.get();
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    tree = tree->GetTreeForNested(path[i].field, path[i].index);
    if (tree == nullptr) return {0, 0};
  }
  TextFormat::ParseLocation loc = tree->GetLocation(path.back().field, path.back().index);
  if (loc.line < 0) return {0, 0};
  return {loc.line + 1, loc.column + 1};
}

TextFormat::ParseInfoTree* SourceInfo::mutable_tree() {
  if (tree_ == nullptr) tree_ = std::make_shared<TextFormat::ParseInfoTree>();
  return tree_.get();
}

absl::Status ParseMessage(absl::string_view bytes, Format format, absl::string_view file,
                          google::protobuf::Message* msg, SourceInfo* source) {
  *source = SourceInfo(std::string(file));
  switch (format) {
    case Format::kTextProto: {
      TextFormat::Parser parser;
      CollectingErrorCollector errors(file);
      parser.RecordErrorsTo(&errors);
      parser.WriteLocationsTo(source->mutable_tree());
      google::protobuf::io::ArrayInputStream input(bytes.data(), static_cast<int>(bytes.size()));
      if (!parser.Parse(&input, msg) || !errors.errors().empty()) {
        if (errors.errors().empty()) {
          return absl::InvalidArgumentError(absl::StrCat(file, ": cannot parse as text format"));
        }
        return absl::InvalidArgumentError(absl::StrJoin(errors.errors(), "\n"));
      }
      return absl::OkStatus();
    }
    case Format::kBinary: {
      // Parse straight from the buffer: each string is copied once, into the message.
      google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                                   static_cast<int>(bytes.size()));
      input.SetTotalBytesLimit(INT32_MAX);
      if (!msg->ParseFromCodedStream(&input) || !input.ConsumedEntireMessage()) {
        return absl::InvalidArgumentError(
            absl::StrCat(file, ": not a valid binary ", msg->GetDescriptor()->full_name(),
                         " (truncated or corrupt wire data)"));
      }
      return absl::OkStatus();
    }
    case Format::kJson: {
      google::protobuf::util::JsonParseOptions options;
      options.ignore_unknown_fields = false;
      auto status = google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(bytes.data(), bytes.size()), msg, options);
      if (!status.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(file, ": invalid JSON for ", msg->GetDescriptor()->full_name(), ": ",
                         std::string(status.message())));
      }
      return absl::OkStatus();
    }
  }
  return absl::InternalError("unknown format");
}

absl::Status LoadMessage(absl::string_view path, absl::string_view format_override,
                         google::protobuf::Message* msg, SourceInfo* source) {
  ASSIGN_OR_RETURN(Format format, FormatForPath(path, format_override));
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(ResolveUserPath(path)));
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": ", bytes.size(), " bytes is over protobuf's 2 GiB single-message limit"));
  }
  return ParseMessage(bytes, format, path, msg, source);
}

absl::StatusOr<LoadedModel> LoadModel(absl::string_view path, absl::string_view format_override) {
  LoadedModel out;
  RETURN_IF_ERROR(LoadMessage(path, format_override, &out.model, &out.source));
  return out;
}

absl::StatusOr<LoadedMix> LoadMix(absl::string_view path, absl::string_view format_override) {
  LoadedMix out;
  RETURN_IF_ERROR(LoadMessage(path, format_override, &out.mix, &out.source));
  return out;
}

absl::StatusOr<std::string> SerializeMessage(const google::protobuf::Message& msg, Format format) {
  std::string out;
  switch (format) {
    case Format::kTextProto: {
      TextFormat::Printer printer;
      printer.SetUseUtf8StringEscaping(true);
      if (!printer.PrintToString(msg, &out)) return absl::InternalError("text format failed");
      return out;
    }
    case Format::kBinary: {
      google::protobuf::io::StringOutputStream stream(&out);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.SetSerializationDeterministic(true);
      if (!msg.SerializeToCodedStream(&coded)) {
        return absl::InvalidArgumentError("cannot serialize: message over 2 GiB or incomplete");
      }
      coded.Trim();
      return out;
    }
    case Format::kJson: {
      google::protobuf::util::JsonPrintOptions options;
      options.add_whitespace = true;
      options.preserve_proto_field_names = true;
      auto status = google::protobuf::util::MessageToJsonString(msg, &out, options);
      if (!status.ok()) return absl::InternalError(std::string(status.message()));
      return out;
    }
  }
  return absl::InternalError("unknown format");
}

absl::Status WriteMessage(const google::protobuf::Message& msg, absl::string_view path,
                          Format format) {
  ASSIGN_OR_RETURN(std::string bytes, SerializeMessage(msg, format));
  return WriteFileAtomically(ResolveUserPath(path), bytes);
}

}  // namespace coalition
