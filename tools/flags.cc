#include "tools/flags.h"

#include <utility>

#include "absl/flags/flag.h"
#include "tools/args.h"

ABSL_FLAG(std::string, mix, "",
          "The force mix: the name of a mix inside the model file, or a mix file "
          "(.textproto/.txtpb/.binpb/.json). Empty: the model's only mix.");
ABSL_FLAG(std::string, format, "text",
          "Output format: text, markdown, csv, json, textproto, binpb (matrix: csv, text, json, "
          "textproto, binpb); html (one self-contained page) for gaps, risk, whatif, recommend, "
          "compare; dot or graphml for export --graph.");
ABSL_FLAG(std::string, input_format, "",
          "Format of the input when reading '-' (stdin) or overriding the extension: textproto, "
          "binpb, json, binpbs.");
ABSL_FLAG(std::string, output_format, "",
          "Format of the output when writing '-' (stdout) or overriding the extension: "
          "textproto, binpb, json, binpbs.");
ABSL_FLAG(std::string, message, "model",
          "What the files of `convert` hold when neither --type nor a '# proto-message:' header "
          "says: model (coalition.v1.Model), mix (coalition.v1.ForceMix), or any --type value.");
ABSL_FLAG(std::string, out, "-",
          "Write the report to this file (atomically: a temporary file renamed into place); "
          "'-' is stdout.");
ABSL_FLAG(std::string, fail_on, "none",
          "Exit 1 when the report has gaps of this class: none, policy, technical, any.");
ABSL_FLAG(int, max_gaps, 100,
          "List at most this many individual gaps, worst first, and at most this many nation-pair and "
          "platform-pair rows (-1: all); the counts always cover every gap.");
ABSL_FLAG(bool, warnings_as_errors, false, "validate: exit 1 when there are warnings.");

// generate: sizes (0 = derived from --edges when given, else the generator's default).
ABSL_FLAG(int64_t, edges, 0,
          "generate: aim at about this many typed edges (sizes derived; explicit size flags "
          "win). 0: use the size flags and defaults.");
ABSL_FLAG(int, nations, 0, "generate: nations (>= 2; 0: derived / default 30).");
ABSL_FLAG(int, platforms, 0, "generate: platform types (0: derived / default 200).");
ABSL_FLAG(int, links, 0, "generate: comms links (0: derived / default 20).");
ABSL_FLAG(int, standards, 0, "generate: data standards (0: derived / default 40).");
ABSL_FLAG(int, components, 0, "generate: components (>= 3; 0: derived / default 600).");
ABSL_FLAG(int, suppliers, 0, "generate: suppliers (0: derived / default 120).");
ABSL_FLAG(int, elements, -1,
          "generate: force elements of the generated mix (0: no mix; -1: default 200).");
ABSL_FLAG(int, iers, 0, "generate: IERs of the mix (0: clamp(elements / 5000, 3, 40)).");
ABSL_FLAG(int64_t, max_pairs, 0,
          "Bound on the ordered pairs of elements the IERs ask, in all (|from| x |to| per IER). "
          "gaps, whatif, spof, recommend, compare: refuse a mix asking more (0: 10^9; -1: no "
          "limit). matrix: refuse a matrix of more cells (0: 4,000,000). generate: keep the "
          "generated IERs under it (0: 20 x elements).");
ABSL_FLAG(uint64_t, seed, 1, "generate: random seed; the same seed gives the same bytes.");

// risk, whatif, spof (tools/risk_commands.cc). Repeatable: every occurrence adds to the list.
ABSL_FLAG(std::vector<std::string>, embargo, {},
          "whatif: remove every supplier in this NATION (repeatable; comma lists too).");
ABSL_FLAG(std::vector<std::string>, lift, {},
          "whatif: lift the supply restriction in force with this ID (Model.restrictions; "
          "repeatable).");
ABSL_FLAG(std::vector<std::string>, remove_supplier, {},
          "whatif: remove the supplier ID (repeatable).");
ABSL_FLAG(std::vector<std::string>, remove_element, {},
          "whatif: remove the force element ID from the mix (repeatable).");
ABSL_FLAG(std::vector<std::string>, remove_platform, {},
          "whatif: remove every element of the platform type ID (repeatable).");
ABSL_FLAG(std::vector<std::string>, release, {},
          "whatif: LINK_OR_STANDARD:NATION_OR_GROUP, release the item to the nation or group "
          "(repeatable).");
ABSL_FLAG(std::vector<std::string>, fit, {},
          "whatif: LINK:PLATFORM, fit the link to the platform type (repeatable).");
ABSL_FLAG(std::vector<std::string>, add_element, {},
          "whatif: PLATFORM:NATION:QTY, add a force element (repeatable).");
ABSL_FLAG(std::vector<std::string>, upgrade, {},
          "whatif: PLATFORM:FROM_STANDARD:TO_STANDARD, move the platform type to another version "
          "of a standard family (repeatable).");
ABSL_FLAG(std::vector<std::string>, add_gateway, {},
          "whatif: PLATFORM:NATION, add one unit of a gateway platform type (repeatable).");
ABSL_FLAG(std::vector<std::string>, share, {},
          "whatif: NATION:NATION, an information-sharing arrangement between two nations "
          "(repeatable).");
