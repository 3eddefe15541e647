// Rendering of the comparison of several mixes (SPEC §6 "Compare"): one column per mix, one row
// per measure, the Pareto front marked.
//
//   ASSIGN_OR_RETURN(ReportFormat f, ParseReportFormat("markdown"));     // render.h
//   ASSIGN_OR_RETURN(std::string out, RenderCompareReport(report, f));
//
// Formats:
//   text      a side-by-side table: a column per mix in report order, headed by the mix name
//             with " *" when it is on the Pareto front, rows grouped as force / interoperability
//             / single points of failure / risk, then the legend of the mark. When the table
//             would be wider than 120 columns (long names, many mixes) the columns are headed
//             [1], [2], ... and a key above the table names them.
//   markdown  the same table (always headed by the names), then the legend.
//   csv       one row per mix (report order), one column per measure; shares as fractions 0..1.
//   json, textproto, binpb: the proto itself (SerializeReport).
// Output is a pure function of the proto (byte-identical for the same report). Readable for the
// 2-6 mixes a planner compares; more only widen the table. Errors: none beyond ParseReportFormat
// (every format is supported).
#ifndef COALITION_ENGINE_REPORT_RENDER_COMPARE_H_
#define COALITION_ENGINE_REPORT_RENDER_COMPARE_H_

#include <string>

#include "absl/status/statusor.h"
#include "coalition/v1/compare.pb.h"
#include "engine/report/render.h"

namespace coalition::report {

absl::StatusOr<std::string> RenderCompareReport(const coalition::v1::CompareReport& report,
                                                ReportFormat format);

}  // namespace coalition::report

#endif  // COALITION_ENGINE_REPORT_RENDER_COMPARE_H_
