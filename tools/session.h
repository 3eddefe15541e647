// What every analysis subcommand does first: load the model and the mix named by --mix,
// validate both (printing diagnostics to stderr), build the typed graph and resolve the mix.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Session> s, OpenSession(args, /*need_mix=*/true, err));
//   ... analyse *s->graph, *s->resolved ...
//   RETURN_IF_ERROR(EmitOutput(args.out, text, out));   // --out (atomic) or stdout
//
// --mix names a mix inside the model file or a mix file; empty means the model's only mix.
// The model file may be a snapshot (engine/snapshot, recognised by its magic): the graph is then
// mapped from it in place, the mixes inside it are the model's, and a mix file is validated
// against it. A .binpb or .binpbs is read entity by entity (engine/model/binary_stream.h: validated and
// built on the two cores, the whole proto never held; `model` then holds its skeleton, the
// model without its entity lists); COALITION_NO_STREAM=1 loads it whole instead.
// Errors: InvalidArgument (validation errors, ambiguous mix), NotFound (files).
#ifndef COALITION_TOOLS_SESSION_H_
#define COALITION_TOOLS_SESSION_H_

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "coalition/v1/mix.pb.h"
#include "coalition/v1/report.pb.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/model/load.h"
#include "engine/scenario/supply_chain.h"
#include "tools/args.h"

namespace coalition::tools {

struct Session {
  Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  // The releasing thread is detached, not joined: main() ends the process with std::_Exit once
  // the output is flushed, so a large model's free never delays the answer.
  ~Session() {
    if (releaser.joinable()) releaser.detach();
  }

  LoadedModel model;  // source only: the proto is released once `graph` is built (a streamed
                      // .binpb: only its skeleton, which keeps the mixes)
  std::optional<LoadedMix> mix_file;
  coalition::v1::ForceMix mix;         // the chosen mix (a copy)
  std::vector<std::string> mix_names;  // mixes inside the model file
  std::unique_ptr<graph::TypedGraph> graph;
  std::unique_ptr<graph::ResolvedMix> resolved;  // null unless need_mix
  // OpenSessionForMixes only: the mixes asked for, in the order given, and each resolved on
  // `graph` (same order). `mix` and `resolved` stay empty there.
  std::vector<coalition::v1::ForceMix> mixes;
  std::vector<graph::ResolvedMix> resolved_mixes;
  std::thread releaser;  // frees the parsed model proto in the background
  // The supply chain of `graph`, built on first use by SupplyChainOf.
  std::unique_ptr<scenario::SupplyChain> chain;
};

// The session's supply chain (built once). Every analysis's baseline scenario takes it, so that
// the supply restrictions in force ground what they ground (SPEC §4: elements unsustainable at
// baseline are absent). Errors: InvalidArgument for a critical sub-component cycle.
absl::StatusOr<const scenario::SupplyChain*> SupplyChainOf(Session& s);

// The model is args.positional[0], read with args.input_format; the mix is args.mix.
absl::StatusOr<std::unique_ptr<Session>> OpenSession(const Args& args, bool need_mix,
                                                     std::ostream& err);

// OpenSession for several mixes at once (`coalition compare`): each of `mixes` is looked up as
// --mix is (FindFlaggedMix: a mix inside the model by name, else a mix file); every mix file is
// validated with the model, so its problems are reported located in its file. Empty `mixes`:
// every mix inside the model. Errors: InvalidArgument for a value given twice, validation errors
// or a model without mixes; NotFound (naming the model's mixes) for a value that is neither a
// mix of the model nor an existing file.
absl::StatusOr<std::unique_ptr<Session>> OpenSessionForMixes(const Args& args,
                                                             const std::vector<std::string>& mixes,
                                                             std::ostream& err);

// The mix `mix` names: a mix inside `model` with that name, else a mix file, loaded into *file
// (which then owns it). nullptr when `mix` is empty. Errors: NotFound / InvalidArgument from
// loading the file.
absl::StatusOr<const coalition::v1::ForceMix*> FindFlaggedMix(
    const std::string& mix, const coalition::v1::Model& model, std::optional<LoadedMix>* file);

// The work limits of issue 16 (a pair budget instead of a blow-up). `max_pairs` is
// Args::max_pairs: > 0 the budget, 0 the default, < 0 no limit.
inline constexpr int64_t kDefaultMaxPairs = 1'000'000'000;       // ordered pairs, all IERs
inline constexpr int64_t kDefaultMaxMatrixCells = 4'000'000;     // matrix: about 2,000 elements

// The ordered pairs the IERs of `mix` ask, summed (|from| x |to| per IER, an upper bound that
// counts the A == B pairs too), saturating at INT64_MAX. `added` elements (a what-if's
// add_element / add_gateway_element changes) are counted on both sides of every IER, an upper
// bound of what they may add.
int64_t PairsAsked(const graph::ResolvedMix& mix, int64_t added = 0);

// InvalidArgument when PairsAsked(mix) is over the budget, naming the largest IERs with their
// from / to sizes and saying how to narrow the selectors (or raise --max_pairs). `command`
// names the subcommand in the message.
absl::Status CheckPairBudget(const graph::ResolvedMix& mix, int64_t max_pairs,
                             absl::string_view command, int64_t added = 0);

// InvalidArgument when the SV-3 matrix of `mix` (size x size cells) is over the cell budget
// (`max_pairs` > 0, else kDefaultMaxMatrixCells; < 0 no limit).
absl::Status CheckMatrixBudget(const graph::ResolvedMix& mix, int64_t max_pairs);

// The validation report of the model file args.positional[0] (read with args.input_format)
// with the mix file args.mix names, if it names a file (a mix inside the model is validated
// with it): what `coalition validate` reports. A .binpb or .binpbs is validated entity by
// entity (engine/model/binary_stream.h: the whole proto never held) when it can be, else (and
// for other formats and snapshots) the model is loaded whole. Errors: those of loading.
absl::StatusOr<coalition::v1::ValidationReport> ValidateModelFile(const Args& args);

// LoadModel, or for a snapshot (engine/snapshot) the model it was written from (its lossless
// copy; the source has no positions). For commands that need the whole model proto (validate,
// convert, snapshot); analyses use OpenSession, which maps the snapshot's graph instead.
absl::StatusOr<LoadedModel> LoadModelOrSnapshotModel(const std::string& path,
                                                     const std::string& format_override);

// Writes `text` to the file `out_path` (atomically) or to `out` when it is "-".
absl::Status EmitOutput(const std::string& out_path, const std::string& text, std::ostream& out);

}  // namespace coalition::tools

#endif  // COALITION_TOOLS_SESSION_H_
