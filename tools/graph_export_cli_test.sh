#!/bin/bash
# export --graph: for every shipped mix the DOT renders with Graphviz (`dot -Tsvg`) and the
# GraphML parses with an XML parser, with node and edge counts equal to each other's and to the
# interoperability graph's (elements + channels; joins + bridges + gap pairs), and widest paths
# equal to the matrix (graph_export_check.py). Needs Graphviz (tools/setup installs it).
#   graph_export_cli_test.sh COALITION_BINARY
set -uo pipefail
bin="$1"
here="$(dirname "$0")"
model="datasets/coalition.textproto"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }
if ! command -v dot >/dev/null || ! command -v gc >/dev/null; then
  echo "SKIPPED: Graphviz (dot, gc) is not installed; tools/setup installs it"
  exit 0
fi
counts() {  # counts DOTFILE -> "NODES EDGES" as Graphviz parses them
  gc -n -e "$1" | awk '{print $1, $2}'
}
for mix in datasets/mixes/*.textproto; do
  name="$(basename "$mix" .textproto)"
  for graph in interop supply; do
    "$bin" export "$model" --mix "$mix" --graph "$graph" --max_gaps=-1 --out "$tmp/$name.$graph.dot" 2>"$tmp/err" \
      || { bad "$name $graph dot: $(cat "$tmp/err")"; continue; }
    "$bin" export "$model" --mix "$mix" --graph "$graph" --max_gaps=-1 --format graphml --out "$tmp/$name.$graph.graphml" 2>"$tmp/err" \
      || { bad "$name $graph graphml: $(cat "$tmp/err")"; continue; }
    dot -Tsvg "$tmp/$name.$graph.dot" -o "$tmp/$name.$graph.svg" 2>"$tmp/err" && [ -s "$tmp/$name.$graph.svg" ] \
      && ok "$name $graph: dot -Tsvg" || bad "$name $graph: dot -Tsvg: $(cat "$tmp/err")"
    read -r n e <<<"$(counts "$tmp/$name.$graph.dot")"
    if [ "$graph" = interop ]; then
      "$bin" matrix "$model" --mix "$mix" --format json --out "$tmp/$name.matrix.json" || bad "$name matrix"
      "$bin" gaps "$model" --mix "$mix" --format json --max_gaps=-1 --out "$tmp/$name.gaps.json" || bad "$name gaps"
      python3 "$here/graph_export_check.py" interop "$tmp/$name.$graph.graphml" "$n" "$e" \
        "$tmp/$name.matrix.json" "$tmp/$name.gaps.json" || bad "$name interop check"
    else
      python3 "$here/graph_export_check.py" supply "$tmp/$name.$graph.graphml" "$n" "$e" || bad "$name supply check"
    fi
  done
done
# Deterministic: the same input gives the same bytes.
"$bin" export "$model" --mix datasets/mixes/indo_pacific.textproto --graph interop --max_gaps=-1 --out "$tmp/again.dot"
cmp -s "$tmp/again.dot" "$tmp/indo_pacific.interop.dot" && ok "byte-identical" || bad "byte-identical"
# Bad values are usage errors (exit 2) that name the allowed ones.
"$bin" export "$model" --graph nope 2>"$tmp/err"; [ $? -eq 2 ] && grep -qF "interop, supply" "$tmp/err" \
  && ok "bad --graph" || bad "bad --graph: $(cat "$tmp/err")"
"$bin" export "$model" --mix datasets/mixes/indo_pacific.textproto --graph interop --format svg 2>"$tmp/err"
[ $? -eq 2 ] && grep -qF "dot, graphml" "$tmp/err" && ok "bad --format" || bad "bad --format: $(cat "$tmp/err")"
# The whole model's supply graph needs no mix.
"$bin" export "$model" --graph supply --format graphml >"$tmp/all.graphml" 2>"$tmp/err" && ok "supply without mix" \
  || bad "supply without mix: $(cat "$tmp/err")"
exit $fail
