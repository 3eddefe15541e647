// `coalition report MODEL --mix MIX --out report.html` (SPEC §8): one self-contained HTML page
// of a mix — gaps, SV-3 heat map, network, risk.
#include "tools/mix_html.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/analysis/risk.h"
#include "engine/analysis/spof.h"
#include "engine/base/status_macros.h"
#include "engine/scenario/scenario.h"
#include "engine/scenario/supply_chain.h"
#include "tools/args.h"
#include "tools/commands.h"

namespace coalition::tools {

namespace v1 = ::coalition::v1;

namespace {

absl::Status RunReport(const Args& args, std::ostream& out, std::ostream& err) {
  if (args.format != "html" && args.format != "text") {  // "text": the flag's default
    return absl::InvalidArgumentError(
        absl::StrCat("report writes HTML only; unknown --format '", args.format, "'"));
  }
  ASSIGN_OR_RETURN(auto s, OpenSession(args, /*need_mix=*/true, err));
  RETURN_IF_ERROR(CheckPairBudget(*s->resolved, args.max_pairs, "report"));
  if (absl::Status m = CheckMatrixBudget(*s->resolved, args.max_pairs); !m.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("the page holds the SV-3 matrix: ", m.message()));
  }
  // Interoperability as `gaps` sees the mix (restrictions in force applied); risk as `risk` does.
  ASSIGN_OR_RETURN(const scenario::SupplyChain* supply, SupplyChainOf(*s));
  scenario::Scenario baseline(*s->graph, *s->resolved, supply);
  const analysis::PolicyLevels levels = analysis::ComputePolicyLevels(baseline);
  const v1::GapReport gaps = analysis::AnalyzeGaps(baseline, levels, {args.max_gaps});
  ASSIGN_OR_RETURN(scenario::SupplyChain chain, scenario::SupplyChain::Build(*s->graph));
  analysis::RiskOptions opt;
  opt.us_nation = args.us_nation;
  opt.max_findings = args.max_findings;
  const v1::RiskReport risk = analysis::AnalyzeRisk(*s->graph, *s->resolved, chain, opt);
  // As `spof` sees the mix (pairs not listed: the page shows counts per IER).
  const v1::SinglePointsReport spof = analysis::FindSinglePointsOfFailure(baseline, {/*max_pairs=*/0});
  return EmitOutput(args.out, MixHtml(*s, baseline, levels, gaps, &risk, err, &spof), out);
}

}  // namespace

std::vector<Command> ReportCommands() {
  return {
      {"report", "one self-contained HTML page of a mix: heat map, network, gaps, risk (SPEC §8)",
       "usage: coalition report MODEL [--mix MIX] [--out report.html] [--max_gaps N]\n"
       "                        [--max_findings N] [--us_nation USA] [--max_pairs N]\n"
       "\n"
       "Writes one HTML file (inline CSS and SVG, nothing fetched, readable with scripts off\n"
       "and printed, byte-identical for the same input): headline figures; the SV-3 matrix as\n"
       "a heat map (levels coloured, listed gaps outlined, elements grouped by nation); the\n"
       "interoperability network laid out by Graphviz's dot (gap pairs dashed red); gaps per\n"
       "IER and class; the gap list with explanation and fix, filterable by IER, class and\n"
       "nation; single points of failure (per IER: what it cannot lose); the risk picture\n"
       "(exposure by nation with time to ground, sourcing, adversary and ITAR exposure).\n"
       "Large mixes: above 60 elements a nation x nation heat map is added and the element\n"
       "heat map collapsed (left out above 400); above 80 elements the network is drawn per\n"
       "element class (platform, nation), and not at all above 600 nodes; the gap list holds\n"
       "the --max_gaps worst gaps (default 100, -1 all). A mix whose matrix exceeds --max_pairs\n"
       "cells (default 4,000,000: about 2,000 elements) is refused: narrow the mix.\n"
       "Needs Graphviz (tools/setup); without it the network is left out with a warning.\n"
       "Exit: 0 ok, 2 invalid input or a mix over the limits.\n",
       {"mix", "out", "format", "max_gaps", "max_findings", "us_nation", "max_pairs",
        "input_format"},
       1, 1, &RunReport},
  };
}

}  // namespace coalition::tools