ABSL_FLAG(std::string, changes, "",
          "whatif: a file holding a coalition.v1.WhatIf (textproto, binpb or json) of typed "
          "changes (ids may contain ':' there); its changes come first, then the flags'.");
ABSL_FLAG(int, max_findings, 200,
          "risk: list at most this many findings (-1: all); aggregates count all.");
ABSL_FLAG(double, horizon_months, 0,
          "risk: rank embargo exposure by the share grounded within this many months (each "
          "element's time to ground is the smallest stock_months of the critical components it "
          "loses); 0: grounded at once.");
ABSL_FLAG(int, pairs_per_point, 20,
          "spof: list at most this many affected pairs per single point of failure (-1: all).");
ABSL_FLAG(std::string, us_nation, "",
          "risk: the nation id ITAR exposure is relative to (the United States); empty: the "
          "model's us_nation (default USA).");

// recommend (tools/recommend_commands.cc).
ABSL_FLAG(double, budget, -1,
          "recommend: budget in millions of USD (< 0: the mix's budget_musd).");
ABSL_FLAG(std::string, ier, "",
          "recommend: also the cheapest plan that satisfies this IER (by name) entirely.");
ABSL_FLAG(int, max_steps, 25, "recommend: at most this many greedy steps.");
ABSL_FLAG(double, time_limit, 10,
          "recommend: seconds the exact search may take before the greedy plan is used.");

// export --graph (tools/graph_export_commands.cc) and convert --type (tools/commands.cc).
ABSL_FLAG(std::string, graph, "",
          "export: write a graph for other tools instead: interop (elements, channels, bridges, "
          "gaps marked) or supply (platforms, components, suppliers, nations); --format dot or "
          "graphml.");
ABSL_FLAG(std::string, type, "",
          "convert: the message the files hold: model, mix, whatif, validation, gaps, matrix, "
          "risk, whatif_report, spof, recommend, compare (or a full name such as "
          "coalition.v1.GapReport). Empty: the input's '# proto-message:' header, else --message.");

// export --for (tools/filter_export_commands.cc).
ABSL_FLAG(std::string, for, "",
          "export: the recipient NATION of a filtered export (SPEC s7): only what is releasable "
          "to it, references to the rest dropped, free text naming the rest redacted.");

namespace coalition::tools {

Args ReadArgs(std::vector<std::string> positional) {
  Args a;
  a.positional = std::move(positional);
  a.mix = absl::GetFlag(FLAGS_mix);
  a.format = absl::GetFlag(FLAGS_format);
  a.input_format = absl::GetFlag(FLAGS_input_format);
  a.output_format = absl::GetFlag(FLAGS_output_format);
  a.message = absl::GetFlag(FLAGS_message);
  a.out = absl::GetFlag(FLAGS_out);
  a.fail_on = absl::GetFlag(FLAGS_fail_on);
  a.max_gaps = absl::GetFlag(FLAGS_max_gaps);
  a.warnings_as_errors = absl::GetFlag(FLAGS_warnings_as_errors);
  a.edges = absl::GetFlag(FLAGS_edges);
  a.nations = absl::GetFlag(FLAGS_nations);
  a.platforms = absl::GetFlag(FLAGS_platforms);
  a.links = absl::GetFlag(FLAGS_links);
  a.standards = absl::GetFlag(FLAGS_standards);
  a.components = absl::GetFlag(FLAGS_components);
  a.suppliers = absl::GetFlag(FLAGS_suppliers);
  a.elements = absl::GetFlag(FLAGS_elements);
  a.iers = absl::GetFlag(FLAGS_iers);
  a.max_pairs = absl::GetFlag(FLAGS_max_pairs);
  a.seed = absl::GetFlag(FLAGS_seed);
  a.embargo = absl::GetFlag(FLAGS_embargo);
  a.remove_supplier = absl::GetFlag(FLAGS_remove_supplier);
  a.lift = absl::GetFlag(FLAGS_lift);
  a.remove_element = absl::GetFlag(FLAGS_remove_element);
  a.remove_platform = absl::GetFlag(FLAGS_remove_platform);
  a.release = absl::GetFlag(FLAGS_release);
  a.fit = absl::GetFlag(FLAGS_fit);
  a.add_element = absl::GetFlag(FLAGS_add_element);
  a.upgrade = absl::GetFlag(FLAGS_upgrade);
  a.add_gateway = absl::GetFlag(FLAGS_add_gateway);
  a.share = absl::GetFlag(FLAGS_share);
  a.changes = absl::GetFlag(FLAGS_changes);
  a.max_findings = absl::GetFlag(FLAGS_max_findings);
  a.horizon_months = absl::GetFlag(FLAGS_horizon_months);
  a.pairs_per_point = absl::GetFlag(FLAGS_pairs_per_point);
  a.us_nation = absl::GetFlag(FLAGS_us_nation);
  a.budget = absl::GetFlag(FLAGS_budget);
  a.ier = absl::GetFlag(FLAGS_ier);
  a.max_steps = absl::GetFlag(FLAGS_max_steps);
  a.time_limit = absl::GetFlag(FLAGS_time_limit);
  a.graph = absl::GetFlag(FLAGS_graph);
  a.type = absl::GetFlag(FLAGS_type);
  a.for_nation = absl::GetFlag(FLAGS_for);
  return a;
}

}  // namespace coalition::tools
