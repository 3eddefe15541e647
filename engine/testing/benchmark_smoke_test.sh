#!/bin/bash
# Smoke-runs a Google Benchmark binary on its smallest size so it cannot rot:
#   benchmark_smoke_test.sh BINARY FILTER_REGEX
set -euo pipefail
binary="$1"
filter="$2"
out="$("$binary" --benchmark_filter="$filter" --benchmark_min_time=0.001 2>&1)" || {
  echo "$out"
  echo "FAIL: $binary exited non-zero"
  exit 1
}
echo "$out"
if ! grep -q '^BM_' <<<"$out"; then
  echo "FAIL: no benchmark matched '$filter'"
  exit 1
fi
