#include "engine/model/binary_stream.h"

#include <sys/stat.h>

#include <climits>
#include <string>
#include <utility>

#include "engine/base/status_macros.h"
#include "engine/model/load.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"

namespace coalition {
namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::internal::WireFormatLite;

// The entity kind (IdKind order) of a top-level Model field, or -1.
int EntityKindOf(int number) {
  static_assert(v1::Model::kNationsFieldNumber == 3 && v1::Model::kGroupsFieldNumber == 4 &&
                v1::Model::kPlatformsFieldNumber == 5 && v1::Model::kLinksFieldNumber == 6 &&
                v1::Model::kStandardsFieldNumber == 7 && v1::Model::kComponentsFieldNumber == 8 &&
                v1::Model::kSuppliersFieldNumber == 9,
                "entity fields are Model fields 3..9 in IdKind order");
  return number >= 3 && number <= 9 ? number - 3 : -1;
}

// A reader over `bytes` (at most INT_MAX of them) without protobuf's default size limit.
struct Reader {
  explicit Reader(absl::string_view bytes)
      : in(reinterpret_cast<const uint8_t*>(bytes.data()), static_cast<int>(bytes.size())) {
    in.SetTotalBytesLimit(INT_MAX);
  }
  CodedInputStream in;
};

// The id (field 1, a string in every entity type) of an entity: the first field when it is the
// id, as every serializer writes it (ForEach checks it against the parsed id, which is the last
// one on the wire); else the last id among the entity's fields, "" when none. False when the
// fields read are malformed.
bool ScanId(absl::string_view entity, absl::string_view* id) {
  Reader reader(entity);
  CodedInputStream& in = reader.in;
  constexpr uint32_t kIdTag =
      WireFormatLite::MakeTag(1, WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
  *id = {};
  for (bool first = true;; first = false) {
    const uint32_t tag = in.ReadTag();
    if (tag == 0) return in.ConsumedEntireMessage() && in.CurrentPosition() == entity.size();
    if (tag == kIdTag) {
      uint32_t len;
      if (!in.ReadVarint32(&len)) return false;
      const int at = in.CurrentPosition();
      if (len > entity.size() - static_cast<size_t>(at)) return false;
      *id = entity.substr(static_cast<size_t>(at), len);
      if (first) return true;
      if (!in.Skip(static_cast<int>(len))) return false;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return false;
    }
  }
}

// Walks the top-level fields of one message's wire encoding (`chunk`): on_entity(kind, bytes)
// for each entity field (Model fields 3..9 as length-delimited), on_other(field bytes, tag
// included) for every other field; either returning false stops the walk. False when stopped
// or when the framing is malformed (a tag, length or field that does not fit).
template <typename OnEntity, typename OnOther>
bool ForEachTopLevelField(absl::string_view chunk, const OnEntity& on_entity,
                          const OnOther& on_other) {
  Reader reader(chunk);
  CodedInputStream& in = reader.in;
  for (;;) {
    const int start = in.CurrentPosition();
    const uint32_t tag = in.ReadTag();
    if (tag == 0) return in.ConsumedEntireMessage() && static_cast<size_t>(start) == chunk.size();
    const int kind = EntityKindOf(static_cast<int>(WireFormatLite::GetTagFieldNumber(tag)));
    if (kind >= 0 &&
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      uint32_t len;
      if (!in.ReadVarint32(&len)) return false;
      const int at = in.CurrentPosition();
      if (len > chunk.size() - static_cast<size_t>(at)) return false;
      if (!on_entity(kind, chunk.substr(static_cast<size_t>(at), len))) return false;
      if (!in.Skip(static_cast<int>(len))) return false;
      continue;
    }
    if (!WireFormatLite::SkipField(&in, tag)) return false;
    if (!on_other(chunk.substr(static_cast<size_t>(start),
                               static_cast<size_t>(in.CurrentPosition() - start)))) {
      return false;
    }
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<BinaryModelStream>> BinaryModelStream::Open(absl::string_view path,
                                                                           bool chunked) {
  // A single message over protobuf's 2 GiB limit: never mapped (let alone read in); the loader
  // refuses it with its message.
  struct stat st;
  if (!chunked && ::stat(std::string(path).c_str(), &st) == 0 && st.st_size > INT_MAX) {
    return nullptr;
  }
  ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file, MappedFile::Map(path, /*populate=*/true));
  std::unique_ptr<BinaryModelStream> s = FromBytes(file->bytes(), chunked);
  if (s != nullptr) s->file_ = std::move(file);
  return s;
}

std::unique_ptr<BinaryModelStream> BinaryModelStream::FromBytes(absl::string_view bytes,
                                                                bool chunked) {
  std::unique_ptr<BinaryModelStream> s(new BinaryModelStream());
  if (!chunked) {
    if (bytes.size() > static_cast<size_t>(INT_MAX)) return nullptr;
    s->chunks_.push_back(bytes);
  } else {
    // varint(size) then the chunk, to the end; a prefix that is not a valid varint or a size
    // past the end is corrupt (declined: the loader reports it).
    size_t at = 0;
    while (at < bytes.size()) {
      const absl::string_view window = bytes.substr(at, 10);
      Reader reader(window);
      uint32_t len;
      if (!reader.in.ReadVarint32(&len) || len > static_cast<uint32_t>(INT_MAX)) return nullptr;
      at += static_cast<size_t>(reader.in.CurrentPosition());
      if (len > bytes.size() - at) return nullptr;
      s->chunks_.push_back(bytes.substr(at, len));
      at += len;
    }
  }
  if (!s->Split(chunked)) return nullptr;
  return s;
}

bool BinaryModelStream::Split(bool chunked) {
  // The skeleton's fields of each chunk, as they are on the wire: parsed as one message, or
  // for chunks as a stream of them (ParseStream merges them as it merges the chunks).
  std::string rest;
  int last_kind = 0;
  for (const absl::string_view chunk : chunks_) {
    const size_t rest_begin = rest.size();
    const bool walked = ForEachTopLevelField(
        chunk,
        [&](int kind, absl::string_view entity) {
          if (kind < last_kind) return false;  // kinds out of Model field order
          last_kind = kind;
          absl::string_view id;
          if (!ScanId(entity, &id) || counts_[kind] == UINT32_MAX - 1) return false;
          ids_[kind].push_back(id);
          ++counts_[kind];
          entity_bytes_ += entity.size();
          return true;
        },
        [&](absl::string_view field) {
          rest.append(field.data(), field.size());
          return true;
        });
    if (!walked) return false;
    if (chunked) {
      // Frame this chunk's skeleton bytes: varint(size) before them.
      std::string prefix;
      google::protobuf::io::StringOutputStream out(&prefix);
      {
        google::protobuf::io::CodedOutputStream coded(&out);
        coded.WriteVarint32(static_cast<uint32_t>(rest.size() - rest_begin));
      }
      rest.insert(rest_begin, prefix);
    }
  }
  if (!chunked) return skeleton_.ParseFromString(rest) && !HasUnknownFields(skeleton_);
  google::protobuf::io::ArrayInputStream input(rest.data(), static_cast<int>(rest.size()));
  return rest.size() <= static_cast<size_t>(INT_MAX) && ParseStream(&input, "", &skeleton_).ok();
}

ModelIndex BinaryModelStream::Intern(bool parallel) {
  ModelIndex index = InternIds(ids_, parallel);
  for (auto& list : ids_) std::vector<absl::string_view>().swap(list);
  return index;
}

bool BinaryModelStream::Walk(absl::FunctionRef<bool(int, uint32_t, absl::string_view)> each) const {
  std::array<uint32_t, kNumIdKinds> next{};
  for (const absl::string_view chunk : chunks_) {
    if (!ForEachTopLevelField(
            chunk,
            [&](int kind, absl::string_view entity) { return each(kind, next[kind]++, entity); },
            [](absl::string_view) { return true; })) {
      return false;
    }
  }
  return true;
}

}  // namespace coalition
