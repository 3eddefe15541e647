#!/usr/bin/env bash
# `coalition generate`: deterministic bytes, valid output in every format (.binpbs included),
# silent stderr when it is not a terminal, exit 2 on bad sizes. $1 is the coalition binary.
set -u
bin="$1"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

small=(--nations 12 --platforms 150 --links 10 --standards 20 --components 200 --suppliers 30
       --elements 300 --seed 7)
"$bin" generate "$tmp/a.binpb" "${small[@]}" 2>"$tmp/err" || fail "generate .binpb exit $?"
[ -s "$tmp/err" ] && fail "stderr not empty when it is not a terminal: $(head -c 300 "$tmp/err")"
"$bin" generate "$tmp/b.binpb" "${small[@]}" || fail "second generate"
cmp -s "$tmp/a.binpb" "$tmp/b.binpb" || fail "same seed gave different bytes"
"$bin" generate "$tmp/c.binpb" "${small[@]}" --seed 8 || fail "generate seed 8"
cmp -s "$tmp/a.binpb" "$tmp/c.binpb" && fail "different seeds gave the same bytes"

"$bin" validate "$tmp/a.binpb" 2>"$tmp/err" || fail "generated model does not validate: $(head -c 600 "$tmp/err")"
grep -q "0 error(s), 0 warning(s)" "$tmp/err" || fail "validate: $(cat "$tmp/err")"

# The stream format (.binpbs) and convert between it and .binpb.
"$bin" generate "$tmp/a.binpbs" "${small[@]}" || fail "generate .binpbs"
"$bin" convert "$tmp/a.binpbs" "$tmp/from_stream.binpb" || fail "convert .binpbs -> .binpb"
cmp -s "$tmp/a.binpb" "$tmp/from_stream.binpb" || fail ".binpbs -> .binpb differs from direct .binpb"
"$bin" convert "$tmp/a.binpb" "$tmp/back.binpbs" || fail "convert .binpb -> .binpbs"
cmp -s "$tmp/a.binpbs" "$tmp/back.binpbs" || fail ".binpb -> .binpbs differs from direct .binpbs"
"$bin" generate - --output_format binpbs "${small[@]}" >"$tmp/stdout.binpbs" || fail "generate to stdout"
cmp -s "$tmp/a.binpbs" "$tmp/stdout.binpbs" || fail "stdout stream differs"
"$bin" gaps "$tmp/a.binpbs" --format csv >"$tmp/gaps.csv" 2>"$tmp/err"
code=$?
[ "$code" -eq 0 ] || fail "gaps on .binpbs exit $code: $(head -c 300 "$tmp/err")"

# Text format works too; the mix description states the pairs asked.
"$bin" generate "$tmp/a.textproto" "${small[@]}" || fail "generate .textproto"
grep -q "ordered pairs (A != B) in all" "$tmp/a.textproto" || fail "pairs count missing from mix description"

# Bad sizes and usage.
"$bin" generate "$tmp/bad.binpb" --nations 1 2>"$tmp/err"
[ $? -eq 2 ] || fail "--nations 1 should exit 2"
grep -q "nations >= 2" "$tmp/err" || fail "bad size message: $(cat "$tmp/err")"
"$bin" generate "$tmp/x.unknown" 2>"$tmp/err"
[ $? -eq 2 ] || fail "unknown extension should exit 2"
"$bin" generate --help >"$tmp/out" || fail "generate --help"
grep -q -- "--elements" "$tmp/out" || fail "help lists --elements"

if [ "$fails" -ne 0 ]; then
  echo "$fails failure(s)"
  exit 1
fi
echo "PASS"
