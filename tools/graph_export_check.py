#!/usr/bin/env python3
"""Checks an interoperability graph export (GraphML) against the engine's own reports.

  graph_export_check.py interop GRAPHML DOT_NODES DOT_EDGES MATRIX_JSON GAPS_JSON
  graph_export_check.py supply GRAPHML DOT_NODES DOT_EDGES

interop: well-formed GraphML with every <key> declared before the <graph> and every <data>
using a declared key of the right domain; one element node per matrix element; node count =
elements + channels and edge count = joins + bridges + gap edges, equal to Graphviz's counts of
the DOT export; one gap edge per unordered pair of the gap report's gaps; and the widest path
between every two elements in the exported graph (elements never relay) equals the matrix level
capped at 3 (level 4 is level 3 plus information sharing). Prints what it checked; exit 1 on a
failure.
"""
import json
import sys
import xml.etree.ElementTree as ET

NS = "{http://graphml.graphdrawing.org/xmlns}"


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def read_graphml(path):
    root = ET.parse(path).getroot()  # raises on malformed XML
    if root.tag != NS + "graphml":
        fail("root is %s" % root.tag)
    keys, seen_graph = {}, False
    for child in root:
        if child.tag == NS + "key":
            if seen_graph:
                fail("a <key> after the <graph>")
            keys[child.get("id")] = (child.get("for"), child.get("attr.name"), child.get("attr.type"))
        elif child.tag == NS + "graph":
            seen_graph = True
    graphs = root.findall(NS + "graph")
    if len(graphs) != 1:
        fail("%d graphs" % len(graphs))
    g = graphs[0]
    nodes, edges = {}, []
    for el in g:
        data = {}
        for d in el.findall(NS + "data"):
            k = d.get("key")
            if k not in keys:
                fail("undeclared key %s" % k)
            domain = "node" if el.tag == NS + "node" else "edge"
            if keys[k][0] not in (domain, "all"):
                fail("key %s is for %s, used on a %s" % (k, keys[k][0], domain))
            data[keys[k][1]] = d.text or ""
        if el.tag == NS + "node":
            if el.get("id") in nodes:
                fail("duplicate node id %s" % el.get("id"))
            nodes[el.get("id")] = data
        elif el.tag == NS + "edge":
            if el.get("source") not in nodes or el.get("target") not in nodes:
                fail("edge %s names an unknown node" % el.get("id"))
            edges.append((el.get("source"), el.get("target"), data))
    return nodes, edges


def find(p, x):
    while p[x] != x:
        p[x] = p[p[x]]
        x = p[x]
    return x


def widest(nodes, edges, a, b):
    ids = {n: i for i, n in enumerate(nodes)}
    for t in (3, 2, 1):
        p = list(range(len(ids)))
        for s, d, data in edges:
            if data["kind"] in ("join", "gap") or int(data.get("level", -1)) < t:
                continue
            p[find(p, ids[s])] = find(p, ids[d])
        ca = {find(p, ids[d]) for s, d, data in edges
              if data["kind"] == "join" and s == a and int(data["level"]) >= t}
        cb = {find(p, ids[d]) for s, d, data in edges
              if data["kind"] == "join" and s == b and int(data["level"]) >= t}
        if ca & cb:
            return t
    return 0


def main():
    mode, path, dot_nodes, dot_edges = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    nodes, edges = read_graphml(path)
    if (len(nodes), len(edges)) != (dot_nodes, dot_edges):
        fail("GraphML has %d nodes, %d edges; the DOT export %d, %d" %
             (len(nodes), len(edges), dot_nodes, dot_edges))
    kinds = {}
    for data in nodes.values():
        kinds[data["kind"]] = kinds.get(data["kind"], 0) + 1
    ekinds = {}
    for _, _, data in edges:
        ekinds[data["kind"]] = ekinds.get(data["kind"], 0) + 1
    if mode == "supply":
        for s, d, data in edges:
            if data["kind"] == "uses" and (nodes[s]["kind"], nodes[d]["kind"]) != ("platform", "component"):
                fail("a uses edge from %s to %s" % (s, d))
        if not any(data.get("critical") == "true" for _, _, data in edges):
            fail("no critical edge")
        print("ok   supply graph: nodes %s, edges %s" % (sorted(kinds.items()), sorted(ekinds.items())))
        return
    matrix = json.load(open(sys.argv[5]))
    gaps = json.load(open(sys.argv[6]))
    els = matrix["elements"]
    n = len(els)
    if kinds.get("element", 0) != n:
        fail("%d element nodes, the matrix has %d elements" % (kinds.get("element", 0), n))
    channels = kinds.get("data_channel", 0) + kinds.get("voice_channel", 0)
    if len(nodes) != n + channels:
        fail("nodes %d != elements %d + channels %d" % (len(nodes), n, channels))
    structural = ekinds.get("join", 0) + ekinds.get("version_bridge", 0) + ekinds.get("gateway", 0)
    pairs = {frozenset((g["from_element"], g["to_element"])) for g in gaps.get("gaps", [])
             if g.get("to_element")}
    if len(gaps.get("gaps", [])) != int(gaps.get("gaps_total", 0)):
        fail("the gap report lists %d of %s gaps (run it with --max_gaps=-1)" %
             (len(gaps.get("gaps", [])), gaps.get("gaps_total")))
    if ekinds.get("gap", 0) != len(pairs):
        fail("%d gap edges, the gap report has %d gap pairs" % (ekinds.get("gap", 0), len(pairs)))
    if len(edges) != structural + len(pairs):
        fail("edges %d != joins + bridges %d + gap pairs %d" % (len(edges), structural, len(pairs)))
    levels = matrix["levels"]
    checked = 0
    for i in range(n):
        for j in range(i + 1, n):
            want = min(int(levels[i * n + j]), 3)
            got = widest(nodes, edges, "element:" + els[i], "element:" + els[j])
            if got != want:
                fail("%s - %s: widest path %d in the export, matrix level %d" % (els[i], els[j], got, want))
            checked += 1
    print("ok   interop graph: %d elements, %d channels, %d joins + bridges, %d gap pairs; "
          "%d element pairs' widest paths equal the matrix" % (n, channels, structural, len(pairs), checked))


if __name__ == "__main__":
    main()
