#!/bin/bash
# CLI tests of risk, whatif and spof: exit codes, stderr text, repeatable flags, --changes.
#   risk_cli_test.sh COALITION_BINARY
set -uo pipefail
bin="$1"
model="datasets/coalition.textproto"
mix="datasets/mixes/nato_eastern_flank_iamd.textproto"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail=0
check() {  # check NAME EXPECTED_EXIT ACTUAL_EXIT
  if [[ "$2" != "$3" ]]; then echo "FAIL $1: exit $3, expected $2"; fail=1; else echo "ok   $1"; fi
}
contains() {  # contains NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then echo "ok   $1"; else echo "FAIL $1: '$3' not in $2"; cat "$2"; fail=1; fi
}

"$bin" risk "$model" --mix "$mix" >"$tmp/risk.txt" 2>"$tmp/err.txt"; check risk-ok 0 $?
contains risk-summary "$tmp/risk.txt" "Risk report: mix \"nato-eastern-flank-iamd\""
contains risk-exposure "$tmp/risk.txt" "Largest embargo exposure (at once): USA"
"$bin" risk "$model" --mix "$mix" --format json --out "$tmp/risk.json" 2>"$tmp/err.txt"; check risk-json 0 $?
contains risk-json-field "$tmp/risk.json" '"exposures"'

# Repeated flags accumulate: two embargoes = the comma list.
"$bin" whatif "$model" --mix "$mix" --embargo USA --embargo CHN --format textproto >"$tmp/a.txt" 2>&1; check whatif-repeat 0 $?
"$bin" whatif "$model" --mix "$mix" --embargo USA,CHN --format textproto >"$tmp/b.txt" 2>&1; check whatif-comma 0 $?
if cmp -s "$tmp/a.txt" "$tmp/b.txt"; then echo "ok   repeat-equals-comma"; else echo "FAIL repeat-equals-comma"; fail=1; fi
contains whatif-both "$tmp/a.txt" 'nation: "CHN"'

# Changes from a file (another tool's WhatIf proto), then the flags'.
cat >"$tmp/changes.textproto" <<'PB'
changes { embargo { nation: "USA" } }
PB
"$bin" whatif "$model" --mix "$mix" --changes "$tmp/changes.textproto" --embargo CHN --format textproto >"$tmp/c.txt" 2>&1; check whatif-file 0 $?
if cmp -s "$tmp/a.txt" "$tmp/c.txt"; then echo "ok   file-equals-flags"; else echo "FAIL file-equals-flags"; fail=1; fi

# No change: empty diff.
"$bin" whatif "$model" --mix "$mix" >"$tmp/none.txt" 2>&1; check whatif-none 0 $?
contains whatif-none-diff "$tmp/none.txt" "Gaps opened 0, closed 0, changed class or level 0"

# Bad input: unknown nation, malformed release -> exit 2 with the reason on stderr.
"$bin" whatif "$model" --mix "$mix" --embargo ATLANTIS >/dev/null 2>"$tmp/err.txt"; check whatif-unknown 2 $?
contains whatif-unknown-msg "$tmp/err.txt" "embargo: unknown nation 'ATLANTIS'"
"$bin" whatif "$model" --mix "$mix" --release LINK16 >/dev/null 2>"$tmp/err.txt"; check whatif-malformed 2 $?
contains whatif-malformed-msg "$tmp/err.txt" "expected LINK_OR_STANDARD:NATION_OR_GROUP"
"$bin" spof "$model" --mix "$mix" --embargo USA >/dev/null 2>"$tmp/err.txt"; check spof-foreign-flag 2 $?
# A changes file in the old string form (before typed changes) is refused with its location.
printf 'changes { embargo: "USA" }\n' >"$tmp/old.textproto"
"$bin" whatif "$model" --mix "$mix" --changes "$tmp/old.textproto" >/dev/null 2>"$tmp/err.txt"; check whatif-old-changes 2 $?
contains whatif-old-changes-msg "$tmp/err.txt" "old.textproto:1:"

# Every short change flag parses into a typed change.
"$bin" whatif "$model" --mix "$mix" --release LINK16:UKR --fit LINK16:GEPARD \
  --add_element F-16AM-MLU:UKR:4 --share POL:UKR --format textproto >"$tmp/typed.txt" 2>"$tmp/err.txt"
check whatif-typed 0 $?
contains whatif-typed-release "$tmp/typed.txt" 'item_kind: LINK'
contains whatif-typed-fit "$tmp/typed.txt" 'platform: "GEPARD"'
contains whatif-typed-add "$tmp/typed.txt" 'quantity: 4'
contains whatif-typed-share "$tmp/typed.txt" 'nation_b: "UKR"'

# Ids may contain ':': a flag that reads two ways is refused; the --changes file takes any id.
starter="datasets/starter.textproto"
cp "$starter" "$tmp/colon.textproto"
cat >>"$tmp/colon.textproto" <<'PB'
nations { id: "USA:GBR" name: "a" partner_category: OTHER supply_risk: NONE }
nations { id: "GBR:POL" name: "b" partner_category: OTHER supply_risk: NONE }
PB
"$bin" whatif "$tmp/colon.textproto" --share USA:GBR:POL >/dev/null 2>"$tmp/err.txt"; check whatif-ambiguous 2 $?
contains whatif-ambiguous-msg "$tmp/err.txt" "is ambiguous (USA | GBR:POL; USA:GBR | POL)"
cat >"$tmp/colon_changes.textproto" <<'PB'
changes { share_information { nation_a: "USA:GBR" nation_b: "POL" } }
PB
"$bin" whatif "$tmp/colon.textproto" --changes "$tmp/colon_changes.textproto" >"$tmp/colon.txt" 2>"$tmp/err.txt"
check whatif-colon-file 0 $?
contains whatif-colon-file-text "$tmp/colon.txt" "share information between USA:GBR and POL"

"$bin" spof "$model" --mix "$mix" --format csv >"$tmp/spof.csv" 2>"$tmp/err.txt"; check spof-ok 0 $?
contains spof-csv-header "$tmp/spof.csv" "element,platform,nation,gaps_opened"
"$bin" whatif --help >"$tmp/help.txt" 2>&1; check whatif-help 0 $?
contains whatif-help-flag "$tmp/help.txt" "--add_element"
exit $fail
