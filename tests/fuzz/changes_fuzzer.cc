// Fuzz target: the what-if changes file (`coalition whatif --changes FILE`, a coalition.v1.WhatIf
// in text format) applied to the starter dataset's model and mix (embedded at build time).
// Invariants: loading and applying answer ok or a user-facing error (unknown ids, bad
// quantities: exit 2), never Internal, a crash or a sanitizer report; the report renders.
// The engine itself does not bound an added element's quantity (issue 16 closing note: a
// quantity near INT64_MAX overflowed Scenario::AppendElement's unit total under UBSan); the
// target applies the CLI's CheckChangeBounds first, as `whatif --changes` does.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/strings/string_view.h"
#include "coalition/v1/change.pb.h"
#include "engine/analysis/whatif.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/model/load.h"
#include "engine/report/render_risk.h"
#include "engine/scenario/supply_chain.h"
#include "tests/fuzz/fuzz_common.h"
#include "tests/fuzz/starter_model.h"
#include "tools/change_flags.h"

namespace {

struct Fixture {
  std::unique_ptr<coalition::graph::TypedGraph> graph;
  std::unique_ptr<coalition::graph::ResolvedMix> mix;
  std::unique_ptr<coalition::scenario::SupplyChain> chain;
};

const Fixture& GetFixture() {
  static const Fixture* f = [] {
    auto* fx = new Fixture;
    coalition::v1::Model model;
    coalition::SourceInfo source;
    if (!coalition::ParseMessage(coalition::fuzz::kStarterModel, coalition::Format::kTextProto,
                                 "starter", &model, &source)
             .ok()) {
      coalition::fuzz::FuzzFail("the embedded starter model does not parse");
    }
    auto g = coalition::graph::BuildGraph(model);
    if (!g.ok() || model.mixes_size() == 0) coalition::fuzz::FuzzFail("starter model unusable");
    fx->graph = std::make_unique<coalition::graph::TypedGraph>(*std::move(g));
    auto r = coalition::graph::ResolveMix(*fx->graph, model.mixes(0));
    auto c = coalition::scenario::SupplyChain::Build(*fx->graph);
    if (!r.ok() || !c.ok()) coalition::fuzz::FuzzFail("starter mix unusable");
    fx->mix = std::make_unique<coalition::graph::ResolvedMix>(*std::move(r));
    fx->chain = std::make_unique<coalition::scenario::SupplyChain>(*std::move(c));
    return fx;
  }();
  return *f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Fixture& fx = GetFixture();
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  coalition::v1::WhatIf w;
  coalition::SourceInfo source;
  const absl::Status s =
      coalition::ParseMessage(bytes, coalition::Format::kTextProto, "fuzz", &w, &source);
  coalition::fuzz::CheckUserFacing(s, "load changes");
  if (!s.ok() || w.changes_size() > 64) return 0;  // many changes: the what-if is not the target
  // The CLI's bounds on changes (tools/change_flags.h), as `whatif --changes` applies them.
  const absl::Status bounds = coalition::tools::CheckChangeBounds(w);
  coalition::fuzz::CheckUserFacing(bounds, "change bounds");
  if (!bounds.ok()) return 0;
  coalition::analysis::WhatIfOptions opt;
  opt.max_gaps = 10;
  auto r = coalition::analysis::AnalyzeWhatIf(*fx.graph, *fx.mix, *fx.chain, w, opt);
  coalition::fuzz::CheckUserFacing(r.status(), "whatif");
  if (r.ok()) {
    coalition::fuzz::CheckUserFacing(
        coalition::report::RenderWhatIfReport(r->report, coalition::report::ReportFormat::kText)
            .status(),
        "render whatif");
    coalition::fuzz::CheckRoundTrip(r->report);
  }
  return 0;
}
