#!/bin/bash
# CLI tests of `coalition export MODEL --for NATION`: exit codes, the stderr summary (counts, no
# names), every model format, validation and idempotence of the output, byte-identity when
# everything is releasable, refusals.
#   filter_export_cli_test.sh COALITION_BINARY
set -uo pipefail
bin="$1"
model="datasets/coalition.textproto"
mix="datasets/mixes/frontline_air_defence.textproto"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail=0
check() {  # check NAME EXPECTED_EXIT ACTUAL_EXIT
  if [[ "$2" != "$3" ]]; then echo "FAIL $1: exit $3, expected $2"; cat "$tmp/err.txt"; fail=1; else echo "ok   $1"; fi
}
contains() {  # contains NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then echo "ok   $1"; else echo "FAIL $1: '$3' not in $2"; head -c 2000 "$2"; fail=1; fi
}
lacks() {  # lacks NAME FILE TEXT (a whole word, any case)
  if grep -qiw -- "$3" "$2"; then echo "FAIL $1: '$3' in $2"; grep -iw -- "$3" "$2" | head -5; fail=1; else echo "ok   $1"; fi
}
same() {  # same NAME FILE_A FILE_B
  if cmp -s "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1: $2 and $3 differ"; diff "$2" "$3" | head -20; fail=1; fi
}

"$bin" export --help >"$tmp/help.txt" 2>&1; check help 0 $?
contains help-for "$tmp/help.txt" "--for NATION"
contains help-flag "$tmp/help.txt" "the recipient NATION of a filtered export"

# Ukraine, with the frontline mix: Link 16, its J-series editions, its crypto and terminals and
# the F-35 go; the summary counts and names nothing.
"$bin" export "$model" --for UKR --mix "$mix" --out "$tmp/ukr.textproto" 2>"$tmp/err.txt"; check ukr 0 $?
contains ukr-summary "$tmp/err.txt" "export for UKR: removed "
contains ukr-summary-kinds "$tmp/err.txt" " platform types, "
for term in LINK16 "Link 16 (JTIDS/MIDS)" J-6016D LINK16-LCM MIDS-JTRS F-35A MADL; do
  lacks "ukr-lacks-$term" "$tmp/ukr.textproto" "$term"
  lacks "ukr-summary-lacks-$term" "$tmp/err.txt" "$term"
done
contains ukr-keeps-own "$tmp/ukr.textproto" 'id: "SOV-GCI"'
contains ukr-keeps-mix "$tmp/ukr.textproto" 'name: "frontline-air-defence"'
contains ukr-keeps-patriot "$tmp/ukr.textproto" 'platform: "PATRIOT-PAC3"'
"$bin" validate "$tmp/ukr.textproto" 2>"$tmp/err.txt"; check ukr-validates 0 $?

# Filtering again changes nothing (byte-identical), and says so.
"$bin" export "$tmp/ukr.textproto" --for UKR --out "$tmp/ukr2.textproto" 2>"$tmp/err.txt"; check ukr-again 0 $?
same ukr-idempotent "$tmp/ukr.textproto" "$tmp/ukr2.textproto"
contains ukr-again-summary "$tmp/err.txt" "removed 0 groups, 0 platform types, 0 links, 0 standards, 0 components"

# Every model format: binary and JSON hold the same model as the textproto.
"$bin" export "$model" --for UKR --mix "$mix" --out "$tmp/ukr.binpb" 2>"$tmp/err.txt"; check ukr-binpb 0 $?
"$bin" export "$model" --for UKR --mix "$mix" --out "$tmp/ukr.json" 2>"$tmp/err.txt"; check ukr-json 0 $?
"$bin" convert "$tmp/ukr.binpb" "$tmp/from_binpb.textproto" 2>"$tmp/err.txt"; check convert-binpb 0 $?
"$bin" convert "$tmp/ukr.json" "$tmp/from_json.textproto" 2>"$tmp/err.txt"; check convert-json 0 $?
same binpb-equals-textproto "$tmp/ukr.textproto" "$tmp/from_binpb.textproto"
same json-equals-textproto "$tmp/ukr.textproto" "$tmp/from_json.textproto"
"$bin" export "$model" --for UKR --output_format json >"$tmp/stdout.json" 2>"$tmp/err.txt"; check stdout-json 0 $?
contains stdout-json-field "$tmp/stdout.json" '"nations"'

