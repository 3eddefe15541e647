#include "engine/report/render_compare.h"

#include <algorithm>
#include <functional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "engine/report/explain.h"
#include "engine/report/escape.h"
#include "engine/report/text_table.h"

namespace coalition::report {
namespace {

namespace v1 = ::coalition::v1;

// Widest text table before the columns are headed [1], [2], ... instead of by name.
constexpr size_t kMaxTextWidth = 120;

constexpr char kLegend[] =
    "on the Pareto front of cost, gaps and largest embargo exposure (share of units), lower "
    "being better on all three: no other mix compared is at least as good on all three and "
    "better on one. Mixes with equal figures share the front.";

constexpr v1::Sourcing kSourcings[] = {v1::US_BUILT, v1::CO_PRODUCED, v1::THIRD_PARTY};

std::string Pct(double share) { return absl::StrFormat("%.1f%%", 100.0 * share); }
std::string Musd(double v) { return absl::StrFormat("%.1f", v); }
std::string Share(double v) { return absl::StrFormat("%.4f", v); }

v1::SourcingShare SourcingOf(const v1::MixComparison& m, v1::Sourcing s) {
  for (const v1::SourcingShare& x : m.risk().sourcing()) {
    if (x.sourcing() == s) return x;
  }
  return {};
}

int64_t Level(const v1::MixComparison& m, int k) {
  return k < m.level_histogram_size() ? m.level_histogram(k) : 0;
}

// One row of the side-by-side table: a section heading (no value) or a measure.
struct Measure {
  std::string label;
  std::function<std::string(const v1::MixComparison&)> value;  // empty for a heading
};

std::vector<Measure> Measures() {
  using M = v1::MixComparison;
  std::vector<Measure> ms = {
      {"Force", nullptr},
      {"cost (M$)", [](const M& m) { return Musd(m.cost_musd()); }},
      {"units", [](const M& m) { return absl::StrCat(m.units()); }},
      {"elements", [](const M& m) { return absl::StrCat(m.elements()); }},
      {"budget for fixes (M$)", [](const M& m) { return Musd(m.budget_musd()); }},
      {"Interoperability", nullptr},
      {"IERs satisfied",
       [](const M& m) { return absl::StrCat(m.iers_satisfied(), " of ", m.iers_total()); }},
      {"pairs evaluated", [](const M& m) { return absl::StrCat(m.pairs_evaluated()); }},
      {"pairs satisfied",
       [](const M& m) {
         return m.pairs_evaluated() == 0
                    ? absl::StrCat(m.pairs_satisfied())
                    : absl::StrCat(m.pairs_satisfied(), " (",
                                   Pct(double(m.pairs_satisfied()) / m.pairs_evaluated()), ")");
       }},
      {"gaps", [](const M& m) { return absl::StrCat(m.gaps_total()); }},
      {"  policy", [](const M& m) { return absl::StrCat(m.gaps_policy()); }},
      {"  technical", [](const M& m) { return absl::StrCat(m.gaps_technical()); }},
      {"  unavailable", [](const M& m) { return absl::StrCat(m.gaps_unavailable()); }},
  };
  for (int k = 0; k <= 4; ++k) {
    ms.push_back({absl::StrCat("pairs at level ", k, " ", LevelName(k)),
                  [k](const M& m) { return absl::StrCat(Level(m, k)); }});
  }
  const std::vector<Measure> rest = {
      {"Single points of failure", nullptr},
      {"elements", [](const M& m) { return absl::StrCat(m.single_points()); }},
      {"worst (gaps it opens)",
       [](const M& m) {
         return m.single_points() == 0
                    ? std::string("-")
                    : absl::StrCat(m.top_single_point(), " (", m.top_single_point_gaps(), ")");
       }},
      {"Risk", nullptr},
      {"largest embargo exposure",
       [](const M& m) {
         const std::string& n = m.risk().largest_exposure().nation();
         return n.empty() ? std::string("none") : n;
       }},
      {"  units it grounds",
       [](const M& m) {
         const v1::NationExposure& x = m.risk().largest_exposure();
         return absl::StrCat(x.grounded_units(), " (", Pct(x.unit_share()), ")");
       }},
      {"  cost it grounds (M$)",
       [](const M& m) {
         const v1::NationExposure& x = m.risk().largest_exposure();
         return absl::StrCat(Musd(x.grounded_cost_musd()), " (", Pct(x.cost_share()), ")");
       }},
      {"adversary HIGH: elements / units",
       [](const M& m) {
         return absl::StrCat(m.risk().adversary_high().elements(), " / ",
                             m.risk().adversary_high().units());
       }},
      {"adversary CRITICAL: elements / units",
       [](const M& m) {
         return absl::StrCat(m.risk().adversary_critical().elements(), " / ",
                             m.risk().adversary_critical().units());
       }},
      {"ITAR exposure: elements / units",
       [](const M& m) {
         return absl::StrCat(m.risk().itar_exposure().elements(), " / ",
                             m.risk().itar_exposure().units());
       }},
      {"ITAR exposure: findings",
       [](const M& m) { return absl::StrCat(m.risk().itar_exposure().findings()); }},
  };
  ms.insert(ms.end(), rest.begin(), rest.end());
  for (v1::Sourcing s : kSourcings) {
    ms.push_back({absl::StrCat(v1::Sourcing_Name(s), ": units / cost"), [s](const M& m) {
                    const v1::SourcingShare x = SourcingOf(m, s);
                    return absl::StrCat(Pct(x.unit_share()), " / ", Pct(x.cost_share()));
                  }});
  }
  ms.push_back({"unsustainable before any embargo",
                [](const M& m) { return absl::StrCat(m.risk().unsustainable_elements_size()); }});
  ms.push_back({"Best plan within the budget", nullptr});
  ms.push_back({"steps / cost (M$)", [](const M& m) {
                  return absl::StrCat(m.best_plan().steps_size(), " / ",
                                      Musd(m.best_plan().cost_musd()));
                }});
  ms.push_back({"gaps it closes / opens", [](const M& m) {
                  return absl::StrCat(m.best_plan().gaps_closed(), " / ",
                                      m.best_plan().gaps_opened());
                }});
  ms.push_back({"search", [](const M& m) {
                  return std::string(m.best_plan().method() == v1::Plan::EXACT ? "exact"
                                                                               : "greedy");
                }});
  ms.push_back({"Pareto front", [](const M& m) { return std::string(m.on_pareto_front() ? "*" : "-"); }});
  return ms;
}

// The column heading of mix i: its name (or "[i+1]" when keyed), " *" when on the front.
std::string Heading(const v1::MixComparison& m, int i, bool keyed, absl::string_view star) {
  return absl::StrCat(keyed ? absl::StrCat("[", i + 1, "]") : m.mix_name(),
                      m.on_pareto_front() ? absl::StrCat(" ", star) : "");
}

// The side-by-side rows. Text headings are indented; markdown ones are bold with empty cells.
Rows SideBySide(const v1::CompareReport& r, bool keyed, bool markdown) {
  const absl::string_view star = markdown ? "\\*" : "*";
  std::vector<std::string> head = {"measure"};
  for (int i = 0; i < r.mixes_size(); ++i) head.push_back(Heading(r.mixes(i), i, keyed, star));
  Rows rows = {head};
  for (const Measure& m : Measures()) {
    if (!m.value) {
      std::vector<std::string> row = {markdown ? absl::StrCat("**", m.label, "**") : m.label};
      if (markdown) row.resize(head.size());
      rows.push_back(row);
      continue;
    }
    std::vector<std::string> row = {markdown ? m.label : absl::StrCat("  ", m.label)};
    for (const v1::MixComparison& x : r.mixes()) {
      std::string v = m.value(x);
      if (markdown && v == "*") v = "\\*";
      row.push_back(v);
    }
    rows.push_back(row);
  }
  return rows;
}

std::vector<std::string> FrontNames(const v1::CompareReport& r) {
  std::vector<std::string> names;
  for (const v1::MixComparison& m : r.mixes()) {
    if (m.on_pareto_front()) names.push_back(m.mix_name());
  }
  return names;
}

// `text` wrapped at spaces into lines of at most `width` characters, each after `indent`
// (the first after `first`).
std::string Wrap(absl::string_view text, size_t width, absl::string_view first,
                 absl::string_view indent) {
  std::string out(first), line;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (!line.empty() && first.size() + line.size() + 1 + word.size() > width) {
      absl::StrAppend(&out, line, "\n", indent);
      line.clear();
    }
    absl::StrAppend(&line, line.empty() ? "" : " ", word);
  }
  absl::StrAppend(&out, line, "\n");
  return out;
}

size_t Widest(const std::string& text) {
  size_t w = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) w = std::max(w, line.size());
  return w;
}

