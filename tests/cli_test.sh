#!/usr/bin/env bash
# End-to-end CLI test: exit codes, stderr text, stdout data, atomic --out, lossless convert.
# Run by `bazel test //tests:cli_test`; $1 is the coalition binary.
set -u
bin="$1"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"

source tests/cli_lib.sh

starter=datasets/starter.textproto
model=datasets/coalition.textproto
mix=datasets/mixes/frontline_air_defence.textproto

expect 2 "no arguments" --
contains "$tmp/err" "usage: coalition COMMAND" "no arguments prints usage"
expect 0 "top-level --help" -- --help
contains "$tmp/out" "gaps" "help lists gaps"
expect 2 "unknown command" -- frobnicate
contains "$tmp/err" "unknown command 'frobnicate'" "unknown command named"
for cmd in validate stats convert gaps matrix; do
  expect 0 "$cmd --help" -- "$cmd" --help
  contains "$tmp/out" "usage: coalition $cmd" "$cmd --help shows usage"
done
expect 2 "unknown flag" -- gaps "$starter" --colour=red
contains "$tmp/err" "unknown flag '--colour=red'" "unknown flag named"
expect 2 "flag of another command" -- validate "$starter" --max_gaps=3
expect 2 "bad int" -- gaps "$starter" --max_gaps=lots
contains "$tmp/err" "bad value for --max_gaps" "bad int named"
expect 2 "missing argument" -- gaps
expect 2 "missing file" -- validate no/such/model.textproto
contains "$tmp/err" "no/such/model.textproto" "missing file named"
expect 2 "unknown extension" -- validate README.md
contains "$tmp/err" "cannot tell the format" "extension explained"

# validate
expect 0 "validate starter" -- validate "$starter"
contains "$tmp/err" "0 error(s), 0 warning(s)" "clean summary"
expect 0 "validate realistic with mix" -- validate "$model" --mix "$mix"
expect 2 "validate five problems" -- validate tests/bad_inputs/five_problems.textproto
n=$(grep -c "tests/bad_inputs/five_problems.textproto:[0-9]*:[0-9]*: " "$tmp/err")
if [ "$n" -ne 5 ]; then echo "FAIL: five problems: $n located diagnostics"; fails=$((fails + 1)); fi
contains "$tmp/err" "4 error(s), 1 warning(s)" "five problems summary"
expect 2 "validate parse error" -- validate tests/bad_inputs/parse_error.textproto
contains "$tmp/err" "tests/bad_inputs/parse_error.textproto:8:15:" "parse error located"
expect 0 "warnings pass" -- validate tests/bad_inputs/sourcing_mismatch.textproto
expect 1 "warnings as errors" -- validate tests/bad_inputs/sourcing_mismatch.textproto --warnings_as_errors
expect 0 "validate json to stdout" -- validate tests/bad_inputs/sourcing_mismatch.textproto --format=json
contains "$tmp/out" "\"code\": \"sourcing-mismatch\"" "json diagnostics on stdout"

# gaps
expect 0 "gaps starter" -- gaps "$starter"
contains "$tmp/out" "Gap report: mix \"starter-air-defence\"" "gap report title"
contains "$tmp/out" "fix: release LINK16 to UKR" "suggested fix"
expect 1 "fail_on any" -- gaps "$starter" --fail_on=any
contains "$tmp/err" "--fail_on=any" "findings explained"
expect 2 "fail_on bad" -- gaps "$starter" --fail_on=sometimes
expect 2 "ambiguous mix" -- gaps "$model"
contains "$tmp/err" "--mix is required" "mix required"
expect 0 "gaps realistic json" -- gaps "$model" --mix "$mix" --format=json --max_gaps=2
contains "$tmp/out" "\"mix_name\": \"frontline-air-defence\"" "json report"
expect 0 "gaps --out" -- gaps "$starter" --format=csv --out "$tmp/gaps.csv"
if [ -s "$tmp/out" ]; then echo "FAIL: --out also wrote stdout"; fails=$((fails + 1)); fi
contains "$tmp/gaps.csv" "ier,from,to,class" "csv written to --out"
if ls "$tmp"/gaps.csv.tmp.* >/dev/null 2>&1; then echo "FAIL: temp file left"; fails=$((fails + 1)); fi
"$bin" gaps "$starter" >"$tmp/a" && "$bin" gaps "$starter" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL: gaps output not deterministic"; fails=$((fails + 1)); }

# matrix, stats
expect 0 "matrix csv" -- matrix "$starter" --format=csv
contains "$tmp/out" "element,USA-F35,GBR-F35" "matrix header"
expect 2 "matrix markdown unsupported" -- matrix "$starter" --format=markdown
expect 0 "stats" -- stats "$model"
contains "$tmp/out" "bytes/edge" "stats memory"

