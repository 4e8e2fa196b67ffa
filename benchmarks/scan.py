"""Scan throughput: the full rule pack against tree-sitter parse-only on the same files.

    python benchmarks/scan.py [TREE] [--lines N] [--mix typical|dense|both] [--jobs 1,2] [--rules DIR]
    python benchmarks/scan.py [TREE] --per-rule [--sample N] [--rules DIR]

TREE is a real checkout; without it trees of N lines (default 1,000,000) across the six languages are
generated under benchmarks/generated/: `typical` (plain domain code, with remote calls and retries in
some files, at some 16 times the density of findings of real services) and `dense` (remote calls and
retries in every block: the worst case). For each tree and job count it prints lines/s for parse-only
and for the full scan, the scan/parse throughput ratio, findings per 1,000 lines, and the peak RSS of
the whole process tree.

`--per-rule` profiles each rule on up to N files per language (default 200) instead: what its patterns
alone cost on top of walking the tree, as a fraction of parse time; how many nodes its patterns try
before any predicate (a pattern that starts at every call tries them all); on how many files its
literal gates let it run at all; and what its condition sub-queries cost.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bot.analyze.engine import build_pack  # noqa: E402
from bot.analyze.literals import split_patterns, strip_predicates  # noqa: E402
from bot.analyze.rules import Rule, load_rules  # noqa: E402
from bot.config import RepoConfig  # noqa: E402
from bot.source import read_one, walk_tree  # noqa: E402
from bot.syntax import treesitter  # noqa: E402
from bot.syntax.languages import detect  # noqa: E402

TEMPLATES = {
    "py": ('''import requests
import time
''', '''

class Client{n}:
    def __init__(self, base):
        self.base = base
        self.session = requests.Session()

    def get_order_{n}(self, order_id):
        resp = requests.get(f"{{self.base}}/orders/{{order_id}}", timeout=5)
        resp.raise_for_status()
        return resp.json()

    def sync_{n}(self, items):
        out = []
        for item in items:
            for attempt in range(3):
                try:
                    out.append(self.session.post(self.base, json=item, timeout=3))
                    break
                except requests.RequestException:
                    time.sleep(2 ** attempt)
        return out


def handler_{n}(event):
    total = sum(x["qty"] * x["price"] for x in event["lines"])
    if total > 1000:
        return {{"status": "review", "total": total}}
    return {{"status": "ok", "total": total}}
'''),
    "go": ('''package svc

import (
	"context"
	"fmt"
	"net/http"
	"time"
)
''', '''
type Client{n} struct {{
	base string
	http *http.Client
}}

func NewClient{n}(base string) *Client{n} {{
	return &Client{n}{{base: base, http: &http.Client{{Timeout: 5 * time.Second}}}}
}}

func (c *Client{n}) Order(ctx context.Context, id string) (*http.Response, error) {{
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/orders/%s", c.base, id), nil)
	if err != nil {{
		return nil, err
	}}
	for attempt := 0; attempt < 3; attempt++ {{
		resp, err := c.http.Do(req)
		if err == nil {{
			return resp, nil
		}}
		time.Sleep(time.Duration(1<<attempt) * time.Second)
	}}
	return nil, fmt.Errorf("order %s: giving up", id)
}}
'''),
    "java": ('''package svc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
''', '''
class Client{n} {{
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String base;

    public Client{n}(String base) {{
        this.base = base;
    }}

    public String order(String id) throws Exception {{
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/orders/" + id))
            .timeout(Duration.ofSeconds(5)).GET().build();
        for (int attempt = 0; attempt < 3; attempt++) {{
            try {{
                return http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            }} catch (java.io.IOException e) {{
                Thread.sleep((long) Math.pow(2, attempt) * 1000);
            }}
        }}
        throw new IllegalStateException("giving up on " + id);
    }}
}}
'''),
    "cs": ('''using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
''', '''
namespace Svc
{{
    public class Client{n}
    {{
        private readonly HttpClient _http;

        public Client{n}(IHttpClientFactory factory)
        {{
            _http = factory.CreateClient("orders");
        }}

        public async Task<string> OrderAsync(string id, CancellationToken ct)
        {{
            for (var attempt = 0; attempt < 3; attempt++)
            {{
                try
                {{
                    return await _http.GetStringAsync($"/orders/{{id}}", ct);
                }}
                catch (HttpRequestException)
                {{
                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), ct);
                }}
            }}
            throw new InvalidOperationException("giving up");
        }}
    }}
}}
'''),
    "js": ('''const axios = require("axios");
''', '''
const client{n} = axios.create({{ baseURL: process.env.ORDERS_URL, timeout: 5000 }});

async function getOrder{n}(id) {{
  for (let attempt = 0; attempt < 3; attempt++) {{
    try {{
      const res = await client{n}.get(`/orders/${{id}}`);
      return res.data;
    }} catch (err) {{
      await new Promise((r) => setTimeout(r, 2 ** attempt * 1000));
    }}
  }}
  throw new Error(`order ${{id}}: giving up`);
}}

function total{n}(lines) {{
  return lines.reduce((sum, l) => sum + l.qty * l.price, 0);
}}

module.exports[`getOrder{n}`] = getOrder{n};
'''),
    "ts": ("", '''export interface Order{n} {{
  id: string;
  lines: {{ qty: number; price: number }}[];
}}

export async function fetchOrder{n}(base: string, id: string): Promise<Order{n}> {{
  const res = await fetch(`${{base}}/orders/${{id}}`, {{ signal: AbortSignal.timeout(5000) }});
  if (!res.ok) {{
    throw new Error(`order ${{id}}: ${{res.status}}`);
  }}
  return (await res.json()) as Order{n};
}}

export function total{n}(order: Order{n}): number {{
  return order.lines.reduce((sum, l) => sum + l.qty * l.price, 0);
}}
'''),
}


# Ordinary service code: domain types, validation, mapping and error handling that calls nothing remote.
PLAIN = {
    "py": ('''from dataclasses import dataclass, field
import logging

log = logging.getLogger(__name__)
''', '''

@dataclass
class Line{n}:
    sku: str
    qty: int
    price: float
    tags: list[str] = field(default_factory=list)


class InvalidLine{n}(ValueError):
    pass


def validate_{n}(lines):
    errors = []
    for i, line in enumerate(lines):
        if line.qty <= 0:
            errors.append(f"line {{i}}: quantity must be positive")
        if not line.sku or len(line.sku) > 32:
            errors.append(f"line {{i}}: bad sku {{line.sku!r}}")
    if errors:
        raise InvalidLine{n}("; ".join(errors))
    return lines


def summarize_{n}(lines, discounts):
    by_sku = {{}}
    for line in lines:
        rate = discounts.get(line.sku, 0.0)
        by_sku.setdefault(line.sku, 0.0)
        by_sku[line.sku] += line.qty * line.price * (1 - rate)
    total = round(sum(by_sku.values()), 2)
    log.debug("summarized %d lines into %d skus", len(lines), len(by_sku))
    return {{"total": total, "skus": sorted(by_sku)}}
'''),
    "go": ('''package svc

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)
''', '''
type Line{n} struct {{
	SKU   string
	Qty   int
	Price float64
}}

var ErrInvalid{n} = errors.New("invalid line")

func Validate{n}(lines []Line{n}) error {{
	var problems []string
	for i, l := range lines {{
		if l.Qty <= 0 {{
			problems = append(problems, fmt.Sprintf("line %d: quantity must be positive", i))
		}}
		if l.SKU == "" || len(l.SKU) > 32 {{
			problems = append(problems, fmt.Sprintf("line %d: bad sku %q", i, l.SKU))
		}}
	}}
	if len(problems) > 0 {{
		return fmt.Errorf("%w: %s", ErrInvalid{n}, strings.Join(problems, "; "))
	}}
	return nil
}}

func Summarize{n}(lines []Line{n}, discounts map[string]float64) (float64, []string) {{
	bySKU := make(map[string]float64, len(lines))
	for _, l := range lines {{
		bySKU[l.SKU] += float64(l.Qty) * l.Price * (1 - discounts[l.SKU])
	}}
	skus := make([]string, 0, len(bySKU))
	total := 0.0
	for sku, amount := range bySKU {{
		skus = append(skus, sku)
		total += amount
	}}
	sort.Strings(skus)
	return total, skus
}}
'''),
    "java": ('''package svc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
''', '''
final class Line{n} {{
    private final String sku;
    private final int qty;
    private final double price;

    Line{n}(String sku, int qty, double price) {{
        if (sku == null || sku.isEmpty() || sku.length() > 32) {{
            throw new IllegalArgumentException("bad sku: " + sku);
        }}
        this.sku = sku;
        this.qty = qty;
        this.price = price;
    }}

    String sku() {{
        return sku;
    }}

    double amount(Map<String, Double> discounts) {{
        return qty * price * (1 - discounts.getOrDefault(sku, 0.0));
    }}

    static List<String> validate(List<Line{n}> lines) {{
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {{
            if (lines.get(i).qty <= 0) {{
                problems.add("line " + i + ": quantity must be positive");
            }}
        }}
        return problems;
    }}

    static Map<String, Double> summarize(List<Line{n}> lines, Map<String, Double> discounts) {{
        Map<String, Double> bySku = new TreeMap<>();
        for (Line{n} line : lines) {{
            bySku.merge(line.sku(), line.amount(discounts), Double::sum);
        }}
        return bySku;
    }}
}}
'''),
    "cs": ('''using System;
using System.Collections.Generic;
using System.Linq;
''', '''
namespace Svc
{{
    public sealed record Line{n}(string Sku, int Qty, decimal Price);

    public static class Lines{n}
    {{
        public static IReadOnlyList<string> Validate(IReadOnlyList<Line{n}> lines)
        {{
            var problems = new List<string>();
            for (var i = 0; i < lines.Count; i++)
            {{
                if (lines[i].Qty <= 0)
                {{
                    problems.Add($"line {{i}}: quantity must be positive");
                }}
                if (string.IsNullOrEmpty(lines[i].Sku) || lines[i].Sku.Length > 32)
                {{
                    problems.Add($"line {{i}}: bad sku {{lines[i].Sku}}");
                }}
            }}
            return problems;
        }}

        public static IDictionary<string, decimal> Summarize(IEnumerable<Line{n}> lines, IDictionary<string, decimal> discounts)
        {{
            return lines
                .GroupBy(l => l.Sku)
                .ToDictionary(
                    g => g.Key,
                    g => g.Sum(l => l.Qty * l.Price * (1 - (discounts.TryGetValue(l.Sku, out var d) ? d : 0m))));
        }}
    }}
}}
'''),
    "js": ('''"use strict";
''', '''
class InvalidLine{n} extends Error {{}}

function validate{n}(lines) {{
  const problems = [];
  lines.forEach((line, i) => {{
    if (!(line.qty > 0)) {{
      problems.push(`line ${{i}}: quantity must be positive`);
    }}
    if (!line.sku || line.sku.length > 32) {{
      problems.push(`line ${{i}}: bad sku ${{line.sku}}`);
    }}
  }});
  if (problems.length) {{
    throw new InvalidLine{n}(problems.join("; "));
  }}
  return lines;
}}

function summarize{n}(lines, discounts = {{}}) {{
  const bySku = new Map();
  for (const line of lines) {{
    const rate = discounts[line.sku] ?? 0;
    bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.qty * line.price * (1 - rate));
  }}
  const total = [...bySku.values()].reduce((a, b) => a + b, 0);
  return {{ total: Math.round(total * 100) / 100, skus: [...bySku.keys()].sort() }};
}}

module.exports[`validate{n}`] = validate{n};
module.exports[`summarize{n}`] = summarize{n};
'''),
    "ts": ("", '''export interface Line{n} {{
  sku: string;
  qty: number;
  price: number;
}}

export class InvalidLine{n} extends Error {{}}

export function validate{n}(lines: Line{n}[]): Line{n}[] {{
  const problems: string[] = [];
  lines.forEach((line, i) => {{
    if (!(line.qty > 0)) {{
      problems.push(`line ${{i}}: quantity must be positive`);
    }}
    if (!line.sku || line.sku.length > 32) {{
      problems.push(`line ${{i}}: bad sku ${{line.sku}}`);
    }}
  }});
  if (problems.length) {{
    throw new InvalidLine{n}(problems.join("; "));
  }}
  return lines;
}}

export function summarize{n}(lines: Line{n}[], discounts: Record<string, number> = {{}}): {{ total: number; skus: string[] }} {{
  const bySku = new Map<string, number>();
  for (const line of lines) {{
    const rate = discounts[line.sku] ?? 0;
    bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.qty * line.price * (1 - rate));
  }}
  const total = [...bySku.values()].reduce((a, b) => a + b, 0);
  return {{ total: Math.round(total * 100) / 100, skus: [...bySku.keys()].sort() }};
}}
'''),
}


# The mixes a generated tree can have. `dense` is the worst case: every block of every file calls remote
# services with retries, so every rule's literals occur everywhere (about 34 findings per 1,000 lines).
# `typical` is modelled on real services, conservatively: in the seven-service checkout of the README's
# benchmark figures (2.1M lines) 38% of the files hold any rule's literal and there are 0.26 findings per
# 1,000 lines; here half the files call remote services in a quarter of their blocks (about 4 findings per
# 1,000 lines, some 16 times the real density), and the rest is plain domain code.
MIXES = ("typical", "dense")


def generate(root: Path, target_lines: int, mix: str = "dense") -> None:
    marker = root / ".lines"
    if marker.exists() and int(marker.read_text()) >= target_lines:
        return
    root.mkdir(parents=True, exist_ok=True)
    per_file = 8
    lines = 0
    n = 0
    while lines < target_lines:
        for ext, (header, template) in TEMPLATES.items():
            plain_header, plain = PLAIN[ext]
            hot_file = mix == "dense" or n % 2 == 0
            hot_blocks = [mix == "dense" or (hot_file and k % 4 == 0) for k in range(per_file)]
            if not any(hot_blocks):
                head = plain_header
            elif all(hot_blocks):
                head = header
            else:  # both headers, one package clause
                head = header + "".join(line for line in plain_header.splitlines(keepends=True) if not line.startswith("package "))
            body = head + "\n".join(
                (template if hot else plain).format(n=n * per_file + k) for k, hot in enumerate(hot_blocks)
            )
            path = root / ext / f"d{n // 100}" / f"m{n}.{ext}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body)
            lines += body.count("\n")
        n += 1
    marker.write_text(str(lines))


def _parse_chunk(paths: list[str]) -> int:
    total = 0
    for p in paths:
        detected = detect(p)
        if detected is None:
            continue
        data = read_one(Path(p), 1_000_000)
        if isinstance(data, str):
            continue
        treesitter.parse(detected[1], data)
        total += data.count(b"\n")
    return total


def parse_only(root: Path, jobs: int) -> tuple[float, int]:
    changes, _ = walk_tree(root, RepoConfig())
    paths = [str(root / f.path) for f in changes.files]
    start = time.perf_counter()
    if jobs == 1:
        lines = _parse_chunk(paths)
    else:
        chunks = [paths[i : i + 24] for i in range(0, len(paths), 24)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            lines = sum(pool.map(_parse_chunk, chunks))
    return time.perf_counter() - start, lines


class PeakRss:
    """Peak summed RSS of a process and its descendants, sampled every 20 ms."""

    def __init__(self, pid: int) -> None:
        self.proc = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.02)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure(cmd: list[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakRss(proc.pid) as rss:
        out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return elapsed, rss.peak, out


def _best_of(runs: int, fn: Callable[[], object]) -> float:
    """Least CPU time of a few runs (least disturbed by other processes)."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def per_rule(root: Path, rules_dir: Path | None, sample: int) -> None:
    """Each rule's query cost relative to parse time, per language."""
    rules = load_rules(rules_dir, validate=False)
    changes, _ = walk_tree(root, RepoConfig())
    files: dict[tuple[str, str], list[bytes]] = {}
    for change in changes.files:
        detected = detect(change.path)
        if detected is None or len(files.setdefault(detected, [])) >= sample:
            continue
        data = read_one(root / change.path, 1_000_000)
        if not isinstance(data, str):
            files[detected].append(data)
    print(f"tree: {root} (up to {sample} files per grammar)")
    print("cost = the rule's patterns run alone over the parsed files, less a bare walk of the trees, / parse time;")
    print("tried = nodes its patterns match before predicates, per file; open = files its literal gates admit")
    for (language, grammar), datas in sorted(files.items()):
        trees = [treesitter.parse(grammar, d) for d in datas]
        parse = _best_of(3, lambda datas=datas, grammar=grammar: [treesitter.parse(grammar, d) for d in datas])

        def run(query: treesitter.Query, trees: list[treesitter.Tree] = trees) -> float:
            return _best_of(3, lambda: [treesitter.matches(query, t.root_node) for t in trees])

        walk = run(treesitter.compile_query(grammar, "(ERROR) @x"))
        chosen = rules.for_language(language)
        pack = build_pack(grammar, chosen)
        presents = [pack.literals.present(d) for d in datas]
        print(f"\n{language} ({grammar}): {len(datas)} files, parse {parse:.3f} s, bare walk {walk / parse:.2f}x parse")
        print(f"  {'rule':40} {'patterns':>8} {'ungated':>7} {'open':>6} {'cost':>7} {'tried/file':>10} "
              f"{'matches/file':>12} {'sub cost':>8}")
        rows = []
        for rule in chosen:
            rows.append(_rule_row(rule, grammar, pack, presents, trees, run, walk, parse))
        for row in sorted(rows, key=lambda r: -r[4]):
            rid, n, ungated, open_share, cost, tried, found, sub_cost = row
            print(f"  {rid:40} {n:>8} {ungated:>7} {open_share:>6.0%} {cost:>6.2f}x {tried:>10.1f} "
                  f"{found:>12.1f} {sub_cost:>7.2f}x")


