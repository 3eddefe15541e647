#include "tools/session.h"

#include <thread>

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
  if (chosen != nullptr) s->mix = *chosen;
  for (const auto& m : s->model.model.mixes()) s->mix_names.push_back(m.name());
  // Release the parsed proto now that the graph holds everything (the chosen mix was copied),
  // on the other core while the analysis runs; ~Session waits for it. Swap (not Clear, which
  // keeps the elements allocated for reuse) hands the whole message to the releasing thread.
  auto parsed = std::make_unique<v1::Model>();
  parsed->Swap(&s->model.model);
  s->releaser = std::thread([parsed = std::move(parsed)]() mutable { parsed.reset(); });
  if (need_mix) {
    ASSIGN_OR_RETURN(graph::ResolvedMix r, graph::ResolveMix(*s->graph, s->mix));
    s->resolved = std::make_unique<graph::ResolvedMix>(std::move(r));
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
