// The effective id of a force element, shared by validation, mix resolution and what-if.
#ifndef COALITION_ENGINE_MODEL_ELEMENT_ID_H_
#define COALITION_ENGINE_MODEL_ELEMENT_ID_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "coalition/v1/mix.pb.h"

namespace coalition {

// The element's id, or "<nation>:<platform>" when it has none (SPEC §1 leaves ids optional).
inline std::string EffectiveElementId(const coalition::v1::ForceElement& element) {
  return element.id().empty() ? absl::StrCat(element.nation(), ":", element.platform())
                              : element.id();
}

}  // namespace coalition

#endif  // COALITION_ENGINE_MODEL_ELEMENT_ID_H_
