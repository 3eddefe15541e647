#!/usr/bin/env bash
# End-to-end test of `coalition import sipri|nisp`: exit codes, stderr warnings with line
# numbers, the one-line summary, and outputs that validate. Run by `bazel test
# //tests:import_cli_test`; $1 is the coalition binary. Test data: engine/importers/testdata/.
set -u
bin="$1"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
data=engine/importers/testdata

source tests/cli_lib.sh

expect 0 "import --help" -- import --help
contains "$tmp/out" "usage: coalition import sipri TRADE_REGISTER.csv --out FILE" "import usage"
expect 0 "top-level help lists import" -- --help
contains "$tmp/out" "import" "import listed"
expect 2 "unknown source" -- import acled "$data/empty.csv" --out "$tmp/x.textproto"
contains "$tmp/err" "unknown import source 'acled' (allowed: sipri, nisp)" "unknown source named"
expect 2 "missing file argument" -- import sipri
expect 2 "missing input file" -- import sipri no/such.csv --out "$tmp/x.textproto"
contains "$tmp/err" "no/such.csv" "missing file named"

# SIPRI: reference layout; skipped rows as FILE:LINE warnings, summary, output validates.
ref="$data/sipri_reference_extract.csv"
expect 0 "import sipri reference" -- import sipri "$ref" --out "$tmp/ref.textproto"
contains "$tmp/err" "$ref:9: skipped: same deal (supplier, recipient, designation, order year) as line 8" "duplicate deal located"
contains "$tmp/err" "$ref:28: skipped: 'NATO**' is an organisation" "organisation located"
contains "$tmp/err" "$ref:11: warning: no units delivered" "warning located"
contains "$tmp/err" "$ref: SIPRI newer (Local production column) layout, header on line 1; 32 row(s): 26 used (2 second-hand, 0 with a generic designation kept apart per supplier, 0 read across a line break), 6 skipped, 7 warning(s); 18 nation(s), 12 platform type(s), 21 holding(s)" "summary"
contains "$tmp/err" "$ref: skipped 4 row(s): same deal in another extract" "skipped rows per reason"
contains "$tmp/ref.textproto" 'id: "F-35A_Lightning-2"' "platform written"
contains "$tmp/ref.textproto" 'name: "sipri-holdings"' "holdings mix written"
contains "$tmp/ref.textproto" "Information from the SIPRI Arms Transfers Database, https://www.sipri.org/databases/armstransfers" "attribution"
expect 0 "reference output validates" -- validate "$tmp/ref.textproto"
contains "$tmp/err" "0 error(s), 0 warning(s)" "clean validation"
expect 0 "stats on the import" -- stats "$tmp/ref.textproto"
contains "$tmp/out" "CO_PRODUCED" "stats sourcing"

# Both hand-made layouts, binary and JSON output.
expect 0 "import sipri older layout" -- import sipri "$data/sipri_older_layout.csv" --out "$tmp/older.binpb"
contains "$tmp/err" "SIPRI older (Comments column) layout, header on line 5" "older layout detected"
contains "$tmp/err" "$data/sipri_older_layout.csv:25: skipped: has 1 field(s), the header (line 5) has 16" "footer located"
expect 0 "older output validates" -- validate "$tmp/older.binpb"
expect 0 "import sipri newer layout" -- import sipri "$data/sipri_newer_layout.csv" --out "$tmp/newer.json"
contains "$tmp/err" "SIPRI newer (Local production column) layout, header on line 5" "newer layout detected"
expect 0 "newer output validates" -- validate "$tmp/newer.json"
expect 0 "stdout textproto" -- import sipri "$data/sipri_newer_layout.csv"
contains "$tmp/out" 'designer_nation: "USA"' "textproto on stdout"

