// Rendering of the dependency-risk reports (SPEC §4–§5): the risk report, the what-if diff and
// the single points of failure.
//
//   ASSIGN_OR_RETURN(ReportFormat f, ParseReportFormat("markdown"));     // render.h
//   ASSIGN_OR_RETURN(std::string out, RenderRiskReport(report, f));
//
// Formats: text (terminal: summary first, then tables and the listed findings / gaps / pairs),
// markdown, csv (risk: one row per listed finding; what-if: one row per listed gap of the diff;
// single points: one row per element), and json / textproto / binpb (the proto itself). Output
// is a pure function of the proto (byte-identical for the same report). Errors: InvalidArgument
// for a format the report kind does not support (none today).
#ifndef COALITION_ENGINE_REPORT_RENDER_RISK_H_
#define COALITION_ENGINE_REPORT_RENDER_RISK_H_

#include <string>

#include "absl/status/statusor.h"
#include "coalition/v1/report.pb.h"
#include "engine/report/render.h"

namespace coalition::report {

absl::StatusOr<std::string> RenderRiskReport(const coalition::v1::RiskReport& report,
                                             ReportFormat format);

absl::StatusOr<std::string> RenderWhatIfReport(const coalition::v1::WhatIfReport& report,
                                               ReportFormat format);

absl::StatusOr<std::string> RenderSinglePoints(const coalition::v1::SinglePointsReport& report,
                                               ReportFormat format);

}  // namespace coalition::report

#endif  // COALITION_ENGINE_REPORT_RENDER_RISK_H_
