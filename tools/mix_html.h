// The HTML page of a mix (SPEC §8) for `coalition report` (report_commands.cc) and `coalition
// gaps --format=html`, and the small helpers the other commands use for their `--format=html`
// (engine/report/render_html.h renders; this file gathers the inputs and runs Graphviz).
#ifndef COALITION_TOOLS_MIX_HTML_H_
#define COALITION_TOOLS_MIX_HTML_H_

#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "coalition/v1/report.pb.h"
#include "engine/analysis/interop.h"
#include "engine/scenario/scenario.h"
#include "tools/session.h"

namespace coalition::tools {

// True for --format=html. The commands that offer it parse FormatUnlessHtml(args.format) (so
// their format check passes) and render the page themselves.
inline bool IsHtml(const std::string& format) { return format == "html"; }
inline std::string FormatUnlessHtml(const std::string& format) {
  return IsHtml(format) ? "text" : format;
}

// The page of the mix of `s` as `baseline` (every element present) shows it: headline, heat map
// (needs the matrix: the caller checks CheckMatrixBudget), the network laid out by Graphviz
// (per element class above 80 elements; left out with a note above 600 nodes, or when `dot`
// is missing or fails — then a warning goes to `err`), gaps per IER and class, the gap list of
// `gaps`, the single points of failure when `spof` is not null and the risk picture when `risk`
// is not null.
std::string MixHtml(const Session& s, const scenario::Scenario& baseline,
                    const analysis::PolicyLevels& levels, const coalition::v1::GapReport& gaps,
                    const coalition::v1::RiskReport* risk, std::ostream& err,
                    const coalition::v1::SinglePointsReport* spof = nullptr);

}  // namespace coalition::tools

#endif  // COALITION_TOOLS_MIX_HTML_H_
