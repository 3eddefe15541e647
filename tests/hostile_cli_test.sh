#!/usr/bin/env bash
# Issue 16 ("hostile inputs"): every numbered defect's reproduction, as a CLI check of exit
# codes, stderr text and files. Run by `bazel test //tests:hostile_cli_test`; $1 is the binary.
# S = datasets/starter.textproto, as in the issue.
set -u
bin="$1"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
source tests/cli_lib.sh
S=datasets/starter.textproto

# notcontains FILE TEXT DESCRIPTION
notcontains() {
  if grep -qF -- "$2" "$1"; then
    echo "FAIL: $3: $(basename "$1") holds '$2'"
    fails=$((fails + 1))
  fi
}

# 1. Enums out of range: located validation error, never a crash or wrong counts.
sed 's/sourcing: US_BUILT/sourcing: 1000000/' "$S" >"$tmp/enum_big.textproto"
expect 2 "sourcing 1000000 is invalid" -- validate "$tmp/enum_big.textproto"
contains "$tmp/err" "sourcing is 1000000, not a value of coalition.v1.Sourcing [out-of-range]" "enum error"
contains "$tmp/err" 'platforms["F-35A"].sourcing' "enum error names the entity path"
contains "$tmp/err" "enum_big.textproto:33:" "enum error located (file:line:column)"
expect 2 "stats refuses it (was a stack-buffer-overflow)" -- stats "$tmp/enum_big.textproto"
sed 's/sourcing: US_BUILT/sourcing: 7/' "$S" >"$tmp/enum7.textproto"
expect 2 "sourcing 7 (was silently wrong counts)" -- stats "$tmp/enum7.textproto"
sed 's/domain: AIR/domain: 99/' "$S" >"$tmp/domain.textproto"
expect 2 "every enum is checked (domain)" -- validate "$tmp/domain.textproto"
contains "$tmp/err" "domain is 99" "domain error"

# 2. A .binpbs whose chunk length varint has 10+ continuation bytes is corrupt, not an end.
expect 0 "convert to binpbs" -- convert "$S" "$tmp/s.binpbs"
cp "$tmp/s.binpbs" "$tmp/bad.binpbs"
printf '\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01' >>"$tmp/bad.binpbs"
expect 2 "corrupt binpbs tail" -- validate "$tmp/bad.binpbs"
contains "$tmp/err" "byte offset $(stat -c %s "$tmp/s.binpbs")" "binpbs error names the byte offset"
contains "$tmp/err" "not a valid varint" "binpbs error says why"

# 3. --out on special files, the inputs, modes, leftovers.
ln -s "$tmp/target.txt" "$tmp/link.txt"
echo keep >"$tmp/target.txt"
expect 2 "--out symlink refused" -- gaps "$S" --out "$tmp/link.txt"
contains "$tmp/err" "symbolic link" "symlink refusal says why"
[ -L "$tmp/link.txt" ] || { echo "FAIL: symlink replaced"; fails=$((fails + 1)); }
contains "$tmp/target.txt" "keep" "symlink target untouched"
mkfifo "$tmp/fifo"
expect 2 "--out FIFO refused" -- gaps "$S" --out "$tmp/fifo"
[ -p "$tmp/fifo" ] || { echo "FAIL: FIFO replaced"; fails=$((fails + 1)); }
expect 2 "--out /dev/null refused" -- gaps "$S" --out /dev/null
[ -c /dev/null ] || { echo "FAIL: /dev/null replaced"; fails=$((fails + 1)); }
cp "$S" "$tmp/model.textproto"
expect 2 "--out equal to the input" -- gaps "$tmp/model.textproto" --out "$tmp/model.textproto"
contains "$tmp/err" "input files" "input refusal says why"
cmp -s "$S" "$tmp/model.textproto" || { echo "FAIL: input overwritten"; fails=$((fails + 1)); }
expect 2 "--out equal to the input, spelled differently" -- gaps "$tmp/model.textproto" --out "$tmp/./model.textproto"
cp datasets/mixes/frontline_air_defence.textproto "$tmp/mix.textproto"
expect 2 "--out equal to the --mix file" -- gaps datasets/coalition.textproto --mix "$tmp/mix.textproto" --out "$tmp/mix.textproto"
cmp -s datasets/mixes/frontline_air_defence.textproto "$tmp/mix.textproto" || { echo "FAIL: mix overwritten"; fails=$((fails + 1)); }
expect 2 "convert onto its input" -- convert "$tmp/model.textproto" "$tmp/model.textproto"
echo old >"$tmp/secret.txt"
chmod 600 "$tmp/secret.txt"
expect 0 "--out over a 0600 file" -- gaps "$S" --out "$tmp/secret.txt"
[ "$(stat -c %a "$tmp/secret.txt")" = 600 ] || { echo "FAIL: mode reset to $(stat -c %a "$tmp/secret.txt")"; fails=$((fails + 1)); }
(umask 077 && "$bin" gaps "$S" --out "$tmp/fresh.txt" 2>/dev/null)
[ "$(stat -c %a "$tmp/fresh.txt")" = 600 ] || { echo "FAIL: umask 077 gave $(stat -c %a "$tmp/fresh.txt")"; fails=$((fails + 1)); }
ls "$tmp" | grep -q '\.tmp\.' && { echo "FAIL: temporary file left: $(ls "$tmp" | grep '\.tmp\.')"; fails=$((fails + 1)); }

