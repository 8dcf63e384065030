#!/usr/bin/env python3
"""The whole `cluster` process as the data grow: typfrage against pandas + scikit-learn and R; and
(with --commands) every typfrage command at each size.

Builds (once, deterministically) survey files of 100,000 and 1,000,000 rows from the shipped
data/survey.csv: its rows drawn with replacement (Python's random.Random(SEED)), each given a new
identifier (GEN-0000001, ...), the preamble and header kept. Then, per size, in one run, measures
each whole process with /usr/bin/time -v (wall time and peak resident memory):

  - typfrage (release): `validate FILE`, and `cluster FILE --out DIR` (read, check, k-means with
    50 restarts, write), the latter also with `--threads 1` to show how it scales with the cores;
  - pandas + scikit-learn: read_csv(comment="#"), the goal priorities with -9 as missing, listwise
    deletion, KMeans(4, n_init=50, random_state=2020), the assignments written as CSV; run with
    OMP_NUM_THREADS=1 and with 2 (OMP_WAIT_POLICY=passive), the faster reported (both printed);
  - R: read.csv(comment.char="#"), the same selection, kmeans(x, 4, nstart = 50) (Hartigan-Wong,
    R's default), the assignments written with write.csv.

With --commands, instead: every command of typfrage (release) on the same files, each as a
whole process under /usr/bin/time -v (wall time, peak resident memory, exit status): validate,
figures, cluster (plain, --report, --start ward), profile, choose-k, stability, hierarchy,
mixture, response-style, classify, feedback, position --survey, selfcheck, export, and
synth --rows N (the stand-in data of the same size, calibrated). The model the later commands
read is the plain cluster run's. A command that stops with a message (Ward beyond its limit, say)
is listed with its exit status and the message's first words.

Run from the repository root after `cargo build --release`:
    python3 benches/scale.py [--sizes 412,100000,1000000] [--python PY] [--skip-r]
    python3 benches/scale.py --commands [--sizes 412,10000,100000]
PY is a Python with pandas and scikit-learn (default: /work/notes/pyvenv/bin/python if present,
else this one). Data go to target/scale-bench/. Prints a Markdown table and writes
target/scale-bench/results.json (commands.json with --commands).
"""
import argparse
import json
import os
import platform
import random
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "target", "scale-bench")
BIN = os.path.join(ROOT, "target", "release", "typfrage")
SEED = 2026

PANDAS_CLUSTER = """
import sys
import pandas as pd
from sklearn.cluster import KMeans
d = pd.read_csv(sys.argv[1], comment="#")
goals = [c for c in d.columns if c.startswith("ziel_")]
x = d[goals].replace(-9, float("nan")).dropna()
km = KMeans(4, n_init=50, random_state=2020).fit(x.to_numpy(dtype=float))
pd.DataFrame({"id": d.loc[x.index, "id"], "cluster": km.labels_ + 1}).to_csv(sys.argv[2], index=False)
print(km.inertia_)
"""

R_CLUSTER = """
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], comment.char = "#")
x <- d[, grep("^ziel_", names(d))]
x[x == -9] <- NA
keep <- complete.cases(x)
set.seed(2020)
km <- kmeans(as.matrix(x[keep, ]), 4, nstart = 50)
write.csv(data.frame(id = d$id[keep], cluster = km$cluster), args[2], row.names = FALSE)
cat(km$tot.withinss, "\\n")
"""


def make_file(rows):
    """The shipped survey's rows resampled to `rows` rows with new identifiers."""
    source = os.path.join(ROOT, "data", "survey.csv")
    if rows == 412:
        return source
    path = os.path.join(OUT, f"survey-{rows}.csv")
    if os.path.exists(path):
        return path
    with open(source, encoding="utf-8") as f:
        lines = f.read().splitlines()
    preamble = [l for l in lines if l.startswith("#")]
    body = [l for l in lines if not l.startswith("#") and l.strip()]
    header, data = body[0], body[1:]
    rng = random.Random(SEED)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# resampled from data/survey.csv by benches/scale.py (seed {SEED}): {rows} rows\n")
        for l in preamble:
            f.write(l + "\n")
        f.write(header + "\n")
        for i in range(rows):
            row = data[rng.randrange(len(data))]
            f.write(f"GEN-{i + 1:07d}" + row[row.index(","):] + "\n")
    os.replace(tmp, path)
    return path


