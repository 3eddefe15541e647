#include "tools/session.h"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <optional>
#include <system_error>
#include <thread>

#include "absl/algorithm/container.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/base/checked_math.h"
#include "engine/base/file_io.h"
#include "engine/base/status_macros.h"
#include "engine/model/binary_stream.h"
#include "engine/model/interner.h"
#include "engine/model/validate.h"
#include "engine/snapshot/snapshot.h"

namespace coalition::tools {

namespace v1 = ::coalition::v1;

// Prints diagnostics to `err`; returns InvalidArgument when there are errors.
namespace {

absl::Status ReportValidation(const v1::ValidationReport& report, std::ostream& err) {
  for (const v1::Diagnostic& d : report.diagnostics()) err << FormatDiagnostic(d) << "\n";
  if (report.errors() > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(report.errors(), " error(s), ", report.warnings(), " warning(s)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<const v1::ForceMix*> FindFlaggedMix(const std::string& mix_flag,
                                                   const v1::Model& model,
                                                   std::optional<LoadedMix>* file) {
  if (mix_flag.empty()) return nullptr;
  for (const auto& m : model.mixes()) {
    if (m.name() == mix_flag) return &m;
  }
  ASSIGN_OR_RETURN(LoadedMix loaded, LoadMix(mix_flag));
  *file = std::move(loaded);
  return &(*file)->mix;
}

namespace {

// Runs `other` on a second thread while `here` runs on this one. The thread is joined on every
// path, also when `here` throws (bad_alloc under memory pressure): a joinable std::thread
// destroyed during unwinding would terminate the process (exit 134) instead of the clean error
// main reports. An exception in `other` is carried over and rethrown here.
template <typename Here, typename Other>
void OnBothCores(const Here& here, const Other& other) {
  std::exception_ptr failure;
  std::thread second([&] {
    try {
      other();
    } catch (...) {
      failure = std::current_exception();
    }
  });
  struct JoinOnExit {
    std::thread& t;
    ~JoinOnExit() {
      if (t.joinable()) t.join();
    }
  } join_on_exit{second};
  here();
  second.join();
  if (failure) std::rethrow_exception(failure);
}

// Validates the loaded model with the mix files `extra` while the graph is built on the other
// core, then releases the parsed model. Copy what you need out of s->model.model first.
absl::Status ValidateAndBuild(Session* s, const std::vector<MixInput>& extra, std::ostream& err) {
  // One interning pass (engine/model/interner.h: every entity id -> its dense index, the
  // largest kind on the second core) serves both; then validation and the graph build, which
  // only read the parsed model and the index, run on the two cores at once. The graph shares
  // the index's id buffers; its result is used only when the model is valid.
  const v1::Model& model = s->model.model;
  const ModelIndex index = InternModel(model);
  v1::ValidationReport report;
  absl::StatusOr<graph::TypedGraph> built;
  OnBothCores([&] { built = graph::BuildGraph(model, index); },
              [&] { report = Validate(model, s->model.source, extra, index); });
  RETURN_IF_ERROR(ReportValidation(report, err));
  if (!built.ok()) return built.status();
  s->graph = std::make_unique<graph::TypedGraph>(*std::move(built));
  for (const auto& m : s->model.model.mixes()) s->mix_names.push_back(m.name());
  // Release the parsed proto now that the graph holds everything (the chosen mixes were
  // copied), on the other core while the analysis runs; ~Session waits for it. Swap (not Clear,
  // which keeps the elements allocated for reuse) hands the whole message to the releasing
  // thread.
  auto parsed = std::make_unique<v1::Model>();
  parsed->Swap(&s->model.model);
  s->releaser = std::thread([parsed = std::move(parsed)]() mutable { parsed.reset(); });
  return absl::OkStatus();
}

// ValidateAndBuild for a .binpb read entity by entity (engine/model/binary_stream.h): s->model
// holds only the skeleton (the model without its entity lists); the stream is parsed twice at
// once, each entity into a reused message, by the validator on the other core and by the graph
// builder on this one, so the whole proto is never held (issue 15). *fallback is set when an
// entity does not parse: the caller then loads the model whole, and the loader reports the
// error where it is.
absl::Status StreamValidateAndBuild(Session* s, BinaryModelStream* stream,
                                    const std::vector<MixInput>& extra, std::ostream& err,
                                    bool* fallback) {
  *fallback = false;
  const v1::Model& skeleton = s->model.model;
  const ModelIndex index = stream->Intern();
  v1::ValidationReport report;
  bool validated = false;
  bool built_all = false;
  absl::StatusOr<graph::TypedGraph> built;
  OnBothCores(
      [&] {
        graph::GraphBuilder builder(skeleton, index, stream->edge_bound());
        built_all = stream->ForEach(builder, index);
        built = std::move(builder).Finish();
      },
      [&] {
        EntityValidator v(skeleton, s->model.source, extra, index);
        // The builder's pass verifies each entity (unknown fields, its id); this one need not.
        validated = stream->ForEach(v, index, /*verify=*/false);
        if (validated) report = v.Finish();
      });
  if (!validated || !built_all) {
    *fallback = true;
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(ReportValidation(report, err));
  if (!built.ok()) return built.status();
  s->graph = std::make_unique<graph::TypedGraph>(*std::move(built));
  for (const auto& m : s->model.model.mixes()) s->mix_names.push_back(m.name());
  return absl::OkStatus();
}

// The model file args.positional[0] read entity by entity (engine/model/binary_stream.h), or
// null: it is not a .binpb / .binpbs regular file, the stream declines it, it cannot be opened
// (the whole load then reports why), or COALITION_NO_STREAM (any value) asks for the whole
// load (the same results, for comparing the two paths).
std::unique_ptr<BinaryModelStream> OpenModelStream(const Args& args) {
  const std::string& path = args.positional[0];
  const absl::StatusOr<Format> format = FormatForPath(path, args.input_format);
  if (!format.ok() || (*format != Format::kBinary && *format != Format::kBinaryStream) ||
      path == "-" || std::getenv("COALITION_NO_STREAM") != nullptr) {
    return nullptr;
  }
  absl::StatusOr<std::unique_ptr<BinaryModelStream>> opened =
      BinaryModelStream::Open(path, /*chunked=*/*format == Format::kBinaryStream);
  return opened.ok() ? *std::move(opened) : nullptr;
}

// The model file, or a snapshot (engine/snapshot) in its place: then the graph is mapped from
// it (*snap) instead of built, and s->model holds only the snapshot's mixes (so that mixes are
// looked up by name as in a model file).
// A .binpb or .binpbs from a regular file is streamed when it can be (*stream; s->model then
// holds its skeleton), else loaded whole.
absl::Status LoadModelOrSnapshot(const Args& args, Session* s,
                                 std::optional<snapshot::Snapshot>* snap,
                                 std::unique_ptr<BinaryModelStream>* stream) {
  const std::string& path = args.positional[0];
  if (!snapshot::IsSnapshotFile(path)) {
    *stream = OpenModelStream(args);
    if (*stream != nullptr) {
      s->model.source = SourceInfo(path);
      s->model.model = (*stream)->TakeSkeleton();
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(s->model, LoadModel(path, args.input_format));
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(*snap, snapshot::OpenSnapshot(path));
  s->model.source = SourceInfo(path);
  for (size_t i = 0; i < (*snap)->mix_names.size(); ++i) {
    ASSIGN_OR_RETURN(*s->model.model.add_mixes(), (*snap)->Mix(i));
  }
  return absl::OkStatus();
}

// ValidateAndBuild for a snapshot: its model and mixes were validated when it was written; the
// mix files `extra` are validated against it (MixValidationModel: the same diagnostics as with
// the model), and the graph is the snapshot's, used in place.
absl::Status ValidateAndMap(Session* s, snapshot::Snapshot* snap, const std::vector<MixInput>& extra,
                            std::ostream& err) {
  if (!extra.empty()) {
    const v1::ValidationReport full =
        Validate(snapshot::MixValidationModel(*snap), s->model.source, extra);
    v1::ValidationReport report;  // the mix files' diagnostics only
    for (const v1::Diagnostic& d : full.diagnostics()) {
      if (d.file() == s->model.source.file()) continue;
      *report.add_diagnostics() = d;
      if (d.severity() == v1::Diagnostic::ERROR) {
        report.set_errors(report.errors() + 1);
      } else {
        report.set_warnings(report.warnings() + 1);
      }
    }
    RETURN_IF_ERROR(ReportValidation(report, err));
  }
  s->graph = std::move(snap->graph);
  for (const auto& m : s->model.model.mixes()) s->mix_names.push_back(m.name());
  return absl::OkStatus();
}

// ValidateAndMap, StreamValidateAndBuild or ValidateAndBuild, as the model came. A stream that
// meets an entity it cannot parse falls back to loading the model whole (the loader reports the
// error); the mixes chosen were copied from the skeleton, which holds the same mixes.
absl::Status Prepare(const Args& args, Session* s, std::optional<snapshot::Snapshot>* snap,
                     BinaryModelStream* stream, const std::vector<MixInput>& extra,
                     std::ostream& err) {
  if (snap->has_value()) return ValidateAndMap(s, &**snap, extra, err);
  if (stream != nullptr) {
    bool fallback = false;
    RETURN_IF_ERROR(StreamValidateAndBuild(s, stream, extra, err, &fallback));
    if (!fallback) return absl::OkStatus();
    ASSIGN_OR_RETURN(s->model, LoadModel(args.positional[0], args.input_format));
  }
  return ValidateAndBuild(s, extra, err);
}

// True when `path` names something LoadMix can try to read: stdin ("-") or an existing file.
bool MayBeMixFile(const std::string& path) {
  std::error_code ec;
  return path == "-" || std::filesystem::exists(path, ec);
}

std::string MixNames(const v1::Model& model) {
  std::vector<std::string> names;
  for (const auto& m : model.mixes()) names.push_back(m.name());
  return names.empty() ? "it holds no mixes"
                       : absl::StrCat("its mixes: ", absl::StrJoin(names, ", "));
}

}  // namespace

// Loads the model and (optionally) the mix named by --mix, validates both, builds the graph.
absl::StatusOr<std::unique_ptr<Session>> OpenSession(const Args& args, bool need_mix,
                                                     std::ostream& err) {
  auto s = std::make_unique<Session>();
  std::optional<snapshot::Snapshot> snap;
  std::unique_ptr<BinaryModelStream> stream;
  RETURN_IF_ERROR(LoadModelOrSnapshot(args, s.get(), &snap, &stream));
  ASSIGN_OR_RETURN(const v1::ForceMix* chosen,
                   FindFlaggedMix(args.mix, s->model.model, &s->mix_file));
  if (need_mix && chosen == nullptr) {
    if (s->model.model.mixes_size() != 1) {
      std::vector<std::string> names;
      for (const auto& m : s->model.model.mixes()) names.push_back(m.name());
      return absl::InvalidArgumentError(absl::StrCat(
          "--mix is required: the model holds ", s->model.model.mixes_size(), " mixes",
          names.empty() ? "" : absl::StrCat(" (", absl::StrJoin(names, ", "), ")"),
          "; give a mix name or a mix file"));
    }
    chosen = &s->model.model.mixes(0);
  }
  std::vector<MixInput> extra;
  if (s->mix_file.has_value()) extra.push_back({&s->mix_file->mix, &s->mix_file->source});
  if (chosen != nullptr) s->mix = *chosen;
  RETURN_IF_ERROR(Prepare(args, s.get(), &snap, stream.get(), extra, err));
  if (need_mix) {
    ASSIGN_OR_RETURN(graph::ResolvedMix r, graph::ResolveMix(*s->graph, s->mix));
    s->resolved = std::make_unique<graph::ResolvedMix>(std::move(r));
  }
  return s;
}

absl::StatusOr<std::unique_ptr<Session>> OpenSessionForMixes(
    const Args& args, const std::vector<std::string>& mixes, std::ostream& err) {
  auto s = std::make_unique<Session>();
  std::optional<snapshot::Snapshot> snap;
  std::unique_ptr<BinaryModelStream> stream;
  RETURN_IF_ERROR(LoadModelOrSnapshot(args, s.get(), &snap, &stream));
  std::vector<std::string> wanted = mixes;
  if (wanted.empty()) {
    for (const auto& m : s->model.model.mixes()) wanted.push_back(m.name());
    if (wanted.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the model ", args.positional[0], " holds no mixes: give each mix with --mix"));
    }
  }
  // Each mix file stays loaded (with its source positions) until validation is done.
  std::vector<std::optional<LoadedMix>> files(wanted.size());
  std::vector<MixInput> extra;
  for (size_t i = 0; i < wanted.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (wanted[j] == wanted[i]) {
        return absl::InvalidArgumentError(
            absl::StrCat("--mix '", wanted[i], "' is given twice"));
      }
    }
    const bool named = absl::c_any_of(s->model.model.mixes(),
                                      [&](const v1::ForceMix& m) { return m.name() == wanted[i]; });
    if (!named && !MayBeMixFile(wanted[i])) {
      return absl::NotFoundError(absl::StrCat("--mix '", wanted[i], "' is neither a mix of ",
                                              args.positional[0], " (", MixNames(s->model.model),
                                              ") nor a mix file"));
    }
    ASSIGN_OR_RETURN(const v1::ForceMix* found,
                     FindFlaggedMix(wanted[i], s->model.model, &files[i]));
    s->mixes.push_back(*found);
    if (files[i].has_value()) extra.push_back({&files[i]->mix, &files[i]->source});
  }
  RETURN_IF_ERROR(Prepare(args, s.get(), &snap, stream.get(), extra, err));
  for (const v1::ForceMix& m : s->mixes) {
    ASSIGN_OR_RETURN(graph::ResolvedMix r, graph::ResolveMix(*s->graph, m));
    s->resolved_mixes.push_back(std::move(r));
  }
  return s;
}

int64_t PairsAsked(const graph::ResolvedMix& mix, int64_t added) {
  int64_t total = 0;
  for (const graph::ResolvedIer& ier : mix.iers) {
    total = SaturatingAdd(
        total, SaturatingMul(SaturatingAdd(static_cast<int64_t>(ier.from.size()), added),
                             SaturatingAdd(static_cast<int64_t>(ier.to.size()), added)));
  }
  return total;
}

absl::Status CheckPairBudget(const graph::ResolvedMix& mix, int64_t max_pairs,
                             absl::string_view command, int64_t added) {
  if (max_pairs < 0) return absl::OkStatus();
  const int64_t budget = max_pairs == 0 ? kDefaultMaxPairs : max_pairs;
  const int64_t asked = PairsAsked(mix, added);
  if (asked <= budget) return absl::OkStatus();
  // Name the IERs that ask most, largest first (at most three).
  std::vector<size_t> order(mix.iers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto pairs = [&](size_t i) {
    return SaturatingMul(static_cast<int64_t>(mix.iers[i].from.size()),
                         static_cast<int64_t>(mix.iers[i].to.size()));
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return pairs(a) > pairs(b); });
  std::vector<std::string> largest;
  for (size_t k = 0; k < order.size() && k < 3; ++k) {
    const graph::ResolvedIer& ier = mix.iers[order[k]];
    largest.push_back(absl::StrCat("'", absl::CEscape(ier.name), "' (", ier.from.size(),
                                   " from x ", ier.to.size(), " to)"));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      command, ": the IERs of mix '", absl::CEscape(mix.name), "' ask ", asked,
      " ordered pairs of elements",
      added > 0 ? absl::StrCat(" (counting ", added, " added element(s) on both sides)") : "",
      ", over the budget of ", budget, " (--max_pairs); largest: ",
      absl::StrJoin(largest, ", "),
      ". Narrow the selectors (list nations, groups, platforms, domains or roles instead of "
      "'all'; split one all-to-all IER into the exchanges that matter) or raise --max_pairs "
      "(-1: no limit)"));
}

absl::Status CheckMatrixBudget(const graph::ResolvedMix& mix, int64_t max_pairs) {
  if (max_pairs < 0) return absl::OkStatus();
  const int64_t budget = max_pairs == 0 ? kDefaultMaxMatrixCells : max_pairs;
  const int64_t n = mix.size();
  const int64_t cells = SaturatingMul(n, n);
  if (cells <= budget) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "matrix: mix '", absl::CEscape(mix.name), "' has ", n, " elements, so its matrix has ",
      cells, " cells, over the budget of ", budget,
      " (--max_pairs; the text and csv forms need tens of bytes per cell). Use `gaps` for the "
      "aggregates, narrow the mix, or raise --max_pairs (-1: no limit)"));
}

absl::StatusOr<v1::ValidationReport> ValidateModelFile(const Args& args) {
  const std::string& path = args.positional[0];
  if (!snapshot::IsSnapshotFile(path)) {
    if (const std::unique_ptr<BinaryModelStream> opened = OpenModelStream(args)) {
      BinaryModelStream& stream = *opened;
      const SourceInfo source(path);
      std::optional<LoadedMix> mix;  // set when --mix names a mix file
      RETURN_IF_ERROR(FindFlaggedMix(args.mix, stream.skeleton(), &mix).status());
      std::vector<MixInput> extra;
      if (mix.has_value()) extra.push_back({&mix->mix, &mix->source});
      const ModelIndex index = stream.Intern();
      EntityValidator validator(stream.skeleton(), source, extra, index);
      // One pass that verifies each entity; anything it declines is loaded whole below.
      if (stream.ForEach(validator, index)) return validator.Finish();
    }
  }
  ASSIGN_OR_RETURN(LoadedModel model, LoadModelOrSnapshotModel(path, args.input_format));
  std::optional<LoadedMix> mix;
  // A mix inside the model is validated with the model; only a mix file needs adding.
  RETURN_IF_ERROR(FindFlaggedMix(args.mix, model.model, &mix).status());
  std::vector<MixInput> extra;
  if (mix.has_value()) extra.push_back({&mix->mix, &mix->source});
  return Validate(model.model, model.source, extra);
}

absl::StatusOr<LoadedModel> LoadModelOrSnapshotModel(const std::string& path,
                                                     const std::string& format_override) {
  if (!snapshot::IsSnapshotFile(path)) return LoadModel(path, format_override);
  ASSIGN_OR_RETURN(snapshot::Snapshot snap, snapshot::OpenSnapshot(path));
  LoadedModel m;
  m.source = SourceInfo(path);
  ASSIGN_OR_RETURN(m.model, snap.Model());
  return m;
}

absl::StatusOr<const scenario::SupplyChain*> SupplyChainOf(Session& s) {
  if (s.chain == nullptr) {
    ASSIGN_OR_RETURN(scenario::SupplyChain chain, scenario::SupplyChain::Build(*s.graph));
    s.chain = std::make_unique<scenario::SupplyChain>(std::move(chain));
  }
  return s.chain.get();
}

absl::Status EmitOutput(const std::string& path, const std::string& text, std::ostream& out) {
  if (path == "-") {
    out << text;
    out.flush();
    return out ? absl::OkStatus() : absl::InternalError("cannot write to standard output");
  }
  return WriteFileAtomically(path, text);
}


}  // namespace coalition::tools