# A non-NATO partner cleared for Link 16 and the F-35 (Japan: listed, an F-35 FMS customer)
# keeps both; it loses the US-only IFDL.
"$bin" export "$model" --for JPN --out "$tmp/jpn.textproto" 2>"$tmp/err.txt"; check jpn 0 $?
contains jpn-keeps-link16 "$tmp/jpn.textproto" 'id: "LINK16"'
contains jpn-keeps-f35 "$tmp/jpn.textproto" 'id: "F-35A"'
lacks jpn-lacks-ifdl "$tmp/jpn.textproto" "IFDL"

# Everything releasable to the recipient: the same bytes as a plain conversion.
cat >"$tmp/open.textproto" <<'PB'
# a comment that is not carried
nations { id: "AAA" name: "A" groups: "G" partner_category: OTHER supply_risk: NONE }
nations { id: "BBB" name: "B" partner_category: OTHER supply_risk: NONE }
groups { id: "G" name: "Group G" }
links { id: "L" name: "Link" kind: TACTICAL_DATA_LINK standards: "S" releasable_to: "G" export_control: NONE }
standards { id: "S" name: "Std" family: "F" version: 1 designer_nation: "BBB" releasable_to: "CCC" releasable_to: "G" }
nations { id: "CCC" name: "C" partner_category: OTHER supply_risk: NONE }
platforms { id: "P" name: "Plat" domain: AIR tier: LEGACY designer_nation: "AAA" sourcing: THIRD_PARTY links: "L" standards: "S" releasable_to: "AAA" releasable_to: "BBB" }
PB
"$bin" export "$tmp/open.textproto" --for AAA --out "$tmp/open_a.binpb" 2>"$tmp/err.txt"; check open-a 0 $?
"$bin" convert "$tmp/open.textproto" "$tmp/open_conv.binpb" 2>"$tmp/err.txt"; check open-convert 0 $?
same open-byte-identical "$tmp/open_conv.binpb" "$tmp/open_a.binpb"
# ... but not for BBB: the link (group G) goes; the standard stays (its designer).
"$bin" export "$tmp/open.textproto" --for BBB --out "$tmp/open_b.textproto" 2>"$tmp/err.txt"; check open-b 0 $?
contains open-b-summary "$tmp/err.txt" "removed 0 groups, 0 platform types, 1 link, 0 standards"
contains open-b-keeps-standard "$tmp/open_b.textproto" 'id: "S"'
lacks open-b-no-comment "$tmp/open_b.textproto" "comment"

# Refusals: exit 2 and nothing written.
"$bin" export "$model" --for ATLANTIS --out "$tmp/x.textproto" 2>"$tmp/err.txt"; check unknown-nation 2 $?
contains unknown-nation-msg "$tmp/err.txt" "the recipient 'ATLANTIS' is not a nation of the model"
"$bin" export "$model" --for NATO --out "$tmp/x.textproto" 2>"$tmp/err.txt"; check group-not-nation 2 $?
"$bin" export "$model" --for UKR --graph interop --out "$tmp/x.textproto" 2>"$tmp/err.txt"; check for-and-graph 2 $?
"$bin" export "$model" --for UKR --format json --out "$tmp/x.textproto" 2>"$tmp/err.txt"; check for-format 2 $?
contains for-format-msg "$tmp/err.txt" "--output_format"
sed 's/roles: \["fighter"/roles: ["link16-capable", "fighter"/' "$model" >"$tmp/role.textproto"
"$bin" export "$tmp/role.textproto" --for UKR --out "$tmp/x.textproto" 2>"$tmp/err.txt"; check kept-role-refused 2 $?
contains kept-role-msg "$tmp/err.txt" "is kept but contains 'link16'"
printf 'nations { id: "AAA" name: "A" groups: "NOPE" partner_category: OTHER supply_risk: NONE }\n' >"$tmp/bad.textproto"
"$bin" export "$tmp/bad.textproto" --for AAA --out "$tmp/x.textproto" 2>"$tmp/err.txt"; check invalid-input 2 $?
contains invalid-input-located "$tmp/err.txt" "bad.textproto:1:"
if [[ -e "$tmp/x.textproto" ]]; then echo "FAIL refused-writes-nothing"; fail=1; else echo "ok   refused-writes-nothing"; fi
exit $fail
