// The dependency-risk subcommands (SPEC §4–§5): risk, whatif, spof.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "coalition/v1/report.pb.h"
#include "engine/analysis/risk.h"
#include "engine/analysis/spof.h"
#include "engine/analysis/whatif.h"
#include "engine/base/status_macros.h"
#include "engine/model/load.h"
#include "engine/report/render.h"
#include "engine/report/render_risk.h"
#include "engine/scenario/scenario.h"
#include "engine/scenario/supply_chain.h"
#include "tools/args.h"
#include "tools/change_flags.h"
#include "tools/commands.h"
#include "tools/session.h"

namespace coalition::tools {
namespace {

namespace v1 = ::coalition::v1;

absl::Status RunRisk(const Args& args, std::ostream& out, std::ostream& err) {
  ASSIGN_OR_RETURN(report::ReportFormat f, report::ParseReportFormat(args.format));
  ASSIGN_OR_RETURN(auto s, OpenSession(args, /*need_mix=*/true, err));
  ASSIGN_OR_RETURN(analysis::SupplyChain chain, analysis::SupplyChain::Build(*s->graph));
  analysis::RiskOptions opt;
  opt.us_nation = args.us_nation;
  opt.max_findings = args.max_findings;
  v1::RiskReport r = analysis::AnalyzeRisk(*s->graph, *s->resolved, chain, opt);
  ASSIGN_OR_RETURN(std::string text, report::RenderRiskReport(r, f));
  return EmitOutput(args.out, text, out);
}

absl::Status RunWhatIf(const Args& args, std::ostream& out,
                       std::ostream& err) {
  ASSIGN_OR_RETURN(report::ReportFormat f, report::ParseReportFormat(args.format));
  ASSIGN_OR_RETURN(auto s, OpenSession(args, /*need_mix=*/true, err));
  ASSIGN_OR_RETURN(v1::WhatIf w, CollectChanges(args, *s->graph));
  ASSIGN_OR_RETURN(scenario::SupplyChain chain, scenario::SupplyChain::Build(*s->graph));
  analysis::WhatIfOptions opt;
  opt.max_gaps = args.max_gaps;
  ASSIGN_OR_RETURN(analysis::WhatIfResult r,
                   analysis::AnalyzeWhatIf(*s->graph, *s->resolved, chain, w, opt));
  ASSIGN_OR_RETURN(std::string text, report::RenderWhatIfReport(r.report, f));
  return EmitOutput(args.out, text, out);
}

absl::Status RunSpof(const Args& args, std::ostream& out, std::ostream& err) {
  ASSIGN_OR_RETURN(report::ReportFormat f, report::ParseReportFormat(args.format));
  ASSIGN_OR_RETURN(auto s, OpenSession(args, /*need_mix=*/true, err));
  // The baseline as the mix stands (every element present), as the gap report sees it.
  scenario::Scenario baseline(*s->graph, *s->resolved, /*chain=*/nullptr);
  analysis::SpofOptions opt;
  opt.max_pairs = args.pairs_per_point;
  v1::SinglePointsReport r = analysis::FindSinglePointsOfFailure(baseline, opt);
  ASSIGN_OR_RETURN(std::string text, report::RenderSinglePoints(r, f));
  return EmitOutput(args.out, text, out);
}

}  // namespace

std::vector<Command> RiskCommands() {
  return {
      {"risk", "dependency risk of a force mix: single sources, embargo exposure, adversary, ITAR",
       "usage: coalition risk MODEL [--mix MIX] [--format text|markdown|csv|json|textproto|binpb]\n"
       "                      [--max_findings N] [--us_nation USA] [--out FILE]\n"
       "\n"
       "Supply-chain risk of the mix (SPEC §4), per element and by quantity and cost:\n"
       "single-source critical components (one supplier, or all in one nation); for every\n"
       "nation, what its embargo would ground (ranked by share of units, then cost); adversary\n"
       "dependency (HIGH: some supplier in an ADVERSARY nation, CRITICAL: all); ITAR exposure\n"
       "(ITAR critical components where the operator is neither --us_nation nor in an\n"
       "itar_exempt group with it); sourcing shares. Each finding names its chain\n"
       "element -> platform -> component -> ... -> supplier -> nation.\n"
       "Exit: 0 ok, 2 invalid input.\n",
       {"mix", "format", "out", "max_findings", "us_nation", "input_format"}, 1, 1, &RunRisk},
      {"whatif", "apply changes (embargo, remove, release, fit, upgrade, add, share) and diff the gaps",
       "usage: coalition whatif MODEL [--mix MIX] [--embargo NATION] [--remove_supplier ID]\n"
       "         [--remove_element ID] [--remove_platform ID] [--release ITEM:NATION_OR_GROUP]\n"
       "         [--fit LINK:PLATFORM] [--add_element PLATFORM:NATION:QTY]\n"
       "         [--upgrade PLATFORM:FROM:TO] [--add_gateway PLATFORM:NATION] [--share NATION:NATION]\n"
       "         [--changes FILE] [--format text|markdown|csv|json|textproto|binpb] [--max_gaps N]\n"
       "         [--out FILE]\n"
       "\n"
       "Every change flag is repeatable (and takes comma lists). --changes reads a\n"
       "coalition.v1.WhatIf (textproto, binpb or json) of typed changes whose changes come first;\n"
       "then the flags' in the order above. The short A:B forms are split against the model's\n"
       "ids; where an id contains ':' and the split is ambiguous, use --changes. Embargoed or removed suppliers ground the elements whose\n"
       "platform is no longer sustainable; grounded and removed elements stay in the mix as\n"
       "absent: their pairs become UNAVAILABLE gaps and their gateways vanish for everyone.\n"
       "Reports the diff against the baseline: gaps opened, closed and changed (with classes),\n"
       "and every aggregate before -> after. Exit: 0 ok, 2 invalid input or unknown id.\n",
       {"mix", "embargo", "remove_supplier", "remove_element", "remove_platform", "release", "fit",
        "add_element", "upgrade", "add_gateway", "share", "changes", "format", "max_gaps", "out",
        "input_format"},
       1, 1, &RunWhatIf},
      {"spof", "single points of failure: elements whose loss alone opens gaps between others",
       "usage: coalition spof MODEL [--mix MIX] [--format text|markdown|csv|json|textproto|binpb]\n"
       "                      [--pairs_per_point N] [--out FILE]\n"
       "\n"
       "Lists the elements whose removal alone opens gaps between other elements, most gaps\n"
       "first (one per IER and ordered pair), with the pairs affected. Only a lone gateway\n"
       "element (the only one of its platform and nation) can do that, since elements never\n"
       "relay; each is checked by a cut test on the channel graph and re-evaluated only where\n"
       "it is a cut. Exit: 0 ok, 2 invalid input.\n",
       {"mix", "format", "out", "pairs_per_point", "input_format"}, 1, 1, &RunSpof},
  };
}

}  // namespace coalition::tools
