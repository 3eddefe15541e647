// A .binpb model read one top-level entity at a time (issue 15), so that loading never holds the
// whole parsed proto (about 134 bytes per edge at 10^7 edges, against the file's 14).
//
// Recommended API (tools/session.cc does this):
//   ASSIGN_OR_RETURN(std::unique_ptr<BinaryModelStream> s, BinaryModelStream::Open(path));
//   if (s == nullptr) { ... LoadModel(path) ... }   // does not apply, or the input has an error
//   const ModelIndex index = s->Intern();
//   EntityValidator v(s->skeleton(), source, extra, index);        // engine/model/validate.h
//   graph::GraphBuilder b(s->skeleton(), index, s->edge_bound());   // engine/graph/typed_graph.h
//   if (!s->ForEach(v, index) || !s->ForEach(b, index)) { ... LoadModel(path) ... }  // 2 threads
//
// The file is mapped read-only. Open walks the top-level fields once: each entity field
// (nations, groups, platforms, links, standards, components, suppliers) is located and its id
// read in place (its first field, as serializers write it; ForEach checks that the parse, where
// the last `id` on the wire wins, agrees); every other top-level field
// (name, description, mixes, us_nation, restrictions) is copied out and parsed as the skeleton:
// the Model without its entity lists. ForEach parses each entity in turn into one reused message
// per kind and calls visitor.Add(i, message) (i: the entity's index in its list), kinds in Model
// field order; several threads may run ForEach at once, each with its own messages.
//
// When it applies: a regular .binpb of at most 2 GiB, or a .binpbs of any size, whose entity
// fields come kind after kind in Model field order (as protobuf's serializers and
// SerializeStream write them). Otherwise, and for any input that is
// not clean (a malformed wire, a skeleton or an entity that does not parse or holds unknown
// fields), Open returns null or ForEach false, and the caller loads the model whole: parse
// errors have one home, the loader (engine/model/load.h), which reports them with their byte
// offset. A clean input gives exactly the model LoadModel gives, split this way.
//
// Memory: the mapped file, the skeleton, one view (16 bytes) per entity id until Intern, and
// one message per kind. Time: Open is one pass over the top-level tags and each entity's tags;
// ForEach one protobuf parse per entity without allocation once the messages have grown.
#ifndef COALITION_ENGINE_MODEL_BINARY_STREAM_H_
#define COALITION_ENGINE_MODEL_BINARY_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "coalition/v1/model.pb.h"
#include "engine/base/file_io.h"
#include "engine/model/interner.h"
#include "engine/model/load.h"

namespace coalition {

class BinaryModelStream {
 public:
  // Maps `path` and splits its top-level fields (see above). `chunked`: the file is a .binpbs
  // (load.h: length-delimited chunks, each a Model holding a slice of the entities; any size),
  // walked chunk by chunk, the chunks' skeletons merged as ParseStream merges chunks. Null when
  // the stream does not apply or the input is not clean. Errors: those of opening the file
  // (NotFound, PermissionDenied, InvalidArgument for a directory or a pipe).
  static absl::StatusOr<std::unique_ptr<BinaryModelStream>> Open(absl::string_view path,
                                                                 bool chunked = false);
  // The same over bytes the caller keeps alive (tests, fuzzing).
  static std::unique_ptr<BinaryModelStream> FromBytes(absl::string_view bytes,
                                                      bool chunked = false);

  // The model without its entity lists.
  const coalition::v1::Model& skeleton() const { return skeleton_; }
  // Moves the skeleton out (skeleton() is empty afterwards).
  coalition::v1::Model TakeSkeleton() { return std::move(skeleton_); }
  // Entities of each kind (IdKind order).
  const std::array<uint32_t, kNumIdKinds>& counts() const { return counts_; }
  // An upper bound of the typed graph's edges (every edge comes from a reference of at least
  // two bytes on the wire): GraphBuilder's reservation, only address space until used.
  size_t edge_bound() const { return entity_bytes_ / 2; }

  // The ids interned (InternIds); the views into the file are released. Call once.
  ModelIndex Intern(bool parallel = true);

  // Parses every entity into reused messages and calls visitor.Add(i, message), kinds in Model
  // field order. False when an entity does not parse, or (`verify`) holds unknown fields or has
  // a parsed id that is not the id Open read for it (`index` = Intern()'s: a second id field on
  // the wire) - the visitor has then seen the entities before it. Two passes over the same
  // stream (validator and builder) need only one of them to verify.
  template <typename Visitor>
  bool ForEach(Visitor& visitor, const ModelIndex& index, bool verify = true) const {
    Messages m;
    auto take = [&](uint32_t i, IdKind k, auto& msg, absl::string_view bytes) {
      if (!msg.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return false;
      if (verify && (HasUnknownFields(msg) || index[k].Id(i) != msg.id())) return false;
      visitor.Add(i, msg);
      return true;
    };
    return Walk([&](int kind, uint32_t i, absl::string_view bytes) {
      switch (kind) {
        case 0:
          return take(i, IdKind::kNation, m.nation, bytes);
        case 1:
          return take(i, IdKind::kGroup, m.group, bytes);
        case 2:
          return take(i, IdKind::kPlatform, m.platform, bytes);
        case 3:
          return take(i, IdKind::kLink, m.link, bytes);
        case 4:
          return take(i, IdKind::kStandard, m.standard, bytes);
        case 5:
          return take(i, IdKind::kComponent, m.component, bytes);
        default:
          return take(i, IdKind::kSupplier, m.supplier, bytes);
      }
    });
  }

 private:
  struct Messages {
    coalition::v1::Nation nation;
    coalition::v1::Group group;
    coalition::v1::PlatformType platform;
    coalition::v1::CommsLink link;
    coalition::v1::DataStandard standard;
    coalition::v1::Component component;
    coalition::v1::Supplier supplier;
  };
  BinaryModelStream() = default;
  // Splits chunks_; false when the stream does not apply.
  bool Split(bool chunked);
  // Calls each(kind, index in kind, entity bytes) for every entity in order; stops at false.
  bool Walk(absl::FunctionRef<bool(int, uint32_t, absl::string_view)> each) const;

  std::unique_ptr<MappedFile> file_;
  std::vector<absl::string_view> chunks_;  // the .binpb whole, or a .binpbs's chunks
  coalition::v1::Model skeleton_;
  std::array<uint32_t, kNumIdKinds> counts_{};
  IdLists ids_;
  size_t entity_bytes_ = 0;
};

}  // namespace coalition

#endif  // COALITION_ENGINE_MODEL_BINARY_STREAM_H_
