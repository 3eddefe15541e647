// Rendering of report protos for people and tools.
//
//   ASSIGN_OR_RETURN(ReportFormat f, ParseReportFormat("markdown"));
//   ASSIGN_OR_RETURN(std::string out, RenderGapReport(report, f));
//
// Formats: text (terminal: summary first, then the worst gaps), markdown, csv (one row per
// listed gap; RFC 4180 quoting), json (the proto JSON mapping), textproto, binpb. The matrix
// renders as csv, text, json, textproto or binpb. Output is a pure function of the proto, so
// the same report renders byte-identically. Errors: InvalidArgument for an unknown format or
// a format the report kind does not support.
#ifndef COALITION_ENGINE_REPORT_RENDER_H_
#define COALITION_ENGINE_REPORT_RENDER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "coalition/v1/report.pb.h"
#include "engine/report/text_table.h"
#include "google/protobuf/message.h"

namespace coalition::report {

enum class ReportFormat { kText, kMarkdown, kCsv, kJson, kTextProto, kBinary };

absl::StatusOr<ReportFormat> ParseReportFormat(absl::string_view name);

absl::StatusOr<std::string> RenderGapReport(const coalition::v1::GapReport& report,
                                            ReportFormat format);

absl::StatusOr<std::string> RenderMatrix(const coalition::v1::InteropMatrix& matrix,
                                         ReportFormat format);

absl::StatusOr<std::string> RenderValidation(const coalition::v1::ValidationReport& report,
                                             ReportFormat format);

// The proto formats (json, textproto, binpb) of any report message; InvalidArgument for the
// other formats.
absl::StatusOr<std::string> SerializeReport(const google::protobuf::Message& message,
                                            ReportFormat format);

}  // namespace coalition::report

#endif  // COALITION_ENGINE_REPORT_RENDER_H_
