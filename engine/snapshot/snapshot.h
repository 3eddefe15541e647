// A snapshot of the frozen typed graph: a versioned, checksummed flat file that the engine maps
// into memory (mmap) and uses in place, so a large model opens in milliseconds instead of being
// parsed, validated and built again. A snapshot is a cache of one validated model, never an
// exchange format: the model files (textproto, binpb, json, binpbs) are the source of truth, and
// a snapshot from another build of the engine is refused (version / layout), not converted.
//
// Recommended API:
//   // write (coalition snapshot MODEL OUT): the model must have passed Validate()
//   ASSIGN_OR_RETURN(graph::TypedGraph g, graph::BuildGraph(model));
//   RETURN_IF_ERROR(WriteSnapshot(g, model, "model.snapshot"));
//   // open (every command, when the model file starts with the snapshot magic)
//   ASSIGN_OR_RETURN(Snapshot s, OpenSnapshot("model.snapshot"));
//   s.graph->Neighbors(...);                               // the mapped arrays, used in place
//   ASSIGN_OR_RETURN(v1::ForceMix mix, s.Mix(0));         // the model's mixes, by index
//   ASSIGN_OR_RETURN(v1::Model model, s.Model());         // the model, lossless (convert)
//
// Contents (format version kSnapshotVersion, little-endian, every section 64-byte aligned):
//   header      magic "COALSNAP", version, layout fingerprint (sizes of the row structs), file
//               size, entity counts, the US nation, the section count, checksums of the header
//               and of the section table
//   sections    every array of TypedGraph::Arrays, in TypedGraph::ForEachArray order (a string
//               column is two sections: offsets, chars); then the model's name, the mix names,
//               each mix (a serialized coalition.v1.ForceMix) and the whole model (binpbs
//               chunks, deterministic). Each section has a tag, its element size, offset, length
//               and a 64-bit checksum.
// Row structs are written field by field into zeroed rows, so padding is zero and the same model
// always gives the same bytes.
//
// Opening is safe on any bytes (an untrusted or damaged file): magic, version, layout, file size,
// header and table checksums, every section's bounds, tag, element size and checksum, then every
// offset and index inside the graph (CSR row starts, edge targets and their entity kinds per edge
// kind, string offsets, id index slots, gateway, role, family and restriction indices, enum
// values, bools) are checked before the graph is used; a failure is InvalidArgument naming the
// file and what is wrong ("... is corrupt: ...; rebuild it with `coalition snapshot`"). The
// model section (large, needed only by `convert`) is checksummed when Model() reads it; the mix
// sections when Mix() reads them. The ids are assumed unique and the mixes valid only because the
// checksums match what the writer wrote (the writer's input passed Validate()).
//
// Complexity: opening is O(file) (the checksums and checks read every graph page once, on two
// threads) with no allocation per entity; the graph then reads the mapping in place.
// Thread-safety: a Snapshot is immutable after opening; Mix() and Model() may run concurrently.
#ifndef COALITION_ENGINE_SNAPSHOT_SNAPSHOT_H_
#define COALITION_ENGINE_SNAPSHOT_SNAPSHOT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "coalition/v1/mix.pb.h"
#include "coalition/v1/model.pb.h"
#include "engine/graph/typed_graph.h"

namespace coalition::snapshot {

// Bumped whenever the file layout, the row structs or the id index (StableIdHash, probing)
// change; a snapshot of another version is refused.
inline constexpr uint32_t kSnapshotVersion = 1;
inline constexpr absl::string_view kSnapshotMagic = "COALSNAP";
// The conventional extension (`coalition snapshot MODEL OUT`); files are recognised by the
// magic, not the extension.
inline constexpr absl::string_view kSnapshotExtension = ".snapshot";

// The bytes of the snapshot of `graph`, which must have been built from `model` (a model that
// passed Validate()). Deterministic. Errors: InvalidArgument when a mix is over 2 GiB.
absl::StatusOr<std::string> SerializeSnapshot(const graph::TypedGraph& graph,
                                              const coalition::v1::Model& model);

// SerializeSnapshot, written atomically to `path` (WriteFileAtomically).
absl::Status WriteSnapshot(const graph::TypedGraph& graph, const coalition::v1::Model& model,
                           absl::string_view path);

// The bytes a snapshot is mapped from: a read-only file mapping, or an owned aligned copy.
class SnapshotBytes;

// An opened snapshot. Movable; the graph and the sections stay valid as long as any of the
// graph or this object lives (both share the mapping).
struct Snapshot {
  std::unique_ptr<graph::TypedGraph> graph;
  std::vector<std::string> mix_names;  // the model's mixes, model order
  std::string file;                    // as named by the caller, for messages

  // The i-th mix of the model (0 <= i < mix_names.size()); checksummed and parsed now.
  absl::StatusOr<coalition::v1::ForceMix> Mix(size_t i) const;
  // The model the snapshot was written from, equal to it field for field (the lossless copy
  // `convert` writes out); checksummed and parsed now.
  absl::StatusOr<coalition::v1::Model> Model() const;
  // Size of the file, bytes.
  uint64_t file_bytes() const;

  std::shared_ptr<const SnapshotBytes> bytes;
  struct Section {
    uint64_t offset, size, checksum;
  };
  Section model_section;
  std::vector<Section> mix_sections;
};

// Maps `path` (read-only, MAP_PRIVATE) and checks it. Errors: NotFound / PermissionDenied for
// the file; InvalidArgument for anything that is not a valid snapshot of this version.
absl::StatusOr<Snapshot> OpenSnapshot(absl::string_view path);

// The same on bytes in memory (copied into an aligned buffer first): the entry point for fuzzing
// (tests/fuzz) and tests. `name` is used in messages.
absl::StatusOr<Snapshot> OpenSnapshotFromBytes(absl::string_view bytes,
                                               absl::string_view name = "<bytes>");

// What validating a mix file against the snapshot's model needs, as a model: every nation (id,
// name, groups), group (id, name, flags) and platform type (id, name, domain, roles), and the
// model's mixes by name only. Validate(MixValidationModel(s), ..., {mix file}) reports for the
// mix file exactly what validating it with the original model reports (diagnostics whose file
// is the mix file's); the rest of the report is about this partial model and is to be ignored.
coalition::v1::Model MixValidationModel(const Snapshot& s);

// The checksum of headers and sections (a 64-bit hash in the style of xxHash64), for tests and
// tools that patch snapshots on purpose.
uint64_t SnapshotChecksum(absl::string_view bytes);

// For tests and fuzzing only: `bytes` with every checksum recomputed (each section whose bounds
// lie inside the bytes, then the section table, then the header), so that damage past the
// checksums reaches the structural checks of OpenSnapshot. Bytes too short for a header, or
// whose section table does not fit, are returned unchanged.
std::string ResealSnapshotChecksums(std::string bytes);

// Whether `path` is a regular file that starts with kSnapshotMagic (false for "-", missing or
// unreadable files: those fail later with the loader's message).
bool IsSnapshotFile(absl::string_view path);

}  // namespace coalition::snapshot

#endif  // COALITION_ENGINE_SNAPSHOT_SNAPSHOT_H_