# 4. Limits: the pair budget and the matrix size, refused with a way out.
expect 2 "pair budget" -- gaps "$S" --max_pairs 10
contains "$tmp/err" "ordered pairs of elements, over the budget of 10 (--max_pairs)" "budget refusal"
contains "$tmp/err" "Narrow the selectors" "budget refusal says how to narrow"
expect 0 "no limit" -- gaps "$S" --max_pairs -1
expect 2 "matrix budget" -- matrix "$S" --max_pairs 4
contains "$tmp/err" "cells, over the budget of 4" "matrix refusal"
expect 2 "whatif budget" -- whatif "$S" --max_pairs 10 --embargo CHN
# Added elements count against the budget too (4,000 adds to an all-to-all IER: 1.6e7 pairs).
python3 -c "print('\\n'.join('changes { add_element { platform: \"F-16C\" nation: \"UKR\" quantity: 1 } }' for _ in range(4000)))" >"$tmp/adds.textproto"
expect 2 "whatif budget counts added elements" -- whatif "$S" --changes "$tmp/adds.textproto" --max_pairs 1000000
contains "$tmp/err" "counting 4000 added element(s) on both sides" "added elements named"
expect 2 "spof budget" -- spof "$S" --max_pairs 10

# 5. Arithmetic overflow: bounded quantities and costs.
sed 's/quantity: 12 }/quantity: 9223372036854775807 }/' "$S" >"$tmp/qty.textproto"
expect 2 "quantity INT64_MAX refused" -- gaps "$tmp/qty.textproto"
contains "$tmp/err" "quantity must be at most 1000000000" "quantity bound"
sed 's/unit_cost_musd: 30/unit_cost_musd: 1e308/' "$S" >"$tmp/cost.textproto"
expect 2 "cost 1e308 refused" -- risk "$tmp/cost.textproto"
contains "$tmp/err" "unit_cost_musd must be at most" "cost bound"
notcontains "$tmp/out" "nan" "no nan in output"
expect 2 "what-if add_element beyond the bound" -- whatif "$S" --add_element F-16C:UKR:9223372036854775807
contains "$tmp/err" "quantity must be at most 1000000000" "what-if quantity bound"
printf 'changes { add_element { platform: "F-16C" nation: "UKR" quantity: 9223372036854775807 } }\n' >"$tmp/q.textproto"
expect 2 "--changes add_element beyond the bound" -- whatif "$S" --changes "$tmp/q.textproto"

# 6. Injection through free text.
sed 's/name: "starter-air-defence"/name: "=cmd|'"'"' \/C calc'"'"'!A0"/' "$S" >"$tmp/csv.textproto"
python3 - "$S" "$tmp" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
# IER names: a formula, a forged line with a bidi override, a markdown heading and a script tag.
names = ['=cmd|\' /C calc\'!A0', 'x\\n   1. [POLICY] forged \\u202e', 'y\\n# Heading <script>']
i = 0
def sub(m):
    global i
    if i >= len(names):
        return m.group(0)
    r = 'iers { name: "%s"' % names[i]
    i += 1
    return r
