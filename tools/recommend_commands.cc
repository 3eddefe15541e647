// The recommendation subcommand (SPEC §6): recommend.
#include <iostream>
#include <string>

#include <unistd.h>
#include <vector>

#include "absl/strings/str_cat.h"
#include "coalition/v1/recommend.pb.h"
#include "engine/analysis/recommend.h"
#include "engine/base/status_macros.h"
#include "engine/report/render.h"
#include "engine/report/render_recommend.h"
#include "engine/scenario/scenario.h"
#include "tools/args.h"
#include "tools/commands.h"
#include "tools/mix_html.h"
#include "engine/report/render_html.h"
#include "tools/session.h"

namespace coalition::tools {
namespace {

namespace v1 = ::coalition::v1;

absl::Status RunRecommend(const Args& args, std::ostream& out, std::ostream& err) {
  const bool as_whatif = args.format == "whatif";
  ASSIGN_OR_RETURN(report::ReportFormat f,
                   report::ParseReportFormat(as_whatif ? "textproto" : FormatUnlessHtml(args.format)));
  if (args.max_steps < 1) {
    return absl::InvalidArgumentError(absl::StrCat("--max_steps must be >= 1, got ", args.max_steps));
  }
  if (args.time_limit < 0) {
    return absl::InvalidArgumentError("--time_limit must be >= 0");
  }
  ASSIGN_OR_RETURN(auto s, OpenSession(args, /*need_mix=*/true, err));
  RETURN_IF_ERROR(CheckPairBudget(*s->resolved, args.max_pairs, "recommend"));
  // As gaps sees the mix (the supply restrictions in force applied).
  ASSIGN_OR_RETURN(const scenario::SupplyChain* chain, SupplyChainOf(*s));
  scenario::Scenario baseline(*s->graph, *s->resolved, chain);
  analysis::RecommendOptions opt;
  opt.budget_musd = args.budget;
  opt.ier = args.ier;
  opt.max_steps = args.max_steps;
  opt.time_limit_s = args.time_limit;
  opt.max_listed = args.max_gaps;
  if (&err == &std::cerr && ::isatty(STDERR_FILENO)) {  // progress only on a terminal
    opt.progress = [&err](const std::string& what) { err << "recommend: " << what << "\n"; };
  }
  ASSIGN_OR_RETURN(v1::RecommendReport r, analysis::Recommend(baseline, opt));
  if (as_whatif) {
    ASSIGN_OR_RETURN(std::string text,
                     report::SerializeReport(report::WhatIfOfPlan(r.plan()), f));
    return EmitOutput(args.out, text, out);
  }
  if (IsHtml(args.format)) return EmitOutput(args.out, report::RenderRecommendHtml(r), out);
  ASSIGN_OR_RETURN(std::string text, report::RenderRecommendReport(r, f));
  return EmitOutput(args.out, text, out);
}

}  // namespace

std::vector<Command> RecommendCommands() {
  return {
      {"recommend", "what to do: the plan closing the most weighted gaps in a budget (SPEC §6)",
       "usage: coalition recommend MODEL [--mix MIX] [--budget M] [--ier NAME] [--max_steps N]\n"
       "                           [--time_limit S] [--max_gaps N]\n"
       "                           [--format text|markdown|csv|json|textproto|binpb|html|whatif]\n"
       "                           [--out FILE]\n"
       "\n"
       "Generates candidate changes from the mix's gaps (release packages to a nation or its\n"
       "groups, information-sharing arrangements, link fits, standard upgrades where the model\n"
       "prices them, gateway elements), measures each through the scenario overlay, and picks\n"
       "the plan that closes the most weighted gaps (each gap counts its IER's weight,\n"
       "default 1) within --budget (the mix's budget_musd unless given): exact by branch and\n"
       "bound when the search completes within the limits, else greedy by weighted gaps closed\n"
       "per M$ with a bound. A gap is a unit of its IER: an ordered pair, or for an EACH_TO /\n"
       "EACH_FROM IER an element left unserved. Lists each step's changes, cost, the gaps it\n"
       "closes (per IER and class, and up to --max_gaps of them; weighted too when some IER's\n"
       "weight is not 1), the best single candidate, and with --ier the cheapest plan that\n"
       "satisfies that IER (or why none can).\n"
       "--format whatif writes the plan as a coalition.v1.WhatIf for 'coalition whatif\n"
       "--changes FILE'. Exit: 0 ok, 2 invalid input or unknown IER.\n",
       {"mix", "budget", "ier", "max_steps", "time_limit", "max_gaps", "format", "out",
        "input_format", "max_pairs"},
       1, 1, &RunRecommend},
  };
}

}  // namespace coalition::tools
