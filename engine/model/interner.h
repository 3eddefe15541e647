// The one interning pass of a model (issue 15): every entity id of every kind, once, into a
// dense local index per kind (model order), shared by Validate() and graph::BuildGraph().
//
// Recommended API:
//   const ModelIndex index = InternModel(model);            // both cores on large models
//   int32_t p = index[IdKind::kPlatform].Find("F-16C");       // -1 when absent
//   index[IdKind::kComponent].FindMany(n, [&](size_t i) { return refs[i]; }, out);  // batched
//   ValidationReport r = Validate(model, source, extra, index);   // engine/model/validate.h
//   StatusOr<TypedGraph> g = graph::BuildGraph(model, index);     // engine/graph/typed_graph.h
//
// Storage is exactly the typed graph's (engine/graph/typed_graph.h): per kind, the ids end to
// end (4-byte offsets) and an open-addressing index over a power-of-two number of slots (load
// factor <= 1/2, at least one empty slot), each 0 (empty) or first local index + 1, probed
// linearly from StableIdHash(id). BuildGraph shares these buffers (no copy, no second hash of
// any entity id); they are held by shared_ptr so the index may be dropped afterwards.
//
// Duplicates: an id's slot names its first entity; later entities with the same id are kept in
// the column (model order) and listed in `duplicate_of`. Empty ids are interned like any other
// (a reference "" then resolves to that entity, as the validator has always done).
//
// Ids over 4 GiB of one kind (only possible through .binpbs streams) cannot use 4-byte
// offsets: that kind keeps string views into the model instead (`overflow`), still correct for
// Find; BuildGraph refuses it (ResourceExhausted), as it always has.
//
// Thread safety: a built index is immutable; any number of threads may read it.
// Complexity: O(total id bytes) to build; Find is O(1) expected (one slot, one offset, one
// compare when present); FindMany pipelines up to 16 lookups with prefetches so that large
// models (tables far beyond the caches) pay about one memory latency per batch, not three per
// lookup.
#ifndef COALITION_ENGINE_MODEL_INTERNER_H_
#define COALITION_ENGINE_MODEL_INTERNER_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "coalition/v1/model.pb.h"

namespace coalition {

// Entity kinds in Model field order (the same order and values as graph::EntityKind).
enum class IdKind : uint8_t {
  kNation = 0,
  kGroup,
  kPlatform,
  kLink,
  kStandard,
  kComponent,
  kSupplier,
};
inline constexpr int kNumIdKinds = 7;

// FNV-1a (64-bit) then the murmur3 finalizer. Stable across processes and builds: snapshots
// store indexes probed with it (graph::StableIdHash is this function).
inline uint64_t StableIdHash(absl::string_view id) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : id) h = (h ^ c) * 0x100000001b3ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

class ModelIndex;
// Interns every entity id of `model`. `parallel`: on a large model, intern the components (the
// largest kind) on a second thread while the other kinds are interned on this one.
ModelIndex InternModel(const coalition::v1::Model& model, bool parallel = true);

// The ids of each kind in model order, as views (valid during the call; for a kind that
// overflows, as long as the index), e.g. a .binpb's ids read in place
// (engine/model/binary_stream.h). The index equals InternModel's on a model with these ids.
using IdLists = std::array<std::vector<absl::string_view>, 7>;
ModelIndex InternIds(const IdLists& ids, bool parallel = true);

// The interned ids of one entity kind.
class InternedKind {
 public:
  uint32_t size() const { return count_; }
  // Ids that differ (the first entity of each id).
  uint32_t distinct() const { return distinct_; }
  // The id of local index i (model order).
  absl::string_view Id(uint32_t i) const {
    if (overflow_) return views_[i];
    return absl::string_view(chars_->data() + (*offsets_)[i], (*offsets_)[i + 1] - (*offsets_)[i]);
  }
  // The first local index with `id`, or -1.
  int32_t Find(absl::string_view id) const { return Probe(id, StableIdHash(id) & mask_); }
  // The first local index with the id of entity i (i itself unless i repeats an earlier id).
  uint32_t FirstOf(uint32_t i) const {
    if (duplicate_of_.empty()) return i;
    auto it = duplicate_of_.find(i);
    return it == duplicate_of_.end() ? i : it->second;
  }
  // The first entity (model order) whose id repeats an earlier one, or -1.
  int64_t first_duplicate() const { return first_duplicate_; }
  bool overflow() const { return overflow_; }

