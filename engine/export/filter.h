// The filtered export (SPEC §7): a model as one recipient nation may see it — only the entities
// releasable to it, every reference to a removed entity dropped with it, mixes reduced to what
// keeps its meaning, and free text that names a removed entity redacted.
//
// Recommended API:
//   ASSIGN_OR_RETURN(FilterResult r, FilterForRecipient(validated_model, "UKR"));
//   RETURN_IF_ERROR(WriteMessage(r.model, "for_ukr.binpb", Format::kBinary));
//   std::cerr << SummaryText(r.summary);          // counts by kind, never names
//
// Terms.
//   recipient    a nation of the model. Nations carry no releasability list in the schema (SPEC §1
//                lists platform type, component, supplier, group, mix, link, standard), so every
//                nation stays; its memberships of removed groups go.
//   releasable   the rule of engine/model/releasability.h (the one home it shares with the
//                scenario's MayUse), on the input model: list empty, or it names the recipient or a
//                group the recipient belongs to, or — links and standards only — the recipient is
//                the designer nation. A supply restriction and a mix are entities here too.
//   withheld     an entity not releasable to the recipient. Its *terms* are its id, its display
//                name, and the name's short form without a trailing parenthetical ("Link 16
//                (JTIDS/MIDS)" -> "Link 16"), the way prose mentions it. The filter guarantees
//                that no term of a withheld entity *occurs* in the output: a case-insensitive
//                match bounded by non-word characters (word = ASCII letter, digit, '_', or any byte
//                >= 0x80) wherever the term itself begins / ends with a word character. So "C1" does
//                not occur in "C10" or "SUP1C", "MADL" occurs in "MADL-MSG" and in
//                ".../kommunikation-madl-link-16". Terms with no letter or digit (an id "--") say
//                nothing and are not searched.
//
// What is removed, and what happens to what refers to it:
//   - withheld groups, platform types, links, standards, components, suppliers, mixes and
//     supply restrictions;
//   - references to them: nations' group memberships, platforms' links, standards and component
//     uses, gateways naming a removed standard, links' carried standards, components' suppliers
//     and sub-components, restrictions' denied_to groups;
//   - cascades that keep the output valid and truthful: a component that had suppliers and has
//     none left is removed too (kept, it would read as "never available" and ground every platform
//     that needs it: a false statement; gone, the dependency is simply not shown, like any other
//     withheld one); a restriction naming a removed supplier, or whose denied_to loses every
//     entry, is removed;
//   - releasability lists of kept entities lose their removed groups; where that would leave the
//     list empty (which would widen it to everyone) or no longer granting the recipient (the group
//     it came through is gone), the recipient's id is appended, so the output says "releasable to
//     at least you" and filtering again keeps it;
//   - mixes: an element goes with its platform type (nations always stay). An IER is kept only
//     when its meaning on the remaining elements is unchanged: selector values naming removed
//     elements or platform types are dropped (they matched only removed elements); a selector
//     kind that loses all its values drops the IER (never widened to "all"); a value naming a
//     removed group drops the IER (its members stay, so narrowing it would change the meaning);
//   - free text — every `name`, `description`, `source` and `edition` — has each occurrence of a
//     withheld term replaced by "[redacted]" (by "[***]" if a term occurs in "[redacted]"),
//     longest term first, repeated until none is left. Mix and IER names made equal by redaction
//     get " (2)", " (3)" ... appended; an explicit element id that contains a term is renamed
//     "element-K" (K its 1-based position among the kept elements; made unique) and the mix's
//     selectors follow.
//   - textproto comments of the input are never carried (they are not part of the message).
// A withheld id or name that is a number, or a word the textproto and JSON forms print anyway (a
// field or enum value name of the schema, true / false / inf / nan, or a word of the textproto
// header "# proto-file: coalition/v1/model.proto  # proto-message: coalition.v1.Model") is
// refused the same way: it would show in every output.
// Anything else that still contains a withheld term — a kept entity's id, a reference to it, a
// role tag, a standard family — cannot be redacted without changing the model's meaning: the
// filter refuses (FailedPrecondition naming the kept field path and the term: the message is for
// the operator, who may see everything; rename the kept entity or withhold it too). Every string
// field of the output is checked by reflection, so a string field added to the schema later is
// covered too.
//
// Guarantees (engine/export/filter_property_test.cc checks them on seeded random models and on
// the shipped dataset for every nation): no withheld term occurs in the textproto, JSON or binary
// serialization; the output validates whenever the input does (no errors); filtering the output
// again for the same recipient returns it unchanged; a recipient to whom everything is releasable
// gets a message equal to the input (so its serialization is byte-identical).
//
// Errors: NotFound when the recipient is not a nation of the model; FailedPrecondition as above.
// The model should be valid (Validate with no errors): references that resolve to nothing are
// treated as naming no kept entity.
// Complexity: O(model size) hash lookups for the structure; redaction O(text length x distinct
// term lengths) per free-text field (hash lookups of lowered substrings).
// Thread-safety: pure.
#ifndef COALITION_ENGINE_EXPORT_FILTER_H_
#define COALITION_ENGINE_EXPORT_FILTER_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "coalition/v1/model.pb.h"

namespace coalition::exports {

// What the filter did, in counts only (a summary may be shown to anyone; it names nothing).
struct FilterSummary {
  std::string recipient;
  // Entities removed, by kind. `components` includes `components_no_supplier`, those releasable
  // but left without a supplier; `restrictions` includes those removed by cascade.
  int64_t groups = 0, platforms = 0, links = 0, standards = 0, components = 0, suppliers = 0,
          mixes = 0, restrictions = 0;
  int64_t components_no_supplier = 0;
  // From the kept mixes.
  int64_t elements = 0, iers = 0;
  // References to removed entities dropped from kept entities (memberships, fits, spoken
  // standards, gateways, carried standards, component uses, suppliers, sub-components, denied_to
  // entries, selector values, releasability entries).
  int64_t references = 0;
  // Free-text fields changed by redaction; element ids renamed; releasability lists that got the
  // recipient appended.
  int64_t texts_redacted = 0, elements_renamed = 0, lists_narrowed = 0;

  int64_t entities_removed() const {
    return groups + platforms + links + standards + components + suppliers + mixes + restrictions;
  }
};

struct FilterResult {
  coalition::v1::Model model;
  FilterSummary summary;
};

// The model as `recipient` (a nation id) may see it.
absl::StatusOr<FilterResult> FilterForRecipient(const coalition::v1::Model& model,
                                                absl::string_view recipient);

// "export for UKR: removed 3 platform types, 2 links, ...; dropped ..." — one paragraph for stderr,
// counts only.
std::string SummaryText(const FilterSummary& summary);

}  // namespace coalition::exports

#endif  // COALITION_ENGINE_EXPORT_FILTER_H_