# A .binpb is read entity by entity (engine/model/binary_stream.h, tools/session.cc); loading it
# whole (COALITION_NO_STREAM) gives the same stdout, stderr and exit code, with or without
# validation errors.
same_both_ways() {  # DESCRIPTION ARGS...
  local what="$1"
  shift
  "$bin" "$@" >"$tmp/s.out" 2>"$tmp/s.err"
  local a=$?
  COALITION_NO_STREAM=1 "$bin" "$@" >"$tmp/w.out" 2>"$tmp/w.err"
  local b=$?
  if [ "$a" -ne "$b" ] || ! cmp -s "$tmp/s.out" "$tmp/w.out" || ! cmp -s "$tmp/s.err" "$tmp/w.err"; then
    echo "FAIL: $what: streamed and whole loads differ (exit $a / $b)"
    diff "$tmp/s.err" "$tmp/w.err" | head -5
    fails=$((fails + 1))
  fi
}
"$bin" convert "$starter" "$tmp/starter.binpb" 2>/dev/null
"$bin" convert "$model" "$tmp/model.binpb" 2>/dev/null
"$bin" convert tests/bad_inputs/five_problems.textproto "$tmp/five.binpb" 2>/dev/null
same_both_ways "gaps starter" gaps "$tmp/starter.binpb"
same_both_ways "gaps realistic" gaps "$tmp/model.binpb" --mix "$mix" --format=json
same_both_ways "risk realistic" risk "$tmp/model.binpb" --mix "$mix"
same_both_ways "matrix realistic" matrix "$tmp/model.binpb" --mix "$mix" --format=csv
same_both_ways "gaps with validation errors" gaps "$tmp/five.binpb"
same_both_ways "validate with errors" validate "$tmp/five.binpb"
same_both_ways "validate json" validate "$tmp/model.binpb" --mix "$mix" --format=json
same_both_ways "validate with a mix file" validate "$tmp/starter.binpb" --mix "$mix"
"$bin" convert "$model" "$tmp/model.binpbs" 2>/dev/null
same_both_ways "gaps realistic binpbs" gaps "$tmp/model.binpbs" --mix "$mix" --format=json
"$bin" gaps "$tmp/model.binpb" --mix "$mix" --format=json >"$tmp/binpb.json" 2>/dev/null
cmp -s "$tmp/binpb.json" "$tmp/s.out" || { echo "FAIL: binpbs and binpb give other reports"; fails=$((fails + 1)); }
head -c 700 "$tmp/model.binpbs" >"$tmp/cut.binpbs"
same_both_ways "gaps on a truncated binpbs" gaps "$tmp/cut.binpbs"
head -c 300 "$tmp/model.binpb" >"$tmp/cut.binpb"
same_both_ways "gaps on a truncated binpb" gaps "$tmp/cut.binpb"
contains "$tmp/s.err" "byte offset" "a truncated binpb's error names the byte offset"
# Entity kinds out of Model field order (platforms after links: a concatenation): declined by
# the stream, loaded whole; the same report as the ordered file.
"$bin" gaps "$tmp/model.binpb" --mix "$mix" >"$tmp/ordered.out" 2>/dev/null
python3 - "$tmp/model.binpb" "$tmp/reordered.binpb" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
def fields(b):
    i = 0
    while i < len(b):
        start = i
        tag = 0; shift = 0
        while True:
            c = b[i]; i += 1; tag |= (c & 0x7f) << shift; shift += 7
            if c < 0x80: break
        assert tag & 7 == 2, tag
        n = 0; shift = 0
        while True:
            c = b[i]; i += 1; n |= (c & 0x7f) << shift; shift += 7
            if c < 0x80: break
        i += n
        yield tag >> 3, b[start:i]
fs = list(fields(data))
# Every platform (field 5) moved to the end: still the same model to protobuf.
out = b"".join(f for n, f in fs if n != 5) + b"".join(f for n, f in fs if n == 5)
open(sys.argv[2], "wb").write(out)
PY
"$bin" gaps "$tmp/reordered.binpb" --mix "$mix" >"$tmp/reordered.out" 2>/dev/null
cmp -s "$tmp/ordered.out" "$tmp/reordered.out" || { echo "FAIL: a reordered binpb gives another report"; fails=$((fails + 1)); }

# convert: textproto -> binpb -> json -> textproto gives back the same bytes
expect 0 "to binpb" -- convert "$model" "$tmp/m.binpb"
expect 0 "to json" -- convert "$tmp/m.binpb" "$tmp/m.json"
expect 0 "to textproto" -- convert "$tmp/m.json" "$tmp/m.textproto"
expect 0 "canonical textproto" -- convert "$model" "$tmp/m0.textproto"
cmp -s "$tmp/m0.textproto" "$tmp/m.textproto" || { echo "FAIL: convert round trip differs"; fails=$((fails + 1)); }
expect 0 "mix convert" -- convert "$mix" "$tmp/mix.json" --message=mix
expect 2 "stdin needs format" -- convert - "$tmp/x.binpb"
"$bin" convert - "$tmp/x.binpb" --input_format=textproto <"$starter" || { echo "FAIL: stdin convert"; fails=$((fails + 1)); }
expect 0 "validate binpb" -- validate "$tmp/x.binpb"

finish "CLI"
