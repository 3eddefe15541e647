#!/bin/bash
# CLI tests of recommend: the shipped frontline mix, the plan replayed as a what-if, bad input.
#   recommend_cli_test.sh COALITION_BINARY
set -uo pipefail
bin="$1"
model="datasets/coalition.textproto"
mix="datasets/mixes/frontline_air_defence.textproto"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail=0
check() {  # check NAME EXPECTED_EXIT ACTUAL_EXIT
  if [[ "$2" != "$3" ]]; then echo "FAIL $1: exit $3, expected $2"; fail=1; else echo "ok   $1"; fi
}
contains() {  # contains NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then echo "ok   $1"; else echo "FAIL $1: '$3' not in $2"; cat "$2"; fail=1; fi
}

# The frontline mix: its first step is a release package to Ukraine.
"$bin" recommend "$model" --mix "$mix" >"$tmp/rec.txt" 2>"$tmp/err.txt"; check recommend-ok 0 $?
contains recommend-summary "$tmp/rec.txt" 'Recommendations: mix "frontline-air-defence"'
first=$(grep -m1 -E '^ +1\. ' "$tmp/rec.txt")
if [[ "$first" == *"release LINK16 to UKR"* ]]; then echo "ok   first-step-ukr"; else echo "FAIL first-step-ukr: $first"; fail=1; fi

# The plan as a what-if closes exactly the gaps the plan claims (the report itself and the
# --format whatif output are both accepted by --changes).
"$bin" recommend "$model" --mix "$mix" --format textproto >"$tmp/rec.textproto" 2>"$tmp/err.txt"; check recommend-proto 0 $?
claimed=$(grep -E '^  gaps_closed: ' "$tmp/rec.textproto" | head -1 | awk '{print $2}')
"$bin" whatif "$model" --mix "$mix" --changes "$tmp/rec.textproto" >"$tmp/w.txt" 2>"$tmp/err.txt"; check whatif-of-report 0 $?
contains whatif-closes-claimed "$tmp/w.txt" "closed $claimed,"
contains whatif-opens-none "$tmp/w.txt" "Gaps opened 0,"
"$bin" recommend "$model" --mix "$mix" --format whatif >"$tmp/plan.textproto" 2>"$tmp/err.txt"; check recommend-whatif 0 $?
"$bin" whatif "$model" --mix "$mix" --changes "$tmp/plan.textproto" >"$tmp/w2.txt" 2>"$tmp/err.txt"; check whatif-of-plan 0 $?
contains whatif-plan-closes-claimed "$tmp/w2.txt" "closed $claimed,"
if grep -q "Note:" "$tmp/w2.txt"; then echo "FAIL plan-no-duplicate-changes"; cat "$tmp/w2.txt"; fail=1; else echo "ok   plan-no-duplicate-changes"; fi

# Every format renders; the same input gives the same bytes.
for f in markdown csv json binpb; do
  "$bin" recommend "$model" --mix "$mix" --format $f --out "$tmp/r1.$f" 2>"$tmp/err.txt"; check "recommend-$f" 0 $?
  "$bin" recommend "$model" --mix "$mix" --format $f --out "$tmp/r2.$f" 2>"$tmp/err.txt"
  if cmp -s "$tmp/r1.$f" "$tmp/r2.$f"; then echo "ok   deterministic-$f"; else echo "FAIL deterministic-$f"; fail=1; fi
done

# --ier, and bad input.
"$bin" recommend "$model" --mix "$mix" --ier "recognised air picture" >"$tmp/ier.txt" 2>"$tmp/err.txt"; check recommend-ier 0 $?
contains recommend-ier-named "$tmp/ier.txt" 'IER "recognised air picture"'
"$bin" recommend "$model" --mix "$mix" --ier "no such ier" >/dev/null 2>"$tmp/err.txt"; check recommend-bad-ier 2 $?
contains recommend-bad-ier-msg "$tmp/err.txt" "no IER named 'no such ier'"
"$bin" recommend "$model" --mix "$mix" --max_steps 0 >/dev/null 2>"$tmp/err.txt"; check recommend-bad-steps 2 $?
"$bin" recommend --help >"$tmp/help.txt" 2>&1; check recommend-help 0 $?
contains recommend-help-flag "$tmp/help.txt" "--budget"
exit $fail
