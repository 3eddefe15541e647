// Deterministic, seeded generator of realistic-shaped coalition models and force mixes, for
// benchmarks (`*_benchmark`) and `coalition generate`. Not a test fixture: the CLI ships it.
//
// Recommended API:
//   GeneratorOptions o = OptionsForEdges(10'000'000, /*elements=*/100'000);  // or set sizes
//   o.seed = 7;
//   ASSIGN_OR_RETURN(coalition::v1::Model m, GenerateModel(o));  // m.mixes(0) is the mix
//   int64_t edges = CountTypedEdges(m);                           // == BuildGraph(m).num_edges()
//
// Shape (what makes it "realistic" rather than uniform):
//   nations      nation 0 is the US, id kDefaultUsNation ("USA"; us_nation left empty);
//                every nation in a large alliance ("ALLIANCE", ~70%, no information sharing), a
//                few in a small sharing, ITAR-exempt group ("EYES", with the USA) and one
//                regional group each (contiguous blocks; some share information). A few
//                ADVERSARY and ELEVATED supply risks.
//   standards    families of several versions (version bridges exist); ~15% releasable only to
//                EYES or a regional group.
//   links        kinds mixed (tactical data link, voice, satcom, IP); each carries a Zipf-chosen
//                handful of standards, often two versions of one family; ~15% releasable only
//                to EYES or a regional group (restricted links are ITAR).
//   platforms    fit 1..8 links and speak standards carried by them, both Zipf-skewed (a few
//                links and standards are everywhere, most are rare); ~1% are gateway platforms
//                (a gateway between two standards they speak, or one standard across links).
//                Sourcing is ExpectedSourcing of designer / producer nations (sourcing.h; no
//                validator warnings).
//   components   three tiers (systems -> assemblies -> parts, sub-components always one tier
//                down, so never a cycle); platforms use Zipf-chosen systems and assemblies;
//                suppliers are Zipf-shared; ~20% of components are single-source.
//   mix          `elements` force elements (Zipf-popular platforms, operated mostly by their
//                designer / producer nations, ~1% gateway platforms), explicit ids "E<n>".
//   IERs         `iers` requirements; each side starts at `all` and is narrowed (domain; group +
//                domain; nation + domain; nation + role; nation + platform; one element) around
//                an anchor element until |from| x |to| fits the per-IER share of `max_pairs`
//                (default 20 x elements), so big mixes ask a bounded number of pairs. The exact
//                ordered-pair count (A != B) is in the mix description and in `GeneratedStats`.
//
// Determinism: the same options (seed included) give a byte-identical model on any platform
// (own xoshiro256** generator, integer-only sampling except Zipf tables built in IEEE doubles).
// Errors: InvalidArgument for sizes out of range (nations < 2, other counts < 1, elements < 0).
// Complexity: O(output size); 10^7 typed edges and 10^5 elements take a few seconds.
#ifndef COALITION_ENGINE_GENERATE_GENERATOR_H_
#define COALITION_ENGINE_GENERATE_GENERATOR_H_

#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "coalition/v1/model.pb.h"

namespace coalition::generate {

struct GeneratorOptions {
  int nations = 30;
  int platforms = 200;
  int links = 20;
  int standards = 40;
  int components = 600;
  int suppliers = 120;
  int elements = 200;  // 0: no mix
  int iers = 0;        // 0: derived, clamp(elements / 5000, 3, 40)
  int64_t max_pairs = 0;  // 0: 20 x elements (at least 1000)
  uint64_t seed = 1;
};

// Sizes whose model has about `edges` typed edges (within ~15%), with an `elements` mix.
// `edges` is clamped to [1000, kMaxGeneratedEdges] first, so every derived size fits an int
// (no float-to-int overflow however large the request); callers refuse larger requests.
inline constexpr int64_t kMaxGeneratedEdges = 10'000'000'000;
GeneratorOptions OptionsForEdges(int64_t edges, int elements);

struct GeneratedStats {
  int64_t edges = 0;  // typed edges, as CountTypedEdges
  int64_t pairs = 0;  // ordered pairs (A != B) the mix's IERs ask, summed over IERs
};

// Progress: `stage` names what is being built ("platforms", ...), done/total its progress.
using ProgressFn = std::function<void(absl::string_view stage, int64_t done, int64_t total)>;

absl::StatusOr<coalition::v1::Model> GenerateModel(const GeneratorOptions& options,
                                                   const ProgressFn& progress = nullptr,
                                                   GeneratedStats* stats = nullptr);

// Typed edges of a model, counted as graph::BuildGraph creates them (designer, producers,
// links, standards, component uses, carries, releasability, memberships, suppliers,
// sub-components, supplier nations).
int64_t CountTypedEdges(const coalition::v1::Model& model);

}  // namespace coalition::generate

#endif  // COALITION_ENGINE_GENERATE_GENERATOR_H_
