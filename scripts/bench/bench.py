#!/usr/bin/env python3
"""`make bench`: Padu against the tools a user would otherwise use, end to end into SQLite.

Builds Padu (release), generates the inputs (scripts/bench/generate.py, cached), installs the
peers in .build/bench-venv, then loads every input with `padu run` (fresh warehouse, with and
without row lineage) and with each peer (fresh SQLite file), N times, and prints the median
wall time, rows/s and peak RSS per tool, with the issue's targets checked at the end. Results
go to .build/bench-results/<timestamp>.json. See docs/benchmark.md. Stdlib only.

Usage: bench.py [--only registry,csr,baznas,sdmx] [--repeat N] [--rows N] [--scale S]
                [--csr-nik number|text] [--skip-peers] [--skip-build]
"""
import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BUILD = os.path.join(ROOT, ".build")
VENV = os.path.join(BUILD, "bench-venv")
VENV_PY = os.path.join(VENV, "bin", "python")
DATA = os.path.join(BUILD, "bench-data")
PIPELINES = os.path.join(HERE, "pipelines")
KINDS = ["registry", "csr", "baznas", "sdmx"]
# Test tooling only, never Padu dependencies. DuckDB is pinned to the version of the wheels
# that carry its sqlite and excel extensions (DuckDB downloads extensions at run time otherwise).
REQUIREMENTS = ["xlsxwriter==3.3.1", "pandas==3.1.1", "polars==2.1.0", "pyarrow==26.0.1", "duckdb==1.5.5",
                "duckdb-extension-sqlite-scanner==1.5.5", "duckdb-extension-excel==1.5.5",
                "python-calamine==0.9.1", "openpyxl==3.1.5", "lxml==6.1.3"]
PEERS = {"registry": ["sqlite3-cli", "pandas", "polars", "duckdb"], "baznas": ["sqlite3-cli", "pandas", "polars", "duckdb"],
         "csr": ["duckdb", "calamine", "openpyxl"], "sdmx": ["lxml"]}
FLOOR = "sqlite3-cli"  # no parsing beyond CSV, no types, no validation: the floor, not a peer
PADU, PADU_NOLIN = "padu", "padu (PADU_ROW_LINEAGE=off)"
LABEL = {"sqlite3-cli": "sqlite3 .import (floor)", "pandas": "pandas", "polars": "polars", "duckdb": "duckdb",
         "calamine": "python-calamine", "openpyxl": "openpyxl (read_only)", "lxml": "lxml iterparse"}


def sh(cmd, **kw):
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, **kw)


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem_kb / 1024 ** 2, 1), "kernel": platform.release(),
            "python": platform.python_version()}


def swift():
    return shutil.which("swift") or "/opt/swift/usr/bin/swift"


