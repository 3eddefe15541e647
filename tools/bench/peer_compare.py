#!/usr/bin/env python3
"""The engine beside the graph libraries analysts use: NetworkX, python-igraph and graph-tool.

For each size it generates a model and mix (`coalition generate`, written as JSON, which the peers
read, plus `.binpb` and a snapshot for the engine), runs the gap semantics of SPEC §2-3 on every
peer and `coalition gaps` on the engine, checks that all report the same number of gaps, and
prints a table of load, analysis and end-to-end seconds, and the ratios to the engine.

  tools/bench/peer_compare.py --coalition bazel-bin/tools/coalition [--sizes 100000,1000000]
                              [--elements 10000] [--timeout 600] [--workdir /tmp/peers]

The Debian packages python3-networkx, python3-igraph and python3-graph-tool are installed by
this script (apt-get, with sudo when not root) when missing; `--no-install` skips that and runs
only the peers that import. Each peer runs in its own process (its peak memory is its own, and
a peer still running after --timeout seconds is stopped and reported as such).

The peers' algorithm (one shared Python implementation; only the graph work is the library's):
  channels     one node per (link, standard) the link carries, and (link, voice) for voice links
  joins        an element joins (link, standard) when its platform fits the link and speaks the
               standard and its nation may use both (releasability: empty list, listed, a group
               of the nation listed, or the designer); voice channels of the links it may use
  bridges      (link, s1)-(link, s2) at level 2 for two versions of one family on a link; a
               gateway element present in the mix bridges two channels it joins whose standards
               are the gateway's, at its level cap (default 2)
  levels       for thresholds 3, 2, 1: connected components of the channel graph over bridges
               at or above the threshold (the library's connected components); two elements
               reach level t when channels they join at >= t (data 3, voice 1) share a component
               (elements are endpoints, never relays); 3 becomes 4 with information sharing
               (same nation, or a common group that shares information)
  gaps         per IER, every ordered pair (a in from, b in to, a != b) below min_level (ALL_PAIRS);
               EACH_TO / EACH_FROM: every b (a) with no counterpart at min_level. The
               policy-relaxed level (every releasability lifted) is computed too, as the engine
               does for the gap classes. Levels are memoised per pair of element classes
               (platform, nation), as the engine does.
Seconds: load = reading the JSON and building the channel graphs; analysis = the library's
connected components, pair levels and gap counts; end to end = the whole process (interpreter
start and the library's import included).
For the engine: end to end = `coalition gaps` (process), load = `coalition stats` on the same
file (load, validate, build; no analysis), analysis = the difference.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

# Debian's interpreter: the Debian packages install into its dist-packages (a pyenv or venv
# python3 on PATH does not see them).
PEER_PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

PEERS = {
    "networkx": ("networkx", "python3-networkx"),
    "igraph": ("igraph", "python3-igraph"),
    "graph-tool": ("graph_tool", "python3-graph-tool"),
}


# ---- the model ------------------------------------------------------------------------------


def load_model(path):
    with open(path) as f:
        return json.load(f)


def build_channels(model, mix, relaxed):
    """Channels, the element joins and the channel-channel bridges (SPEC §2)."""
    nations = {n["id"]: n for n in model.get("nations", [])}
    groups = {g["id"]: g for g in model.get("groups", [])}
    links = {l["id"]: l for l in model.get("links", [])}
    standards = {s["id"]: s for s in model.get("standards", [])}
    platforms = {p["id"]: p for p in model.get("platforms", [])}

    def may_use(nation, item):
        if relaxed:
            return True
        rel = item.get("releasable_to", [])
        if not rel or nation == item.get("designer_nation", ""):
            return True
        if nation in rel:
            return True
        return any(g in rel for g in nations[nation].get("groups", []))

    channel = {}
    for l in model.get("links", []):
        for s in l.get("standards", []):
            channel.setdefault((l["id"], s), len(channel))
        if l.get("voice_capable", False):
            channel.setdefault((l["id"], None), len(channel))
    bridges = []  # (c1, c2, level)
    for l in model.get("links", []):
        ss = l.get("standards", [])
        for s1 in ss:
            for s2 in ss:
                d1, d2 = standards[s1], standards[s2]
                if s1 < s2 and d1["family"] == d2["family"] and d1.get("version", 0) != d2.get("version", 0):
                    bridges.append((channel[(l["id"], s1)], channel[(l["id"], s2)], 2))
    elements = mix.get("elements", [])
    # Joins depend on (platform, nation) only: computed once per element class.
    class_of = {}
    classes = []
    for e in elements:
        key = (e["platform"], e["nation"])
        if key not in class_of:
            class_of[key] = len(classes)
            classes.append(key)
    data_joins, voice_joins = [], []
    for platform, nation in classes:
        p = platforms[platform]
        speaks = set(p.get("standards", []))
        data, voice = set(), set()
        for lid in p.get("links", []):
            l = links[lid]
            if not may_use(nation, l):
                continue
            for s in l.get("standards", []):
                if s in speaks and may_use(nation, standards[s]):
                    data.add(channel[(lid, s)])
            if l.get("voice_capable", False):
                voice.add(channel[(lid, None)])
        data_joins.append(data)
        voice_joins.append(voice)
    std_of = {c: key[1] for key, c in channel.items()}
    seen_gateway_classes = set()
    for e in elements:
        k = class_of[(e["platform"], e["nation"])]
        p = platforms[e["platform"]]
        if not p.get("gateways") or k in seen_gateway_classes:
            continue
        seen_gateway_classes.add(k)
        for gw in p["gateways"]:
            cap = min(int(gw.get("level_cap", 2)), 3)
            for c1 in data_joins[k]:
                if std_of[c1] != gw["standard_a"]:
                    continue
                for c2 in data_joins[k]:
                    if c1 != c2 and std_of[c2] == gw["standard_b"]:
                        bridges.append((c1, c2, cap))
    return len(channel), bridges, class_of, classes, data_joins, voice_joins


def expand(selector, elements, eids, nations, platforms):
    if selector.get("all", False):
        return list(range(len(elements)))
    kinds = []
    if selector.get("elements"):
        s = set(selector["elements"]); kinds.append(lambda i, e: eids[i] in s)
    if selector.get("platforms"):
        s1 = set(selector["platforms"]); kinds.append(lambda i, e: e["platform"] in s1)
    if selector.get("nations"):
        s2 = set(selector["nations"]); kinds.append(lambda i, e: e["nation"] in s2)
    if selector.get("groups"):
        s3 = set(selector["groups"])
        kinds.append(lambda i, e: any(g in s3 for g in nations[e["nation"]].get("groups", [])))
    if selector.get("domains"):
        s4 = set(selector["domains"])
        kinds.append(lambda i, e: platforms[e["platform"]].get("domain") in s4)
    if selector.get("roles"):
        s5 = set(selector["roles"])
        kinds.append(lambda i, e: any(r in s5 for r in platforms[e["platform"]].get("roles", [])))
    if not kinds:
        return []
    return [i for i, e in enumerate(elements) if all(k(i, e) for k in kinds)]


# ---- the libraries ----------------------------------------------------------------------------


def components(lib, n, edges):
    """Component label per node of the undirected graph (n nodes, edge list), by the library."""
    if lib == "networkx":
        import networkx as nx
        g = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_edges_from(edges)
        label = [0] * n
        for i, comp in enumerate(nx.connected_components(g)):
            for v in comp:
                label[v] = i
        return label
    if lib == "igraph":
        import igraph
        g = igraph.Graph(n=n, edges=edges, directed=False)
        return g.connected_components().membership
    if lib == "graph-tool":
        import graph_tool.all as gt
        g = gt.Graph(directed=False)
        g.add_vertex(n)
        if edges:
            g.add_edge_list(edges)
        comp, _ = gt.label_components(g)
        return list(comp.a)
    raise ValueError(lib)


def run_peer(lib, model_path, mix_name):
    # The library is imported first: its import time counts only in end to end.
    import warnings
    warnings.filterwarnings("ignore")
    __import__(PEERS[lib][0])
    if lib == "graph-tool":
        import graph_tool.all  # noqa: F401
    t0 = time.perf_counter()
    model = load_model(model_path)
    mixes = model.get("mixes", [])
    mix = next(m for m in mixes if m.get("name") == mix_name) if mix_name else mixes[0]
    nations = {n["id"]: n for n in model.get("nations", [])}
    platforms = {p["id"]: p for p in model.get("platforms", [])}
    shares = {g["id"] for g in model.get("groups", []) if g.get("shares_information", False)}
    built = [build_channels(model, mix, relaxed) for relaxed in (False, True)]
    # The library's graphs: one per policy and threshold.
    graphs = []
    for n, bridges, *_ in built:
        graphs.append({t: (n, [(a, b) for a, b, lv in bridges if lv >= t]) for t in (3, 2, 1)})
    t1 = time.perf_counter()

    elements = mix.get("elements", [])
    eids = [e.get("id") or f"{e['nation']}:{e['platform']}" for e in elements]
    levels_by_policy = []
    for (n, bridges, class_of, classes, data_joins, voice_joins), g in zip(built, graphs):
        label = {t: components(lib, *g[t]) for t in (3, 2, 1)}
        comps = []
        for k in range(len(classes)):
            comps.append({
                3: {label[3][c] for c in data_joins[k]},
                2: {label[2][c] for c in data_joins[k]},
                1: {label[1][c] for c in data_joins[k] | voice_joins[k]},
            })
        levels_by_policy.append((class_of, classes, comps))

    def level(policy, a, b, memo):
        class_of, classes, comps = levels_by_policy[policy]
        ka = class_of[(elements[a]["platform"], elements[a]["nation"])]
        kb = class_of[(elements[b]["platform"], elements[b]["nation"])]
        key = (ka, kb)
        if key in memo:
            return memo[key]
        lv = 0
        for t in (3, 2, 1):
            if not comps[ka][t].isdisjoint(comps[kb][t]):
                lv = t
                break
        if lv == 3:
            na, nb = classes[ka][1], classes[kb][1]
            if policy == 1 or na == nb or any(
                    g in shares and g in nations[nb].get("groups", []) for g in nations[na].get("groups", [])):
                lv = 4
        memo[key] = lv
        return lv

    gaps = 0
    memo = [{}, {}]
    for ier in mix.get("iers", []):
        need = int(ier.get("min_level", 0))
        src = expand(ier.get("from", {}), elements, eids, nations, platforms)
        dst = expand(ier.get("to", {}), elements, eids, nations, platforms)
        coverage = ier.get("coverage", "ALL_PAIRS")
        if coverage in ("ALL_PAIRS", "COVERAGE_UNSPECIFIED", 0):
            for a in src:
                for b in dst:
                    if a != b:
                        level(1, a, b, memo[1])  # the relaxed level (gap class), as the engine
                        if level(0, a, b, memo[0]) < need:
                            gaps += 1
        elif coverage == "EACH_TO":
            for b in dst:
                if not any(a != b and level(0, a, b, memo[0]) >= need for a in src):
                    gaps += 1
        elif coverage == "EACH_FROM":
            for a in src:
                if not any(a != b and level(0, a, b, memo[0]) >= need for b in dst):
                    gaps += 1
    t2 = time.perf_counter()
    return {"load_s": t1 - t0, "analysis_s": t2 - t1, "gaps": gaps}


# ---- the driver -----------------------------------------------------------------------------


def ensure_packages(install):
    missing = []
    for name, (module, package) in PEERS.items():
        r = subprocess.run([PEER_PYTHON, "-c", f"import {module}"], capture_output=True)
        if r.returncode != 0:
            missing.append(package)
    if missing and install:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        print(f"installing {' '.join(missing)} (Debian packages)", file=sys.stderr)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(sudo + ["apt-get", "install", "-y", "--no-install-recommends"] + missing,
                       check=False, env=env)
    available = []
    for name, (module, package) in PEERS.items():
        r = subprocess.run([PEER_PYTHON, "-c", f"import {module}"], capture_output=True)
        if r.returncode == 0:
            available.append(name)
        else:
            print(f"{name}: not available ({package} missing); skipped", file=sys.stderr)
    return available


def timed(cmd, timeout):
    """Runs cmd under /usr/bin/time; returns (wall seconds, stdout, peak RSS in bytes), or None
    when it is still running after `timeout` seconds (it is stopped)."""
    stats = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"peer_compare_time.{os.getpid()}")
    t0 = time.perf_counter()
    try:
        r = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", stats] + cmd, capture_output=True,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    dt = time.perf_counter() - t0
    if r.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr[-2000:]}")
    with open(stats) as f:
        peak_kb = int(f.read().split()[-1])
    return dt, r.stdout, peak_kb * 1024


def gaps_total(report_json):
    r = json.loads(report_json)
    return int(r.get("gaps_total", r.get("gapsTotal", 0)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--coalition", default="bazel-bin/tools/coalition")
    ap.add_argument("--sizes", default="100000,1000000,10000000")
    ap.add_argument("--elements", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--workdir", default="/tmp/coalition_peers")
    ap.add_argument("--no-install", action="store_true")
    ap.add_argument("--peer", help=argparse.SUPPRESS)
    ap.add_argument("--model", help=argparse.SUPPRESS)
    ap.add_argument("--mix", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.peer:  # a child process: one peer on one model
        print(json.dumps(run_peer(args.peer, args.model, args.mix)))
        return 0

    peers = ensure_packages(not args.no_install)
    os.makedirs(args.workdir, exist_ok=True)
    me = os.path.abspath(__file__)
    rows = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
        base = os.path.join(args.workdir, f"g{size}")
        js, pb, snap = base + ".json", base + ".binpb", base + ".snapshot"
        if not os.path.exists(js):
            subprocess.run([args.coalition, "generate", pb, "--edges", str(size), "--elements",
                            str(args.elements), "--seed", str(args.seed)], check=True)
            subprocess.run([args.coalition, "convert", pb, js], check=True)
            subprocess.run([args.coalition, "snapshot", pb, snap], check=True)
        results = {}
        for label, path in (("engine (.binpb)", pb), ("engine (snapshot)", snap), ("engine (.json)", js)):
            load = timed([args.coalition, "stats", path], args.timeout)
            e2e = timed([args.coalition, "gaps", path, "--format", "json", "--max_gaps", "0"], args.timeout)
            if e2e is None or load is None:
                results[label] = None
                continue
            results[label] = {"load_s": load[0], "analysis_s": max(0.0, e2e[0] - load[0]),
                              "e2e_s": e2e[0], "gaps": gaps_total(e2e[1]), "rss": e2e[2]}
        for peer in peers:
            r = timed([PEER_PYTHON, me, "--peer", peer, "--model", js], args.timeout)
            if r is None:
                results[peer] = None
                continue
            out = json.loads(r[1])
            out["e2e_s"] = r[0]
            out["rss"] = r[2]
            results[peer] = out
        rows.append((size, results))
        print_table([(size, results)])
    print("\nAll sizes:")
    ok = print_table(rows)
    return 0 if ok else 1


def print_table(rows):
    ok = True
    print("| edges | system | load s | analysis s | end to end s | peak RSS MB | gaps | e2e ÷ engine (.binpb) | e2e ÷ engine (snapshot) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size, results in rows:
        ref = results.get("engine (.binpb)")
        snap = results.get("engine (snapshot)")
        gaps = {k: v["gaps"] for k, v in results.items() if v}
        if len(set(gaps.values())) > 1:
            ok = False
            print(f"DISAGREEMENT at {size} edges: {gaps}", file=sys.stderr)
        for name, r in results.items():
            if r is None:
                print(f"| {size:,} | {name} | — | — | > timeout | — | — | — | — |")
                continue
            ratio = f"{r['e2e_s'] / ref['e2e_s']:.1f}×" if ref else "—"
            ratio_s = f"{r['e2e_s'] / snap['e2e_s']:.1f}×" if snap else "—"
            print(f"| {size:,} | {name} | {r['load_s']:.3f} | {r['analysis_s']:.3f} | {r['e2e_s']:.3f} | "
                  f"{r['rss'] / 1e6:.0f} | {r['gaps']:,} | {ratio} | {ratio_s} |")
    sys.stdout.flush()
    return ok


if __name__ == "__main__":
    sys.exit(main())
