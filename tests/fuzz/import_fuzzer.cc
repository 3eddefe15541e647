// Fuzz target: the SIPRI (COALITION_FUZZ_IMPORTER=sipri) or NISP (=nisp) CSV importer.
// Invariants: the importer answers ok or a user-facing error; what it imports from any bytes
// validates with no error (the CLI treats an invalid import as an importer bug, exit 3) and
// round-trips losslessly; no crash, no sanitizer report.
#include <cstddef>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "engine/importers/nisp.h"
#include "engine/importers/sipri.h"
#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "tests/fuzz/fuzz_common.h"

namespace {

void CheckImported(const coalition::v1::Model& model) {
  const coalition::v1::ValidationReport report =
      coalition::Validate(model, coalition::SourceInfo("fuzz"));
  if (report.errors() > 0) {
    coalition::fuzz::FuzzFail(absl::StrCat("an import does not validate: ",
                                           coalition::FormatDiagnostic(report.diagnostics(0))));
  }
  coalition::fuzz::CheckRoundTrip(model);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
#if COALITION_FUZZ_SIPRI
  auto imp = coalition::importers::ImportSipri(bytes, "fuzz.csv");
  coalition::fuzz::CheckUserFacing(imp.status(), "import sipri");
  if (imp.ok() && imp->rows_used > 0) {
    coalition::v1::Model model = std::move(imp->model);
    *model.add_mixes() = std::move(imp->holdings);
    CheckImported(model);
  }
#else
  auto imp = coalition::importers::ImportNisp(bytes, "fuzz.csv");
  coalition::fuzz::CheckUserFacing(imp.status(), "import nisp");
  if (imp.ok() && imp->rows_used > 0) CheckImported(imp->model);
#endif
  return 0;
}
