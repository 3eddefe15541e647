// The selector rule (SPEC §1), written once for every level it is evaluated at: on the model's
// strings by Validate() (selector-matches-nothing, before a graph exists) and on dense indices by
// engine/graph/force_mix (Matches, and through it IER expansion and what-if elements).
//
// Recommended API:
//   bool m = SelectorMatches(sel.all(),
//       [&](SelectorKind k) { return /* does the selector list kind k? */; },
//       [&](SelectorKind k) { return /* does the element match one of kind k's values? */; });
//
// Terms.
//   kind       one of the six things a selector can list, in coalition.v1.Selector field order:
//              elements (effective element ids), platforms, nations, groups (through the
//              operating nation's memberships), domains and roles (through the platform type).
//   listed     the selector names at least one value of the kind. A listed kind whose values are
//              all unknown still counts as listed (and then matches nothing).
//   the rule   an element matches iff the selector is `all`, or for every listed kind it matches
//              one of that kind's values. A selector with no kind listed and not `all` is invalid
//              (Validate: bad-selector; ResolveMix: InvalidArgument); the rule would match
//              everything vacuously.
// What "matches one value of kind K" means per kind is the caller's accessor (strings or
// indices); what combines the kinds is only here.
//
// Complexity: at most six calls of each accessor, stopping at the first listed kind the element
// fails. Both accessors are template arguments, so the calls inline.
// Thread-safety: pure; the accessors decide.
#ifndef COALITION_ENGINE_MODEL_SELECTOR_RULE_H_
#define COALITION_ENGINE_MODEL_SELECTOR_RULE_H_

#include <cstdint>

namespace coalition {

// The kinds a selector can list, in coalition.v1.Selector field order.
enum class SelectorKind : uint8_t { kElements, kPlatforms, kNations, kGroups, kDomains, kRoles };
inline constexpr SelectorKind kSelectorKinds[] = {
    SelectorKind::kElements, SelectorKind::kPlatforms, SelectorKind::kNations,
    SelectorKind::kGroups,   SelectorKind::kDomains,   SelectorKind::kRoles};

// Whether the selector lists any kind; `listed(SelectorKind) -> bool`.
template <typename Listed>
bool ListsAnyKind(const Listed& listed) {
  for (SelectorKind k : kSelectorKinds) {
    if (listed(k)) return true;
  }
  return false;
}

// The selector rule, the only place it is written: true iff `all`, or for every kind k with
// listed(k), matches_one(k) (the element matches one of k's values). matches_one is called only
// for listed kinds.
template <typename Listed, typename MatchesOne>
bool SelectorMatches(bool all, const Listed& listed, const MatchesOne& matches_one) {
  if (all) return true;
  // Spelled out kind by kind (kSelectorKinds order) so that each call sees a constant kind and
  // the accessors' switches fold away once inlined.
  auto holds = [&](SelectorKind k) { return !listed(k) || matches_one(k); };
  return holds(SelectorKind::kElements) && holds(SelectorKind::kPlatforms) &&
         holds(SelectorKind::kNations) && holds(SelectorKind::kGroups) &&
         holds(SelectorKind::kDomains) && holds(SelectorKind::kRoles);
}

}  // namespace coalition

#endif  // COALITION_ENGINE_MODEL_SELECTOR_RULE_H_
