// Validation of a model and its force mixes: reports *every* problem, each with its location.
//
// Recommended API:
//   ASSIGN_OR_RETURN(LoadedModel m, LoadModel(path));
//   std::vector<MixInput> mixes = {{&loaded_mix.mix, &loaded_mix.source}};   // optional
//   coalition::v1::ValidationReport report = Validate(m.model, m.source, mixes);
//   for (const auto& d : report.diagnostics()) std::cerr << FormatDiagnostic(d) << "\n";
//   if (report.errors() > 0) ... // exit 2
//
// Each Diagnostic carries the file, 1-based line:column (text format only; 0 otherwise), the
// entity path (`platforms["F-16C"].links[2]`, `mixes["east"].iers["air picture"].from.nations[0]`),
// a stable code and a message. Mixes inside the model and mixes from their own files are both
// reported under `mixes["NAME"]`; the file field tells them apart.
//
// Paths: an entity is keyed by its id (mixes by name, IERs by name, force elements by their
// explicit id), or by its index when that is empty (`platforms[3]`, `mixes["east"].elements[0]`);
// ids are C-escaped inside the quotes. A mix from its own file is `mixes[N]` when unnamed, N
// counting the model's mixes first. Gateways, component uses, sub-components and list entries
// are indexed. A problem with a field that is absent (a missing name, an unset enum) names the
// field in the path and takes the line:column of the entity that lacks it.
//
// Errors (codes):            parse-level problems are reported by the loader, not here.
//   duplicate-id             two entities of one kind share an id (also two mixes share a name,
//                            over the model's mixes and the extra mixes together; two elements
//                            of a mix share an effective id; two IERs of a mix share a name; two
//                            standards share a family and version; a group id that is also a
//                            nation id). Reported on every occurrence after the first, naming it.
//   bad-id                   id empty or outside [A-Za-z0-9._:-]+ (entities; a force element's
//                            id only when given)
//   missing-field            a required field is empty: every entity's name, a standard's family,
//                            a platform's designer_nation, a supplier's nation, a gateway's
//                            standards, a component reference, an element's platform and nation,
//                            a mix's name, an IER's name
//   unspecified-enum         *_UNSPECIFIED where a value is required (also a selector domain)
//   negative-value           negative (or non-finite) cost or budget, quantity < 1, version < 0
//   out-of-range             level_cap (when set) outside 1..3, min_level outside 1..4; an
//                            IER weight (when set) not in (0, 10^6]; stock_months not in 0..1200;
//                            quantity above 10^9; a cost or budget above 10^9 USD millions;
//                            any enum field (anywhere, found by reflection) holding a number
//                            its enum does not define (proto3 parsers accept any number)
//   invalid-utf8             any string field (anywhere) that is not well-formed UTF-8
//   dangling-reference       a reference names no entity of its kind (releasable_to, on every
//                            entity kind that has one: a nation or a group; nation.groups: a group; selector elements: an effective
//                            element id of the same mix; us_nation, when set: a nation); says "did you mean 'X'?" when an id of
//                            that kind differs only in case (preferred) or is within edit
//                            distance 2; ties go to the smaller distance, then the
//                            lexicographically first id. Kinds with over 100,000 ids get no
//                            suggestion. An empty list entry is "empty <kind> reference".
//   restriction-source       a supply restriction sets both or neither of supplier and
//                            supplier_nation (it also needs an id, unique, like an entity, and
//                            at least one denied_to entry: missing-field)
//   component-cycle          sub-component references form a cycle; the message names it
//                            ("cycle: A -> B -> C -> A"), starting at its lexicographically
//                            smallest id, at that component's sub_components entry. Found by an
//                            iterative depth-first search (model order): each back edge names one
//                            distinct cycle, and every cyclic strongly connected set of
//                            components has at least one named. Cycles over 32 ids are elided;
//                            past 20 million ids walked naming cycles, the remaining cycles are
//                            counted in one last component-cycle diagnostic.
//   gateway-standard         a gateway names a standard its platform does not speak
//   bad-selector             a selector that is empty (neither all nor any kind; also an unset
//                            `from` / `to`), or `all` with other kinds
// Warnings (never counted as errors):
//   sourcing-mismatch        sourcing differs from ExpectedSourcing (sourcing.h) of the designer
//                            and producer nations, relative to the US nation UsNationId(model)
//                            (us_nation, default "USA"; messages name it): US_BUILT needs a US
//                            designer and only US producers; CO_PRODUCED a US designer and some
//                            non-US producer; THIRD_PARTY a non-US designer. One per platform,
//                            skipped when the designer nation is empty or a set us_nation names
//                            no nation (that is an error already)
//   selector-matches-nothing an IER selector that matches no element of its mix (SPEC §1 matching,
//                            selector_rule.h: for every kind listed, one of its values; groups
//                            through the operating nation's memberships, domains and roles
//                            through the platform). Not reported for a selector that already
//                            has an error.
//   component-no-supplier    a component with no suppliers (it is never available)
//   empty-model              the model defines no entity and no mix (an empty file or `{}`)
//   duplicate-entry          a repeated string or enum field (releasable_to, groups, links,
//                            standards, suppliers, roles, selector values...) listing one value
//                            twice; reported at each later copy, naming the first. A warning:
//                            the meaning is unchanged (`--warnings_as_errors` refuses it)
//
// Order: errors first, then warnings; within each, by file (the model, then the extra mixes in
// the order given), line, column, then model order (entity kind in Model field order, entity
// index, then the order the checks run). Without positions (binary, JSON) this is model order.
// The same input always gives the same report.
//
// Complexity: O(size of the model + mixes) with one id index per kind (the shared interning
// pass, engine/model/interner.h; references resolved in prefetched batches, a path built only
// for a reference that fails; the field walk reuses its buffers), plus the did-you-mean
// search, which runs only for dangling references (memoized per kind and reference; a linear
// scan with a length filter). The selector-matches-nothing check indexes each mix's elements by
// every selector kind once, then scans only the elements picked by the selector's most selective
// kind, stopping at the first that matches all kinds.
#ifndef COALITION_ENGINE_MODEL_VALIDATE_H_
#define COALITION_ENGINE_MODEL_VALIDATE_H_