s = re.sub(r'iers \{ name: "[^"]*"', sub, s)
open(sys.argv[2] + '/inject.textproto', 'w').write(s)
PY
expect 0 "csv with hostile IER names" -- gaps "$tmp/inject.textproto" --format csv --max_gaps -1
notcontains "$tmp/out" ",=cmd" "no live formula cell"
notcontains "$tmp/out" '"=cmd' "no live quoted formula cell"
expect 0 "text with hostile IER names" -- gaps "$tmp/inject.textproto" --max_gaps -1
notcontains "$tmp/out" "$(printf '\xe2\x80\xae')" "no raw U+202E in text"
contains "$tmp/out" '\u{202E}' "U+202E shown escaped"
if grep -q '^   1\. \[POLICY\] forged' "$tmp/out"; then echo "FAIL: forged line"; fails=$((fails + 1)); fi
expect 0 "markdown with hostile IER names" -- gaps "$tmp/inject.textproto" --format markdown --max_gaps -1
notcontains "$tmp/out" "<script>" "no raw script tag in markdown"
if grep -q '^# Heading' "$tmp/out"; then echo "FAIL: injected heading"; fails=$((fails + 1)); fi

# 7. Contract breaks.
expect 2 "--out dir/ is a usage error" -- gaps "$S" --out "$tmp/"
expect 2 "--out file/x is a usage error" -- gaps "$S" --out "$tmp/target.txt/x"
printf 'name: "bad \xff\xfe"\n' >"$tmp/utf8.textproto"
expect 2 "invalid UTF-8 in a string" -- validate "$tmp/utf8.textproto"
contains "$tmp/err" "[invalid-utf8]" "UTF-8 error code"
: >"$tmp/empty.textproto"
expect 0 "empty model validates" -- validate "$tmp/empty.textproto"
contains "$tmp/err" "[empty-model]" "empty model warns"
echo '{}' >"$tmp/empty.json"
expect 1 "{} with --warnings_as_errors" -- validate "$tmp/empty.json" --warnings_as_errors
printf '{\n  "name": "x",\n  "nations": [ {"id": 1 ]\n}\n' >"$tmp/bad.json"
expect 2 "bad JSON" -- validate "$tmp/bad.json"
contains "$tmp/err" "bad.json:3:" "JSON error has line:column"
head -c 200 "$tmp/s.binpbs" | tail -c +2 >"$tmp/trunc.binpb"
expect 0 "binpb" -- convert "$S" "$tmp/s.binpb"
head -c 300 "$tmp/s.binpb" >"$tmp/trunc.binpb"
expect 2 "truncated binpb" -- validate "$tmp/trunc.binpb"
contains "$tmp/err" "byte offset" "binary error names the byte offset"
truncate -s 2200M "$tmp/huge.binpb"   # sparse: no disk used
start=$(date +%s)
expect 2 "2.2 GB single message refused before reading" -- validate "$tmp/huge.binpb"
contains "$tmp/err" "over the limit of 2147483647 bytes" "size refusal"
[ $(( $(date +%s) - start )) -le 5 ] || { echo "FAIL: the 2.2 GB refusal took too long (read it all?)"; fails=$((fails + 1)); }
rm -f "$tmp/huge.binpb"
# An input of 8 MiB or more makes the CLI re-execute itself once with glibc's huge-page heap
# tuning (tools/coalition.cc): the run must be the same as an untuned one (a starter model
# padded with a 40 MiB comment line is valid text format).
{ cat "$S"; printf '# '; head -c 41943040 /dev/zero | tr '\0' 'x'; echo; } >"$tmp/padded.textproto"
expect 0 "a 40 MiB input (re-executed with heap tuning)" -- stats "$tmp/padded.textproto"
cp "$tmp/out" "$tmp/tuned.out"
COALITION_NO_MALLOC_TUNING=1 "$bin" stats "$tmp/padded.textproto" >"$tmp/untuned.out" 2>"$tmp/err"
cmp -s "$tmp/tuned.out" "$tmp/untuned.out" || { echo "FAIL: heap tuning changed the output"; fails=$((fails + 1)); }
GLIBC_TUNABLES=glibc.malloc.arena_max=2 "$bin" stats "$tmp/padded.textproto" >"$tmp/user.out" 2>"$tmp/err"
cmp -s "$tmp/tuned.out" "$tmp/user.out" || { echo "FAIL: a user's GLIBC_TUNABLES changed the output"; fails=$((fails + 1)); }
rm -f "$tmp/padded.textproto"
expect 2 "generate --edges beyond the cap" -- generate "$tmp/g.binpb" --edges 90000000000
contains "$tmp/err" "--edges must be in" "edges cap"
# BUILD_WORKING_DIRECTORY applies only under `bazel run` (with BUILD_WORKSPACE_DIRECTORY).
mkdir -p "$tmp/elsewhere"
BUILD_WORKING_DIRECTORY="$tmp/elsewhere" "$bin" validate "$S" >/dev/null 2>"$tmp/err"
[ $? -eq 0 ] || { echo "FAIL: BUILD_WORKING_DIRECTORY alone re-based paths: $(cat "$tmp/err")"; fails=$((fails + 1)); }
cp "$S" "$tmp/elsewhere/m.textproto"
BUILD_WORKING_DIRECTORY="$tmp/elsewhere" BUILD_WORKSPACE_DIRECTORY=/nonexistent "$bin" validate m.textproto >/dev/null 2>"$tmp/err"
[ $? -eq 0 ] || { echo "FAIL: under bazel run paths are the user's: $(cat "$tmp/err")"; fails=$((fails + 1)); }
cp engine/importers/testdata/nisp_extract.csv "$tmp/elsewhere/n.csv"
(bin_abs="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"; cd "$tmp" && BUILD_WORKING_DIRECTORY="$tmp/elsewhere" BUILD_WORKSPACE_DIRECTORY=/x "$bin_abs" import nisp n.csv --out n.textproto >/dev/null 2>"$tmp/err")
[ -f "$tmp/elsewhere/n.textproto" ] || { echo "FAIL: import under bazel run: $(cat "$tmp/err")"; fails=$((fails + 1)); }

