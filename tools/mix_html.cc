#include "tools/mix_html.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "engine/analysis/gaps.h"
#include "engine/report/graph_export.h"
#include "engine/report/graphviz.h"
#include "engine/report/render_html.h"

namespace coalition::tools {

namespace v1 = ::coalition::v1;

namespace {

// Above this many elements the network is drawn per element class (platform, nation); above
// kMaxNetworkNodes nodes it is not drawn (Graphviz would take long and the picture be a blot).
constexpr uint32_t kClassNetworkAbove = 80;
constexpr size_t kMaxNetworkNodes = 600;
constexpr double kGraphvizTimeoutS = 30;

}  // namespace

std::string MixHtml(const Session& s, const scenario::Scenario& baseline,
                    const analysis::PolicyLevels& levels, const v1::GapReport& gaps,
                    const v1::RiskReport* risk, std::ostream& err,
                    const v1::SinglePointsReport* spof) {
  const graph::TypedGraph& g = *s.graph;
  const graph::ResolvedMix& mix = *s.resolved;
  report::MixPage page;
  page.gaps = &gaps;
  page.risk = risk;
  page.spof = spof;
  const v1::InteropMatrix matrix = analysis::BuildMatrix(baseline, levels.strict);
  page.matrix = &matrix;
  for (uint32_t e = 0; e < mix.size(); ++e) {
    page.elements.push_back({mix.element_ids[e],
                             std::string(g.Id(graph::EntityKind::kPlatform, mix.platform[e])),
                             std::string(g.Id(graph::EntityKind::kNation, mix.nation[e]))});
  }
  const bool by_class = mix.size() > kClassNetworkAbove;
  const report::ExportGraph net = report::InteropGraph(baseline, levels.strict, &gaps, {by_class});
  if (by_class) {
    page.network_note = absl::StrCat("Drawn per element class (platform, operating nation): ",
                                     mix.size(), " elements.");
  }
  if (net.nodes.size() > kMaxNetworkNodes) {
    page.network_note = absl::StrCat("Not drawn: ", net.nodes.size(), " nodes (at most ",
                                     kMaxNetworkNodes,
                                     "); coalition export --graph interop writes the graph.");
  } else {
    absl::StatusOr<std::string> svg =
        report::RunGraphviz(report::ToDot(net), "svg", kGraphvizTimeoutS);
    if (svg.ok()) {
      page.network_svg = report::InlineSvg(*svg);
    } else {
      err << "report: the network picture is left out: " << svg.status().message() << "\n";
      page.network_note = absl::StrCat("Not drawn: ", svg.status().message());
    }
  }
  return report::RenderMixHtml(page);
}

}  // namespace coalition::tools
