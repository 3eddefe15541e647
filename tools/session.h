// What every analysis subcommand does first: load the model and the mix named by --mix,
// validate both (printing diagnostics to stderr), build the typed graph and resolve the mix.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Session> s, OpenSession(args, /*need_mix=*/true, err));
//   ... analyse *s->graph, *s->resolved ...
//   RETURN_IF_ERROR(EmitOutput(args.out, text, out));   // --out (atomic) or stdout
//
// --mix names a mix inside the model file or a mix file; empty means the model's only mix.
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
#include "coalition/v1/mix.pb.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/model/load.h"
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

  LoadedModel model;  // source only: the proto is released once `graph` is built
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
};

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

// Writes `text` to the file `out_path` (atomically) or to `out` when it is "-".
absl::Status EmitOutput(const std::string& out_path, const std::string& text, std::ostream& out);

}  // namespace coalition::tools

#endif  // COALITION_TOOLS_SESSION_H_
