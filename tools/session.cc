#include "tools/session.h"

#include <filesystem>
#include <optional>
#include <system_error>
#include <thread>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/base/file_io.h"
#include "engine/base/status_macros.h"
#include "engine/model/validate.h"

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

// Validates the loaded model with the mix files `extra` while the graph is built on the other
// core, then releases the parsed model. Copy what you need out of s->model.model first.
absl::Status ValidateAndBuild(Session* s, const std::vector<MixInput>& extra, std::ostream& err) {
  // Validation and the graph build both only read the parsed model: run them on the two cores
  // at once. The build copies the id strings (it cannot move them out while the validator reads
  // them); its result is used only when the model is valid.
  v1::ValidationReport report;
  std::thread validator(
      [&] { report = Validate(s->model.model, s->model.source, extra); });
  absl::StatusOr<graph::TypedGraph> built =
      graph::BuildGraph(static_cast<const v1::Model&>(s->model.model));
  validator.join();
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
  ASSIGN_OR_RETURN(s->model, LoadModel(args.positional[0], args.input_format));
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
  RETURN_IF_ERROR(ValidateAndBuild(s.get(), extra, err));
  if (need_mix) {
    ASSIGN_OR_RETURN(graph::ResolvedMix r, graph::ResolveMix(*s->graph, s->mix));
    s->resolved = std::make_unique<graph::ResolvedMix>(std::move(r));
  }
  return s;
}

absl::StatusOr<std::unique_ptr<Session>> OpenSessionForMixes(
    const Args& args, const std::vector<std::string>& mixes, std::ostream& err) {
  auto s = std::make_unique<Session>();
  ASSIGN_OR_RETURN(s->model, LoadModel(args.positional[0], args.input_format));
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
  RETURN_IF_ERROR(ValidateAndBuild(s.get(), extra, err));
  for (const v1::ForceMix& m : s->mixes) {
    ASSIGN_OR_RETURN(graph::ResolvedMix r, graph::ResolveMix(*s->graph, m));
    s->resolved_mixes.push_back(std::move(r));
  }
  return s;
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
