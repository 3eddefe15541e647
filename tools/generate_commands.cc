// `coalition generate`: a deterministic, seeded, realistic-shaped model and mix
// (engine/generate/generator.h), written in any format (.binpbs for the largest models).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/base/status_macros.h"
#include "engine/generate/generator.h"
#include "engine/model/load.h"
#include "tools/commands.h"
#include "tools/args.h"

namespace coalition::tools {
namespace {

absl::Status RunGenerate(const Args& args, std::ostream& out,
                         std::ostream& err) {
  ASSIGN_OR_RETURN(Format format, FormatForPath(args.positional[0], args.output_format));
  const int64_t edges = args.edges;
  if (edges < 0 || edges > generate::kMaxGeneratedEdges) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--edges must be in 0..", generate::kMaxGeneratedEdges, ", got ", edges));
  }
  const int elements_flag = args.elements;
  generate::GeneratorOptions o;
  if (edges > 0) o = generate::OptionsForEdges(edges, o.elements);
  auto set = [](int flag, int* field) {
    if (flag > 0) *field = flag;
  };
  set(args.nations, &o.nations);
  set(args.platforms, &o.platforms);
  set(args.links, &o.links);
  set(args.standards, &o.standards);
  set(args.components, &o.components);
  set(args.suppliers, &o.suppliers);
  set(args.iers, &o.iers);
  if (elements_flag >= 0) o.elements = elements_flag;
  o.max_pairs = args.max_pairs;
  o.seed = args.seed;

  // Progress on stderr only when it is a terminal (never in pipes, logs or tests).
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&]() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  generate::ProgressFn progress;
  if (tty) {
    progress = [&](absl::string_view stage, int64_t done, int64_t total) {
      err << absl::StrFormat("\rgenerate: %-10s %12d / %-12d %6.1fs", stage, done, total,
                             seconds())
          << std::flush;
    };
  }
  generate::GeneratedStats stats;
  ASSIGN_OR_RETURN(coalition::v1::Model model, generate::GenerateModel(o, progress, &stats));
  if (tty) err << absl::StrFormat("\rgenerate: writing %s ...%30s", args.positional[0], "") << std::flush;
  RETURN_IF_ERROR(WriteMessage(model, args.positional[0], format));
  if (tty) {
    err << absl::StrFormat(
        "\rgenerate: %s: %d typed edges, %d elements, %d pairs asked (seed %d) in %.1fs\n",
        args.positional[0], stats.edges, o.elements, stats.pairs, o.seed, seconds());
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> GenerateCommands() {
  return {
      {"generate", "a seeded, realistic-shaped model and mix, for benchmarks and trials",
       "usage: coalition generate OUT [--edges N] [--nations N] [--platforms N] [--links N]\n"
       "                          [--standards N] [--components N] [--suppliers N]\n"
       "                          [--elements N] [--iers N] [--max_pairs N] [--seed S]\n"
       "                          [--output_format textproto|binpb|binpbs|json]\n"
       "\n"
       "Writes a coalition model holding one mix (\"generated\") to OUT (format from the\n"
       "extension; '-' with --output_format). Nations in groups, Zipf-skewed link and standard\n"
       "fits, a few gateway platforms, releasability restricted for some links and standards,\n"
       "three-tier component trees with shared suppliers and some single sources. --edges\n"
       "derives every size for about that many typed edges (explicit size flags win). The\n"
       "mix's IER selectors keep the ordered pairs asked under --max_pairs (default\n"
       "20 x elements); the mix description gives the exact count. The same flags and seed\n"
       "always give the same bytes. Models over 2 GiB need .binpbs (a length-delimited\n"
       "stream). Progress goes to stderr when it is a terminal.\n"
       "Example: coalition generate /tmp/big.binpb --edges 10000000 --elements 100000\n",
       {"edges", "nations", "platforms", "links", "standards", "components", "suppliers",
        "elements", "iers", "max_pairs", "seed", "output_format"},
       1, 1, &RunGenerate},
  };
}

}  // namespace coalition::tools
