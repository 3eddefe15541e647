#include "engine/report/render.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "engine/report/escape.h"
#include "engine/report/explain.h"
#include "engine/report/text_table.h"

namespace coalition::report {
namespace {

namespace v1 = ::coalition::v1;

std::string Level(int l) { return absl::StrCat(l, " ", LevelName(l)); }

std::string Pct(int64_t part, int64_t whole) {
  if (whole == 0) return "-";
  return absl::StrFormat("%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string LayerName(v1::Layer l) {
  std::string n = v1::Layer_Name(l);
  if (absl::StartsWith(n, "LAYER_")) n = n.substr(6);
  return absl::AsciiStrToLower(n);
}

}  // namespace

absl::StatusOr<std::string> SerializeReport(const google::protobuf::Message& m, ReportFormat f) {
  switch (f) {
    case ReportFormat::kJson:
      return SerializeMessage(m, Format::kJson);
    case ReportFormat::kTextProto:
      return SerializeMessage(m, Format::kTextProto);
    case ReportFormat::kBinary:
      return SerializeMessage(m, Format::kBinary);
    default:
      return absl::InvalidArgumentError("not a proto format");
  }
}

namespace {

std::vector<std::vector<std::string>> CountRows(
    const google::protobuf::RepeatedPtrField<v1::GapCounts>& counts, const std::string& head,
    bool with_pairs, int limit) {
  std::vector<std::vector<std::string>> rows;
  if (with_pairs) {
    rows.push_back({head, "units", "satisfied", "gaps", "policy", "technical", "unavailable"});
  } else {
    rows.push_back({head, "gaps", "policy", "technical", "unavailable"});
  }
  int n = 0;
  for (const v1::GapCounts& c : counts) {
    if (limit >= 0 && n++ >= limit) break;
    std::vector<std::string> r = {c.second().empty() ? c.key()
                                                      : absl::StrCat(c.key(), "|", c.second())};
    if (with_pairs) {
      r.push_back(UnitsText(c.pairs(), c.coverage()));
      r.push_back(absl::StrCat(c.satisfied(), " (", Pct(c.satisfied(), c.pairs()), ")"));
    }
    for (int64_t v : {c.gaps(), c.policy(), c.technical(), c.unavailable()}) {
      r.push_back(absl::StrCat(v));
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

// "Pairs evaluated: 120" or, with coverage IERs, "Units evaluated: 124 (120 pairs, 4 elements)".
std::string UnitsEvaluatedText(const v1::GapReport& r) {
  if (r.coverage_units() == 0) return absl::StrCat("Pairs evaluated: ", r.pairs_evaluated());
  return absl::StrCat("Units evaluated: ", r.pairs_evaluated(), " (",
                      UnitsText(r.pairs_evaluated() - r.coverage_units(), v1::ALL_PAIRS), ", ",
                      UnitsText(r.coverage_units(), v1::EACH_TO), ")");
}

bool WeightsMatter(const v1::GapReport& r) {
  for (const v1::GapCounts& c : r.by_ier()) {
    if (c.weight() != 1 && c.weight() != 0) return true;
  }
  return false;
}

std::string WeightsText(const v1::GapReport& r) {
  std::vector<std::string> w;
  for (const v1::GapCounts& c : r.by_ier()) {
    w.push_back(absl::StrFormat("%s %g", c.key(), c.weight() == 0 ? 1.0 : c.weight()));
  }
  return absl::StrJoin(w, ", ");
}

constexpr int kTopBuckets = 10;

std::string TopOf(int64_t n) {
  return n > kTopBuckets ? absl::StrCat(" (top ", kTopBuckets, " of ", n, ")") : "";
}

std::string GapText(const v1::GapReport& r) {
  std::string o;
  absl::StrAppend(&o, "Gap report: mix \"", TextSafe(r.mix_name()), "\" on model \"",
                  TextSafe(r.model_name()), "\"\n");
  absl::StrAppend(&o, absl::StrFormat("  %d elements, %d units, %.1f M$\n", r.elements(), r.units(),
                                      r.cost_musd()));
  absl::StrAppend(&o, "  IERs fully satisfied: ", r.iers_satisfied(), " of ", r.iers_total(), "\n");
  int64_t policy = 0, technical = 0, unavailable = 0;
  for (const v1::GapCounts& c : r.by_class()) {
    policy += c.policy();
    technical += c.technical();
    unavailable += c.unavailable();
  }
  absl::StrAppend(&o, "  ", UnitsEvaluatedText(r), ", satisfied ",
                  r.pairs_satisfied(), " (", Pct(r.pairs_satisfied(), r.pairs_evaluated()),
                  "), gaps ", r.gaps_total(), ": ", policy, " policy, ", technical, " technical, ",
                  unavailable, " unavailable\n");
  if (WeightsMatter(r)) {
    absl::StrAppend(&o, absl::StrFormat("  Weighted gaps: %g (IER weights: %s)\n",
                                        r.weighted_gaps(), TextSafe(WeightsText(r))));
  }
  std::vector<std::string> hist;
  for (int l = 0; l < r.level_histogram_size(); ++l) {
    hist.push_back(absl::StrCat(Level(l), " ", r.level_histogram(l)));
  }
  absl::StrAppend(&o, "  Achieved levels: ", absl::StrJoin(hist, ", "), "\n\n");
  absl::StrAppend(&o, "By IER\n", TextTable(CountRows(r.by_ier(), "IER", true, -1), "  "), "\n");
  if (r.by_nation_pair_size() > 0) {
    absl::StrAppend(&o, "Nation pairs with most gaps", TopOf(r.nation_pairs_total()), "\n",
                    TextTable(CountRows(r.by_nation_pair(), "nations", false, kTopBuckets), "  "), "\n");
    absl::StrAppend(&o, "Platform pairs with most gaps", TopOf(r.platform_pairs_total()), "\n",
                    TextTable(CountRows(r.by_platform_pair(), "platforms", false, kTopBuckets), "  "),
                    "\n");
  }
  if (const std::string note = NoIersNote(r); !note.empty()) {
    absl::StrAppend(&o, note, "\n");
    return o;
  }
  if (r.gaps_total() == 0) {
    absl::StrAppend(&o, "No gaps: every IER is satisfied.\n");
    return o;
  }
  absl::StrAppend(&o, "Gaps, worst first (", r.gaps_size(), " listed");
  if (r.gaps_omitted() > 0) {
    absl::StrAppend(&o, ", ", r.gaps_omitted(), " more not listed: raise --max_gaps");
  }
  absl::StrAppend(&o, ")\n");
  int i = 0;
  for (const v1::Gap& g : r.gaps()) {
    absl::StrAppend(&o, absl::StrFormat("%4d. [%s] %s: %s -> %s  achieved %d, required %d, "
                                        "policy-relaxed %d, layer %s\n",
                                        ++i, v1::GapClass_Name(g.gap_class()), TextSafe(g.ier()),
                                        TextSafe(g.from_element()), TextSafe(g.to_element()),
                                        g.achieved_level(),
                                        g.required_level(), g.relaxed_level(), LayerName(g.layer())));
    absl::StrAppend(&o, "        ", TextSafe(GapExplanation(g)), "\n");
    if (!g.fixes().empty()) {
      absl::StrAppend(&o, "        fix: ", TextSafe(FixesText(g.fixes())), "\n");
    }
  }
  return o;
}

std::string GapMarkdown(const v1::GapReport& r) {
  std::string o;
  absl::StrAppend(&o, "# Gap report: ", MarkdownSafe(r.mix_name()), "\n\n");
  absl::StrAppend(&o, "Model: ", MarkdownSafe(r.model_name()), "\n\n");
  absl::StrAppend(&o, MarkdownTable({{"measure", "value"},
                                     {"elements", absl::StrCat(r.elements())},
                                     {"units", absl::StrCat(r.units())},
                                     {"cost (M$)", absl::StrFormat("%.1f", r.cost_musd())},
                                     {"IERs fully satisfied",
                                      absl::StrCat(r.iers_satisfied(), " of ", r.iers_total())},
                                     {"pairs evaluated", absl::StrCat(r.pairs_evaluated())},
                                     {"pairs satisfied",
                                      absl::StrCat(r.pairs_satisfied(), " (",
                                                   Pct(r.pairs_satisfied(), r.pairs_evaluated()),
                                                   ")")},
                                     {"gaps", absl::StrCat(r.gaps_total())}}));
  std::vector<std::vector<std::string>> hist = {{"level", "pairs"}};
  for (int l = 0; l < r.level_histogram_size(); ++l) {
    hist.push_back({Level(l), absl::StrCat(r.level_histogram(l))});
  }
  absl::StrAppend(&o, "\n## Achieved levels\n\n", MarkdownTable(hist));
  absl::StrAppend(&o, "\n## By IER\n\n", MarkdownTable(CountRows(r.by_ier(), "IER", true, -1)));
  if (r.by_class_size() > 0) {
    absl::StrAppend(&o, "\n## By class\n\n",
                    MarkdownTable(CountRows(r.by_class(), "class", false, -1)));
    absl::StrAppend(&o, "\n## Nation pairs with most gaps", TopOf(r.nation_pairs_total()), "\n\n",
                    MarkdownTable(CountRows(r.by_nation_pair(), "nations", false, kTopBuckets)));
    absl::StrAppend(&o, "\n## Platform pairs with most gaps", TopOf(r.platform_pairs_total()), "\n\n",
                    MarkdownTable(CountRows(r.by_platform_pair(), "platforms", false, kTopBuckets)));
  }
  absl::StrAppend(&o, "\n## Gaps, worst first\n\n");
  if (const std::string note = NoIersNote(r); !note.empty()) {
    absl::StrAppend(&o, MarkdownSafe(note), "\n");
  } else if (r.gaps_size() == 0) {
    absl::StrAppend(&o, "None listed.\n");
  }
  std::vector<std::vector<std::string>> rows = {
      {"#", "IER", "from", "to", "class", "achieved", "required", "relaxed", "layer", "fix"}};
  int i = 0;
  for (const v1::Gap& g : r.gaps()) {
    rows.push_back({absl::StrCat(++i), g.ier(), g.from_element(), g.to_element(),
                    v1::GapClass_Name(g.gap_class()), absl::StrCat(g.achieved_level()),
                    absl::StrCat(g.required_level()), absl::StrCat(g.relaxed_level()),
                    LayerName(g.layer()), FixesText(g.fixes())});
  }
  if (r.gaps_size() > 0) absl::StrAppend(&o, MarkdownTable(rows));
  if (r.gaps_omitted() > 0) {
    absl::StrAppend(&o, "\n", r.gaps_omitted(), " more gaps not listed (raise --max_gaps).\n");
  }
  i = 0;
  if (r.gaps_size() > 0) absl::StrAppend(&o, "\n### Explanations\n\n");
  for (const v1::Gap& g : r.gaps()) {
    absl::StrAppend(&o, ++i, ". ", MarkdownSafe(GapExplanation(g)), "\n");
  }
  return o;
}

std::string GapCsv(const v1::GapReport& r) {
  std::string o =
      "ier,from,to,class,achieved,required,relaxed,layer,policy_blocks,best_path,fixes,"
      "explanation\n";
  for (const v1::Gap& g : r.gaps()) {
    std::vector<std::string> f = {g.ier(),
                                  g.from_element(),
                                  g.to_element(),
                                  v1::GapClass_Name(g.gap_class()),
                                  absl::StrCat(g.achieved_level()),
                                  absl::StrCat(g.required_level()),
                                  absl::StrCat(g.relaxed_level()),
                                  LayerName(g.layer()),
                                  BlocksText(g),
                                  PathText(g.best_path()),
                                  FixesText(g.fixes()),
                                  GapExplanation(g)};
    for (std::string& s : f) s = CsvField(s);
    absl::StrAppend(&o, absl::StrJoin(f, ","), "\n");
  }
  return o;
}

}  // namespace

absl::StatusOr<ReportFormat> ParseReportFormat(absl::string_view name) {
  std::string n = absl::AsciiStrToLower(name);
  if (n == "text") return ReportFormat::kText;
  if (n == "markdown" || n == "md") return ReportFormat::kMarkdown;
  if (n == "csv") return ReportFormat::kCsv;
  if (n == "json") return ReportFormat::kJson;
  if (n == "textproto" || n == "txtpb") return ReportFormat::kTextProto;
  if (n == "binpb" || n == "binary") return ReportFormat::kBinary;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown --format '", name, "' (allowed: text, markdown, csv, json, textproto, binpb)"));
}

absl::StatusOr<std::string> RenderGapReport(const v1::GapReport& r, ReportFormat f) {
  switch (f) {
    case ReportFormat::kText:
      return GapText(TextSafeCopy(r));
    case ReportFormat::kMarkdown:
      return GapMarkdown(TextSafeCopy(r));
    case ReportFormat::kCsv:
      return GapCsv(r);
    default:
      return SerializeReport(r, f);
  }
}

absl::StatusOr<std::string> RenderMatrix(const v1::InteropMatrix& m, ReportFormat f) {
  // int64 cell indices: n * n passes 2^31 at 46,341 elements (issue 16; the matrix command
  // refuses such sizes by default, see --max_pairs).
  const int64_t n = m.elements_size();
  const auto level = [&m, n](int64_t a, int64_t b) { return m.levels(static_cast<int>(a * n + b)); };
  if (m.levels_size() != n * n) {
    return absl::InvalidArgumentError(absl::StrCat("matrix of ", n, " elements holds ",
                                                   m.levels_size(), " levels, not ", n * n));
  }
  switch (f) {
    case ReportFormat::kCsv: {
      std::string o = "element";
      for (const std::string& e : m.elements()) absl::StrAppend(&o, ",", CsvField(e));
      absl::StrAppend(&o, "\n");
      for (int64_t a = 0; a < n; ++a) {
        absl::StrAppend(&o, CsvField(m.elements(static_cast<int>(a))));
        for (int64_t b = 0; b < n; ++b) absl::StrAppend(&o, ",", level(a, b));
        absl::StrAppend(&o, "\n");
      }
      return o;
    }
    case ReportFormat::kText: {
      std::string o = absl::StrCat("Interoperability matrix (SV-3): mix \"", TextSafe(m.mix_name()),
                                   "\", achieved level row -> column\n");
      absl::StrAppend(&o, "Levels: 0 isolated, 1 unstructured (voice), 2 structured (translated), "
                          "3 seamless data, 4 seamless information; '.' marks the diagonal's "
                          "same-element level\n\n");
      std::vector<std::vector<std::string>> rows;
      std::vector<std::string> head = {"element"};
      for (int64_t b = 0; b < n; ++b) head.push_back(absl::StrCat(b + 1));
      rows.push_back(head);
      for (int64_t a = 0; a < n; ++a) {
        std::vector<std::string> row = {absl::StrCat(a + 1, " ", m.elements(static_cast<int>(a)))};
        for (int64_t b = 0; b < n; ++b) {
          row.push_back(absl::StrCat(level(a, b), a == b ? "." : ""));
        }
        rows.push_back(std::move(row));
      }
      return absl::StrCat(o, TextTable(rows, ""));
    }
    case ReportFormat::kMarkdown:
      return absl::InvalidArgumentError("the matrix renders as csv, text, json, textproto or binpb");
    default:
      return SerializeReport(m, f);
  }
}

absl::StatusOr<std::string> RenderValidation(const v1::ValidationReport& r, ReportFormat f) {
  switch (f) {
    case ReportFormat::kText: {
      std::string o;
      for (const v1::Diagnostic& d : r.diagnostics()) {
        absl::StrAppend(&o, TextSafe(FormatDiagnostic(d)), "\n");
      }
      return o;
    }
    case ReportFormat::kCsv: {
      std::string o = "severity,file,line,column,path,code,message\n";
      for (const v1::Diagnostic& d : r.diagnostics()) {
        absl::StrAppend(&o, absl::AsciiStrToLower(v1::Diagnostic::Severity_Name(d.severity())), ",",
                        CsvField(d.file()), ",", d.line(), ",", d.column(), ",", CsvField(d.path()),
                        ",", CsvField(d.code()), ",", CsvField(d.message()), "\n");
      }
      return o;
    }
    case ReportFormat::kMarkdown:
      return absl::InvalidArgumentError("validation renders as text, csv, json, textproto or binpb");
    default:
      return SerializeReport(r, f);
  }
}

}  // namespace coalition::report
