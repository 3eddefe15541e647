#include "engine/model/interner.h"

#include <exception>
#include <thread>
#include <utility>

namespace coalition {

template <typename IdAt>
void InternedKind::Build(size_t n, const IdAt& id_at) {
  count_ = static_cast<uint32_t>(n);
  auto offsets = std::make_shared<std::vector<uint32_t>>();
  auto chars = std::make_shared<std::vector<char>>();
  if (count_ > 0) {
    size_t bytes = 0;
    for (size_t i = 0; i < n; ++i) bytes += id_at(i).size();
    offsets->reserve(count_ + 1);
    offsets->push_back(0);
    if (bytes >= UINT32_MAX) {
      overflow_ = true;
      views_.reserve(count_);
      for (size_t i = 0; i < n; ++i) views_.push_back(id_at(i));
    } else {
      chars->reserve(bytes);
      for (size_t i = 0; i < n; ++i) {
        const absl::string_view id = id_at(i);
        chars->insert(chars->end(), id.begin(), id.end());
        offsets->push_back(static_cast<uint32_t>(chars->size()));
      }
    }
  }
  offsets_ = std::move(offsets);
  chars_ = std::move(chars);
  if (overflow_) offsets_.reset(), chars_.reset();

  // Load factor at most 1/2, at least one empty slot (the typed graph's id index).
  uint64_t capacity = 2;
  while (capacity < 2 * uint64_t{count_} + 1) capacity <<= 1;
  mask_ = capacity - 1;
  auto slots = std::make_shared<std::vector<uint32_t>>(capacity, 0);
  uint32_t* s = slots->data();
  for (uint32_t i = 0; i < count_; ++i) {
    const absl::string_view id = Id(i);
    uint64_t h = StableIdHash(id) & mask_;
    for (; s[h] != 0; h = (h + 1) & mask_) {
      if (Id(s[h] - 1) == id) break;
    }
    if (s[h] == 0) {
      s[h] = i + 1;
      ++distinct_;
    } else {
      duplicate_of_.emplace(i, s[h] - 1);
      if (first_duplicate_ < 0) first_duplicate_ = i;
    }
  }
  slots_ = std::move(slots);
}

namespace {

// Builds kinds 0..6 of `kinds` with build(k); on a large model the components (the largest
// kind) on a second thread. The thread is joined on every path; an exception there (bad_alloc)
// is rethrown here.
template <typename BuildKind>
void BuildKinds(bool parallel, size_t components, const BuildKind& build) {
  auto others = [&] {
    for (int k : {0, 1, 2, 3, 4, 6}) build(k);
  };
  constexpr size_t kParallelFrom = 50'000;  // components; below, a thread costs more than it saves
  if (!parallel || components < kParallelFrom) {
    others();
    build(5);
    return;
  }
  std::exception_ptr failure;
  std::thread second([&] {
    try {
      build(5);
    } catch (...) {
      failure = std::current_exception();
    }
  });
  try {
    others();
  } catch (...) {
    second.join();
    throw;
  }
  second.join();
  if (failure) std::rethrow_exception(failure);
}

// Build's accessor over a repeated entity field.
template <typename Entities>
auto IdsOf(const Entities& entities) {
  return [&entities](size_t i) -> absl::string_view {
    return entities.Get(static_cast<int>(i)).id();
  };
}

}  // namespace

ModelIndex InternModel(const v1::Model& model, bool parallel) {
  ModelIndex index;
  auto& k = index.kinds_;
  BuildKinds(parallel, static_cast<size_t>(model.components_size()), [&](int kind) {
    switch (kind) {
      case 0: return k[0].Build(model.nations_size(), IdsOf(model.nations()));
      case 1: return k[1].Build(model.groups_size(), IdsOf(model.groups()));
      case 2: return k[2].Build(model.platforms_size(), IdsOf(model.platforms()));
      case 3: return k[3].Build(model.links_size(), IdsOf(model.links()));
      case 4: return k[4].Build(model.standards_size(), IdsOf(model.standards()));
      case 5: return k[5].Build(model.components_size(), IdsOf(model.components()));
      default: return k[6].Build(model.suppliers_size(), IdsOf(model.suppliers()));
    }
  });
  return index;
}

ModelIndex InternIds(const IdLists& ids, bool parallel) {
  ModelIndex index;
  BuildKinds(parallel, ids[5].size(), [&](int kind) {
    const std::vector<absl::string_view>& list = ids[static_cast<size_t>(kind)];
    index.kinds_[static_cast<size_t>(kind)].Build(list.size(),
                                                  [&list](size_t i) { return list[i]; });
  });
  return index;
}

}  // namespace coalition
