# Helpers for the CLI end-to-end tests (sourced, not run). The test sets `bin` (the coalition
# binary) and `tmp` (a scratch folder) first; `fails` counts failed checks.
fails=0

# expect CODE DESCRIPTION -- ARGS...: runs the binary and checks the exit code; stdout lands in
# $tmp/out, stderr in $tmp/err.
expect() {
  local want="$1" what="$2"
  shift 3
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, want $want"
    echo "  stderr: $(head -c 800 "$tmp/err")"
    fails=$((fails + 1))
  fi
}

# contains FILE TEXT DESCRIPTION: FILE holds TEXT (a fixed string).
contains() {
  if ! grep -qF -- "$2" "$1"; then
    echo "FAIL: $3: $(basename "$1") lacks '$2'"
    echo "  got: $(head -c 800 "$1")"
    fails=$((fails + 1))
  fi
}

# finish NAME: the test's exit status.
finish() {
  if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
  fi
  echo "all $1 checks passed"
}
