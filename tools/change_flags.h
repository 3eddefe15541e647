// The what-if command's short change flags, parsed into typed changes (change.proto) against the
// model: `--release LINK16:UKR`, `--fit LINK16:F16`, `--add_element F16:POL:4`,
// `--upgrade F16:J5:J6`, `--add_gateway AEW:USA`, `--share POL:UKR`, and the one-id flags
// (`--embargo`, `--remove_supplier`, `--remove_element`, `--remove_platform`). This is a
// parsing front end only: the engine sees typed changes.
//
// Ids may contain ':', so each "A:B[:C]" value is split at every ':' in turn and a split is kept
// when each part names an entity of the right kind; none gives NotFound, more than one gives InvalidArgument naming the readings — the structured
// `--changes FILE` (a coalition.v1.WhatIf) takes any id. A release's item is a link or a
// standard and its party a nation or a group; an id that is both is ambiguous too.
//
//   ASSIGN_OR_RETURN(v1::WhatIf w, CollectChanges(args, graph));
//
// Order: the --changes file's changes first, then the flags in the order listed above. The
// --changes file is a coalition.v1.WhatIf, or a coalition.v1.RecommendReport (`coalition
// recommend --format textproto|json|binpb`), whose plan's changes are taken in step order.
#ifndef COALITION_TOOLS_CHANGE_FLAGS_H_
#define COALITION_TOOLS_CHANGE_FLAGS_H_

#include "absl/status/statusor.h"
#include "coalition/v1/change.pb.h"
#include "engine/graph/typed_graph.h"
#include "tools/args.h"

namespace coalition::tools {

absl::StatusOr<coalition::v1::WhatIf> CollectChanges(const Args& args,
                                                     const graph::TypedGraph& graph);

// The input bounds the model's validator applies, for changes (CollectChanges calls it): an
// added element's quantity is at most 10^9 (InvalidArgument naming changes[i] otherwise).
absl::Status CheckChangeBounds(const coalition::v1::WhatIf& w);

}  // namespace coalition::tools

#endif  // COALITION_TOOLS_CHANGE_FLAGS_H_
