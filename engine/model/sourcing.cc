#include "engine/model/sourcing.h"

namespace coalition {

absl::string_view UsNationId(const coalition::v1::Model& m) {
  return m.us_nation().empty() ? kDefaultUsNation : absl::string_view(m.us_nation());
}

}  // namespace coalition
