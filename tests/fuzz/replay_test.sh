#!/usr/bin/env bash
# Runs a fuzz target once over its seed corpus: BINARY [--as=FORMAT] FILES...
# (the replay driver under the ordinary build; libFuzzer's own main, which runs each file given
# once, under --config=fuzz).
set -euo pipefail
bin="$1"
shift
exec "$bin" "$@"
