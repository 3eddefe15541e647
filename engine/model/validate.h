// Validation of a model and its force mixes: reports *every* problem, each with its location.
//
// Recommended API:
//   ASSIGN_OR_RETURN(LoadedModel m, LoadModel(path));
//   std::vector<MixInput> mixes = {{&loaded_mix.mix, &loaded_mix.source}};   // optional
//   coalition::v1::ValidationReport report = Validate(m.model, m.source, mixes);
//   if (report.errors() > 0) ... // exit 2
//
// Each Diagnostic carries the file, 1-based line:column (text format only; 0 otherwise), the
// entity path (`platforms["F-16C"].links[2]`, `mixes["east"].iers["air picture"].from.nations[0]`),
// a stable code and a message. Mixes inside the model and mixes from their own files are both
// reported under `mixes["NAME"]`; the file field tells them apart.
//
// Errors (codes):            parse-level problems are reported by the loader, not here.
//   duplicate-id             two entities of one kind share an id (also two mixes share a name,
//                            two elements of a mix share an effective id, two standards share a
//                            family and version, a group id that is also a nation id)
//   bad-id                   id empty or outside [A-Za-z0-9._:-]+
//   missing-field            a required field (name, family, ...) is empty
//   unspecified-enum         *_UNSPECIFIED where a value is required
//   negative-value           negative cost, quantity < 1, version < 0, budget < 0
//   out-of-range             level_cap outside 1..3, min_level outside 1..4
//   dangling-reference       a reference names no entity of its kind; says "did you mean 'X'?"
//                            when an id of that kind is within edit distance 2 (or differs only
//                            in case)
//   component-cycle          sub-component references form a cycle; the message names it
//                            ("cycle: A -> B -> C -> A")
//   gateway-standard         a gateway names a standard its platform does not speak
//   bad-selector             a selector that is empty (neither all nor any kind), or `all` with
//                            other kinds
// Warnings:
//   sourcing-mismatch        sourcing contradicts designer/producer nations (US_BUILT needs a
//                            USA designer and only USA producers; CO_PRODUCED a USA designer and
//                            some non-USA producer; THIRD_PARTY a non-USA designer)
//   selector-matches-nothing an IER selector that matches no element of its mix
//   component-no-supplier    a component with no suppliers (it is never available)
//
// Order: errors first, then warnings; within each, by file, line, column, then path (entities
// without positions keep model order). Complexity: O(size of the model + mixes) plus the
// did-you-mean search, which runs only for dangling references.
#ifndef COALITION_ENGINE_MODEL_VALIDATE_H_
#define COALITION_ENGINE_MODEL_VALIDATE_H_

#include <string>
#include <vector>

#include "coalition/v1/mix.pb.h"
#include "coalition/v1/model.pb.h"
#include "coalition/v1/report.pb.h"
#include "engine/model/load.h"

namespace coalition {

// A mix given in its own file.
struct MixInput {
  const coalition::v1::ForceMix* mix;
  const SourceInfo* source;
};

coalition::v1::ValidationReport Validate(const coalition::v1::Model& model,
                                         const SourceInfo& model_source,
                                         const std::vector<MixInput>& extra_mixes = {});

// The effective id of a force element: its id, or "<nation>:<platform>" when empty.
std::string EffectiveElementId(const coalition::v1::ForceElement& element);

// "FILE:LINE:COLUMN: error: PATH: MESSAGE [code]" (position parts omitted when unknown).
std::string FormatDiagnostic(const coalition::v1::Diagnostic& d);

}  // namespace coalition

#endif  // COALITION_ENGINE_MODEL_VALIDATE_H_
