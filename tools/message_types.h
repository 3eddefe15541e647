// Every message the engine reads or writes, by name, for `coalition convert` (SPEC §7: models,
// mixes, what-ifs and every report convert between textproto, binpb and JSON losslessly).
//
//   ASSIGN_OR_RETURN(std::unique_ptr<google::protobuf::Message> m, MessageToConvert(args));
//   ... LoadMessage(args.positional[0], ..., m.get(), ...) ...
//   text = TextHeader(*m) + text;   // textproto output names its message
//
// Which message a file holds: --type when given; else the input's "# proto-message: NAME"
// header comment (the convention of protobuf's text-format files, e.g. the shipped datasets),
// read from the leading comment lines of a text file; else --message (default model). A --type
// that contradicts the header is refused. Names: the short names of kMessageTypes or the full
// names (coalition.v1.GapReport). Errors: InvalidArgument naming the allowed values.
#ifndef COALITION_TOOLS_MESSAGE_TYPES_H_
#define COALITION_TOOLS_MESSAGE_TYPES_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "tools/args.h"

namespace coalition::tools {

struct MessageType {
  const char* name;  // short name, as --type takes it
  const google::protobuf::Message* prototype;
};
// model, mix, whatif, validation, gaps, matrix, risk, whatif_report, spof, recommend, compare.
const std::vector<MessageType>& MessageTypes();

// A new empty message of the type `name` (short or full name).
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> NewMessage(absl::string_view name);

// The NAME of a "# proto-message: NAME" line among the leading comment lines of `text`;
// empty when there is none.
std::string ProtoMessageHeader(absl::string_view text);

// The message for args.positional[0] (see above); a path of "-" has no header to read.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> MessageToConvert(const Args& args);

// "# proto-file: coalition/v1/F.proto\n# proto-message: coalition.v1.NAME\n".
std::string TextHeader(const google::protobuf::Message& m);

}  // namespace coalition::tools

#endif  // COALITION_TOOLS_MESSAGE_TYPES_H_
