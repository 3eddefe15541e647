#include "engine/report/render_html.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/report/escape.h"
#include "engine/report/explain.h"
#include "engine/report/graph_export.h"

namespace coalition::report {
namespace {

namespace v1 = ::coalition::v1;

// --- Small HTML helpers ----------------------------------------------------------------------

// Free text from the input: TextSafe (escape.h: no control or direction-changing character),
// then HTML entities.
std::string Esc(absl::string_view raw) { return XmlSafe(TextSafe(raw)); }

std::string Num(double v) { return absl::StrFormat("%.1f", v); }
std::string Pct(double share) { return absl::StrFormat("%.1f%%", 100.0 * share); }

constexpr char kStyle[] = R"css(
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0 auto;max-width:1240px;padding:16px 20px;color:#222;background:#fff;-webkit-print-color-adjust:exact;print-color-adjust:exact}
h1{font-size:22px;margin:4px 0}h2{font-size:18px;border-bottom:2px solid #ddd;margin:28px 0 8px;padding-bottom:3px}h3{font-size:15px;margin:16px 0 6px}
.sub{color:#555}.note{color:#555;font-size:13px}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}.card{border:1px solid #ddd;border-radius:6px;padding:6px 12px;min-width:130px}.card b{display:block;font-size:20px}.card span{color:#555;font-size:12px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border-bottom:1px solid #e4e4e4;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f4f4f4;font-weight:600}td.n,th.n{text-align:right;white-space:nowrap}
tr{break-inside:avoid}
.bars td{border:none;padding:2px 6px}.bar{display:flex;height:16px;min-width:300px;background:#f0f0f0;border-radius:3px;overflow:hidden}.bar span{display:block;height:100%}
.k-policy{background:#fdae61}.k-technical{background:#d73027}.k-unavailable{background:#878787}.k-ok{background:#1a9850}.k-units{background:#4575b4}.k-cost{background:#91bfdb}
.k-us{background:#4575b4}.k-co{background:#91bfdb}.k-third{background:#fdae61}
.lv{display:inline-block;min-width:22px;text-align:center;border-radius:3px;padding:0 4px;font-weight:600}
.b0{background:#d73027;color:#fff}.b1{background:#fc8d59}.b2{background:#fee08b}.b3{background:#91cf60}.b4{background:#1a9850;color:#fff}
.l0{fill:#d73027}.l1{fill:#fc8d59}.l2{fill:#fee08b}.l3{fill:#91cf60}.l4{fill:#1a9850}
.cell{stroke:#fff;stroke-width:.5}.cell.gap{stroke:#000;stroke-width:1.5}
svg text{font-family:inherit}
.scroll{overflow:auto;max-height:85vh;border:1px solid #eee}
#network-picture svg{max-width:100%;height:auto}
.legend{display:flex;flex-wrap:wrap;gap:10px;font-size:12px;margin:4px 0}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-2px;border-radius:2px}
.filters{margin:6px 0;display:flex;gap:10px;flex-wrap:wrap}.filters label{font-size:13px}
.front{font-weight:700}
@media print{.filters{display:none}.scroll{overflow:visible;max-height:none;border:none}h2{break-after:avoid}body{max-width:none}}
)css";

// The filter of the gap list: shown only when scripts run (the form starts hidden).
constexpr char kFilterScript[] = R"js(
(function(){
var f=document.getElementById('gap-filters');if(!f)return;
var sel=f.querySelectorAll('select');f.hidden=false;
function apply(){var v={};for(var i=0;i<sel.length;i++)v[sel[i].name]=sel[i].value;var n=0;
var rows=document.querySelectorAll('tr.gap-row');
for(var j=0;j<rows.length;j++){var r=rows[j];
var ok=(!v.ier||r.getAttribute('data-ier')===v.ier)&&(!v.cls||r.getAttribute('data-class')===v.cls)&&
(!v.nation||(' '+r.getAttribute('data-nations')+' ').indexOf(' '+v.nation+' ')>=0);
r.hidden=!ok;if(ok)n++;}
document.getElementById('gap-shown').textContent=String(n);}
for(var k=0;k<sel.length;k++)sel[k].addEventListener('change',apply);
apply();})();
)js";

std::string PageStart(absl::string_view title) {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
      Esc(title), "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n");
}

std::string PageEnd(bool with_script) {
  return absl::StrCat(with_script ? absl::StrCat("<script>", kFilterScript, "</script>\n") : "",
                      "</body>\n</html>\n");
}

std::string Card(absl::string_view value, absl::string_view label) {
  return absl::StrCat("<div class=\"card\"><b>", Esc(value), "</b><span>", Esc(label),
                      "</span></div>");
}

std::string LevelBadge(int level) {
  return absl::StrCat("<span class=\"lv b", std::clamp(level, 0, 4), "\" title=\"",
                      LevelName(level), "\">", level, "</span>");
}

// A horizontal bar of segments (value, css class, tooltip) scaled to `total` (> 0).
std::string Bar(const std::vector<std::tuple<double, const char*, std::string>>& segments,
                double total) {
  std::string out = "<div class=\"bar\">";
  for (const auto& [value, cls, tip] : segments) {
    if (value <= 0 || total <= 0) continue;
    absl::StrAppend(&out, "<span class=\"", cls, "\" style=\"width:",
                    absl::StrFormat("%.2f", 100.0 * value / total), "%\" title=\"", Esc(tip),
                    "\"></span>");
  }
  out += "</div>";
  return out;
}

std::string Legend(const std::vector<std::pair<const char*, std::string>>& items) {
  std::string out = "<div class=\"legend\">";
  for (const auto& [cls, text] : items) {
    absl::StrAppend(&out, "<span><i class=\"", cls, "\"></i>", Esc(text), "</span>");
  }
  out += "</div>\n";
  return out;
}

std::string LevelLegend() {
  std::string out = "<div class=\"legend\">";
  for (int k = 0; k <= 4; ++k) {
    absl::StrAppend(&out, "<span><i class=\"b", k, "\"></i>", k, " ", LevelName(k), "</span>");
  }
  out += "<span><i style=\"border:2px solid #000\"></i>gap (listed)</span></div>\n";
  return out;
}

// --- Mix page parts --------------------------------------------------------------------------

std::string Headline(const v1::GapReport& r, const v1::RiskReport* risk) {
  int64_t policy = 0, technical = 0, unavailable = 0;
  for (const v1::GapCounts& c : r.by_class()) {
    policy += c.policy();
    technical += c.technical();
    unavailable += c.unavailable();
  }
  std::string out = "<section id=\"headline\"><h2>Headline</h2>\n<div class=\"cards\">";
  out += Card(absl::StrCat(r.elements()), "force elements");
  out += Card(absl::StrCat(r.units()), "units");
  out += Card(absl::StrCat(Num(r.cost_musd()), " M$"), "cost");
  out += Card(absl::StrCat(r.iers_satisfied(), " / ", r.iers_total()), "IERs satisfied");
  out += Card(absl::StrCat(r.pairs_satisfied(), " / ", r.pairs_evaluated()),
              r.coverage_units() > 0 ? "units satisfied (pairs + elements)" : "pairs satisfied");
  out += Card(absl::StrCat(r.gaps_total()), "gaps");
  if (r.weighted_gaps() != 0 && r.weighted_gaps() != static_cast<double>(r.gaps_total())) {
    out += Card(absl::StrFormat("%g", r.weighted_gaps()), "weighted gaps (IER weights)");
  }
  out += Card(absl::StrCat(policy), "policy gaps");
  out += Card(absl::StrCat(technical), "technical gaps");
  if (unavailable > 0) out += Card(absl::StrCat(unavailable), "unavailable gaps");
  if (risk != nullptr) {
    if (risk->exposures_size() > 0) {
      const v1::NationExposure& e = risk->exposures(0);
      out += Card(absl::StrCat(e.nation(), " ", Pct(e.unit_share())),
                  "largest embargo exposure (units)");
    }
    for (const v1::FindingCounts& k : risk->by_kind()) {
      if (k.kind() == "ADVERSARY_HIGH" || k.kind() == "ADVERSARY_CRITICAL" ||
          k.kind() == "ITAR_EXPOSURE") {
        out += Card(absl::StrCat(k.elements()), absl::StrCat("elements ", k.kind()));
      }
    }
  }
  out += "</div>\n";
  // Level distribution of the evaluated pairs.
  int64_t total = 0;
  for (int64_t v : r.level_histogram()) total += v;
  if (total > 0) {
    std::vector<std::tuple<double, const char*, std::string>> seg;
    static const char* kCls[] = {"b0", "b1", "b2", "b3", "b4"};
    for (int k = 0; k < r.level_histogram_size() && k <= 4; ++k) {
      seg.emplace_back(static_cast<double>(r.level_histogram(k)), kCls[k],
                       absl::StrCat(k, " ", LevelName(k), ": ", r.level_histogram(k), " pairs"));
    }
    out += "<h3>Achieved levels over the evaluated pairs</h3>" + Bar(seg, total) + LevelLegend();
  }
  out += "</section>\n";
  return out;
}

// Display order of the elements: grouped by nation (nations in first-appearance order), mix
// order within a nation.
std::vector<int> NationOrder(const std::vector<HtmlElement>& els, std::vector<std::string>* nations) {
  std::vector<int> order;
  std::map<std::string, int> first;  // nation -> rank of first appearance
  for (const HtmlElement& e : els) {
    if (first.emplace(e.nation, static_cast<int>(first.size())).second) nations->push_back(e.nation);
  }
  for (const std::string& n : *nations) {
    for (int i = 0; i < static_cast<int>(els.size()); ++i) {
      if (els[i].nation == n) order.push_back(i);
    }
  }
  return order;
}

std::set<std::pair<std::string, std::string>> GapPairs(const v1::GapReport& r) {
  std::set<std::pair<std::string, std::string>> s;
  for (const v1::Gap& g : r.gaps()) {
    if (!g.to_element().empty()) s.emplace(g.from_element(), g.to_element());
  }
  return s;
}

std::string ElementHeatMap(const v1::InteropMatrix& m, const std::vector<HtmlElement>& els,
                           const v1::GapReport& gaps) {
  const int n = m.elements_size();
  std::vector<std::string> nations;
  const std::vector<int> order = NationOrder(els, &nations);
  const int cs = n <= 30 ? 18 : n <= 60 ? 13 : n <= 150 ? 7 : 4;
  const bool labels = n <= 150;
  size_t maxlen = 0;
  for (const HtmlElement& e : els) maxlen = std::max(maxlen, e.id.size());
  const int label_w = labels ? static_cast<int>(std::min<size_t>(maxlen, 28) * 6.6) + 8 : 0;
  const int band = 46;  // nation band on the left and on top
  const int left = band + label_w, top = band + label_w;
  const int w = left + n * cs + 4, h = top + n * cs + 4;
  const auto gap_pairs = GapPairs(gaps);
  const bool titles = n <= kHeatMapOpenElements;
  std::string out = absl::StrFormat(
      "<svg id=\"heatmap\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
      "aria-label=\"SV-3 interoperability matrix\">\n",
      w, h, w, h);
  // Column labels.
  absl::StrAppend(&out, "<g class=\"hm-cols\" font-size=\"", std::min(cs - 2, 11), "\">");
  for (int j = 0; j < n; ++j) {
    const HtmlElement& e = els[order[j]];
    if (labels) {
      const int x = left + j * cs + cs / 2 + 3;
      absl::StrAppend(&out, "<text data-element=\"", Esc(e.id), "\" transform=\"translate(", x,
                      ",", top - 4, ") rotate(-90)\">", Esc(e.id), "</text>");
    } else {
      absl::StrAppend(&out, "<g data-element=\"", Esc(e.id), "\"></g>");
    }
  }
  out += "</g>\n";
  // Nation bands and separators.
  out += "<g class=\"hm-nations\" font-size=\"11\" font-weight=\"600\">";
  int start = 0;
  for (const std::string& nat : nations) {
    int count = 0;
    for (int j = start; j < n && els[order[j]].nation == nat; ++j) ++count;
    const int a = start * cs, len = count * cs;
    absl::StrAppend(&out, "<text x=\"2\" y=\"", top + a + len / 2 + 4, "\">", Esc(nat), "</text>");
    absl::StrAppend(&out, "<text transform=\"translate(", left + a + len / 2 + 4, ",", band - 4,
                    ") rotate(-90)\">", Esc(nat), "</text>");
    if (start > 0) {
      absl::StrAppend(&out, "<line x1=\"", band - 4, "\" y1=\"", top + a, "\" x2=\"",
                      left + n * cs, "\" y2=\"", top + a, "\" stroke=\"#333\"/>");
      absl::StrAppend(&out, "<line x1=\"", left + a, "\" y1=\"", band - 4, "\" x2=\"", left + a,
                      "\" y2=\"", top + n * cs, "\" stroke=\"#333\"/>");
    }
    start += count;
  }
  out += "</g>\n";
  for (int i = 0; i < n; ++i) {
    const HtmlElement& row = els[order[i]];
    absl::StrAppend(&out, "<g class=\"hm-row\" data-element=\"", Esc(row.id), "\">");
    if (labels) {
      absl::StrAppend(&out, "<text x=\"", left - 4, "\" y=\"", top + i * cs + cs - 3,
                      "\" text-anchor=\"end\" font-size=\"", std::min(cs - 2, 11), "\">",
                      Esc(row.id), "</text>");
    } else {
      absl::StrAppend(&out, "<title>", Esc(row.id), "</title>");
    }
    for (int j = 0; j < n; ++j) {
      const HtmlElement& col = els[order[j]];
      const int level = m.levels(order[i] * n + order[j]);
      const bool gap = gap_pairs.count({row.id, col.id}) > 0;
      absl::StrAppend(&out, "<rect class=\"cell l", std::clamp(level, 0, 4), gap ? " gap" : "",
                      "\" x=\"", left + j * cs, "\" y=\"", top + i * cs, "\" width=\"", cs,
                      "\" height=\"", cs, "\">");
      if (titles) {
        absl::StrAppend(&out, "<title>", Esc(row.id), " \xE2\x86\x92 ", Esc(col.id), ": ", level,
                        " ", LevelName(level), gap ? " (gap)" : "", "</title>");
      }
      out += "</rect>";
    }
    out += "</g>\n";
  }
  out += "</svg>\n";
  return out;
}

// Nation x nation: the worst and the mean achieved level over every element pair.
std::string NationHeatMap(const v1::InteropMatrix& m, const std::vector<HtmlElement>& els) {
  std::vector<std::string> nations;
  NationOrder(els, &nations);
  std::map<std::string, int> idx;
  for (size_t i = 0; i < nations.size(); ++i) idx[nations[i]] = static_cast<int>(i);
  const int k = static_cast<int>(nations.size()), n = m.elements_size();
  std::vector<int> worst(k * k, 4);
  std::vector<double> sum(k * k, 0);
  std::vector<int64_t> cnt(k * k, 0);
  for (int a = 0; a < n; ++a) {
    const int na = idx[els[a].nation];
    for (int b = 0; b < n; ++b) {
      if (a == b) continue;
      const int nb = idx[els[b].nation], lv = m.levels(a * n + b);
      worst[na * k + nb] = std::min(worst[na * k + nb], lv);
      sum[na * k + nb] += lv;
      ++cnt[na * k + nb];
    }
  }
  const int cs = 34, left = 60, top = 60;
  std::string out = absl::StrFormat(
      "<svg id=\"nation-heatmap\" width=\"%d\" height=\"%d\" role=\"img\" "
      "aria-label=\"interoperability by nation pair\">\n",
      left + k * cs + 4, top + k * cs + 4);
  for (int i = 0; i < k; ++i) {
    absl::StrAppend(&out, "<text x=\"4\" y=\"", top + i * cs + cs / 2 + 4, "\" font-size=\"11\">",
                    Esc(nations[i]), "</text>");
    absl::StrAppend(&out, "<text transform=\"translate(", left + i * cs + cs / 2 + 4, ",",
                    top - 4, ") rotate(-90)\" font-size=\"11\">", Esc(nations[i]), "</text>");
  }
  for (int i = 0; i < k; ++i) {
    for (int j = 0; j < k; ++j) {
      const int c = i * k + j;
      if (cnt[c] == 0) continue;
      const int mean_floor = std::clamp(static_cast<int>(sum[c] / cnt[c]), 0, 4);
      absl::StrAppend(&out, "<rect class=\"ncell l", mean_floor, "\" x=\"", left + j * cs, "\" y=\"",
                      top + i * cs, "\" width=\"", cs - 1, "\" height=\"", cs - 1, "\"><title>",
                      Esc(nations[i]), " \xE2\x86\x92 ", Esc(nations[j]), ": worst ", worst[c],
                      ", mean ", absl::StrFormat("%.2f", sum[c] / cnt[c]), " over ", cnt[c],
                      " pairs</title></rect>");
      absl::StrAppend(&out, "<text x=\"", left + j * cs + cs / 2, "\" y=\"", top + i * cs + cs / 2 + 4,
                      "\" font-size=\"10\" text-anchor=\"middle\">",
                      absl::StrFormat("%.1f", sum[c] / cnt[c]), "</text>");
    }
  }
  out += "</svg>\n";
  return out;
}

std::string HeatMapSection(const MixPage& p) {
  std::string out = "<section id=\"sv3\"><h2>Interoperability matrix (SV-3)</h2>\n";
  if (p.matrix == nullptr || p.matrix->elements_size() != static_cast<int>(p.elements.size())) {
    return out + "<p class=\"note\">No matrix for this page.</p></section>\n";
  }
  const int n = p.matrix->elements_size();
  out += "<p class=\"note\">Cell (row, column): the achieved level of the row element with the "
         "column element; elements grouped by operating nation.</p>\n";
  out += LevelLegend();
  if (n > kHeatMapOpenElements) {
    out += "<h3>By nation pair (number and colour: the mean level, colour rounded down; the "
           "worst level in the tooltip)</h3>\n<div class=\"scroll\">";
    out += NationHeatMap(*p.matrix, p.elements);
    out += "</div>\n";
  }
  if (n > p.max_heat_map_elements) {
    absl::StrAppend(&out, "<p class=\"note\">The element matrix (", n, " x ", n,
                    ") is not drawn above ", p.max_heat_map_elements,
                    " elements; use coalition matrix for the csv.</p>\n");
  } else if (n > kHeatMapOpenElements) {
    absl::StrAppend(&out, "<details><summary>Every element (", n, " x ", n,
                    ")</summary><div class=\"scroll\">",
                    ElementHeatMap(*p.matrix, p.elements, *p.gaps), "</div></details>\n");
  } else {
    absl::StrAppend(&out, "<div class=\"scroll\">", ElementHeatMap(*p.matrix, p.elements, *p.gaps),
                    "</div>\n");
  }
  if (p.gaps->gaps_omitted() > 0) {
    absl::StrAppend(&out, "<p class=\"note\">Outlined: the ", p.gaps->gaps_size(),
                    " listed gaps (", p.gaps->gaps_omitted(), " not listed).</p>\n");
  }
  out += "</section>\n";
  return out;
}

std::string NetworkSection(const MixPage& p) {
  std::string out = "<section id=\"network\"><h2>Interoperability network</h2>\n";
  out += Legend({{"b3", "data channel joined (3)"}, {"b1", "voice channel joined (1)"},
                 {"b2", "version bridge / gateway (2)"}, {"b0", "gap pair (dashed)"}});
  if (!p.network_note.empty()) absl::StrAppend(&out, "<p class=\"note\">", Esc(p.network_note), "</p>\n");
  if (!p.network_svg.empty()) {
    absl::StrAppend(&out, "<div class=\"scroll\" id=\"network-picture\">", p.network_svg, "</div>\n");
  }
  out += "</section>\n";
  return out;
}

std::string GapBars(const v1::GapReport& r) {
  std::string out = "<section id=\"gap-bars\"><h2>Gaps per IER and per class</h2>\n";
  out += Legend({{"k-ok", "satisfied"}, {"k-policy", "policy"}, {"k-technical", "technical"},
                 {"k-unavailable", "unavailable"}});
  out += "<table class=\"bars\"><tr><th>IER</th><th>unit (coverage)</th><th class=\"n\">units</th>"
         "<th class=\"n\">gaps</th><th></th></tr>\n";
  for (const v1::GapCounts& c : r.by_ier()) {
    const bool coverage = c.coverage() == v1::EACH_TO || c.coverage() == v1::EACH_FROM;
    absl::StrAppend(
        &out, "<tr><td>", Esc(c.key()),
        c.weight() != 0 && c.weight() != 1 ? absl::StrFormat(" (weight %g)", c.weight()) : "",
        "</td><td>", coverage ? absl::StrCat("element (", v1::Coverage_Name(c.coverage()), ")")
                              : std::string("ordered pair"),
        "</td><td class=\"n\">", c.pairs(), "</td><td class=\"n\">",
        c.gaps(), "</td><td>",
        Bar({{static_cast<double>(c.satisfied()), "k-ok", absl::StrCat(c.satisfied(), " satisfied")},
             {static_cast<double>(c.policy()), "k-policy", absl::StrCat(c.policy(), " policy")},
             {static_cast<double>(c.technical()), "k-technical",
              absl::StrCat(c.technical(), " technical")},
             {static_cast<double>(c.unavailable()), "k-unavailable",
              absl::StrCat(c.unavailable(), " unavailable")}},
            static_cast<double>(std::max<int64_t>(c.pairs(), c.satisfied() + c.gaps()))),
        "</td></tr>\n");
  }
  out += "</table>\n<table class=\"bars\"><tr><th>class</th><th class=\"n\">gaps</th><th></th></tr>\n";
  for (const v1::GapCounts& c : r.by_class()) {
    const int64_t v = c.gaps();
    const char* cls = c.key() == "POLICY" ? "k-policy" : c.key() == "TECHNICAL" ? "k-technical"
                                                                                : "k-unavailable";
    absl::StrAppend(&out, "<tr><td>", Esc(c.key()), "</td><td class=\"n\">", v, "</td><td>",
                    Bar({{static_cast<double>(v), cls, absl::StrCat(v, " ", c.key())}},
                        static_cast<double>(std::max<int64_t>(1, r.gaps_total()))),
                    "</td></tr>\n");
  }
  out += "</table>\n";
  if (r.by_nation_pair_size() > 0) {
    out += "<h3>Nation pairs with most gaps</h3><table class=\"bars\"><tr><th>pair</th>"
           "<th class=\"n\">gaps</th><th></th></tr>\n";
    const int64_t top = std::max<int64_t>(1, r.by_nation_pair(0).gaps());
    for (const v1::GapCounts& c : r.by_nation_pair()) {
      absl::StrAppend(
          &out, "<tr><td>", Esc(c.key()), " \xE2\x80\x93 ", Esc(c.second()), "</td><td class=\"n\">",
          c.gaps(), "</td><td>",
          Bar({{static_cast<double>(c.policy()), "k-policy", absl::StrCat(c.policy(), " policy")},
               {static_cast<double>(c.technical()), "k-technical",
                absl::StrCat(c.technical(), " technical")},
               {static_cast<double>(c.unavailable()), "k-unavailable",
                absl::StrCat(c.unavailable(), " unavailable")}},
              static_cast<double>(top)),
          "</td></tr>\n");
    }
    out += "</table>\n";
    if (r.nation_pairs_total() > r.by_nation_pair_size()) {
      absl::StrAppend(&out, "<p class=\"note\">", r.nation_pairs_total() - r.by_nation_pair_size(),
                      " more nation pairs with gaps are not listed.</p>\n");
    }
  }
  out += "</section>\n";
  return out;
}

// The gaps as table rows (class "gap-row" with the filter's data attributes).
std::string GapRows(const google::protobuf::RepeatedPtrField<v1::Gap>& gaps,
                    const absl::flat_hash_map<std::string, std::string>& nation_of,
                    bool filterable) {
  std::string out;
  int i = 0;
  for (const v1::Gap& g : gaps) {
    std::set<std::string> nats;
    for (const std::string* e : {&g.from_element(), &g.to_element()}) {
      auto it = nation_of.find(*e);
      if (it != nation_of.end()) nats.insert(it->second);
    }
    const std::string cls = v1::GapClass_Name(g.gap_class());
    absl::StrAppend(&out, "<tr", filterable ? " class=\"gap-row\"" : "", " data-ier=\"",
                    Esc(g.ier()), "\" data-class=\"", cls, "\" data-nations=\"",
                    Esc(absl::StrJoin(nats, " ")), "\"><td class=\"n\">", ++i, "</td><td>",
                    Esc(g.ier()),
                    g.coverage() == v1::EACH_TO || g.coverage() == v1::EACH_FROM
                        ? absl::StrCat(" <small>", v1::Coverage_Name(g.coverage()), "</small>")
                        : "",
                    "</td><td>", Esc(g.from_element()), "</td><td>",
                    Esc(g.to_element()), "</td><td>", cls, "</td><td>",
                    LevelBadge(g.achieved_level()), " / ", LevelBadge(g.required_level()),
                    "</td><td>", Esc(GapExplanation(g)), "</td><td>", Esc(FixesText(g.fixes())),
                    "</td></tr>\n");
  }
  return out;
}

constexpr char kGapHeader[] =
    "<tr><th class=\"n\">#</th><th>IER</th><th>from</th><th>to</th><th>class</th>"
    "<th>achieved / required</th><th>explanation</th><th>fix</th></tr>\n";

std::string Options(const char* name, const char* all, const std::set<std::string>& values) {
  std::string out = absl::StrCat("<label>", name, " <select name=\"", name, "\"><option value=\"\">",
                                 all, "</option>");
  for (const std::string& v : values) {
    absl::StrAppend(&out, "<option>", Esc(v), "</option>");
  }
  out += "</select></label>";
  return out;
}

std::string GapList(const v1::GapReport& r, const std::vector<HtmlElement>& els) {
  absl::flat_hash_map<std::string, std::string> nation_of;
  for (const HtmlElement& e : els) nation_of[e.id] = e.nation;
  std::set<std::string> iers, classes, nations;
  for (const v1::Gap& g : r.gaps()) {
    iers.insert(g.ier());
    classes.insert(v1::GapClass_Name(g.gap_class()));
    for (const std::string* e : {&g.from_element(), &g.to_element()}) {
      auto it = nation_of.find(*e);
      if (it != nation_of.end()) nations.insert(it->second);
    }
  }
  std::string out = absl::StrCat("<section id=\"gap-list\"><h2>Gaps (", r.gaps_size(), " listed of ",
                                 r.gaps_total(), ")</h2>\n");
  out += "<p class=\"note\">Worst first (largest shortfall, then IER order, then mix order).";
  if (r.gaps_omitted() > 0) {
    absl::StrAppend(&out, " ", r.gaps_omitted(), " more are counted above but not listed (--max_gaps).");
  }
  out += "</p>\n";
  if (r.gaps_size() > 0) {
    // The filter is hidden until the script shows it: the page is complete without it.
    absl::StrAppend(&out, "<form class=\"filters\" id=\"gap-filters\" hidden>",
                    Options("ier", "every IER", iers), Options("cls", "every class", classes),
                    Options("nation", "every nation", nations),
                    "<span class=\"note\"><span id=\"gap-shown\">", r.gaps_size(),
                    "</span> shown</span></form>\n");
    absl::StrAppend(&out, "<table id=\"gaps\">", kGapHeader, GapRows(r.gaps(), nation_of, true),
                    "</table>\n");
  }
  out += "</section>\n";
  return out;
}

std::string RiskSection(const v1::RiskReport& r) {
  std::string out = "<section id=\"risk\"><h2>Dependency risk</h2>\n";
  out += "<div class=\"cards\">";
  out += Card(absl::StrCat(r.units()), "units");
  out += Card(absl::StrCat(Num(r.cost_musd()), " M$"), "cost");
  out += Card(absl::StrCat(r.exposures_size(), " / ", r.nations_evaluated()),
              "nations whose embargo grounds something");
  out += Card(absl::StrCat(r.unsustainable_elements_size()), "elements unsustainable at baseline");
  if (r.restrictions_in_force() > 0) {
    out += Card(absl::StrCat(r.restrictions_in_force()), "supply restrictions in force");
  }
  out += "</div>\n";
  out += "<h3>Embargo exposure by nation</h3>\n";
  out += Legend({{"k-units", "share of units grounded"}, {"k-cost", "share of cost grounded"}});
  if (r.exposures_size() == 0) {
    out += "<p class=\"note\">No single nation's embargo grounds anything.</p>\n";
  } else {
    absl::StrAppend(&out, "<p class=\"note\">Ranked by the share grounded within ",
                    absl::StrFormat("%g", r.horizon_months()), " months.</p>\n");
    out += "<table class=\"bars\"><tr><th>nation</th><th class=\"n\">units</th><th class=\"n\">"
           "cost M$</th><th class=\"n\">units within horizon</th><th></th>"
           "<th>grounded (time to ground)</th></tr>\n";
    for (const v1::NationExposure& e : r.exposures()) {
      std::vector<std::string> grounded;
      if (e.grounded_size() > 0) {
        for (const v1::GroundedElement& g : e.grounded()) {
          grounded.push_back(absl::StrCat(
              g.element(), " (", g.months() == 0 ? std::string("at once")
                                                 : absl::StrFormat("%g months", g.months()),
              g.components_size() > 0 ? absl::StrCat(": ", absl::StrJoin(g.components(), ", ")) : "",
              ")"));
        }
      } else {
        grounded.assign(e.grounded_elements().begin(), e.grounded_elements().end());
      }
      absl::StrAppend(
          &out, "<tr><td>", Esc(e.nation()), "</td><td class=\"n\">", e.grounded_units(), " (",
          Pct(e.unit_share()), ")</td><td class=\"n\">", Num(e.grounded_cost_musd()), " (",
          Pct(e.cost_share()), ")</td><td class=\"n\">", e.units_within_horizon(), " (",
          Pct(e.unit_share_within_horizon()), ")</td><td>",
          Bar({{e.unit_share(), "k-units", absl::StrCat(Pct(e.unit_share()), " of units")}}, 1.0),
          Bar({{e.cost_share(), "k-cost", absl::StrCat(Pct(e.cost_share()), " of cost")}}, 1.0),
          "</td><td>", Esc(absl::StrJoin(grounded, "; ")), "</td></tr>\n");
    }
    out += "</table>\n";
  }
  out += "<h3>Sourcing mix</h3>\n";
  out += Legend({{"k-us", "US_BUILT"}, {"k-co", "CO_PRODUCED"}, {"k-third", "THIRD_PARTY"}});
  std::vector<std::tuple<double, const char*, std::string>> by_units, by_cost;
  for (const v1::SourcingShare& s : r.sourcing()) {
    const char* cls = s.sourcing() == v1::US_BUILT      ? "k-us"
                      : s.sourcing() == v1::CO_PRODUCED ? "k-co"
                                                        : "k-third";
    const std::string name = v1::Sourcing_Name(s.sourcing());
    by_units.emplace_back(s.unit_share(), cls, absl::StrCat(name, " ", Pct(s.unit_share()), " of units"));
    by_cost.emplace_back(s.cost_share(), cls, absl::StrCat(name, " ", Pct(s.cost_share()), " of cost"));
  }
  out += "<table class=\"bars\"><tr><td>units</td><td>" + Bar(by_units, 1.0) +
         "</td></tr><tr><td>cost</td><td>" + Bar(by_cost, 1.0) + "</td></tr></table>\n";
  out += "<table><tr><th>sourcing</th><th class=\"n\">units</th><th class=\"n\">cost M$</th></tr>\n";
  for (const v1::SourcingShare& s : r.sourcing()) {
    absl::StrAppend(&out, "<tr><td>", v1::Sourcing_Name(s.sourcing()), "</td><td class=\"n\">",
                    s.units(), " (", Pct(s.unit_share()), ")</td><td class=\"n\">",
                    Num(s.cost_musd()), " (", Pct(s.cost_share()), ")</td></tr>\n");
  }
  out += "</table>\n<h3>Adversary dependency, ITAR exposure, single sources</h3>\n";
  out += "<table><tr><th>finding</th><th class=\"n\">findings</th><th class=\"n\">elements</th>"
         "<th class=\"n\">units</th><th class=\"n\">cost M$</th><th></th></tr>\n";
  for (const v1::FindingCounts& k : r.by_kind()) {
    absl::StrAppend(&out, "<tr><td>", Esc(k.kind()), "</td><td class=\"n\">", k.findings(),
                    "</td><td class=\"n\">", k.elements(), "</td><td class=\"n\">", k.units(), " (",
                    Pct(k.unit_share()), ")</td><td class=\"n\">", Num(k.cost_musd()), " (",
                    Pct(k.cost_share()), ")</td><td>",
                    Bar({{k.unit_share(), "k-technical", Pct(k.unit_share())}}, 1.0),
                    "</td></tr>\n");
  }
  out += "</table>\n";
  if (r.unsustainable_elements_size() > 0) {
    std::vector<std::string> items;
    for (const std::string& id : r.unsustainable_elements()) {
      std::string item = id;
      for (const v1::ElementRisk& e : r.elements()) {
        if (e.element() == id && e.restricted_by_size() > 0) {
          absl::StrAppend(&item, " (restricted by ", absl::StrJoin(e.restricted_by(), ", "), ")");
        }
      }
      items.push_back(std::move(item));
    }
    absl::StrAppend(&out, "<h3>Unsustainable at baseline</h3><p>", Esc(absl::StrJoin(items, "; ")),
                    "</p>\n");
  }
  if (r.findings_size() > 0) {
    absl::StrAppend(&out, "<h3>Findings (", r.findings_size(), " listed of ", r.findings_total(),
                    ")</h3>\n<table><tr><th>kind</th><th>element</th><th>finding</th></tr>\n");
    for (const v1::RiskFinding& f : r.findings()) {
      absl::StrAppend(&out, "<tr><td>", v1::RiskFinding::Kind_Name(f.kind()), "</td><td>",
                      Esc(f.element()), "</td><td>", Esc(RiskFindingText(f, r.us_nation())),
                      "</td></tr>\n");
    }
    out += "</table>\n";
  }
  out += "</section>\n";
  return out;
}

std::string SpofSection(const v1::SinglePointsReport& r) {
  std::string out = "<section id=\"spof\"><h2>Single points of failure</h2>\n";
  if (r.points_size() == 0) {
    return out + "<p class=\"note\">None.</p></section>\n";
  }
  out += "<table class=\"bars\"><tr><th>element</th><th class=\"n\">gaps opened</th><th></th>"
         "<th>per IER</th></tr>\n";
  const int64_t top = std::max<int64_t>(1, r.points(0).gaps_opened());
  for (const v1::SinglePointOfFailure& p : r.points()) {
    std::vector<std::string> per_ier;
    for (const v1::IerLoss& l : p.by_ier()) per_ier.push_back(absl::StrCat(l.ier(), ": ", l.gaps_opened()));
    absl::StrAppend(&out, "<tr><td>", Esc(p.element()), "</td><td class=\"n\">", p.gaps_opened(),
                    "</td><td>",
                    Bar({{static_cast<double>(p.gaps_opened()), "k-technical",
                          absl::StrCat(p.gaps_opened(), " gaps")}},
                        static_cast<double>(top)),
                    "</td><td>", Esc(absl::StrJoin(per_ier, "; ")), "</td></tr>\n");
  }
  out += "</table>\n";
  if (r.cannot_lose_size() > 0) {
    out += "<h3>What each IER cannot lose</h3><table><tr><th>IER</th><th>elements</th></tr>\n";
    for (const v1::IerCannotLose& c : r.cannot_lose()) {
      absl::StrAppend(&out, "<tr><td>", Esc(c.ier()), "</td><td>",
                      Esc(absl::StrJoin(c.elements(), ", ")), "</td></tr>\n");
    }
    out += "</table>\n";
  }
  out += "</section>\n";
  return out;
}

std::string Title(absl::string_view what, absl::string_view model, absl::string_view mix) {
  return absl::StrCat("<header><h1>", Esc(what), mix.empty() ? "" : ": ", Esc(mix),
                      "</h1><div class=\"sub\">model ", Esc(model), "</div></header>\n");
}

// --- What-if, recommend, compare ---------------------------------------------------------------

std::string GapTable(const google::protobuf::RepeatedPtrField<v1::Gap>& gaps) {
  if (gaps.empty()) return "<p class=\"note\">None.</p>\n";
  return absl::StrCat("<table>", kGapHeader, GapRows(gaps, {}, false), "</table>\n");
}

std::string ChangeList(const google::protobuf::RepeatedPtrField<v1::Change>& changes) {
  std::string out = "<ol>";
  for (const v1::Change& c : changes) absl::StrAppend(&out, "<li>", Esc(ChangeText(c)), "</li>");
  out += "</ol>\n";
  return out;
}

}  // namespace

std::string InlineSvg(const std::string& svg) {
  std::string out;
  size_t i = 0;
  const size_t start = svg.find("<svg");
  if (start == std::string::npos) return "";
  i = start;
  const size_t end = svg.rfind("</svg>");
  const size_t stop = end == std::string::npos ? svg.size() : end + 6;
  out.reserve(stop - start);
  while (i < stop) {
    if (svg.compare(i, 4, "<!--") == 0) {
      const size_t close = svg.find("-->", i + 4);
      i = close == std::string::npos ? stop : close + 3;
      // Drop the newline after a comment line too.
      if (i < stop && svg[i] == '\n') ++i;
      continue;
    }
    if (svg.compare(i, 7, " xmlns=") == 0 || svg.compare(i, 13, " xmlns:xlink=") == 0) {
      const size_t q = svg.find('"', i);
      const size_t q2 = q == std::string::npos ? std::string::npos : svg.find('"', q + 1);
      if (q2 != std::string::npos) {
        i = q2 + 1;
        continue;
      }
    }
    out.push_back(svg[i++]);
  }
  return out;
}

std::string RenderMixHtml(const MixPage& p) {
  static const v1::GapReport kEmpty;
  MixPage page = p;
  if (page.gaps == nullptr) page.gaps = &kEmpty;
  const v1::GapReport& r = *page.gaps;
  std::string out = PageStart(absl::StrCat("coalition report: ", r.mix_name()));
  out += Title("Coalition interoperability report", r.model_name(), r.mix_name());
  out += "<nav class=\"note\"><a href=\"#headline\">headline</a> \xC2\xB7 <a href=\"#sv3\">SV-3 heat map</a>"
         " \xC2\xB7 <a href=\"#network\">network</a> \xC2\xB7 <a href=\"#gap-bars\">gaps per IER</a> \xC2\xB7 "
         "<a href=\"#gap-list\">gap list</a>";
  if (page.spof != nullptr) out += " \xC2\xB7 <a href=\"#spof\">single points of failure</a>";
  if (page.risk != nullptr) out += " \xC2\xB7 <a href=\"#risk\">risk</a>";
  out += "</nav>\n";
  out += Headline(r, page.risk);
  out += HeatMapSection(page);
  out += NetworkSection(page);
  out += GapBars(r);
  out += GapList(r, page.elements);
  if (page.spof != nullptr) out += SpofSection(*page.spof);
  if (page.risk != nullptr) out += RiskSection(*page.risk);
  out += PageEnd(r.gaps_size() > 0);
  return out;
}

std::string RenderRiskHtml(const v1::RiskReport& r) {
  std::string out = PageStart(absl::StrCat("coalition risk: ", r.mix_name()));
  out += Title("Dependency risk", r.model_name(), r.mix_name());
  out += RiskSection(r);
  out += PageEnd(false);
  return out;
}

std::string RenderWhatIfHtml(const v1::WhatIfReport& r) {
  std::string out = PageStart(absl::StrCat("coalition what-if: ", r.mix_name()));
  out += Title("What-if", r.model_name(), r.mix_name());
  out += "<section id=\"changes\"><h2>Changes</h2>\n" + ChangeList(r.changes());
  for (const v1::NoOp& n : r.no_ops()) absl::StrAppend(&out, "<p class=\"note\">", Esc(NoOpText(n)), "</p>\n");
  out += "<div class=\"cards\">";
  out += Card(absl::StrCat(r.gaps_opened_total()), "gaps opened");
  out += Card(absl::StrCat(r.gaps_closed_total()), "gaps closed");
  out += Card(absl::StrCat(r.gaps_changed_total()), "gaps changed");
  out += Card(absl::StrCat(r.grounded_elements_size()), "elements grounded");
  out += "</div>\n";
  for (const auto& [title, list] :
       {std::pair<const char*, const google::protobuf::RepeatedPtrField<std::string>*>{
            "Grounded", &r.grounded_elements()},
        {"Removed", &r.removed_elements()},
        {"Added", &r.added_elements()}}) {
    if (!list->empty()) {
      absl::StrAppend(&out, "<p><b>", title, ":</b> ", Esc(absl::StrJoin(*list, ", ")), "</p>\n");
    }
  }
  out += "</section>\n<section id=\"aggregates\"><h2>Before \xE2\x86\x92 after</h2>\n";
  out += Legend({{"k-units", "before"}, {"k-cost", "after"}});
  out += "<table class=\"bars\"><tr><th>aggregate</th><th class=\"n\">before</th><th class=\"n\">"
         "after</th><th class=\"n\">change</th><th></th></tr>\n";
  for (const v1::AggregateDelta& a : r.aggregates()) {
    const double top = std::max({std::abs(a.before()), std::abs(a.after()), 1e-12});
    absl::StrAppend(&out, "<tr><td>", Esc(a.name()), "</td><td class=\"n\">",
                    absl::StrFormat("%g", a.before()), "</td><td class=\"n\">",
                    absl::StrFormat("%g", a.after()), "</td><td class=\"n\">",
                    absl::StrFormat("%+g", a.after() - a.before()), "</td><td>",
                    Bar({{std::abs(a.before()), "k-units", "before"}}, top),
                    Bar({{std::abs(a.after()), "k-cost", "after"}}, top), "</td></tr>\n");
  }
  out += "</table>\n</section>\n";
  absl::StrAppend(&out, "<section id=\"opened\"><h2>Gaps opened (", r.gaps_opened_size(), " listed of ",
                  r.gaps_opened_total(), ")</h2>\n", GapTable(r.gaps_opened()), "</section>\n");
  absl::StrAppend(&out, "<section id=\"closed\"><h2>Gaps closed (", r.gaps_closed_size(), " listed of ",
                  r.gaps_closed_total(), ")</h2>\n", GapTable(r.gaps_closed()), "</section>\n");
  if (r.gaps_changed_size() > 0) {
    google::protobuf::RepeatedPtrField<v1::Gap> after;
    for (const v1::GapChange& c : r.gaps_changed()) *after.Add() = c.after();
    absl::StrAppend(&out, "<section id=\"changed\"><h2>Gaps changed (", r.gaps_changed_size(),
                    " listed of ", r.gaps_changed_total(), "; as after)</h2>\n", GapTable(after),
                    "</section>\n");
  }
  out += PageEnd(false);
  return out;
}

static std::string PlanSection(const char* id, const char* title, const v1::Plan& plan,
                        int64_t gaps_before) {
  std::string out = absl::StrCat("<section id=\"", id, "\"><h2>", title, "</h2>\n<div class=\"cards\">");
  out += Card(v1::Plan::Method_Name(plan.method()), "method");
  out += Card(absl::StrCat(Num(plan.budget_musd()), " M$"), "budget");
  out += Card(absl::StrCat(Num(plan.cost_musd()), " M$"), "cost");
  out += Card(absl::StrCat(plan.gaps_closed(), " / ", gaps_before), "gaps closed");
  if (plan.gaps_opened() > 0) out += Card(absl::StrCat(plan.gaps_opened()), "gaps opened");
  out += Card(absl::StrCat(plan.bound()), "bound (net gaps)");
  if (!plan.stopped_by().empty()) out += Card(plan.stopped_by(), "stopped by");
  out += "</div>\n";
  if (plan.steps_size() == 0) return out + "<p class=\"note\">No step.</p></section>\n";
  // Gaps left after each step against the cumulative cost: a step chart.
  const int w = 640, h = 220, l = 50, b = 30, t = 10, r = 20;
  double max_cost = 0;
  for (const v1::PlanStep& s : plan.steps()) max_cost = std::max(max_cost, s.cumulative_cost_musd());
  if (max_cost <= 0) max_cost = 1;
  const double max_gaps = std::max<int64_t>(1, gaps_before);
  auto X = [&](double c) { return l + (w - l - r) * c / max_cost; };
  auto Y = [&](double g) { return t + (h - t - b) * (1.0 - g / max_gaps); };
  std::string pts = absl::StrFormat("%.1f,%.1f", X(0), Y(gaps_before));
  std::string dots;
  double prev_gaps = gaps_before;
  int k = 0;
  for (const v1::PlanStep& s : plan.steps()) {
    const double x = X(s.cumulative_cost_musd());
    absl::StrAppend(&pts, absl::StrFormat(" %.1f,%.1f %.1f,%.1f", x, Y(prev_gaps), x, Y(s.gaps_left())));
    absl::StrAppend(&dots, absl::StrFormat("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#4575b4\">"
                                           "<title>step %d: %s M$, %d gaps left</title></circle>",
                                           x, Y(s.gaps_left()), ++k, Num(s.cumulative_cost_musd()),
                                           s.gaps_left()));
    prev_gaps = s.gaps_left();
  }
  absl::StrAppend(
      &out, "<svg class=\"plan-chart\" width=\"", w, "\" height=\"", h, "\" role=\"img\">",
      absl::StrFormat("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
                      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
                      l, h - b, w - r, h - b, l, t, l, h - b),
      absl::StrFormat("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s M$</text>",
                      w - r, h - 8, Num(max_cost)),
      absl::StrFormat("<text x=\"%d\" y=\"%d\" font-size=\"11\">cumulative cost</text>", l, h - 8),
      absl::StrFormat("<text x=\"4\" y=\"%d\" font-size=\"11\">%d</text>", t + 10, gaps_before),
      absl::StrFormat("<text x=\"4\" y=\"%d\" font-size=\"11\">gaps</text>", (h - b) / 2),
      "<polyline fill=\"none\" stroke=\"#4575b4\" stroke-width=\"2\" points=\"", pts, "\"/>",
      dots, "</svg>\n");
  out += "<table><tr><th class=\"n\">step</th><th>changes</th><th class=\"n\">cost M$</th>"
         "<th class=\"n\">cumulative</th><th class=\"n\">gaps closed</th><th class=\"n\">left</th>"
         "<th>closed per IER (policy / technical / unavailable)</th></tr>\n";
  k = 0;
  for (const v1::PlanStep& s : plan.steps()) {
    std::vector<std::string> per_ier;
    for (const v1::GapCounts& c : s.closed_by_ier()) {
      per_ier.push_back(absl::StrCat(c.key(), ": ", c.gaps(), " (", c.policy(), " / ", c.technical(),
                                     " / ", c.unavailable(), ")"));
    }
    absl::StrAppend(&out, "<tr><td class=\"n\">", ++k, "</td><td>",
                    ChangeList(s.candidate().changes()), "</td><td class=\"n\">",
                    Num(s.candidate().cost_musd()), "</td><td class=\"n\">",
                    Num(s.cumulative_cost_musd()), "</td><td class=\"n\">", s.gaps_closed(),
                    s.gaps_opened() > 0 ? absl::StrCat(" (", s.gaps_opened(), " opened)") : "",
                    "</td><td class=\"n\">", s.gaps_left(), "</td><td>",
                    Esc(absl::StrJoin(per_ier, "; ")), "</td></tr>\n");
  }
  out += "</table>\n</section>\n";
  return out;
}

std::string RenderRecommendHtml(const v1::RecommendReport& r) {
  std::string out = PageStart(absl::StrCat("coalition recommend: ", r.mix_name()));
  out += Title("Recommended plan", r.model_name(), r.mix_name());
  out += "<div class=\"cards\">";
  out += Card(absl::StrCat(r.gaps_before()), "gaps before");
  out += Card(absl::StrCat(r.candidates_useful(), " / ", r.candidates_generated()),
              "candidates searched / generated");
  out += "</div>\n";
  out += PlanSection("plan", "Plan within the budget", r.plan(), r.gaps_before());
  if (r.has_best_single()) {
    absl::StrAppend(&out, "<section id=\"best-single\"><h2>Best single candidate</h2>",
                    ChangeList(r.best_single().changes()), "<p>", Num(r.best_single().cost_musd()),
                    " M$, ", r.best_single().gaps_closed_alone(), " gaps closed</p></section>\n");
  }
  if (!r.ier().empty()) {
    out += PlanSection("ier-plan", "Cheapest plan for the IER", r.ier_plan(), r.gaps_before());
    absl::StrAppend(&out, "<p>IER ", Esc(r.ier()), "</p>\n");
    if (r.ier_gaps_unclosable() > 0) {
      absl::StrAppend(&out, "<p class=\"note\">", r.ier_gaps_unclosable(), " gaps of it remain",
                      r.ier_unclosable_proven() ? " (proven)" : " (search stopped at a limit)",
                      "</p>\n");
    }
  }
  out += PageEnd(false);
  return out;
}

std::string RenderCompareHtml(const v1::CompareReport& r) {
  std::string out = PageStart(absl::StrCat("coalition compare: ", r.model_name()));
  out += Title("Comparison of force mixes", r.model_name(), "");
  // Pareto chart: cost (x) against gaps (y); the radius grows with the largest exposure; the
  // front filled and joined.
  const int w = 720, h = 380, l = 60, b = 40, t = 20, rt = 160;
  double max_cost = 1, max_gaps = 1;
  for (const v1::MixComparison& m : r.mixes()) {
    max_cost = std::max(max_cost, m.cost_musd());
    max_gaps = std::max(max_gaps, static_cast<double>(m.gaps_total()));
  }
  auto X = [&](double c) { return l + (w - l - rt) * c / (max_cost * 1.05); };
  auto Y = [&](double g) { return t + (h - t - b) * (1.0 - g / (max_gaps * 1.05)); };
  std::vector<std::pair<double, double>> front;
  std::string dots;
  for (const v1::MixComparison& m : r.mixes()) {
    const double x = X(m.cost_musd()), y = Y(static_cast<double>(m.gaps_total()));
    const double rad = 5 + 20 * m.risk().largest_exposure().unit_share();
    if (m.on_pareto_front()) front.emplace_back(x, y);
    absl::StrAppend(&dots,
                    absl::StrFormat("<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" "
                                    "fill=\"%s\" fill-opacity=\"0.7\" stroke=\"#2c3e50\"><title>",
                                    m.on_pareto_front() ? "pareto" : "dominated", x, y, rad,
                                    m.on_pareto_front() ? "#4575b4" : "#ffffff"),
                    Esc(m.mix_name()), ": ", Num(m.cost_musd()), " M$, ", m.gaps_total(),
                    " gaps, largest exposure ", Esc(m.risk().largest_exposure().nation()), " ",
                    Pct(m.risk().largest_exposure().unit_share()), "</title></circle>",
                    absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">", x + rad + 3, y + 4),
                    Esc(m.mix_name()), m.on_pareto_front() ? " *" : "", "</text>");
  }
  std::sort(front.begin(), front.end());
  std::string line;
  for (const auto& [x, y] : front) absl::StrAppend(&line, absl::StrFormat("%.1f,%.1f ", x, y));
  absl::StrAppend(
      &out, "<section id=\"pareto\"><h2>Pareto front: cost, gaps, largest exposure</h2>\n",
      "<p class=\"note\">Filled and marked *: on the Pareto front (no other mix is at most as "
      "costly, with at most as many gaps and at most as large a largest exposure, and better on "
      "one). Circle size: the largest embargo exposure's share of units.</p>\n",
      "<svg id=\"pareto-chart\" width=\"", w, "\" height=\"", h, "\" role=\"img\">",
      absl::StrFormat("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
                      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
                      l, h - b, w - rt, h - b, l, t, l, h - b),
      absl::StrFormat("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">cost M$ (max %s)</text>",
                      w - rt, h - 10, Num(max_cost)),
      absl::StrFormat("<text x=\"6\" y=\"%d\" font-size=\"11\">gaps</text>", t + 10),
      absl::StrFormat("<text x=\"6\" y=\"%d\" font-size=\"11\">%.0f</text>", t + 26, max_gaps),
      front.size() > 1 ? absl::StrCat("<polyline fill=\"none\" stroke=\"#4575b4\" stroke-dasharray=\"4 3\" points=\"",
                                      line, "\"/>")
                       : "",
      dots, "</svg>\n</section>\n");
  // The table: one column per mix.
  out += "<section id=\"mixes\"><h2>Side by side</h2><div class=\"scroll\"><table><tr><th>measure</th>";
  for (const v1::MixComparison& m : r.mixes()) {
    absl::StrAppend(&out, "<th class=\"n", m.on_pareto_front() ? " front" : "", "\">",
                    Esc(m.mix_name()), m.on_pareto_front() ? " *" : "", "</th>");
  }
  out += "</tr>\n";
  auto row = [&](const char* name, auto value) {
    absl::StrAppend(&out, "<tr><td>", name, "</td>");
    for (const v1::MixComparison& m : r.mixes()) {
      absl::StrAppend(&out, "<td class=\"n\">", value(m), "</td>");
    }
    out += "</tr>\n";
  };
  using M = const v1::MixComparison&;
  row("cost M$", [](M m) { return Num(m.cost_musd()); });
  row("units / elements", [](M m) { return absl::StrCat(m.units(), " / ", m.elements()); });
  row("IERs satisfied", [](M m) { return absl::StrCat(m.iers_satisfied(), " / ", m.iers_total()); });
  row("pairs satisfied", [](M m) { return absl::StrCat(m.pairs_satisfied(), " / ", m.pairs_evaluated()); });
  row("gaps", [](M m) { return absl::StrCat(m.gaps_total()); });
  row("policy / technical / unavailable", [](M m) {
    return absl::StrCat(m.gaps_policy(), " / ", m.gaps_technical(), " / ", m.gaps_unavailable());
  });
  row("levels", [](M m) {
    int64_t total = 0;
    for (int64_t v : m.level_histogram()) total += v;
    std::vector<std::tuple<double, const char*, std::string>> seg;
    static const char* kCls[] = {"b0", "b1", "b2", "b3", "b4"};
    for (int k = 0; k < m.level_histogram_size() && k <= 4; ++k) {
      seg.emplace_back(static_cast<double>(m.level_histogram(k)), kCls[k],
                       absl::StrCat(k, ": ", m.level_histogram(k)));
    }
    return Bar(seg, static_cast<double>(std::max<int64_t>(1, total)));
  });
  row("single points of failure", [](M m) {
    return m.single_points() == 0 ? std::string("0")
                                  : absl::StrCat(m.single_points(), " (", Esc(m.top_single_point()),
                                                 ": ", m.top_single_point_gaps(), ")");
  });
  row("largest embargo exposure", [](M m) {
    const v1::NationExposure& e = m.risk().largest_exposure();
    return e.nation().empty() ? std::string("none")
                              : absl::StrCat(Esc(e.nation()), " ", Pct(e.unit_share()));
  });
  row("adversary HIGH / CRITICAL elements", [](M m) {
    return absl::StrCat(m.risk().adversary_high().elements(), " / ",
                        m.risk().adversary_critical().elements());
  });
  row("ITAR-exposed elements", [](M m) { return absl::StrCat(m.risk().itar_exposure().elements()); });
  row("best plan: gaps closed / cost M$", [](M m) {
    return absl::StrCat(m.best_plan().gaps_closed(), " / ", Num(m.best_plan().cost_musd()), " (",
                        v1::Plan::Method_Name(m.best_plan().method()), ")");
  });
  out += "</table></div>\n</section>\n";
  out += PageEnd(false);
  return out;
}

}  // namespace coalition::report
