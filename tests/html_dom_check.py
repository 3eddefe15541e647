#!/usr/bin/env python3
"""Checks the HTML report of a mix as Chromium rendered it (SPEC §8; issue 13).

  html_dom_check.py dom DOM_HTML MATRIX_JSON GAPS_JSON CHROMIUM_STDERR
  html_dom_check.py png SCREENSHOT_PNG

dom: the heat map (<svg id="heatmap">) has elements x elements cells whose levels (class lK)
equal the matrix report's, cell by cell, rows and columns named by data-element; the gap list
has one row per gap of the report (run with --max_gaps=-1: gaps_total); no attribute or style
names an external URL and no 'http:'/'https:' occurs at all; Chromium logged no console message
(an error, a blocked fetch or a log line would show there).
png: the screenshot decodes, is at least 800 x 600, and is not blank: at least 8 distinct
colours and more than 2% of the pixels not white.
Prints what it checked; exit 1 on a failure.
"""
import json
import re
import struct
import sys
import zlib
from html.parser import HTMLParser


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []          # open tags with their attributes
        self.cols = []           # heat map column ids
        self.rows = []           # (row id, [levels in column order])
        self.gap_rows = 0
        self.urls = []

    def in_heatmap(self):
        return any(t == "svg" and a.get("id") == "heatmap" for t, a in self.stack)

    def inside(self, tag, cls):
        return any(t == tag and cls in (a.get("class") or "").split() for t, a in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k, v in attrs:
            if v is None:
                continue
            if k in ("src", "href", "xlink:href", "action", "data", "poster", "srcset", "background"):
                if not (v.startswith("#") or v.startswith("data:") or v == ""):
                    self.urls.append("%s=%s" % (k, v))
            if "url(" in v and not re.search(r"url\(\s*['\"]?(#|data:)", v):
                self.urls.append("%s=%s" % (k, v))
        if self.in_heatmap():
            if a.get("data-element") is not None and self.inside("g", "hm-cols"):
                self.cols.append(a["data-element"])
            if tag == "g" and "hm-row" in (a.get("class") or "").split():
                self.rows.append((a.get("data-element"), []))
            if tag == "rect" and "cell" in (a.get("class") or "").split():
                lv = [c for c in a["class"].split() if re.fullmatch(r"l[0-4]", c)]
                if len(lv) != 1 or not self.rows:
                    fail("a heat map cell without one level class: %s" % a)
                self.rows[-1][1].append(int(lv[0][1]))
        if tag == "tr" and "gap-row" in (a.get("class") or "").split():
            self.gap_rows += 1
        if tag not in ("br", "meta", "link", "img", "input", "hr", "col", "source", "wbr"):
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return


def check_dom(dom_path, matrix_path, gaps_path, stderr_path):
    text = open(dom_path, encoding="utf-8").read()
    matrix = json.load(open(matrix_path))
    gaps = json.load(open(gaps_path))
    d = Dom()
    d.feed(text)
    els = matrix["elements"]
    n = len(els)
    idx = {e: i for i, e in enumerate(els)}
    if sorted(d.cols) != sorted(els):
        fail("heat map columns %s are not the matrix's elements %s" % (d.cols, els))
    if sorted(r for r, _ in d.rows) != sorted(els):
        fail("heat map rows are not the matrix's elements")
    cells = sum(len(c) for _, c in d.rows)
    if cells != n * n:
        fail("heat map has %d cells, want %d^2 = %d" % (cells, n, n * n))
    for row, levels in d.rows:
        for col, lv in zip(d.cols, levels):
            want = int(matrix["levels"][idx[row] * n + idx[col]])
            if lv != want:
                fail("heat map cell %s -> %s is %d, the matrix says %d" % (row, col, lv, want))
    if len(gaps.get("gaps", [])) != int(gaps.get("gaps_total", 0)):
        fail("the gap report was not run with --max_gaps=-1")
    if d.gap_rows != int(gaps.get("gaps_total", 0)):
        fail("gap list has %d rows, the report %s gaps" % (d.gap_rows, gaps.get("gaps_total", 0)))
    if d.urls:
        fail("external references: %s" % d.urls[:5])
    if "http:" in text or "https:" in text:
        fail("the DOM mentions http: or https: (%s)" % text[max(0, text.find("http") - 60):text.find("http") + 60])
    console = [l for l in open(stderr_path, errors="replace") if ":CONSOLE" in l]
    if console:
        fail("console messages: %s" % console[:3])
    print("ok   heat map %d x %d cells equal the matrix; %d gap rows = the report's; no external "
          "URL; no console message" % (n, n, d.gap_rows))


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("%s is not a PNG" % path)
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype not in (2, 6):
                fail("unexpected PNG format depth %d colour type %d" % (depth, ctype))
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def check_png(path):
    w, h, bpp, rows = read_png(path)
    if w < 800 or h < 600:
        fail("screenshot is %d x %d" % (w, h))
    colours, non_white, total = set(), 0, 0
    for y in range(0, h, 3):
        row = rows[y]
        for x in range(0, w, 3):
            px = row[x * bpp:x * bpp + 3]
            colours.add(px)
            total += 1
            if px != b"\xff\xff\xff":
                non_white += 1
    if len(colours) < 8 or non_white < 0.02 * total:
        fail("screenshot looks blank: %d colours, %.1f%% not white" % (len(colours), 100.0 * non_white / total))
    print("ok   screenshot %d x %d, %d colours, %.1f%% not white" % (w, h, len(colours), 100.0 * non_white / total))


if __name__ == "__main__":
    if sys.argv[1] == "dom":
        check_dom(*sys.argv[2:6])
    elif sys.argv[1] == "png":
        check_png(sys.argv[2])
    else:
        fail("usage: html_dom_check.py dom|png ...")