#include <memory>
#include <string>
#include <vector>

#include "coalition/v1/mix.pb.h"
#include "coalition/v1/model.pb.h"
#include "coalition/v1/report.pb.h"
#include "engine/model/element_id.h"  // EffectiveElementId
#include "engine/model/interner.h"
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

// The same with the model's ids already interned (`index` = InternModel(model),
// engine/model/interner.h), so that graph::BuildGraph(model, index) can share the one interning
// pass and run on the other core meanwhile. The report is identical.
coalition::v1::ValidationReport Validate(const coalition::v1::Model& model,
                                         const SourceInfo& model_source,
                                         const std::vector<MixInput>& extra_mixes,
                                         const ModelIndex& index);


// Validation fed one entity at a time (issue 15), for readers that never hold the whole model
// (engine/model/binary_stream.h parses each top-level entity of a .binpb into a reused message).
//
//   EntityValidator v(skeleton, source, extra, index);   // index = the whole model's ids
//   v.Add(0, nation0); v.Add(1, nation1); ... v.Add(0, platform0); ...
//   ValidationReport report = v.Finish();
//
// `skeleton` is the model without its entity lists (nations, groups, platforms, links,
// standards, components, suppliers): it holds every other field (name, description, mixes,
// us_nation, restrictions). `index` interns the ids of the whole model (engine/model/
// interner.h). Entities are added in model order within each kind and kinds in Model field
// order (all nations, then all groups, ..., then all suppliers), `i` being the entity's index in
// its list; each kind may be empty. An added message may be reused (cleared and re-parsed)
// after the call: nothing keeps a pointer into it. Finish() runs the checks that need the whole
// model (sub-component cycles, mixes and their selectors, restrictions, the empty model) and
// returns the report, which is exactly Validate()'s on the full model, diagnostics and order
// included. Validate() itself is this class fed from the model's lists: the rules have one
// home. Memory: O(index + mixes + per-platform domain and roles + per-nation groups +
// sub-component references, the standards' (family, version) pairs), never the entities
// themselves. The validator keeps references to `skeleton`, `model_source`, `extra_mixes` (the
// vector itself: not a temporary `{}`) and `index`: all must outlive it. Finish() once.
namespace validate_internal {
class Validator;  // validate.cc
}  // namespace validate_internal

class EntityValidator {
 public:
  EntityValidator(const coalition::v1::Model& skeleton, const SourceInfo& model_source,
                  const std::vector<MixInput>& extra_mixes, const ModelIndex& index);
  ~EntityValidator();
  EntityValidator(const EntityValidator&) = delete;
  EntityValidator& operator=(const EntityValidator&) = delete;

  void Add(int i, const coalition::v1::Nation& nation);
  void Add(int i, const coalition::v1::Group& group);
  void Add(int i, const coalition::v1::PlatformType& platform);
  void Add(int i, const coalition::v1::CommsLink& link);
  void Add(int i, const coalition::v1::DataStandard& standard);
  void Add(int i, const coalition::v1::Component& component);
  void Add(int i, const coalition::v1::Supplier& supplier);
  // Call once, after the last Add.
  coalition::v1::ValidationReport Finish();

 private:
  std::unique_ptr<validate_internal::Validator> impl_;
};

// "FILE:LINE:COLUMN: error: PATH: MESSAGE [code]" (position parts omitted when unknown).
std::string FormatDiagnostic(const coalition::v1::Diagnostic& d);

}  // namespace coalition

#endif  // COALITION_ENGINE_MODEL_VALIDATE_H_
