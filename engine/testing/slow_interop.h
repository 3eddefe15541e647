// An independent, slow, obviously correct interoperability oracle (GAPBS verifier habit).
//
// It reads the model and mix protos directly (no TypedGraph, no union-find), builds the explicit
// interoperability graph of SPEC §2 with one node per element and per channel, and answers each
// pair with a widest-path (maximum bottleneck) Dijkstra search in which element nodes other than
// the source are never expanded (elements are endpoints, never relays).
#ifndef COALITION_ENGINE_TESTING_SLOW_INTEROP_H_
#define COALITION_ENGINE_TESTING_SLOW_INTEROP_H_

#include <string>
#include <vector>

#include "coalition/v1/model.pb.h"

namespace coalition::testing {

class SlowInterop {
 public:
  // present: empty = all elements present.
  SlowInterop(const coalition::v1::Model& model, const coalition::v1::ForceMix& mix,
              bool relax_policy, std::vector<bool> present = {});
  // Achieved level 0..4 of elements a and b (mix indices).
  int Level(int a, int b) const;
  int BaseLevel(int a, int b) const;

 private:
  struct Edge {
    int to;
    int level;
  };
  const coalition::v1::Model& model_;
  const coalition::v1::ForceMix& mix_;
  bool relaxed_;
  std::vector<bool> present_;
  int num_elements_ = 0;
  std::vector<std::vector<Edge>> adj_;
};

}  // namespace coalition::testing

#endif  // COALITION_ENGINE_TESTING_SLOW_INTEROP_H_