def _rule_row(
    rule: Rule,
    grammar: str,
    pack: object,
    presents: list[frozenset[int]],
    trees: list[treesitter.Tree],
    run: Callable[[treesitter.Query], float],
    walk: float,
    parse: float,
) -> tuple[str, int, int, float, float, float, float, float]:
    # Distinct texts: the engine compiles a pattern that several variants share once.
    texts = list(dict.fromkeys(p.strip() for v in rule.variants for p in split_patterns(v.query)))
    main = pack.main  # type: ignore[attr-defined]
    slots = [i for i, slot in enumerate(main.slots) if any(t.rule is rule for _k, t in slot.members)]
    ungated = sum(1 for i in slots if not main.slots[i].clauses)
    opened = sum(1 for present in presents if set(slots) & set(main.select(present)))
    query = treesitter.compile_query(grammar, "\n".join(texts))
    cost = max(0.0, run(query) - walk) / parse
    bare = treesitter.compile_query(grammar, "\n".join(strip_predicates(t) for t in texts))
    tried = sum(len(treesitter.matches(bare, t.root_node)) for t in trees) / len(trees)
    found = sum(len(treesitter.matches(query, t.root_node)) for t in trees) / len(trees)
    subs = list(dict.fromkeys(rule.subqueries()))
    sub_cost = max(0.0, run(treesitter.compile_query(grammar, "\n".join(subs))) - walk) / parse if subs else 0.0
    return rule.id, len(texts), ungated, opened / len(presents), cost, tried, found, sub_cost


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tree", nargs="?", type=Path)
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--mix", choices=(*MIXES, "both"), default="both",
                    help="generated tree: code modelled on real services, every block remote calls, or both (default)")
    ap.add_argument("--rules", type=Path, help="rules directory (default: the bundled rules/)")
    ap.add_argument("--per-rule", action="store_true", help="profile each rule's query cost instead")
    ap.add_argument("--sample", type=int, default=200, help="files per grammar for --per-rule")
    ap.add_argument("--parse-only-worker", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.parse_only_worker is not None:
        seconds, lines = parse_only(args.tree, args.parse_only_worker)
        print(json.dumps({"seconds": seconds, "lines": lines}))
        return
    if args.tree is not None:
        trees = [args.tree.resolve()]
    else:
        trees = []
        for mix in MIXES if args.mix == "both" else (args.mix,):
            root = HERE / "generated" / f"tree-{mix}-{args.lines}"
            print(f"generating {args.lines:,} lines ({mix}) under {root} ...", flush=True)
            generate(root, args.lines, mix)
            trees.append(root.resolve())
    if args.per_rule:
        for root in trees:
            per_rule(root, args.rules, args.sample)
        return
    for root in trees:
        bench(root, args)


def bench(root: Path, args: argparse.Namespace) -> None:
    print(f"tree: {root}")
    print(f"{'jobs':>4} {'files':>7} {'lines':>10} {'parse lines/s':>14} {'scan lines/s':>13} {'scan/parse':>10} "
          f"{'findings':>9} {'per kloc':>8} {'peak RSS MB':>11}")
    for jobs in [int(j) for j in args.jobs.split(",")]:
        p_secs, _, p_out = measure([sys.executable, __file__, str(root), "--parse-only-worker", str(jobs)])
        parse = json.loads(p_out)
        s_secs, s_rss, s_out = measure(
            [sys.executable, "-m", "bot", "scan", str(root), "--format", "json", "--jobs", str(jobs),
             "--fail-on", "never", "--no-progress", "--min-confidence", "low",  # the full pack, opt-in rules too
             *(["--rules", str(args.rules)] if args.rules else [])]
        )
        summary = json.loads(s_out)["summary"]
        # Throughput inside the timed regions (process start-up excluded for both sides).
        parse_rate = parse["lines"] / parse["seconds"]
        scan_rate = summary["lines"] / summary["seconds"]
        print(f"{jobs:>4} {summary['files']:>7} {summary['lines']:>10,} {parse_rate:>14,.0f} {scan_rate:>13,.0f} "
              f"{scan_rate / parse_rate:>10.0%} {summary['findings']:>9} {1000 * summary['findings'] / summary['lines']:>8.2f} "
              f"{s_rss / 2**20:>11.0f}")
        print(f"     wall clock incl. start-up: parse-only {p_secs:.1f} s, scan {s_secs:.1f} s")

if __name__ == "__main__":
    main()