# Real export layouts (issue 12): ';' at every line end with a Status column; the older export
# with a comment's line break written unquoted.
expect 0 "import sipri newer export with ';'" -- import sipri "$data/sipri_newer_semicolons.csv" --out "$tmp/semi.textproto"
contains "$tmp/err" "header on line 12; 26 row(s): 26 used (15 second-hand, 4 with a generic designation kept apart per supplier, 0 read across a line break), 0 skipped" "semicolon export summary"
contains "$tmp/semi.textproto" 'id: "vehicle_engine_301-400.DEU"' "generic designation kept apart per supplier"
expect 0 "semicolon output validates" -- validate "$tmp/semi.textproto"
expect 0 "import sipri older export quirks" -- import sipri "$data/sipri_older_quirks.csv" --out "$tmp/quirks.binpb"
contains "$tmp/err" "$data/sipri_older_quirks.csv:16: warning: row continues on line 17" "line break inside a comment joined"
contains "$tmp/err" "$data/sipri_older_quirks.csv: skipped 1 row(s): organisation or non-state actor" "older export skipped per reason"
expect 0 "quirks output validates" -- validate "$tmp/quirks.binpb"
# A holdings mix has no IERs: the gap report says so instead of "No gaps".
expect 0 "gaps on an import" -- gaps "$tmp/semi.textproto"
contains "$tmp/out" "No IERs: mix \"sipri-holdings\" states no information exchange requirement" "no IERs said plainly"
expect 0 "risk on an import" -- risk "$tmp/semi.textproto"
contains "$tmp/out" "No critical components: none of the 16 element(s)" "no components said plainly"

# Malformed rows: exit 0 with located warnings; unusable files: exit 2 and nothing written.
expect 0 "malformed rows" -- import sipri "$data/sipri_malformed.csv" --out "$tmp/bad.textproto"
contains "$tmp/err" "$data/sipri_malformed.csv:3: skipped: has 7 field(s)" "truncated row located"
contains "$tmp/err" "$data/sipri_malformed.csv:5: skipped: cannot read a number delivered" "bad number located"
contains "$tmp/err" "$data/sipri_malformed.csv:8: warning: country 'Freedonia'" "unknown country located"
for f in empty.csv binary_junk.bin sipri_no_header.csv sipri_no_local_production.csv; do
  expect 2 "unusable $f" -- import sipri "$data/$f" --out "$tmp/unusable.textproto"
  contains "$tmp/err" "$data/$f" "unusable $f named"
done
if [ -e "$tmp/unusable.textproto" ]; then echo "FAIL: unusable input wrote output"; fails=$((fails + 1)); fi
printf 'Supplier,Recipient,Designation,Number delivered,Comments\n,,,\nA,B\n' >"$tmp/none.csv"
expect 2 "no usable rows" -- import sipri "$tmp/none.csv" --out "$tmp/none.textproto"
contains "$tmp/err" "none.csv:3: skipped: has 2 field(s)" "only row skipped with its line"
contains "$tmp/err" "no usable rows; nothing written" "no usable rows explained"

# NISP.
expect 0 "import nisp" -- import nisp "$data/nisp_extract.csv" --out "$tmp/nisp.textproto"
contains "$tmp/err" "$data/nisp_extract.csv:27: skipped: same family STANAG-4294 and edition as line 26" "nisp duplicate located"
contains "$tmp/err" "37 row(s): 34 used, 3 skipped; 34 data standard(s)" "nisp summary"
contains "$tmp/nisp.textproto" 'family: "STANAG-5516"' "family written"
expect 0 "nisp output validates" -- validate "$tmp/nisp.textproto"
expect 0 "nisp malformed" -- import nisp "$data/nisp_malformed.csv" --out "$tmp/nisp_bad.textproto"
contains "$tmp/err" "$data/nisp_malformed.csv:6: skipped: id 'nato-stanag5516ed4' already used on line 2" "nisp bad row located"
expect 2 "nisp on a sipri file" -- import nisp "$ref" --out "$tmp/x.textproto"
contains "$tmp/err" "no header row" "nisp header explained"

# Deterministic output.
"$bin" import sipri "$ref" --out "$tmp/a.textproto" 2>/dev/null
"$bin" import sipri "$ref" --out "$tmp/b.textproto" 2>/dev/null
cmp -s "$tmp/a.textproto" "$tmp/b.textproto" || { echo "FAIL: import not deterministic"; fails=$((fails + 1)); }
for f in sipri_newer_semicolons.csv sipri_older_quirks.csv; do
  "$bin" import sipri "$data/$f" --out "$tmp/a.binpb" 2>/dev/null
  "$bin" import sipri "$data/$f" --out "$tmp/b.binpb" 2>/dev/null
  cmp -s "$tmp/a.binpb" "$tmp/b.binpb" || { echo "FAIL: import of $f not deterministic"; fails=$((fails + 1)); }
done

finish "import CLI"