std::string CompareText(const v1::CompareReport& r) {
  std::string o = absl::StrCat("Comparison of ", r.mixes_size(), " mix",
                               r.mixes_size() == 1 ? "" : "es", " on model \"", r.model_name(),
                               "\"\n");
  absl::StrAppend(&o, "  Pareto front: ", absl::StrJoin(FrontNames(r), ", "), "\n\n");
  std::string table = TextTable(SideBySide(r, /*keyed=*/false, /*markdown=*/false), "");
  if (Widest(table) > kMaxTextWidth) {
    table = TextTable(SideBySide(r, /*keyed=*/true, /*markdown=*/false), "");
    for (int i = 0; i < r.mixes_size(); ++i) {
      absl::StrAppend(&o, "  [", i + 1, "] ", r.mixes(i).mix_name(), "\n");
    }
    absl::StrAppend(&o, "\n");
  }
  absl::StrAppend(&o, table, "\n", Wrap(kLegend, 100, "* ", "  "));
  return o;
}

std::string CompareMarkdown(const v1::CompareReport& r) {
  std::string o = absl::StrCat("# Comparison of ", r.mixes_size(), " mix",
                               r.mixes_size() == 1 ? "" : "es", "\n\nModel: ", r.model_name(),
                               "\n\nPareto front: ", absl::StrJoin(FrontNames(r), ", "), "\n\n");
  absl::StrAppend(&o, MarkdownTable(SideBySide(r, /*keyed=*/false, /*markdown=*/true)), "\n\\* ",
                  kLegend, "\n");
  return o;
}

