#!/usr/bin/env python3
"""The whole `cluster` process as the data grow: typfrage against pandas + scikit-learn and R.

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

Run from the repository root after `cargo build --release`:
    python3 benches/scale.py [--sizes 412,100000,1000000] [--python PY] [--skip-r]
PY is a Python with pandas and scikit-learn (default: /work/notes/pyvenv/bin/python if present,
else this one). Data go to target/scale-bench/. Prints a Markdown table and writes
target/scale-bench/results.json.
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
        print(f"  ! {' '.join(cmd)} exited {p.returncode}: {p.stderr[-600:]}", file=sys.stderr)
    return {"seconds": round(seconds, 2), "peak_mb": round(rss_kb / 1024, 1), "status": p.returncode,
            "out": p.stdout.strip().splitlines()[-1:] if p.stdout.strip() else []}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="412,100000,1000000")
    default_py = "/work/notes/pyvenv/bin/python"
    ap.add_argument("--python", default=default_py if os.path.exists(default_py) else sys.executable)
    ap.add_argument("--skip-r", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build it first: cargo build --release")
    os.makedirs(OUT, exist_ok=True)
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
