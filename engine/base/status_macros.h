// Status-propagation macros. Abseil 20220623 ships none, so they live here, once.
//
//   RETURN_IF_ERROR(DoThing());
//   ASSIGN_OR_RETURN(Model model, LoadModel(path));
//
// Both evaluate their argument exactly once and return the failing absl::Status unchanged.
#ifndef COALITION_ENGINE_BASE_STATUS_MACROS_H_
#define COALITION_ENGINE_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define COALITION_STATUS_CONCAT_INNER_(a, b) a##b
#define COALITION_STATUS_CONCAT_(a, b) COALITION_STATUS_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                              \
  do {                                                     \
    const ::absl::Status coalition_status_ = (expr);       \
    if (!coalition_status_.ok()) return coalition_status_; \
  } while (0)

#define ASSIGN_OR_RETURN(lhs, rexpr)                                                    \
  COALITION_ASSIGN_OR_RETURN_IMPL_(COALITION_STATUS_CONCAT_(statusor_, __LINE__), lhs, \
                                   rexpr)

#define COALITION_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                     \
  if (!statusor.ok()) return statusor.status();                \
  lhs = std::move(statusor).value()

#endif  // COALITION_ENGINE_BASE_STATUS_MACROS_H_