std::string CompareCsv(const v1::CompareReport& r) {
  std::vector<std::string> head = {
      "mix", "cost_musd", "units", "elements", "budget_musd", "iers_satisfied", "iers_total",
      "pairs_evaluated", "pairs_satisfied", "gaps_total", "gaps_policy", "gaps_technical",
      "gaps_unavailable"};
  for (int k = 0; k <= 4; ++k) head.push_back(absl::StrCat("level_", k));
  for (const char* h :
       {"single_points", "top_single_point", "top_single_point_gaps", "largest_exposure_nation",
        "largest_exposure_units", "largest_exposure_unit_share", "largest_exposure_cost_share",
        "adversary_high_elements", "adversary_high_units", "adversary_critical_elements",
        "adversary_critical_units", "itar_exposed_elements", "itar_exposed_units",
        "itar_findings"}) {
    head.push_back(h);
  }
  for (v1::Sourcing s : kSourcings) {
    const std::string n = absl::AsciiStrToLower(v1::Sourcing_Name(s));
    head.push_back(absl::StrCat(n, "_unit_share"));
    head.push_back(absl::StrCat(n, "_cost_share"));
  }
  head.push_back("unsustainable_elements");
  head.push_back("on_pareto_front");
  std::string o = CsvRow(head);
  for (const v1::MixComparison& m : r.mixes()) {
    const v1::RiskHeadline& k = m.risk();
    std::vector<std::string> row = {
        m.mix_name(), Musd(m.cost_musd()), absl::StrCat(m.units()), absl::StrCat(m.elements()),
        Musd(m.budget_musd()), absl::StrCat(m.iers_satisfied()), absl::StrCat(m.iers_total()),
        absl::StrCat(m.pairs_evaluated()), absl::StrCat(m.pairs_satisfied()),
        absl::StrCat(m.gaps_total()), absl::StrCat(m.gaps_policy()),
        absl::StrCat(m.gaps_technical()), absl::StrCat(m.gaps_unavailable())};
    for (int l = 0; l <= 4; ++l) row.push_back(absl::StrCat(Level(m, l)));
    for (const std::string& v :
         {absl::StrCat(m.single_points()), m.top_single_point(),
          absl::StrCat(m.top_single_point_gaps()), k.largest_exposure().nation(),
          absl::StrCat(k.largest_exposure().grounded_units()),
          Share(k.largest_exposure().unit_share()), Share(k.largest_exposure().cost_share()),
          absl::StrCat(k.adversary_high().elements()), absl::StrCat(k.adversary_high().units()),
          absl::StrCat(k.adversary_critical().elements()),
          absl::StrCat(k.adversary_critical().units()), absl::StrCat(k.itar_exposure().elements()),
          absl::StrCat(k.itar_exposure().units()), absl::StrCat(k.itar_exposure().findings())}) {
      row.push_back(v);
    }
    for (v1::Sourcing s : kSourcings) {
      const v1::SourcingShare x = SourcingOf(m, s);
      row.push_back(Share(x.unit_share()));
      row.push_back(Share(x.cost_share()));
    }
    row.push_back(absl::StrCat(k.unsustainable_elements_size()));
    row.push_back(m.on_pareto_front() ? "true" : "false");
    absl::StrAppend(&o, CsvRow(row));
  }
  return o;
}

}  // namespace

absl::StatusOr<std::string> RenderCompareReport(const v1::CompareReport& report,
                                                ReportFormat format) {
  switch (format) {
    case ReportFormat::kText:
      return CompareText(TextSafeCopy(report));
    case ReportFormat::kMarkdown:
      return CompareMarkdown(TextSafeCopy(report));
    case ReportFormat::kCsv:
      return CompareCsv(report);
    default:
      return SerializeReport(report, format);
  }
}

}  // namespace coalition::report
