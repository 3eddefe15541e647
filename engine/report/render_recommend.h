// Rendering of the recommendation report (SPEC §6): the plan within the budget, step by step,
// the best single candidate, and the cheapest plan for one IER.
//
//   ASSIGN_OR_RETURN(std::string out, RenderRecommendReport(report, ReportFormat::kText));
//
// Formats: text and markdown (summary first: method, budget, gaps closed, bound; then the
// steps with their changes, cost, gaps closed per IER and class and the listed gaps), csv (one
// row per step), json / textproto / binpb (the proto). A pure function of the proto.
// WhatIfOfPlan turns a plan into the coalition.v1.WhatIf that `coalition whatif --changes`
// reads: its changes, step order, each change once.
#ifndef COALITION_ENGINE_REPORT_RENDER_RECOMMEND_H_
#define COALITION_ENGINE_REPORT_RENDER_RECOMMEND_H_

#include <string>

#include "absl/status/statusor.h"
#include "coalition/v1/change.pb.h"
#include "coalition/v1/recommend.pb.h"
#include "engine/report/render.h"

namespace coalition::report {

absl::StatusOr<std::string> RenderRecommendReport(const coalition::v1::RecommendReport& report,
                                                  ReportFormat format);

coalition::v1::WhatIf WhatIfOfPlan(const coalition::v1::Plan& plan);

}  // namespace coalition::report

#endif  // COALITION_ENGINE_REPORT_RENDER_RECOMMEND_H_
