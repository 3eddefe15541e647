// Pictures for planners (SPEC §8): one self-contained HTML page per report — inline CSS and
// inline SVG, nothing fetched (a Content-Security-Policy of default-src 'none' says so to the
// browser), readable with scripts off and when printed, byte-identical for the same input.
//
// Recommended API:
//   MixPage page;                       // what `coalition report` shows of one mix
//   page.gaps = &gap_report;            // AnalyzeGaps (max_gaps -1 lists every gap)
//   page.matrix = &matrix;              // BuildMatrix: the SV-3 heat map
//   page.elements = ElementsOf(...);    // id, platform, nation per element, mix order
//   page.network_svg = svg;             // RunGraphviz(ToDot(InteropGraph(...)), "svg", ...)
//   page.risk = &risk_report;           // optional
//   std::string html = RenderMixHtml(page);
//   std::string w = RenderWhatIfHtml(whatif_report);       // and Risk / Recommend / Compare
//
// What the mix page shows, in order: headline figures (elements, units, cost, pairs satisfied,
// gaps by class, IERs satisfied, level distribution; with risk: largest embargo exposure,
// adversary and ITAR exposure); the SV-3 heat map (levels coloured, listed gap pairs outlined in
// black, elements grouped by operating nation, nations in order of first appearance); the
// interoperability network laid out by Graphviz (gap pairs drawn in red dashes); gaps per IER
// and per class as bars; the gap list with explanation and fix (explain.h), filterable by IER,
// class and nation (a small inline script; without it every row shows); the risk picture
// (exposure by nation with time to ground where the report has it, sourcing mix, adversary and
// ITAR exposure, unsustainable elements with the restrictions that ground them, the listed
// findings); with a single-points report, the elements whose loss opens gaps (per IER) and what
// each IER cannot lose. IER bars say what a unit is (ordered pair, or element of an EACH_TO /
// EACH_FROM IER) and the IER's weight when it is not 1.
//
// Large mixes (how the page stays usable): above kHeatMapOpenElements (60) elements the page
// shows a nation × nation heat map (the mean level of each nation pair, coloured rounded down,
// the worst in its tooltip; every element pair counted) and keeps the element heat map in a collapsed <details>; above
// max_heat_map_elements (default 400) the element heat map is left out and the page says so.
// The gap list is as long as the report's listing (--max_gaps) and says how many are left out;
// the network picture is drawn per element class once the mix has more than 80 elements (the
// caller decides; network_note says so). Printing expands nothing (collapsed sections print
// collapsed) and hides the filter controls.
//
// Every sentence about a typed result comes from explain.h; this file writes headings, labels
// and numbers only. The DOM is part of the contract for tests: the heat map is
// <svg id="heatmap"> with a <g class="hm-row" data-element="ID"> per row (display order) whose
// <rect class="cell lK"> cells follow the columns of <g class="hm-cols"> (data-element per
// column label); outlined cells also have class "gap". Gap rows are <tr class="gap-row"
// data-ier data-class data-nations>. Errors: none (missing optional parts are left out).
#ifndef COALITION_ENGINE_REPORT_RENDER_HTML_H_
#define COALITION_ENGINE_REPORT_RENDER_HTML_H_

#include <string>
#include <vector>

#include "coalition/v1/compare.pb.h"
#include "coalition/v1/recommend.pb.h"
#include "coalition/v1/report.pb.h"

namespace coalition::report {

inline constexpr int kHeatMapOpenElements = 60;

// An element of the mix as the page groups it.
struct HtmlElement {
  std::string id;
  std::string platform;
  std::string nation;
};

struct MixPage {
  const coalition::v1::GapReport* gaps = nullptr;  // required
  const coalition::v1::InteropMatrix* matrix = nullptr;
  std::vector<HtmlElement> elements;  // mix order, as the matrix
  std::string network_svg;            // Graphviz SVG; empty: network_note says why
  std::string network_note;
  const coalition::v1::SinglePointsReport* spof = nullptr;  // optional
  const coalition::v1::RiskReport* risk = nullptr;
  int max_heat_map_elements = 400;
};

std::string RenderMixHtml(const MixPage& page);
std::string RenderRiskHtml(const coalition::v1::RiskReport& report);
std::string RenderWhatIfHtml(const coalition::v1::WhatIfReport& report);
std::string RenderRecommendHtml(const coalition::v1::RecommendReport& report);
std::string RenderCompareHtml(const coalition::v1::CompareReport& report);

// Graphviz's SVG made fit to inline in HTML: the XML prolog, DOCTYPE (which names an external
// DTD), comments and namespace declarations removed; nothing else changed.
std::string InlineSvg(const std::string& svg);

}  // namespace coalition::report

#endif  // COALITION_ENGINE_REPORT_RENDER_HTML_H_
