#include "engine/report/render_recommend.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/report/explain.h"
#include "engine/report/escape.h"
#include "engine/report/text_table.h"

namespace coalition::report {
namespace {

namespace v1 = ::coalition::v1;
using Rows = std::vector<std::vector<std::string>>;

std::string Musd(double v) { return absl::StrFormat("%.1f", v); }

std::string CandidateText(const v1::Candidate& c) {
  std::vector<std::string> parts;
  for (const v1::Change& ch : c.changes()) parts.push_back(ChangeText(ch));
  return absl::StrJoin(parts, " + ");
}

// " (weighted W)" when the report is weighted (some IER's weight is not 1: recommend.proto sets
// the weighted_* fields only then), else nothing.
std::string WeightedText(bool weighted, double w) {
  return weighted ? absl::StrCat(" (weighted ", w, ")") : "";
}

bool IsWeighted(const v1::RecommendReport& r) { return r.weighted_gaps_before() != 0; }

std::string MethodText(const v1::Plan& p, bool weighted) {
  if (p.method() == v1::Plan::EXACT) {
    return absl::StrCat("exact (branch and bound completed, ", p.nodes(), " nodes)");
  }
  return absl::StrCat(
      "greedy by ", weighted ? "weighted " : "", "gaps closed per M$ (exact search stopped: ",
      p.stopped_by(), "); bound: at most ",
      weighted ? absl::StrCat(p.weighted_bound(), " weighted") : absl::StrCat(p.bound()),
      " gaps closable");
}

std::string ByIerText(const v1::PlanStep& s) {
  std::vector<std::string> parts;
  for (const v1::GapCounts& c : s.closed_by_ier()) {
    std::vector<std::string> cls;
    if (c.policy() > 0) cls.push_back(absl::StrCat(c.policy(), " policy"));
    if (c.technical() > 0) cls.push_back(absl::StrCat(c.technical(), " technical"));
    if (c.unavailable() > 0) cls.push_back(absl::StrCat(c.unavailable(), " unavailable"));
    parts.push_back(absl::StrCat(c.key(), ": ", absl::StrJoin(cls, ", ")));
  }
  return absl::StrJoin(parts, "; ");
}

void PlanText(const v1::Plan& p, const std::string& title, bool weighted, std::string* o) {
  absl::StrAppend(o, title, ": ", p.steps_size(), " step(s), ", Musd(p.cost_musd()), " M$",
                  p.budget_musd() >= 0 ? absl::StrCat(" of ", Musd(p.budget_musd()), " M$") : "",
                  ", closes ", p.gaps_closed(), " gap(s)",
                  WeightedText(weighted, p.weighted_gaps_closed()),
                  p.gaps_opened() > 0 ? absl::StrCat(", opens ", p.gaps_opened()) : "",
                  p.gaps_opened() > 0 ? WeightedText(weighted, p.weighted_gaps_opened()) : "",
                  "\n  Method: ", MethodText(p, weighted), "\n");
  int i = 0;
  for (const v1::PlanStep& s : p.steps()) {
    absl::StrAppend(o, absl::StrFormat("%4d. ", ++i), CandidateText(s.candidate()), "  (",
                    Musd(s.candidate().cost_musd()), " M$; cumulative ",
                    Musd(s.cumulative_cost_musd()), " M$)\n");
    absl::StrAppend(o, "        closes ", s.gaps_closed(),
                    weighted ? absl::StrCat(", weighted ", s.weighted_gaps_closed()) : "", " (",
                    ByIerText(s), "); ",
                    s.gaps_opened() > 0 ? absl::StrCat("opens ", s.gaps_opened(), "; ") : "",
                    s.gaps_left(), " left", WeightedText(weighted, s.weighted_gaps_left()), "\n");
    for (const v1::IerPair& x : s.closed()) absl::StrAppend(o, "          ", IerPairText(x), "\n");
    if (s.closed_omitted() > 0) {
      absl::StrAppend(o, "          ... ", s.closed_omitted(), " more (raise --max_gaps)\n");
    }
  }
}

std::string RecommendText(const v1::RecommendReport& r) {
  std::string o;
  absl::StrAppend(&o, "Recommendations: mix \"", r.mix_name(), "\" on model \"", r.model_name(),
                  "\"\n");
  const bool weighted = IsWeighted(r);
  absl::StrAppend(&o, "  Gaps now: ", r.gaps_before(),
                  WeightedText(weighted, r.weighted_gaps_before()),
                  "; candidates: ", r.candidates_generated(),
                  " generated, ", r.candidates_useful(),
                  " close something alone within the budget\n");
  if (r.has_best_single()) {
    absl::StrAppend(&o, "  Best single candidate: ", CandidateText(r.best_single()), " (",
                    Musd(r.best_single().cost_musd()), " M$) closes ",
                    r.best_single().gaps_closed_alone(), " gap(s)",
                    WeightedText(weighted, r.best_single().weighted_gaps_closed_alone()), "\n");
  } else {
    absl::StrAppend(&o, "  No single candidate closes a gap.\n");
  }
  absl::StrAppend(&o, "\n");
  PlanText(r.plan(), "Plan within the budget", weighted, &o);
  if (!r.ier().empty()) {
    absl::StrAppend(&o, "\n");
    if (r.ier_gaps_unclosable() > 0) {
      absl::StrAppend(&o, "IER \"", r.ier(), "\": ",
                      r.ier_unclosable_proven() ? "no set of candidates satisfies it; "
                                                : "no satisfying plan found within the limits; ",
                      r.ier_gaps_unclosable(), " of its gaps remain\n");
    } else {
      PlanText(r.ier_plan(), absl::StrCat("Cheapest plan satisfying IER \"", r.ier(), "\""),
               weighted, &o);
    }
  }
  return o;
}

std::string RecommendMarkdown(const v1::RecommendReport& r) {
  std::string o;
  absl::StrAppend(&o, "# Recommendations: ", MarkdownSafe(r.mix_name()), "\n\nModel: ",
                  MarkdownSafe(r.model_name()), "\n\n");
  const bool weighted = IsWeighted(r);
  Rows summary = {{"measure", "value"},
                  {"gaps now", absl::StrCat(r.gaps_before())},
                  {"candidates generated", absl::StrCat(r.candidates_generated())},
                  {"candidates searched", absl::StrCat(r.candidates_useful())},
                  {"budget (M$)", Musd(r.plan().budget_musd())},
                  {"plan cost (M$)", Musd(r.plan().cost_musd())},
                  {"gaps closed", absl::StrCat(r.plan().gaps_closed())},
                  {"method", MethodText(r.plan(), weighted)}};
  if (weighted) {
    summary.insert(summary.begin() + 2,
                   {"weighted gaps now", absl::StrCat(r.weighted_gaps_before())});
    summary.insert(summary.end() - 1,
                   {"weighted gaps closed", absl::StrCat(r.plan().weighted_gaps_closed())});
  }
  absl::StrAppend(&o, MarkdownTable(summary));
  if (r.has_best_single()) {
    absl::StrAppend(&o, "\nBest single candidate: ", CandidateText(r.best_single()), " (",
                    Musd(r.best_single().cost_musd()), " M$), closes ",
                    r.best_single().gaps_closed_alone(), " gap(s)",
                    WeightedText(weighted, r.best_single().weighted_gaps_closed_alone()), ".\n");
  }
  auto steps = [&](const v1::Plan& p) {
    Rows rows = {{"#", "change", "cost (M$)", "cumulative (M$)", "closes", "by IER", "opens", "left"}};
    int i = 0;
    for (const v1::PlanStep& s : p.steps()) {
      rows.push_back({absl::StrCat(++i), CandidateText(s.candidate()),
                      Musd(s.candidate().cost_musd()), Musd(s.cumulative_cost_musd()),
                      absl::StrCat(s.gaps_closed(),
                                   WeightedText(weighted, s.weighted_gaps_closed())),
                      ByIerText(s), absl::StrCat(s.gaps_opened()),
                      absl::StrCat(s.gaps_left())});
    }
    return MarkdownTable(rows);
  };
  absl::StrAppend(&o, "\n## Plan within the budget\n\n");
  if (r.plan().steps_size() == 0) {
    absl::StrAppend(&o, "No candidate within the budget closes a gap.\n");
  } else {
    absl::StrAppend(&o, steps(r.plan()));
  }
  if (!r.ier().empty()) {
    absl::StrAppend(&o, "\n## Cheapest plan satisfying \"", MarkdownSafe(r.ier()), "\"\n\n");
    if (r.ier_gaps_unclosable() > 0) {
      absl::StrAppend(&o,
                      r.ier_unclosable_proven() ? "No set of candidates satisfies it: "
                                                : "No satisfying plan found within the limits: ",
                      r.ier_gaps_unclosable(), " of its gaps remain.\n");
    } else if (r.ier_plan().steps_size() == 0) {
      absl::StrAppend(&o, "It is already satisfied.\n");
    } else {
      absl::StrAppend(&o, "Method: ", MethodText(r.ier_plan(), weighted), "\n\n",
                      steps(r.ier_plan()));
    }
  }
  return o;
}

std::string RecommendCsv(const v1::RecommendReport& r) {
  std::string o = "plan,step,change,cost_musd,cumulative_musd,gaps_closed,gaps_opened,gaps_left\n";
  auto add = [&](const char* which, const v1::Plan& p) {
    int i = 0;
    for (const v1::PlanStep& s : p.steps()) {
      absl::StrAppend(&o, CsvRow({which, absl::StrCat(++i), CandidateText(s.candidate()),
                                  absl::StrCat(s.candidate().cost_musd()),
                                  absl::StrCat(s.cumulative_cost_musd()),
                                  absl::StrCat(s.gaps_closed()), absl::StrCat(s.gaps_opened()),
                                  absl::StrCat(s.gaps_left())}));
    }
  };
  add("budget", r.plan());
  if (!r.ier().empty()) add("ier", r.ier_plan());
  return o;
}

}  // namespace

v1::WhatIf WhatIfOfPlan(const v1::Plan& plan) {
  v1::WhatIf w;
  std::vector<std::string> seen;  // a change two steps share is listed once
  for (const v1::PlanStep& s : plan.steps()) {
    for (const v1::Change& c : s.candidate().changes()) {
      std::string key = c.SerializeAsString();
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
      seen.push_back(std::move(key));
      *w.add_changes() = c;
    }
  }
  return w;
}

absl::StatusOr<std::string> RenderRecommendReport(const v1::RecommendReport& r, ReportFormat f) {
  switch (f) {
    case ReportFormat::kText:
      return RecommendText(TextSafeCopy(r));
    case ReportFormat::kMarkdown:
      return RecommendMarkdown(TextSafeCopy(r));
    case ReportFormat::kCsv:
      return RecommendCsv(r);
    default:
      return SerializeReport(r, f);
  }
}

}  // namespace coalition::report
