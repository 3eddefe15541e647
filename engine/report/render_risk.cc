#include "engine/report/render_risk.h"

#include "engine/report/explain.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "engine/model/load.h"
#include "engine/report/explain.h"
#include "engine/report/escape.h"
#include "engine/report/text_table.h"

namespace coalition::report {
namespace {

namespace v1 = ::coalition::v1;

std::string Pct(double share) { return absl::StrFormat("%.1f%%", 100.0 * share); }
std::string Musd(double v) { return absl::StrFormat("%.1f", v); }
std::string Num(double v) {
  return v == static_cast<double>(static_cast<int64_t>(v)) ? absl::StrCat(static_cast<int64_t>(v))
                                                           : absl::StrFormat("%.2f", v);
}

// ---- risk ----------------------------------------------------------------------------------

std::string KindLine(const v1::FindingCounts& c) {
  // Elements are counted under their worst adversary severity, so HIGH findings in an element
  // that also has a CRITICAL one count under CRITICAL; say so rather than print "in 0".
  const bool high = c.kind() == "ADVERSARY_HIGH";
  return absl::StrCat(c.findings(), " finding(s); ", c.elements(), " element(s)",
                      high ? " whose worst is HIGH" : "", ": ", c.units(), " units (",
                      Pct(c.unit_share()), "), ", Musd(c.cost_musd()), " M$ (",
                      Pct(c.cost_share()), ")");
}

// "E3 (6 months)", "E1 (at once)": the grounded elements with their time to ground.
std::string GroundedText(const v1::NationExposure& x) {
  std::vector<std::string> out;
  for (const v1::GroundedElement& g : x.grounded()) {
    out.push_back(absl::StrCat(g.element(), " (", MonthsText(g.months()), ")"));
  }
  if (out.empty()) return absl::StrJoin(x.grounded_elements(), " ");  // older reports
  return absl::StrJoin(out, " ");
}

std::string HorizonText(const v1::RiskReport& r) {
  return r.horizon_months() > 0 ? absl::StrCat("within ", MonthsText(r.horizon_months()))
                                : "at once";
}

Rows ExposureRows(const v1::RiskReport& r) {
  Rows rows = {{"nation", "elements", "units", "unit share", absl::StrCat("units ", HorizonText(r)),
                "share " + HorizonText(r), "cost M$", "cost share",
                "grounded (time to ground)"}};
  for (const v1::NationExposure& x : r.exposures()) {
    rows.push_back({x.nation(), absl::StrCat(x.grounded_elements_size()),
                    absl::StrCat(x.grounded_units()), Pct(x.unit_share()),
                    absl::StrCat(x.units_within_horizon()), Pct(x.unit_share_within_horizon()),
                    Musd(x.grounded_cost_musd()), Pct(x.cost_share()), GroundedText(x)});
  }
  return rows;
}

Rows ElementRows(const v1::RiskReport& r) {
  Rows rows = {{"element", "platform", "nation", "qty", "cost M$", "sustainable", "critical",
                "single-source", "adversary", "ITAR", "grounded by"}};
  for (const v1::ElementRisk& e : r.elements()) {
    rows.push_back({e.element(), e.platform(), e.nation(), absl::StrCat(e.quantity()),
                    Musd(e.cost_musd()), e.sustainable() ? "yes" : "NO",
                    absl::StrCat(e.critical_components()), absl::StrCat(e.single_source()),
                    e.adversary() == v1::ADVERSARY_DEPENDENCY_UNSPECIFIED
                        ? "-"
                        : v1::AdversaryDependency_Name(e.adversary()),
                    absl::StrCat(e.itar_exposed()),
                    e.grounded_by().empty() ? "-" : absl::StrJoin(e.grounded_by(), " ")});
  }
  return rows;
}

// "E4 (R-RU, R-CN)": the elements unsustainable at baseline, with the restrictions in force
// that ground them where those are the reason.
std::string UnsustainableText(const v1::RiskReport& r) {
  if (r.unsustainable_elements().empty()) return "none";
  std::vector<std::string> out;
  for (const v1::ElementRisk& e : r.elements()) {
    if (e.sustainable()) continue;
    out.push_back(e.restricted_by().empty()
                      ? e.element()
                      : absl::StrCat(e.element(), " (restriction in force: ",
                                     absl::StrJoin(e.restricted_by(), ", "), ")"));
  }
  return absl::StrJoin(out, ", ");
}

Rows SourcingRows(const v1::RiskReport& r) {
  Rows rows = {{"sourcing", "units", "unit share", "cost M$", "cost share"}};
  for (const v1::SourcingShare& s : r.sourcing()) {
    rows.push_back({v1::Sourcing_Name(s.sourcing()), absl::StrCat(s.units()), Pct(s.unit_share()),
                    Musd(s.cost_musd()), Pct(s.cost_share())});
  }
  return rows;
}

std::string FindingHead(const v1::RiskFinding& f) {
  std::string kind = v1::RiskFinding::Kind_Name(f.kind());
  if (f.kind() == v1::RiskFinding::ADVERSARY_DEPENDENCY) {
    absl::StrAppend(&kind, " ", v1::AdversaryDependency_Name(f.severity()));
  }
  return kind;
}

std::string RiskText(const v1::RiskReport& r) {
  std::string o;
  absl::StrAppend(&o, "Risk report: mix \"", r.mix_name(), "\" on model \"", r.model_name(),
                  "\"\n");
  absl::StrAppend(&o, "  ", r.elements_count(), " elements, ", r.units(), " units, ",
                  Musd(r.cost_musd()), " M$\n");
  absl::StrAppend(&o, "  Unsustainable even before any embargo: ", UnsustainableText(r), "\n");
  if (r.restrictions_in_force() > 0) {
    absl::StrAppend(&o, "  Supply restrictions in force applied first: ", r.restrictions_in_force(),
                    "\n");
  }
  const char* labels[] = {"Single-source critical components", "Adversary dependency HIGH",
                          "Adversary dependency CRITICAL", "ITAR exposure"};
  for (int k = 0; k < r.by_kind_size() && k < 4; ++k) {
    absl::StrAppend(&o, "  ", labels[k], ": ", KindLine(r.by_kind(k)), "\n");
  }
  if (r.exposures_size() > 0) {
    const v1::NationExposure& top = r.exposures(0);
    absl::StrAppend(&o, "  Largest embargo exposure (", HorizonText(r), "): ", top.nation(),
                    " would ground ", top.units_within_horizon(), " units (",
                    Pct(top.unit_share_within_horizon()), ") ", HorizonText(r), ", ",
                    top.grounded_units(), " units (", Pct(top.unit_share()), "), ",
                    Musd(top.grounded_cost_musd()), " M$ (", Pct(top.cost_share()),
                    ") in all\n");
  }
  std::vector<std::string> src;
  for (const v1::SourcingShare& s : r.sourcing()) {
    src.push_back(absl::StrCat(v1::Sourcing_Name(s.sourcing()), " ", Pct(s.unit_share()), " of units / ",
                               Pct(s.cost_share()), " of cost"));
  }
  absl::StrAppend(&o, "  Sourcing: ", absl::StrJoin(src, "; "), "\n");
  if (const std::string note = NoComponentsNote(r); !note.empty()) {
    absl::StrAppend(&o, "  ", note, "\n");
  }
  absl::StrAppend(&o, "\n");
  absl::StrAppend(&o, "Embargo exposure: nations whose embargo alone grounds part of another "
                  "nation's force (", r.exposures_size(), " of ", r.nations_evaluated(),
                  " nations), ranked by the share grounded ", HorizonText(r), "\n");
  if (r.exposures_size() > 0) {
    absl::StrAppend(&o, TextTable(ExposureRows(r), "  ", /*last_left=*/true));
  } else {
    absl::StrAppend(&o, "  none\n");
  }
  absl::StrAppend(&o, "\nSourcing\n", TextTable(SourcingRows(r), "  "));
  absl::StrAppend(&o, "\nElements\n", TextTable(ElementRows(r), "  ", /*last_left=*/true));
  absl::StrAppend(&o, "\nFindings (", r.findings_size(), " listed");
  if (r.findings_omitted() > 0) {
    absl::StrAppend(&o, ", ", r.findings_omitted(), " more not listed: raise --max_findings");
  }
  absl::StrAppend(&o, ")\n");
  int i = 0;
  for (const v1::RiskFinding& f : r.findings()) {
    absl::StrAppend(&o, absl::StrFormat("%4d. [%s] %s: %s\n", ++i, FindingHead(f), f.element(),
                                        absl::StrJoin(f.chain().ids(), " -> ")));
    absl::StrAppend(&o, "        ", RiskFindingText(f, r.us_nation()), "\n");
  }
  return o;
}

std::string RiskMarkdown(const v1::RiskReport& r) {
  std::string o;
  absl::StrAppend(&o, "# Risk report: ", MarkdownSafe(r.mix_name()), "\n\nModel: ",
                  MarkdownSafe(r.model_name()), "\n\n");
  Rows summary = {{"measure", "value"},
                  {"elements", absl::StrCat(r.elements_count())},
                  {"units", absl::StrCat(r.units())},
                  {"cost (M$)", Musd(r.cost_musd())},
                  {"unsustainable before any embargo",
                   r.unsustainable_elements().empty()
                       ? "none"
                       : absl::StrJoin(r.unsustainable_elements(), ", ")}};
  absl::StrAppend(&o, MarkdownTable(summary));
  if (const std::string note = NoComponentsNote(r); !note.empty()) {
    absl::StrAppend(&o, "\n", MarkdownSafe(note), "\n");
  }
  Rows kinds = {{"finding", "findings", "elements", "units", "unit share", "cost M$", "cost share"}};
  for (const v1::FindingCounts& c : r.by_kind()) {
    kinds.push_back({c.kind(), absl::StrCat(c.findings()), absl::StrCat(c.elements()),
                     absl::StrCat(c.units()), Pct(c.unit_share()), Musd(c.cost_musd()),
                     Pct(c.cost_share())});
  }
  absl::StrAppend(&o, "\n## Findings by kind\n\n", MarkdownTable(kinds));
  absl::StrAppend(&o, "\n## Embargo exposure\n\n");
  if (r.exposures_size() > 0) {
    absl::StrAppend(&o, MarkdownTable(ExposureRows(r)));
  } else {
    absl::StrAppend(&o, "No single nation's embargo grounds any element.\n");
  }
  absl::StrAppend(&o, "\n## Sourcing\n\n", MarkdownTable(SourcingRows(r)));
  absl::StrAppend(&o, "\n## Elements\n\n", MarkdownTable(ElementRows(r)));
  absl::StrAppend(&o, "\n## Findings\n\n");
  if (r.findings_size() == 0) absl::StrAppend(&o, "None.\n");
  int i = 0;
  for (const v1::RiskFinding& f : r.findings()) {
    absl::StrAppend(&o, ++i, ". **", FindingHead(f), "** ", f.element(), ": `",
                    absl::StrJoin(f.chain().ids(), " -> "), "` — ", RiskFindingText(f, r.us_nation()), "\n");
  }
  if (r.findings_omitted() > 0) {
    absl::StrAppend(&o, "\n", r.findings_omitted(), " more findings not listed.\n");
  }
  return o;
}

std::string RiskCsv(const v1::RiskReport& r) {
  std::string o = "kind,severity,element,component,chain,suppliers,nations,explanation\n";
  for (const v1::RiskFinding& f : r.findings()) {
    absl::StrAppend(
        &o, CsvRow({v1::RiskFinding::Kind_Name(f.kind()),
                    f.severity() == v1::ADVERSARY_DEPENDENCY_UNSPECIFIED
                        ? ""
                        : v1::AdversaryDependency_Name(f.severity()),
                    f.element(), f.component(), absl::StrJoin(f.chain().ids(), " > "),
                    absl::StrJoin(f.suppliers(), " "), absl::StrJoin(f.nations(), " "),
                    RiskFindingText(f, r.us_nation())}));
  }
  return o;
}

// ---- what-if -------------------------------------------------------------------------------

std::string GapLine(const v1::Gap& g) {
  return absl::StrFormat("[%s] %s: %s -> %s  achieved %d, required %d",
                         v1::GapClass_Name(g.gap_class()), g.ier(), g.from_element(),
                         g.to_element(), g.achieved_level(), g.required_level());
}

std::string Delta(const v1::AggregateDelta& d) {
  if (d.before() == d.after()) return "";
  const double diff = d.after() - d.before();
  return absl::StrCat(diff > 0 ? "+" : "", Num(diff));
}

Rows AggregateRows(const v1::WhatIfReport& r) {
  Rows rows = {{"aggregate", "before", "after", "change"}};
  for (const v1::AggregateDelta& d : r.aggregates()) {
    rows.push_back({d.name(), Num(d.before()), Num(d.after()), Delta(d)});
  }
  return rows;
}

std::string Listed(int listed, int64_t total) {
  return listed < total ? absl::StrCat(listed, " of ", total, " listed: raise --max_gaps")
                        : absl::StrCat(total);
}

std::string WhatIfText(const v1::WhatIfReport& r) {
  std::string o;
  absl::StrAppend(&o, "What-if: mix \"", r.mix_name(), "\" on model \"", r.model_name(), "\"\n");
  std::vector<std::string> changes;
  for (const v1::Change& c : r.changes()) changes.push_back(ChangeText(c));
  absl::StrAppend(&o, "  Changes: ", changes.empty() ? "none" : absl::StrJoin(changes, "; "), "\n");
  // Element lists are bounded like the gap lists (a large embargo grounds thousands).
  const size_t limit = r.max_gaps() < 0 ? SIZE_MAX : static_cast<size_t>(r.max_gaps());
  auto list = [limit](const auto& v) {
    if (v.empty()) return std::string("none");
    if (static_cast<size_t>(v.size()) <= limit) return absl::StrJoin(v, ", ");
    if (limit == 0) return absl::StrCat(v.size(), " (none listed: raise --max_gaps)");
    return absl::StrCat(absl::StrJoin(v.begin(), v.begin() + limit, ", "), ", ... (",
                        Listed(static_cast<int>(limit), v.size()), ")");
  };
  absl::StrAppend(&o, "  Grounded: ", list(r.grounded_elements()), "\n");
  absl::StrAppend(&o, "  Removed: ", list(r.removed_elements()), "\n");
  absl::StrAppend(&o, "  Added: ", list(r.added_elements()), "\n");
  absl::StrAppend(&o, "  Gaps opened ", r.gaps_opened_total(), ", closed ", r.gaps_closed_total(),
                  ", changed class or level ", r.gaps_changed_total(), "\n");
  for (const v1::NoOp& n : r.no_ops()) absl::StrAppend(&o, "  Note: ", NoOpText(n), "\n");
  absl::StrAppend(&o, "\nAggregates (before -> after)\n", TextTable(AggregateRows(r), "  "));
  auto gaps = [&](const char* title, const auto& list, int64_t total) {
    if (total == 0) return;
    absl::StrAppend(&o, "\n", title, " (", Listed(list.size(), total), ")\n");
    int i = 0;
    for (const v1::Gap& g : list) {
      absl::StrAppend(&o, absl::StrFormat("%4d. ", ++i), GapLine(g), "\n        ", GapExplanation(g),
                      "\n");
    }
  };
  gaps("Gaps opened", r.gaps_opened(), r.gaps_opened_total());
  gaps("Gaps closed (as they were before)", r.gaps_closed(), r.gaps_closed_total());
  if (r.gaps_changed_total() > 0) {
    absl::StrAppend(&o, "\nGaps that changed class or level (",
                    Listed(r.gaps_changed_size(), r.gaps_changed_total()), ")\n");
    int i = 0;
    for (const v1::GapChange& c : r.gaps_changed()) {
      absl::StrAppend(&o, absl::StrFormat("%4d. ", ++i), GapLine(c.before()), "\n      now ",
                      GapLine(c.after()), "\n");
    }
  }
  return o;
}

std::string WhatIfMarkdown(const v1::WhatIfReport& r) {
  std::string o;
  absl::StrAppend(&o, "# What-if: ", MarkdownSafe(r.mix_name()), "\n\nModel: ",
                  MarkdownSafe(r.model_name()), "\n\n");
  absl::StrAppend(&o, "Changes:\n\n");
  if (r.changes().empty()) absl::StrAppend(&o, "- none\n");
  for (const v1::Change& c : r.changes()) absl::StrAppend(&o, "- ", ChangeText(c), "\n");
  for (const v1::NoOp& n : r.no_ops()) absl::StrAppend(&o, "\nNote: ", NoOpText(n), "\n");
  Rows who = {{"effect", "elements"},
              {"grounded", absl::StrJoin(r.grounded_elements(), ", ")},
              {"removed", absl::StrJoin(r.removed_elements(), ", ")},
              {"added", absl::StrJoin(r.added_elements(), ", ")}};
  absl::StrAppend(&o, "\n", MarkdownTable(who));
  absl::StrAppend(&o, "\n## Aggregates\n\n", MarkdownTable(AggregateRows(r)));
  Rows gaps = {{"change", "IER", "from", "to", "class", "achieved", "required"}};
  auto add = [&](const char* what, const v1::Gap& g) {
    gaps.push_back({what, g.ier(), g.from_element(), g.to_element(),
                    v1::GapClass_Name(g.gap_class()), absl::StrCat(g.achieved_level()),
                    absl::StrCat(g.required_level())});
  };
  for (const v1::Gap& g : r.gaps_opened()) add("opened", g);
  for (const v1::Gap& g : r.gaps_closed()) add("closed", g);
  for (const v1::GapChange& c : r.gaps_changed()) add("changed (now)", c.after());
  absl::StrAppend(&o, "\n## Gaps: ", r.gaps_opened_total(), " opened, ", r.gaps_closed_total(),
                  " closed, ", r.gaps_changed_total(), " changed\n\n");
  if (gaps.size() > 1) absl::StrAppend(&o, MarkdownTable(gaps));
  return o;
}

std::string WhatIfCsv(const v1::WhatIfReport& r) {
  std::string o =
      "change,ier,from,to,class_before,class_after,achieved_before,achieved_after,required,"
      "explanation\n";
  for (const v1::Gap& g : r.gaps_opened()) {
    absl::StrAppend(&o, CsvRow({"opened", g.ier(), g.from_element(), g.to_element(), "",
                                v1::GapClass_Name(g.gap_class()), "",
                                absl::StrCat(g.achieved_level()), absl::StrCat(g.required_level()),
                                GapExplanation(g)}));
  }
  for (const v1::Gap& g : r.gaps_closed()) {
    absl::StrAppend(&o, CsvRow({"closed", g.ier(), g.from_element(), g.to_element(),
                                v1::GapClass_Name(g.gap_class()), "",
                                absl::StrCat(g.achieved_level()), "",
                                absl::StrCat(g.required_level()), GapExplanation(g)}));
  }
  for (const v1::GapChange& c : r.gaps_changed()) {
    const v1::Gap& b = c.before();
    const v1::Gap& a = c.after();
    absl::StrAppend(&o, CsvRow({"changed", a.ier(), a.from_element(), a.to_element(),
                                v1::GapClass_Name(b.gap_class()), v1::GapClass_Name(a.gap_class()),
                                absl::StrCat(b.achieved_level()), absl::StrCat(a.achieved_level()),
                                absl::StrCat(a.required_level()), GapExplanation(a)}));
  }
  return o;
}

// ---- single points of failure --------------------------------------------------------------

// "air picture 3, fires 2": gaps opened per IER.
std::string IerLossText(const v1::SinglePointOfFailure& p) {
  return absl::StrJoin(p.by_ier(), ", ", [](std::string* out, const v1::IerLoss& l) {
    absl::StrAppend(out, l.ier(), " ", l.gaps_opened());
  });
}

Rows PointRows(const v1::SinglePointsReport& r) {
  Rows rows = {{"rank", "element", "platform", "nation", "gaps opened", "elements affected"}};
  int i = 0;
  for (const v1::SinglePointOfFailure& p : r.points()) {
    rows.push_back({absl::StrCat(++i), p.element(), p.platform(), p.nation(),
                    absl::StrCat(p.gaps_opened()), absl::StrCat(p.elements_affected())});
  }
  return rows;
}

std::string SpofText(const v1::SinglePointsReport& r) {
  std::string o;
  absl::StrAppend(&o, "Single points of failure: mix \"", r.mix_name(), "\" on model \"",
                  r.model_name(), "\"\n");
  absl::StrAppend(&o, "  ", r.elements(), " elements; ", r.candidates(),
                  " candidate(s) checked (lone gateways, sole providers); ", r.points_size(),
                  " single point(s) of failure\n");
  if (r.points_size() == 0) {
    absl::StrAppend(&o, "\nNo element's removal alone opens a gap between other elements.\n");
    return o;
  }
  absl::StrAppend(&o, "\n", TextTable(PointRows(r), "  "));
  absl::StrAppend(&o, "\nWhat each IER cannot lose\n");
  for (const v1::IerCannotLose& c : r.cannot_lose()) {
    absl::StrAppend(&o, "  ", c.ier(), ": ", absl::StrJoin(c.elements(), ", "), "\n");
  }
  for (const v1::SinglePointOfFailure& p : r.points()) {
    absl::StrAppend(&o, "\n", p.element(), ": units that lose their IER without it (",
                    IerLossText(p), ")\n");
    for (const v1::IerPair& pair : p.pairs()) {
      absl::StrAppend(&o, "    ", pair.ier(), "  ",
                      pair.from_element().empty() ? "*" : pair.from_element(), "  ",
                      pair.to_element().empty() ? "*" : pair.to_element(), "\n");
    }
    if (p.pairs_omitted() > 0) {
      absl::StrAppend(&o, "    ... ", p.pairs_omitted(), " more (raise --max_pairs)\n");
    }
  }
  return o;
}

std::string SpofMarkdown(const v1::SinglePointsReport& r) {
  std::string o;
  absl::StrAppend(&o, "# Single points of failure: ", MarkdownSafe(r.mix_name()), "\n\nModel: ",
                  MarkdownSafe(r.model_name()),
                  "\n\n", r.elements(), " elements, ", r.candidates(),
                  " candidate(s) checked (lone gateways, sole providers).\n\n");
  if (r.points_size() == 0) {
    absl::StrAppend(&o, "None.\n");
    return o;
  }
  absl::StrAppend(&o, MarkdownTable(PointRows(r)));
  Rows lose = {{"IER", "cannot lose"}};
  for (const v1::IerCannotLose& c : r.cannot_lose()) {
    lose.push_back({c.ier(), absl::StrJoin(c.elements(), ", ")});
  }
  absl::StrAppend(&o, "\n## What each IER cannot lose\n\n", MarkdownTable(lose));
  for (const v1::SinglePointOfFailure& p : r.points()) {
    absl::StrAppend(&o, "\n## ", p.element(), "\n\n");
    Rows rows = {{"IER", "from", "to"}};
    for (const v1::IerPair& pair : p.pairs()) {
      rows.push_back({pair.ier(), pair.from_element(), pair.to_element()});
    }
    absl::StrAppend(&o, MarkdownTable(rows));
    if (p.pairs_omitted() > 0) absl::StrAppend(&o, "\n", p.pairs_omitted(), " more pairs.\n");
  }
  return o;
}

std::string SpofCsv(const v1::SinglePointsReport& r) {
  std::string o = "element,platform,nation,gaps_opened,elements_affected,pairs,pairs_omitted\n";
  for (const v1::SinglePointOfFailure& p : r.points()) {
    absl::StrAppend(&o, CsvRow({p.element(), p.platform(), p.nation(),
                                absl::StrCat(p.gaps_opened()), absl::StrCat(p.elements_affected()),
                                absl::StrJoin(p.pairs(), "; ",
                                              [](std::string* out, const v1::IerPair& x) {
                                                out->append(IerPairText(x));
                                              }),
                                absl::StrCat(p.pairs_omitted())}));
  }
  return o;
}

}  // namespace

absl::StatusOr<std::string> RenderRiskReport(const v1::RiskReport& r, ReportFormat f) {
  switch (f) {
    case ReportFormat::kText:
      return RiskText(TextSafeCopy(r));
    case ReportFormat::kMarkdown:
      return RiskMarkdown(TextSafeCopy(r));
    case ReportFormat::kCsv:
      return RiskCsv(r);
    default:
      return SerializeReport(r, f);
  }
}

absl::StatusOr<std::string> RenderWhatIfReport(const v1::WhatIfReport& r, ReportFormat f) {
  switch (f) {
    case ReportFormat::kText:
      return WhatIfText(TextSafeCopy(r));
    case ReportFormat::kMarkdown:
      return WhatIfMarkdown(TextSafeCopy(r));
    case ReportFormat::kCsv:
      return WhatIfCsv(r);
    default:
      return SerializeReport(r, f);
  }
}

absl::StatusOr<std::string> RenderSinglePoints(const v1::SinglePointsReport& r, ReportFormat f) {
  switch (f) {
    case ReportFormat::kText:
      return SpofText(TextSafeCopy(r));
    case ReportFormat::kMarkdown:
      return SpofMarkdown(TextSafeCopy(r));
    case ReportFormat::kCsv:
      return SpofCsv(r);
    default:
      return SerializeReport(r, f);
  }
}

}  // namespace coalition::report