def build_padu(skip):
    if not skip:
        sh([swift(), "build", "-c", "release"], cwd=ROOT)
    out = subprocess.run([swift(), "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    return os.path.join(out, "padu")


def setup_venv():
    """Creates .build/bench-venv and installs the peers, one package at a time so that one
    failure leaves the others usable. Returns {package: error} for the ones that failed."""
    stamp_path = os.path.join(VENV, "bench-requirements.json")
    want = hashlib.sha256("\n".join(REQUIREMENTS).encode()).hexdigest()
    if os.path.exists(stamp_path):
        with open(stamp_path) as f:
            stamp = json.load(f)
        if stamp.get("hash") == want:
            return stamp["failed"]
    if not os.path.exists(VENV_PY):
        sh([sys.executable, "-m", "venv", VENV])
    failed = {}
    for req in REQUIREMENTS:
        r = subprocess.run([VENV_PY, "-m", "pip", "install", "-q", "--disable-pip-version-check", req],
                           capture_output=True, text=True)
        print(f"bench-venv: {req}: {'ok' if r.returncode == 0 else 'FAILED'}", flush=True)
        if r.returncode:
            failed[req] = (r.stderr.strip().splitlines() or ["pip failed"])[-1]
    with open(stamp_path, "w") as f:
        json.dump({"hash": want, "failed": failed}, f)
    return failed


def generate(kinds, rows, scale, csr_nik):
    python = VENV_PY if os.path.exists(VENV_PY) else sys.executable
    out = sh([python, os.path.join(HERE, "generate.py"), "--out", DATA, "--rows", str(rows), "--scale", str(scale),
              "--only", ",".join(kinds), "--csr-nik", csr_nik], stdout=subprocess.PIPE, text=True).stdout
    print(out, end="")
    with open(out.strip().splitlines()[-1]) as f:
        return json.load(f)


def measure(cmd, log, env=None, stdin=None):
    """Runs cmd once; returns (wall seconds, peak RSS MB of the child and its descendants, exit code)."""
    with open(log, "ab") as lf:
        lf.write(("\n$ " + " ".join(cmd) + "\n").encode())
        lf.flush()
        start = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=lf, stderr=subprocess.STDOUT, stdin=stdin, env=env, cwd=ROOT)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, p.returncode


def table_rows(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM data").fetchone()[0]
    finally:
        con.close()


class Runner:
    def __init__(self, padu, repeat, logdir):
        self.padu, self.repeat, self.logdir = padu, repeat, logdir
        self.template = tempfile.mkdtemp(prefix="padu-home-", dir=BUILD)
        # Compile the pipelines once into a template home; each measured run copies only its
        # compile cache (a nightly run finds its pipelines compiled), never its warehouse.
        sh([padu, "check", PIPELINES, "--home", self.template], stdout=subprocess.DEVNULL)

    def fresh(self):
        tmp = tempfile.mkdtemp(prefix="run-", dir=os.path.join(BUILD, "bench-tmp"))
        shutil.copytree(os.path.join(self.template, "cache"), os.path.join(tmp, "home", "cache"))
        return tmp

    def case(self, tool, kind, path):
        """Runs one tool on one input `repeat` times; returns its result dict."""
        log = os.path.join(self.logdir, f"{kind}-{re.sub(r'[^a-z0-9]+', '-', tool.lower()).strip('-')}.log")
        walls, rsses, loaded, notes, error = [], [], None, [], None
        for i in range(self.repeat):
            tmp = self.fresh()
            try:
                if tool in (PADU, PADU_NOLIN):
                    home = os.path.join(tmp, "home")
                    env = dict(os.environ)
                    env.pop("PADU_ROW_LINEAGE", None)
                    if tool == PADU_NOLIN:
                        env["PADU_ROW_LINEAGE"] = "off"
                    cmd = [self.padu, "run", f"bench-{kind}", "--pipelines", PIPELINES, "--home", home,
                           "--input", path, "--no-progress"]
                    wall, rss, rc = measure(cmd, log, env=env)
                    text = open(log, encoding="utf-8", errors="replace").read()
                    text = text[text.rfind("\n$ "):]
                    m = re.search(r"total: read (\d+) · loaded (\d+) · quarantined (\d+) · skipped (\d+)", text)
                    if m:
                        loaded = int(m.group(2))
                        if i == 0:
                            notes = [f"read {m.group(1)}, quarantined {m.group(3)}, skipped {m.group(4)}"]
                            notes += [re.sub(r"\s+\(e\.g\..*", "", l.strip()) for l in text.splitlines()
                                      if re.match(r"\s+(quarantined|skipped) \d+×", l)]
                    if i == 0:  # the stored view of the run, for the log
                        subprocess.run([self.padu, "runs", "show", "1", "--home", home], cwd=ROOT,
                                       stdout=open(log, "ab"), stderr=subprocess.STDOUT)
                else:
                    db = os.path.join(tmp, "peer.sqlite")
                    if tool == FLOOR:
                        skip = {"registry": "", "baznas": "--skip 3 "}[kind]
                        script = os.path.join(tmp, "import.sql")
                        with open(script, "w") as f:
                            f.write(f".mode csv\n.separator \";\"\n.import {skip}'{path}' data\n")
                        with open(script) as stdin:
                            wall, rss, rc = measure(["sqlite3", db], log, stdin=stdin)
                    else:
                        wall, rss, rc = measure([VENV_PY, os.path.join(HERE, "peers.py"), tool, kind, path, db], log)
                    if rc == 0:
                        loaded = table_rows(db)
                if rc != 0:
                    tail = open(log, encoding="utf-8", errors="replace").read().strip().splitlines()[-1:]
                    error = f"exit {rc}: {tail[0][:160] if tail else ''}"
                    break
                walls.append(wall)
                rsses.append(rss)
                print(f"  {tool:30} run {i + 1}: {wall:8.2f} s  {rss:7.1f} MB", flush=True)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        result = {"tool": tool, "walls": [round(w, 3) for w in walls], "loaded": loaded, "notes": notes, "error": error,
                  "log": os.path.relpath(log, ROOT)}
        if walls and not error:
            result.update(wall=statistics.median(walls), rss_mb=statistics.median(rsses))
        else:
            print(f"  {tool:30} FAILED: {error}", flush=True)
        return result


def fmt(x, spec):
    return "—" if x is None else format(x, spec)


def print_table(entry):
    rows = entry["rows"]
    print(f"\n{entry['file']}  ({rows:,} rows, {entry['bytes'] / 1e6:.1f} MB, scale {entry['scale']}×)")
    print(f"  {'tool':30} {'wall s':>8} {'rows/s':>10} {'peak RSS MB':>12} {'loaded':>10} {'Padu/this':>10}")
    padu = next((r for r in entry["results"] if r["tool"] == PADU and "wall" in r), None)
    for r in entry["results"]:
        name = LABEL.get(r["tool"], r["tool"])
        if "wall" not in r:
            print(f"  {name:30} {'failed: ' + (r['error'] or 'no result')}")
            continue
        ratio = padu["wall"] / r["wall"] if padu and r["tool"] != PADU else None
        print(f"  {name:30} {r['wall']:8.2f} {rows / r['wall']:10,.0f} {r['rss_mb']:12.1f} {fmt(r['loaded'], ','):>10}"
              f" {fmt(ratio, '.2f'):>10}")
    for r in entry["results"]:
        if r["tool"] == PADU and r["notes"]:
            print("  padu: " + "; ".join(r["notes"]))


def lineage_switch_present(padu):
    """Whether the padu binary mentions PADU_ROW_LINEAGE at all (the switch may not exist yet)."""
    with open(padu, "rb") as f:
        return b"PADU_ROW_LINEAGE" in f.read()


def summary(entries, padu_binary):
    """The issue's targets, checked on the 1× results (RSS on every scale)."""
    lines = []
    by = {(e["kind"], e["scale"]): e for e in entries}

    def res(e, tool):
        return next((r for r in e["results"] if r["tool"] == tool and "wall" in r), None)

    def verdict(ok):
        return "MET" if ok else "NOT MET"

    for kind, what in (("registry", "registry CSV"), ("baznas", "Baznas CSV"), ("csr", "CSR XLSX")):
        e = by.get((kind, 1))
        if not e:
            continue
        padu = res(e, PADU)
        peers = [r for r in (res(e, t) for t in PEERS[kind] if t != FLOOR) if r]
        if not padu or not peers:
            lines.append(f"{what} faster than the fastest peer: not measured")
            continue
        best = min(peers, key=lambda r: r["wall"])
        lines.append(f"{what} faster than the fastest peer: Padu {padu['wall']:.2f} s vs {LABEL[best['tool']]} "
                     f"{best['wall']:.2f} s (Padu/peer {padu['wall'] / best['wall']:.2f}) → "
                     f"{verdict(padu['wall'] < best['wall'])}")
        if kind == "csr" and padu.get("loaded") is not None and padu["loaded"] < e["rows"] // 2:
            lines.append(f"  note: Padu loaded {padu['loaded']:,} of {e['rows']:,} rows (see its reasons above)")
    e = by.get(("sdmx", 1))
    if e:
        padu, lx = res(e, PADU), res(e, "lxml")
        if padu and lx:
            lines.append(f"SDMX ≥2× faster than lxml iterparse + sqlite3: {lx['wall']:.2f} s / {padu['wall']:.2f} s = "
                         f"{lx['wall'] / padu['wall']:.2f}× → {verdict(lx['wall'] >= 2 * padu['wall'])}")
        else:
            lines.append("SDMX ≥2× faster than lxml iterparse + sqlite3: not measured")
    rss = [(e["file"], res(e, PADU)["rss_mb"]) for e in entries if res(e, PADU)]
    if rss:
        lines.append("Padu peak RSS < 100 MB: " + ", ".join(f"{f} {m:.0f} MB" for f, m in rss) + " → "
                     + verdict(all(m < 100 for _, m in rss)))
    flat = []
    for (kind, scale), e in sorted(by.items()):
        base = by.get((kind, 1))
        if scale > 1 and base and res(e, PADU) and res(base, PADU):
            a, b = res(base, PADU)["rss_mb"], res(e, PADU)["rss_mb"]
            flat.append((kind, scale, a, b))
    if flat:
        lines.append("Padu peak RSS flat with input size (≤ 20% growth): " + ", ".join(
            f"{k} {a:.0f} → {b:.0f} MB at {s}× ({b / a - 1:+.0%})" for k, s, a, b in flat) + " → "
            + verdict(all(b <= 1.2 * a for _, _, a, b in flat)))
    else:
        lines.append("Padu peak RSS flat with input size: not measured (run with --scale 4)")
    over = []
    for e in entries:
        a, b = res(e, PADU), res(e, PADU_NOLIN)
        if a and b:
            over.append((e["file"], a["wall"] / b["wall"] - 1))
    if over:
        lines.append("row-lineage overhead ≤ 15% (with/without − 1): " + ", ".join(f"{f} {o:+.1%}" for f, o in over)
                     + " → " + verdict(all(o <= 0.15 for _, o in over)))
        if not lineage_switch_present(padu_binary):
            lines.append("  note: this padu binary does not mention PADU_ROW_LINEAGE: both runs are the same "
                         "program and the overhead above is noise")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default=",".join(KINDS), help="inputs to run: registry,csr,baznas,sdmx")
    ap.add_argument("--repeat", type=int, default=3, help="runs per case; the median is reported (default 3)")
    ap.add_argument("--rows", type=int, default=1_000_000,
                    help="registry and Baznas rows at 1× (CSR: rows/5, SDMX: rows×50 bytes); default 1,000,000")
    ap.add_argument("--scale", type=int, default=1, help="also run Padu on the S× inputs (e.g. 4) for the memory check")
    ap.add_argument("--csr-nik", choices=["number", "text"], default="number",
                    help="CSR workbook NIKs as numeric cells (default) or text cells")
    ap.add_argument("--skip-peers", action="store_true", help="run Padu only")
    ap.add_argument("--skip-build", action="store_true", help="use the release build as it is")
    args = ap.parse_args()
    kinds = [k for k in KINDS if k in args.only.split(",")]
    if not kinds:
        sys.exit(f"--only: pick from {','.join(KINDS)}")

    info = machine()
    print(f"machine: {info['nproc']} cores · {info['cpu']} · {info['ram_gb']} GB RAM · Linux {info['kernel']}", flush=True)
    padu = build_padu(args.skip_build)
    failed = setup_venv()
    for req, err in failed.items():
        print(f"bench-venv: {req} did not install: {err}")
    scales = sorted({1, args.scale})
    manifests = {s: generate(kinds, args.rows, s, args.csr_nik) for s in scales}

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    logdir = os.path.join(BUILD, "bench-results", stamp)
    os.makedirs(logdir, exist_ok=True)
    os.makedirs(os.path.join(BUILD, "bench-tmp"), exist_ok=True)
    runner = Runner(padu, args.repeat, logdir)
    entries = []
    try:
        for scale in scales:
            for kind in kinds:
                m = manifests[scale][kind]
                path = os.path.join(DATA, m["file"])
                entry = dict(kind=kind, scale=scale, file=m["file"], rows=m["rows"], bytes=m["bytes"], results=[])
                print(f"\n== {m['file']} ({m['rows']:,} rows)", flush=True)
                tools = [PADU, PADU_NOLIN]
                if not args.skip_peers and scale == 1:
                    tools += PEERS[kind]
                for tool in tools:
                    entry["results"].append(runner.case(tool, kind, path))
                entries.append(entry)
    finally:
        shutil.rmtree(runner.template, ignore_errors=True)

    print(f"\nmachine: {info['nproc']} cores · {info['cpu']} · {info['ram_gb']} GB RAM · Linux {info['kernel']}")
    print(f"median of {args.repeat} run(s) per case; rows/s = rows in the file / wall; peak RSS = the process and "
          "its children; Padu/this = Padu's wall / this tool's wall (< 1: Padu faster).")
    print("Peers load as the tool naturally does, with no NIK validation or region resolution; "
          "Padu validates, quarantines, resolves regions and records lineage.")
    for entry in entries:
        print_table(entry)
    lines = summary(entries, padu)
    print("\ntargets (issue G):")
    for line in lines:
        print("  " + line)
    out = os.path.join(BUILD, "bench-results", f"{stamp}.json")
    with open(out, "w") as f:
        json.dump({"machine": info, "args": vars(args), "started": stamp, "venv_failed": failed,
                   "inputs": entries, "targets": lines}, f, indent=1)
    print(f"\nresults: {os.path.relpath(out, ROOT)}  (logs: {os.path.relpath(logdir, ROOT)}/)")


if __name__ == "__main__":
    main()
