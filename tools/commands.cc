#include "tools/commands.h"

#include <cstdio>
#include <memory>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/base/file_io.h"
#include "engine/base/status_macros.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "engine/report/render.h"
#include "engine/scenario/scenario.h"
#include "engine/snapshot/snapshot.h"
#include "google/protobuf/util/message_differencer.h"
#include "tools/args.h"
#include "tools/message_types.h"
#include "tools/mix_html.h"
#include "tools/session.h"

namespace coalition::tools {
namespace {

namespace v1 = ::coalition::v1;
using graph::EdgeKind;
using graph::EntityKind;

constexpr absl::string_view kFindingsPayload = "coalition.findings";

// ---- validate ------------------------------------------------------------------------------

absl::Status RunValidate(const Args& args, std::ostream& out,
                         std::ostream& err) {
  ASSIGN_OR_RETURN(const v1::ValidationReport report, ValidateModelFile(args));
  ASSIGN_OR_RETURN(report::ReportFormat f, report::ParseReportFormat(args.format));
  if (f == report::ReportFormat::kText) {
    for (const v1::Diagnostic& d : report.diagnostics()) err << FormatDiagnostic(d) << "\n";
    err << args.positional[0] << ": " << report.errors() << " error(s), " << report.warnings()
        << " warning(s)\n";
  } else {
    ASSIGN_OR_RETURN(std::string text, report::RenderValidation(report, f));
    RETURN_IF_ERROR(EmitOutput(args.out, text, out));
  }
  if (report.errors() > 0) {
    return absl::InvalidArgumentError(absl::StrCat(args.positional[0], " is not valid"));
  }
  if (report.warnings() > 0 && args.warnings_as_errors) {
    return FindingsStatus(absl::StrCat(report.warnings(), " warning(s) with --warnings_as_errors"));
  }
  return absl::OkStatus();
}

// ---- stats ---------------------------------------------------------------------------------

absl::Status RunStats(const Args& args, std::ostream& out, std::ostream& err) {
  ASSIGN_OR_RETURN(auto s, OpenSession(args, /*need_mix=*/false, err));
  const graph::TypedGraph& g = *s->graph;
  std::string o = absl::StrCat("Model \"", g.model_name(), "\" (", args.positional[0], ")\n\nEntities\n");
  for (int k = 0; k < graph::kNumEntityKinds; ++k) {
    auto kind = static_cast<EntityKind>(k);
    absl::StrAppend(&o, absl::StrFormat("  %-10s %12d\n", graph::EntityKindName(kind), g.Count(kind)));
  }
  int64_t per_kind[graph::kNumEdgeKinds] = {};
  for (EdgeKind e : g.edge_kinds()) per_kind[static_cast<int>(e)]++;
  absl::StrAppend(&o, "\nEdges\n");
  for (int k = 0; k < graph::kNumEdgeKinds; ++k) {
    absl::StrAppend(&o, absl::StrFormat("  %-14s %12d\n",
                                        graph::EdgeKindName(static_cast<EdgeKind>(k)), per_kind[k]));
  }
  absl::StrAppend(&o, absl::StrFormat("  %-14s %12d\n", "total", g.num_edges()));
  int64_t sourcing[4] = {};
  for (uint32_t p = 0; p < g.Count(EntityKind::kPlatform); ++p) sourcing[g.platform(p).sourcing]++;
  const double np = std::max<uint32_t>(1, g.Count(EntityKind::kPlatform));
  absl::StrAppend(&o, "\nSourcing of platform types\n");
  for (int k = 1; k <= 3; ++k) {
    absl::StrAppend(&o, absl::StrFormat("  %-12s %6d  %5.1f%%\n",
                                        v1::Sourcing_Name(static_cast<v1::Sourcing>(k)),
                                        sourcing[k], 100.0 * sourcing[k] / np));
  }
  if (sourcing[0] > 0) {
    absl::StrAppend(&o, absl::StrFormat("  %-12s %6d\n", "unspecified", sourcing[0]));
  }
  graph::MemoryStats m = g.Memory();
  absl::StrAppend(&o, "\nBuilt graph memory\n");
  absl::StrAppend(&o, absl::StrFormat("  topology    %12d bytes (%.2f bytes/edge, %.2f bytes/node)\n",
                                      m.topology_bytes,
                                      m.edges ? double(m.topology_bytes) / m.edges : 0.0,
                                      m.nodes ? double(m.topology_bytes) / m.nodes : 0.0));
  absl::StrAppend(&o, absl::StrFormat("  side tables %12d bytes\n", m.side_table_bytes));
  absl::StrAppend(&o, absl::StrFormat("  ids, names  %12d bytes\n", m.id_bytes));
  absl::StrAppend(&o, absl::StrFormat("  total       %12d bytes\n", m.total_bytes()));
  absl::StrAppend(&o, "\nMixes in the model file: ",
                  s->mix_names.empty() ? "none" : absl::StrJoin(s->mix_names, ", "), "\n");
  return EmitOutput(args.out, o, out);
}

// ---- convert -------------------------------------------------------------------------------

absl::Status RunConvert(const Args& args, std::ostream& out, std::ostream& err) {
  // --type, else the input's '# proto-message:' header, else --message (tools/message_types.h).
  ASSIGN_OR_RETURN(std::unique_ptr<google::protobuf::Message> msg, MessageToConvert(args));
  const bool is_model = msg->GetDescriptor() == v1::Model::descriptor();
  SourceInfo source;
  if (is_model && snapshot::IsSnapshotFile(args.positional[0])) {
    // A snapshot converts back to the model it was written from (its lossless copy).
    ASSIGN_OR_RETURN(LoadedModel m, LoadModelOrSnapshotModel(args.positional[0], ""));
    static_cast<v1::Model*>(msg.get())->Swap(&m.model);
  } else {
    RETURN_IF_ERROR(LoadMessage(args.positional[0], args.input_format, msg.get(), &source));
  }
  ASSIGN_OR_RETURN(Format f, FormatForPath(args.positional[1], args.output_format));
  ASSIGN_OR_RETURN(std::string bytes, SerializeMessage(*msg, f));
  if (f == Format::kTextProto) bytes = TextHeader(*msg) + bytes;  // names its message
  // Check the conversion loses nothing before writing: parse the output back and compare.
  std::unique_ptr<google::protobuf::Message> back(msg->New());
  SourceInfo ignored;
  RETURN_IF_ERROR(ParseMessage(bytes, f, args.positional[1], back.get(), &ignored));
  if (!google::protobuf::util::MessageDifferencer::Equals(*msg, *back)) {
    return absl::InternalError("conversion would lose data; nothing written");
  }
  if (args.positional[1] == "-") {
    out << bytes;
    return out ? absl::OkStatus() : absl::InternalError("cannot write to standard output");
  }
  return WriteFileAtomically(args.positional[1], bytes);
}

// ---- gaps / matrix -------------------------------------------------------------------------

absl::Status RunGaps(const Args& args, std::ostream& out, std::ostream& err) {
  ASSIGN_OR_RETURN(report::ReportFormat f, report::ParseReportFormat(FormatUnlessHtml(args.format)));
  const std::string fail_on = args.fail_on;
  if (fail_on != "none" && fail_on != "policy" && fail_on != "technical" && fail_on != "any") {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown --fail_on '", fail_on, "' (allowed: none, policy, technical, any)"));
  }
  ASSIGN_OR_RETURN(auto s, OpenSession(args, /*need_mix=*/true, err));
  RETURN_IF_ERROR(CheckPairBudget(*s->resolved, args.max_pairs, "gaps"));
  // The mix as it stands: elements the supply restrictions in force ground are absent (SPEC §4).
  ASSIGN_OR_RETURN(const scenario::SupplyChain* chain, SupplyChainOf(*s));
  const scenario::Scenario baseline(*s->graph, *s->resolved, chain);
  const analysis::PolicyLevels levels = analysis::ComputePolicyLevels(baseline);
  v1::GapReport r = analysis::AnalyzeGaps(baseline, levels, {args.max_gaps});
  if (IsHtml(args.format)) {  // the page of the mix without the risk picture (tools/mix_html.h)
    RETURN_IF_ERROR(CheckMatrixBudget(*s->resolved, args.max_pairs));
    RETURN_IF_ERROR(EmitOutput(args.out, MixHtml(*s, baseline, levels, r, nullptr, err), out));
  } else {
    ASSIGN_OR_RETURN(std::string text, report::RenderGapReport(r, f));
    RETURN_IF_ERROR(EmitOutput(args.out, text, out));
  }
  int64_t policy = 0, technical = 0;
  for (const v1::GapCounts& c : r.by_class()) {
    policy += c.policy();
    technical += c.technical();
  }
  if ((fail_on == "policy" && policy > 0) || (fail_on == "technical" && technical > 0) ||
      (fail_on == "any" && r.gaps_total() > 0)) {
    return FindingsStatus(absl::StrCat(r.gaps_total(), " gap(s): ", policy, " policy, ", technical,
                                       " technical (--fail_on=", fail_on, ")"));
  }
  return absl::OkStatus();
}

absl::Status RunMatrix(const Args& args, std::ostream& out, std::ostream& err) {
  std::string fmt = args.format;
  ASSIGN_OR_RETURN(report::ReportFormat f, report::ParseReportFormat(fmt));
  ASSIGN_OR_RETURN(auto s, OpenSession(args, /*need_mix=*/true, err));
  RETURN_IF_ERROR(CheckMatrixBudget(*s->resolved, args.max_pairs));
  ASSIGN_OR_RETURN(const scenario::SupplyChain* chain, SupplyChainOf(*s));
  const scenario::Scenario baseline(*s->graph, *s->resolved, chain);
  const analysis::InteropLevels strict =
      analysis::InteropLevels::Compute(baseline, /*relax_policy=*/false);
  ASSIGN_OR_RETURN(std::string text,
                   report::RenderMatrix(analysis::BuildMatrix(baseline, strict), f));
  return EmitOutput(args.out, text, out);
}

}  // namespace

absl::Status FindingsStatus(const std::string& message) {
  absl::Status s = absl::FailedPreconditionError(message);
  s.SetPayload(kFindingsPayload, absl::Cord("1"));
  return s;
}

bool IsFindings(const absl::Status& s) { return s.GetPayload(kFindingsPayload).has_value(); }

std::vector<Command> CoreCommands() {
  return {
      {"validate", "check a model (and a mix) and report every problem with its location",
       "usage: coalition validate MODEL [--mix MIX] [--warnings_as_errors] [--format text|csv|json|textproto|binpb]\n"
       "\n"
       "Loads MODEL (.textproto/.txtpb, .binpb or .json; '-' with --input_format) and reports\n"
       "every problem: parse errors with file:line:column, duplicate or malformed ids, dangling\n"
       "references (with 'did you mean'), unspecified enums, negative values, component cycles,\n"
       "gateways on standards the platform does not speak, sourcing that contradicts the\n"
       "designer/producer nations (warning), mixes naming unknown platforms or nations, and\n"
       "selectors that match nothing (warning). --mix adds a mix file (or names a mix inside).\n"
       "Text diagnostics go to stderr; other formats write the ValidationReport to --out.\n"
       "Exit: 0 valid (warnings allowed), 1 warnings with --warnings_as_errors, 2 errors.\n",
       {"mix", "warnings_as_errors", "input_format", "format", "out"}, 1, 1, &RunValidate},
      {"stats", "counts per entity and edge kind, sourcing shares, memory of the built graph",
       "usage: coalition stats MODEL [--out FILE]\n"
       "\n"
       "Validates MODEL, builds the typed graph and prints counts per entity and edge kind, the\n"
       "sourcing shares of the platform types and the memory of the built graph.\n",
       {"input_format", "out"}, 1, 1, &RunStats},
      {"convert", "convert any message (model, mix, what-if, report) between formats, losslessly",
       "usage: coalition convert IN OUT [--type T] [--input_format F] [--output_format F]\n"
       "\n"
       "IN holds a model, a mix, a what-if or any report: --type model|mix|whatif|validation|\n"
       "gaps|matrix|risk|whatif_report|spof|recommend|compare (or a full name such as\n"
       "coalition.v1.GapReport); without --type, a text file's '# proto-message: NAME' header\n"
       "comment says it; else --message (model). Text output starts with that header.\n"
       "\n"
       "Formats come from the extensions (.textproto/.txtpb, .binpb, .json, .binpbs: a\n"
       "length-delimited stream of chunks, for models over 2 GiB) or the flags ('-'\n"
       "needs them). The output is parsed back and compared with the input before it is written\n"
       "(atomically); a conversion that would lose anything writes nothing and exits 3.\n",
       {"message", "type", "input_format", "output_format"}, 2, 2, &RunConvert},
      {"gaps", "interoperability gap report for a force mix",
       "usage: coalition gaps MODEL [--mix MIX] [--format text|markdown|csv|json|textproto|binpb|html]\n"
       "                      [--max_gaps N] [--fail_on none|policy|technical|any] [--out FILE]\n"
       "\n"
       "Evaluates every IER of the mix over every ordered pair its selectors give and reports\n"
       "the gaps: class (POLICY: closed by relaxing releasability and information sharing;\n"
       "TECHNICAL otherwise), achieved / required / policy-relaxed levels, the limiting layer\n"
       "(bearer, syntax, version, translation, policy), what blocks it, the best path and a\n"
       "suggested fix. Summary and aggregates first, then the worst --max_gaps gaps.\n"
       "MIX is a mix name inside MODEL or a mix file; empty uses the model's only mix.\n"
       "IERs asking more than --max_pairs ordered pairs in all (default 10^9; -1 no limit) are\n"
       "refused before any work, naming the largest IERs: narrow their selectors.\n"
       "Exit: 0 ok, 1 gaps of the --fail_on class, 2 invalid input.\n",
       {"mix", "format", "max_gaps", "fail_on", "out", "input_format", "max_pairs"}, 1, 1, &RunGaps},
      {"matrix", "interoperability matrix (SV-3): achieved level for every pair of elements",
       "usage: coalition matrix MODEL [--mix MIX] [--format csv|text|json|textproto|binpb] [--out FILE]\n"
       "\n"
       "Rows and columns follow the mix's element order; cell (A, B) is the achieved level 0..4\n"
       "of A with B (symmetric); the diagonal is the level between two units of one element.\n"
       "A mix whose matrix has more than --max_pairs cells (default 4,000,000, about 2,000\n"
       "elements; -1 no limit) is refused: use `gaps` for the aggregates.\n",
       {"mix", "format", "out", "input_format", "max_pairs"}, 1, 1, &RunMatrix},
  };
}

absl::Status RunCommand(const std::string& name, const Args& args, std::ostream& out,
                        std::ostream& err) {
  for (const Command& c : Commands()) {
    if (name == c.name) return c.run(args, out, err);
  }
  return absl::NotFoundError(absl::StrCat("unknown command '", name, "'"));
}

const std::vector<Command>& Commands() {
  // Each family of subcommands lives in its own file; list it here once.
  static const std::vector<Command>* all = [] {
    auto* v = new std::vector<Command>();
    for (auto family : {&CoreCommands, &GenerateCommands, &ImportCommands, &RiskCommands,
                        &RecommendCommands, &CompareCommands, &SnapshotCommands,
                        &ReportCommands, &ExportCommands}) {
      for (Command& c : family()) v->push_back(std::move(c));
    }
    return v;
  }();
  return *all;
}

}  // namespace coalition::tools
