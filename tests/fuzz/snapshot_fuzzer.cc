// Fuzz target: the bytes of a snapshot (engine/snapshot), opened as they are and again with every
// checksum recomputed (ResealSnapshotChecksums), so that damage also reaches the structural
// checks behind the checksums (bounds, offsets, indices, entity kinds, enum values).
// Invariants: opening answers ok or InvalidArgument, never a crash, a hang or a sanitizer report;
// a graph that opens can be walked whole (every edge of every kind, every id and name, every id
// found again by Find); its mixes and its model read back or fail cleanly. A snapshot that opens
// with its checksums as written, and whose mixes and model then read back, is a writer's output: its model validates, writing the snapshot
// of that model again gives the same bytes, and every mix runs through the analyses on the
// mapped graph (RunMix).
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "engine/graph/typed_graph.h"
#include "engine/model/validate.h"
#include "engine/snapshot/snapshot.h"
#include "tests/fuzz/fuzz_common.h"

namespace {

using coalition::fuzz::CheckUserFacing;
using coalition::fuzz::FuzzFail;

void Walk(const coalition::graph::TypedGraph& g) {
  size_t walked = 0;
  for (coalition::graph::NodeId v = 0; v < g.num_nodes(); ++v) {
    for (int e = 0; e < coalition::graph::kNumEdgeKinds; ++e) {
      g.ForEachLocal(v, static_cast<coalition::graph::EdgeKind>(e), [&](uint32_t) { ++walked; });
    }
    (void)g.Name(g.KindOf(v), g.Local(v));
    (void)g.Find(g.KindOf(v), g.IdOf(v));
  }
  if (walked != g.num_edges()) {
    FuzzFail(absl::StrCat("walked ", walked, " edges of a graph of ", g.num_edges()));
  }
}

// Opens `bytes`; returns whether it opened. `intact`: the checksums are the writer's.
bool Open(absl::string_view bytes, bool intact) {
  absl::StatusOr<coalition::snapshot::Snapshot> s =
      coalition::snapshot::OpenSnapshotFromBytes(bytes, "fuzz.snapshot");
  CheckUserFacing(s.status(), "open snapshot");
  if (!s.ok()) return false;
  Walk(*s->graph);
  // The mix and model sections are checksummed only when read (lazily): a snapshot is a
  // writer's output only when they read back too.
  bool every_section_reads = true;
  for (size_t i = 0; i < s->mix_names.size(); ++i) {
    const absl::Status mix = s->Mix(i).status();
    CheckUserFacing(mix, "mix");
    every_section_reads = every_section_reads && mix.ok();
  }
  absl::StatusOr<coalition::v1::Model> model = s->Model();
  CheckUserFacing(model.status(), "snapshot model");
  if (!intact || !every_section_reads || !model.ok()) return true;
  const coalition::v1::ValidationReport report =
      coalition::Validate(*model, coalition::SourceInfo("fuzz"));
  if (report.errors() > 0) FuzzFail("the model inside an intact snapshot does not validate");
  absl::StatusOr<coalition::graph::TypedGraph> built = coalition::graph::BuildGraph(*model);
  if (!built.ok()) FuzzFail(absl::StrCat("a snapshot's model does not build: ", built.status().ToString()));
  absl::StatusOr<std::string> again = coalition::snapshot::SerializeSnapshot(*built, *model);
  if (!again.ok() || *again != bytes) FuzzFail("snapshot -> model -> snapshot changed the bytes");
  for (size_t i = 0; i < s->mix_names.size(); ++i) {
    absl::StatusOr<coalition::v1::ForceMix> mix = s->Mix(i);
    if (!mix.ok()) FuzzFail("an intact snapshot's mix does not read");
    coalition::fuzz::RunMix(*s->graph, *mix);
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const bool opened = Open(bytes, /*intact=*/true);
  const std::string resealed = coalition::snapshot::ResealSnapshotChecksums(bytes);
  if (!opened || resealed != bytes) Open(resealed, /*intact=*/false);
  return 0;
}
