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
#include "tools/mix_html.h"
#include "engine/report/render_html.h"
#include "tools/session.h"

namespace coalition::tools {
namespace {

namespace v1 = ::coalition::v1;

absl::Status RunRisk(const Args& args, std::ostream& out, std::ostream& err) {
  ASSIGN_OR_RETURN(report::ReportFormat f, report::ParseReportFormat(FormatUnlessHtml(args.format)));
  ASSIGN_OR_RETURN(auto s, OpenSession(args, /*need_mix=*/true, err));
  ASSIGN_OR_RETURN(analysis::SupplyChain chain, analysis::SupplyChain::Build(*s->graph));
  analysis::RiskOptions opt;
  opt.us_nation = args.us_nation;
  opt.max_findings = args.max_findings;
  if (!(args.horizon_months >= 0) || args.horizon_months > 1e6) {
    return absl::InvalidArgumentError("--horizon_months must be a number of months >= 0");
  }
  opt.horizon_months = args.horizon_months;
  v1::RiskReport r = analysis::AnalyzeRisk(*s->graph, *s->resolved, chain, opt);
  if (IsHtml(args.format)) return EmitOutput(args.out, report::RenderRiskHtml(r), out);
  ASSIGN_OR_RETURN(std::string text, report::RenderRiskReport(r, f));
  return EmitOutput(args.out, text, out);
}

absl::Status RunWhatIf(const Args& args, std::ostream& out,
                       std::ostream& err) {
  ASSIGN_OR_RETURN(report::ReportFormat f, report::ParseReportFormat(FormatUnlessHtml(args.format)));
  ASSIGN_OR_RETURN(auto s, OpenSession(args, /*need_mix=*/true, err));
  ASSIGN_OR_RETURN(v1::WhatIf w, CollectChanges(args, *s->graph));
  int64_t added = 0;  // elements the changes add: they join the IERs' pairs too
  for (const v1::Change& c : w.changes()) {
    added += c.has_add_element() || c.has_add_gateway_element() ? 1 : 0;
  }
  RETURN_IF_ERROR(CheckPairBudget(*s->resolved, args.max_pairs, "whatif", added));
  ASSIGN_OR_RETURN(scenario::SupplyChain chain, scenario::SupplyChain::Build(*s->graph));
  analysis::WhatIfOptions opt;
  opt.max_gaps = args.max_gaps;
  ASSIGN_OR_RETURN(analysis::WhatIfResult r,
                   analysis::AnalyzeWhatIf(*s->graph, *s->resolved, chain, w, opt));
  if (IsHtml(args.format)) return EmitOutput(args.out, report::RenderWhatIfHtml(r.report), out);
  ASSIGN_OR_RETURN(std::string text, report::RenderWhatIfReport(r.report, f));
  return EmitOutput(args.out, text, out);
}

absl::Status RunSpof(const Args& args, std::ostream& out, std::ostream& err) {
  ASSIGN_OR_RETURN(report::ReportFormat f, report::ParseReportFormat(args.format));
  ASSIGN_OR_RETURN(auto s, OpenSession(args, /*need_mix=*/true, err));
  RETURN_IF_ERROR(CheckPairBudget(*s->resolved, args.max_pairs, "spof"));
  // The baseline as the mix stands (restrictions in force applied), as the gap report sees it.
  ASSIGN_OR_RETURN(const scenario::SupplyChain* chain, SupplyChainOf(*s));
  scenario::Scenario baseline(*s->graph, *s->resolved, chain);
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
       "usage: coalition risk MODEL [--mix MIX] [--format text|markdown|csv|json|textproto|binpb|html]\n"
       "                      [--max_findings N] [--us_nation USA] [--horizon_months M]\n"
       "                      [--out FILE]\n"
       "\n"
       "Supply-chain risk of the mix (SPEC §4), per element and by quantity and cost. The\n"
       "model's supply restrictions in force apply first: availability is per operating nation,\n"
       "and elements they leave unsustainable are named with the restriction that grounds them.\n"
       "Single-source critical components (one supplier, or all in one nation); for every\n"
       "nation, what its embargo would ground among *other* nations' elements (a nation does\n"
       "not embargo itself), each with its time to ground (the smallest stock_months of the\n"
       "critical components it loses; 0 = at once), ranked by the share of units grounded\n"
       "within --horizon_months (default 0: at once), then cost; adversary\n"
       "dependency (HIGH: some supplier in an ADVERSARY nation, CRITICAL: all); ITAR exposure\n"
       "(ITAR critical components where the operator is neither --us_nation nor in an\n"
       "itar_exempt group with it); sourcing shares. Each finding names its chain\n"
       "element -> platform -> component -> ... -> supplier -> nation.\n"
       "Exit: 0 ok, 2 invalid input.\n",
       {"mix", "format", "out", "max_findings", "us_nation", "horizon_months", "input_format"}, 1,
       1, &RunRisk},
      {"whatif", "apply changes (embargo, remove, release, fit, upgrade, add, share) and diff the gaps",
       "usage: coalition whatif MODEL [--mix MIX] [--embargo NATION] [--remove_supplier ID]\n"
       "         [--remove_element ID] [--remove_platform ID] [--release ITEM:NATION_OR_GROUP]\n"
       "         [--fit LINK:PLATFORM] [--add_element PLATFORM:NATION:QTY]\n"
       "         [--upgrade PLATFORM:FROM:TO] [--add_gateway PLATFORM:NATION] [--share NATION:NATION]\n"
       "         [--lift RESTRICTION] [--changes FILE] [--format text|markdown|csv|json|textproto|binpb|html] [--max_gaps N]\n"
       "         [--out FILE]\n"
       "\n"
       "Every change flag is repeatable (and takes comma lists). --changes reads a\n"
       "coalition.v1.WhatIf (textproto, binpb or json) of typed changes whose changes come first;\n"
       "then the flags' in the order above. The short A:B forms are split against the model's\n"
       "ids; where an id contains ':' and the split is ambiguous, use --changes. --lift lifts a\n"
       "supply restriction in force (Model.restrictions) by id. An embargo by NATION cuts its\n"
       "suppliers for every other nation. Embargoed or removed suppliers ground the elements whose\n"
       "platform is no longer sustainable; grounded and removed elements stay in the mix as\n"
       "absent: their pairs become UNAVAILABLE gaps and their gateways vanish for everyone.\n"
       "Reports the diff against the baseline: gaps opened, closed and changed (with classes),\n"
       "and every aggregate before -> after. Exit: 0 ok, 2 invalid input or unknown id.\n",
       {"mix", "embargo", "remove_supplier", "remove_element", "remove_platform", "release", "fit",
        "add_element", "upgrade", "add_gateway", "share", "lift", "changes", "format", "max_gaps",
        "out",
        "input_format", "max_pairs"},
       1, 1, &RunWhatIf},
      {"spof", "single points of failure: elements whose loss alone opens gaps between others",
       "usage: coalition spof MODEL [--mix MIX] [--format text|markdown|csv|json|textproto|binpb]\n"
       "                      [--pairs_per_point N] [--out FILE]\n"
       "\n"
       "Lists the elements whose removal alone opens gaps between other elements, most gaps\n"
       "first (one per IER and ordered pair, or per unserved element of a coverage IER), with\n"
       "the gaps per IER and the units affected, then per IER the elements it cannot lose.\n"
       "Since elements never relay, only a lone gateway element (the only one of its platform\n"
       "and nation) or a sole provider of a coverage IER (its class has at most two present\n"
       "counterparts) can do that; gateways are checked by a cut test on the channel graph.\n"
       "Exit: 0 ok, 2 invalid input.\n",
       {"mix", "format", "out", "pairs_per_point", "input_format", "max_pairs"}, 1, 1, &RunSpof},
  };
}

}  // namespace coalition::tools
