// The releasability rule (SPEC §1), written once for every level it is evaluated at: on dense
// graph indices by engine/graph/force_mix (MayUse: who may use a link or standard, and through it
// the scenario's channels) and on the model's strings by engine/export (what a filtered export
// for a recipient keeps, SPEC §7).
//
// Recommended API:
//   bool ok = ReleasableTo(entity.releasable_to(),
//       [&] { return /* is the recipient the entity's designer nation (links, standards)? */; },
//       [&](const auto& party) { return /* is party the recipient or a group it belongs to? */; });
//   // On the model's strings (a nation id and its group ids):
//   RecipientParties r{"UKR", {"EU-CANDIDATES"}};
//   bool ok2 = ReleasableToNation(link.releasable_to(), link.designer_nation(), r);
//
// Terms.
//   list       the entity's releasability list: nation and group ids (or graph nodes).
//   the rule   an entity is releasable to nation N iff its list is empty (releasable to everyone),
//              or the list names N, or names a group N belongs to, or N designed it. The designer
//              clause applies to links and standards only (SPEC §1, §7): callers for other kinds
//              pass "not the designer".
// What "names the recipient" means is the caller's accessor (strings or node ids); the rule that
// combines the clauses is only here.
//
// Complexity: O(list length) accessor calls, stopping at the first that grants; the designer
// accessor is called at most once and only for a non-empty list.
// Thread-safety: pure; the accessors decide.
#ifndef COALITION_ENGINE_MODEL_RELEASABILITY_H_
#define COALITION_ENGINE_MODEL_RELEASABILITY_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"

namespace coalition {

// The rule, the only place it is written. `list` is any range; `is_designer()` -> bool says
// whether the recipient designed the entity; `names_recipient(entry)` -> bool says whether an
// entry is the recipient nation or one of its groups.
template <typename List, typename IsDesigner, typename NamesRecipient>
bool ReleasableTo(const List& list, const IsDesigner& is_designer,
                  const NamesRecipient& names_recipient) {
  if (list.begin() == list.end()) return true;  // empty: releasable to everyone
  if (is_designer()) return true;
  for (const auto& party : list) {
    if (names_recipient(party)) return true;
  }
  return false;
}

// A recipient nation on the model's strings: its id and the ids of the groups it belongs to.
struct RecipientParties {
  std::string nation;
  absl::flat_hash_set<std::string> groups;

  bool Names(absl::string_view party) const {
    return party == nation || groups.contains(party);
  }
};

// The rule on strings. `designer_nation` is the entity's designer (empty: none, or a kind the
// designer clause does not apply to).
template <typename List>
bool ReleasableToNation(const List& list, absl::string_view designer_nation,
                        const RecipientParties& recipient) {
  return ReleasableTo(
      list, [&] { return !designer_nation.empty() && designer_nation == recipient.nation; },
      [&](const auto& party) { return recipient.Names(party); });
}

}  // namespace coalition

#endif  // COALITION_ENGINE_MODEL_RELEASABILITY_H_