  // out[i] = Find(get(i)) for i in [0, n); get(i) returns something convertible to string_view.
  template <typename Get>
  void FindMany(size_t n, const Get& get, int32_t* out) const {
    constexpr size_t kBatch = 16;
    absl::string_view s[kBatch];
    uint64_t h[kBatch];
    uint32_t first[kBatch];
    const uint32_t* slots = slots_->data();
    for (size_t b = 0; b < n; b += kBatch) {
      const size_t m = std::min(kBatch, n - b);
      for (size_t i = 0; i < m; ++i) {
        s[i] = get(b + i);
        h[i] = StableIdHash(s[i]) & mask_;
        __builtin_prefetch(slots + h[i]);
      }
      if (!overflow_) {
        for (size_t i = 0; i < m; ++i) {
          first[i] = slots[h[i]];
          if (first[i] != 0) __builtin_prefetch(offsets_->data() + first[i] - 1);
        }
        for (size_t i = 0; i < m; ++i) {
          if (first[i] != 0) __builtin_prefetch(chars_->data() + (*offsets_)[first[i] - 1]);
        }
      }
      for (size_t i = 0; i < m; ++i) out[b + i] = Probe(s[i], h[i]);
    }
  }

  // The buffers, for graph::BuildGraph (null when overflow()).
  const std::shared_ptr<const std::vector<uint32_t>>& offsets() const { return offsets_; }
  const std::shared_ptr<const std::vector<char>>& chars() const { return chars_; }
  const std::shared_ptr<const std::vector<uint32_t>>& slots() const { return slots_; }

 private:
  friend ModelIndex InternModel(const coalition::v1::Model& model, bool parallel);
  friend ModelIndex InternIds(const IdLists& ids, bool parallel);
  // Interns id_at(0) .. id_at(n - 1).
  template <typename IdAt>
  void Build(size_t n, const IdAt& id_at);

  int32_t Probe(absl::string_view id, uint64_t h) const {
    const uint32_t* slots = slots_->data();
    for (;; h = (h + 1) & mask_) {
      const uint32_t slot = slots[h];
      if (slot == 0) return -1;
      if (Id(slot - 1) == id) return static_cast<int32_t>(slot - 1);
    }
  }

  uint32_t count_ = 0;
  uint32_t distinct_ = 0;
  uint64_t mask_ = 1;
  bool overflow_ = false;
  int64_t first_duplicate_ = -1;
  std::shared_ptr<const std::vector<uint32_t>> offsets_;  // count + 1, empty when count == 0
  std::shared_ptr<const std::vector<char>> chars_;
  std::shared_ptr<const std::vector<uint32_t>> slots_;
  std::vector<absl::string_view> views_;  // overflow only: into the model
  absl::flat_hash_map<uint32_t, uint32_t> duplicate_of_;  // local -> first local with its id
};

// The interned ids of every entity kind of one model. Holds views into the model only for a
// kind that overflows; otherwise independent of it.
class ModelIndex {
 public:
  const InternedKind& operator[](IdKind k) const { return kinds_[static_cast<int>(k)]; }
  const InternedKind& kind(int k) const { return kinds_[k]; }

 private:
  friend ModelIndex InternModel(const coalition::v1::Model& model, bool parallel);
  friend ModelIndex InternIds(const IdLists& ids, bool parallel);
  std::array<InternedKind, kNumIdKinds> kinds_;
};

}  // namespace coalition

#endif  // COALITION_ENGINE_MODEL_INTERNER_H_
