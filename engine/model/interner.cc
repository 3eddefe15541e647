#include "engine/model/interner.h"

#include <exception>
#include <thread>
#include <utility>

namespace coalition {

template <typename Entities>
void InternedKind::Build(const Entities& entities) {
  count_ = static_cast<uint32_t>(entities.size());
  auto offsets = std::make_shared<std::vector<uint32_t>>();
  auto chars = std::make_shared<std::vector<char>>();
  if (count_ > 0) {
    size_t bytes = 0;
    for (const auto& e : entities) bytes += e.id().size();
    offsets->reserve(count_ + 1);
    offsets->push_back(0);
    if (bytes >= UINT32_MAX) {
      overflow_ = true;
      views_.reserve(count_);
      for (const auto& e : entities) views_.push_back(e.id());
    } else {
      chars->reserve(bytes);
      for (const auto& e : entities) {
        chars->insert(chars->end(), e.id().begin(), e.id().end());
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

ModelIndex InternModel(const v1::Model& model, bool parallel) {
  ModelIndex index;
  auto& k = index.kinds_;
  auto others = [&] {
    k[0].Build(model.nations());
    k[1].Build(model.groups());
    k[2].Build(model.platforms());
    k[3].Build(model.links());
    k[4].Build(model.standards());
    k[6].Build(model.suppliers());
  };
  constexpr int kParallelFrom = 50'000;  // components; below, a thread costs more than it saves
  if (!parallel || model.components_size() < kParallelFrom) {
    others();
    k[5].Build(model.components());
    return index;
  }
  // The second thread is joined on every path; an exception there (bad_alloc) is rethrown here.
  std::exception_ptr failure;
  std::thread components([&] {
    try {
      k[5].Build(model.components());
    } catch (...) {
      failure = std::current_exception();
    }
  });
  try {
    others();
  } catch (...) {
    components.join();
    throw;
  }
  components.join();
  if (failure) std::rethrow_exception(failure);
  return index;
}

}  // namespace coalition