def measure(cmd, env=None):
    """Runs `cmd` under /usr/bin/time -v: (seconds, peak MB, exit status, stdout tail)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, env=full_env, cwd=ROOT)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", p.stderr).group(1)
    parts = [float(x) for x in wall.split(":")]
    seconds = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    if p.returncode != 0:
        own = p.stderr.split("\tCommand being timed")[0].strip()
        print(f"  ! {' '.join(cmd)} exited {p.returncode}: {own[-600:]}", file=sys.stderr)
    return {"seconds": round(seconds, 2), "peak_mb": round(rss_kb / 1024, 1), "status": p.returncode,
            "out": p.stdout.strip().splitlines()[-1:] if p.stdout.strip() else []}


def commands(rows, path):
    """Every command on `path` (of `rows` rows), in the order that gives the later ones their
    inputs: (name, argument list)."""
    d = os.path.join(OUT, f"cmd-{rows}")
    model = os.path.join(d, "cluster", "model.json")
    with open(path, encoding="utf-8") as f:
        body = [l for l in f if not l.startswith("#")]
    first_id = body[1].split(",")[0]
    return [
        ("validate", ["validate", path]),
        ("figures", ["figures", path, "--out", os.path.join(d, "figures")]),
        ("cluster", ["cluster", path, "--out", os.path.join(d, "cluster")]),
        ("cluster --report", ["cluster", path, "--report", "--out", os.path.join(d, "report")]),
        ("cluster --start ward", ["cluster", path, "--start", "ward", "--out", os.path.join(d, "ward")]),
        ("profile", ["profile", path, "--out", os.path.join(d, "profile")]),
        ("choose-k", ["choose-k", path, "--out", os.path.join(d, "choose-k")]),
        ("stability", ["stability", path, "--out", os.path.join(d, "stability")]),
        ("hierarchy", ["hierarchy", path, "--out", os.path.join(d, "hierarchy")]),
        ("mixture", ["mixture", path, "--out", os.path.join(d, "mixture")]),
        ("response-style", ["response-style", path, "--out", os.path.join(d, "response-style")]),
        ("classify", ["classify", model, path, "--out", os.path.join(d, "classified.csv")]),
        ("feedback", ["feedback", model, path, "--out", os.path.join(d, "feedback")]),
        ("position --survey", ["position", model, "--from", path, "--id", first_id, "--survey", path,
                               "--out", os.path.join(d, "position.html")]),
        ("selfcheck", ["selfcheck", model, "--out", os.path.join(d, "selfcheck.html")]),
        ("export", ["export", path, "--out", os.path.join(d, "survey.parquet")]),
        (f"synth --rows {rows}", ["synth", "--rows", str(rows), "--out", os.path.join(d, "synth.csv"),
                                     "--types-out", os.path.join(d, "synth-types.csv")]),
    ]


def run_commands(sizes):
    """--commands: every command at each size; a Markdown table (a row per command, a column per
    size) on stdout, the numbers in target/scale-bench/commands.json."""
    results = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "sizes": {}}
    for rows in sizes:
        path = make_file(rows)
        print(f"--- {rows} rows: {path}", file=sys.stderr)
        r = {}
        for name, argv in commands(rows, path):
            m = measure([BIN, "--lang", "en"] + argv)
            r[name] = m
            print(f"  {name:22} {m['seconds']:8.2f} s {m['peak_mb']:9.1f} MB  exit {m['status']}", file=sys.stderr)
        results["sizes"][rows] = r
    with open(os.path.join(OUT, "commands.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"Machine: {results['machine']}; {results['date']}; release build, wall time and peak memory of the whole process\n")
    print("| command | " + " | ".join(f"{n:,} rows" for n in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    names = [name for name, _ in commands(sizes[0], make_file(sizes[0]))]
    for i, name in enumerate(names):
        cells = []
        for rows in sizes:
            m = list(results["sizes"][rows].values())[i]
            cell = f"{m['seconds']:.2f} s, {m['peak_mb']:.0f} MB"
            if m["status"] != 0:
                cell += f" (exit {m['status']})"
            cells.append(cell)
        print(f"| `{name.replace(str(sizes[0]), 'N')}` | " + " | ".join(cells) + " |")


def machine():
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores, {model}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default=None)
    ap.add_argument("--commands", action="store_true", help="every command at each size (default sizes 412,10000,100000)")
    default_py = "/work/notes/pyvenv/bin/python"
    ap.add_argument("--python", default=default_py if os.path.exists(default_py) else sys.executable)
    ap.add_argument("--skip-r", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build it first: cargo build --release")
    os.makedirs(OUT, exist_ok=True)
    if args.commands:
        run_commands([int(s) for s in (args.sizes or "412,10000,100000").split(",")])
        return
    args.sizes = args.sizes or "412,100000,1000000"
    pandas_script = os.path.join(OUT, "pandas_cluster.py")
    r_script = os.path.join(OUT, "r_cluster.R")
    with open(pandas_script, "w") as f:
        f.write(PANDAS_CLUSTER)
    with open(r_script, "w") as f:
        f.write(R_CLUSTER)
    results = {"machine": f"{platform.node()}: {os.cpu_count()} cores, {platform.processor() or platform.machine()}",
               "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "sizes": {}}
    for rows in [int(s) for s in args.sizes.split(",")]:
        path = make_file(rows)
        size_mb = os.path.getsize(path) / 1e6
        print(f"--- {rows} rows ({size_mb:.1f} MB): {path}", file=sys.stderr)
        r = {"file_mb": round(size_mb, 1)}
        r["typfrage_validate"] = measure([BIN, "validate", path])
        r["typfrage_validate_1thread"] = measure([BIN, "--threads", "1", "validate", path])
        r["typfrage"] = measure([BIN, "cluster", path, "--out", os.path.join(OUT, f"tf-{rows}")])
        r["typfrage_1thread"] = measure([BIN, "--threads", "1", "cluster", path, "--out", os.path.join(OUT, f"tf1-{rows}")])
        out_csv = os.path.join(OUT, f"pandas-{rows}.csv")
        one = measure([args.python, pandas_script, path, out_csv], {"OMP_NUM_THREADS": "1"})
        two = measure([args.python, pandas_script, path, out_csv], {"OMP_NUM_THREADS": "2", "OMP_WAIT_POLICY": "passive"})
        r["pandas_omp1"], r["pandas_omp2"] = one, two
        r["pandas"] = min(one, two, key=lambda m: m["seconds"])
        if not args.skip_r:
            r["r"] = measure(["Rscript", r_script, path, os.path.join(OUT, f"r-{rows}.csv")])
        results["sizes"][rows] = r
        for k, v in r.items():
            if isinstance(v, dict):
                print(f"  {k:18} {v['seconds']:8.2f} s {v['peak_mb']:9.1f} MB", file=sys.stderr)
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"Machine: {results['machine']}; {results['date']}\n")
    print("| rows | file | typfrage validate (1 thread) | typfrage validate | typfrage cluster (1 thread) | typfrage cluster | pandas + scikit-learn | R |")
    print("|---|---|---|---|---|---|---|---|")
    cell = lambda m: f"{m['seconds']:.2f} s, {m['peak_mb']:.0f} MB" if m else "–"
    for rows, r in results["sizes"].items():
        print(f"| {rows:,} | {r['file_mb']} MB | {cell(r['typfrage_validate_1thread'])} | {cell(r['typfrage_validate'])} | {cell(r['typfrage_1thread'])} | "
              f"{cell(r['typfrage'])} | {cell(r['pandas'])} | {cell(r.get('r'))} |")


if __name__ == "__main__":
    main()
