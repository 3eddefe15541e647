// Test helpers for absl::Status / StatusOr (Abseil 20220623 ships none).
//
//   ASSERT_OK(status_or_statusor);
//   EXPECT_OK(status);
//   ASSERT_OK_AND_ASSIGN(Model m, LoadModel(path));
#ifndef COALITION_ENGINE_TESTING_STATUS_MATCHERS_H_
#define COALITION_ENGINE_TESTING_STATUS_MATCHERS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace coalition::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

}  // namespace coalition::testing

#define EXPECT_OK(expr) EXPECT_TRUE(::coalition::testing::GetStatus(expr).ok()) \
    << ::coalition::testing::GetStatus(expr)
#define ASSERT_OK(expr) ASSERT_TRUE(::coalition::testing::GetStatus(expr).ok()) \
    << ::coalition::testing::GetStatus(expr)

#define COALITION_TEST_CONCAT_INNER_(a, b) a##b
#define COALITION_TEST_CONCAT_(a, b) COALITION_TEST_CONCAT_INNER_(a, b)
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  COALITION_ASSERT_OK_AND_ASSIGN_IMPL_(COALITION_TEST_CONCAT_(statusor_, __LINE__), lhs, rexpr)
#define COALITION_ASSERT_OK_AND_ASSIGN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                         \
  ASSERT_TRUE(statusor.ok()) << statusor.status();                 \
  lhs = std::move(statusor).value()

#endif  // COALITION_ENGINE_TESTING_STATUS_MATCHERS_H_