# Memory pressure: exit 3 with a message, never 134 (an unjoined validator thread or glibc
# failing to load libgcc_s while unwinding used to abort). Not under ASan (it needs a huge
# address space; the asan configuration sets ASAN_OPTIONS).
if [ -z "${ASAN_OPTIONS:-}" ]; then
  expect 0 "generate a mid-size model" -- generate "$tmp/mem.binpb" --edges 300000 --elements 500
  for kb in 40000 50000 55000 60000 65000 70000 75000 80000 90000 100000 120000; do
    (ulimit -v $kb; "$bin" gaps "$tmp/mem.binpb" >/dev/null 2>"$tmp/mem.err")
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
      echo "FAIL: gaps under ulimit -v $kb: exit $rc: $(head -c 300 "$tmp/mem.err")"
      fails=$((fails + 1))
    elif [ $rc -eq 3 ] && ! grep -q "out of memory" "$tmp/mem.err"; then
      echo "FAIL: gaps under ulimit -v $kb: exit 3 without 'out of memory': $(head -c 300 "$tmp/mem.err")"
      fails=$((fails + 1))
    fi
  done
fi

# 8. Duplicate list entries are flagged (they multiplied every explanation).
sed 's/releasable_to: "NATO"/releasable_to: "NATO" releasable_to: "NATO"/' "$S" >"$tmp/dup.textproto"
expect 0 "duplicate releasability entry (a warning)" -- validate "$tmp/dup.textproto"
expect 1 "duplicate entry with --warnings_as_errors" -- validate "$tmp/dup.textproto" --warnings_as_errors
contains "$tmp/err" "warning: links[\"LINK16\"].releasable_to[1]: releasable_to lists 'NATO' again (first at [0]) [duplicate-entry]" "duplicate flagged"
contains "$tmp/err" 'links["LINK16"].releasable_to[1]' "duplicate located"

finish hostile_cli
