#!/usr/bin/env python3
"""Side-by-side timing of typfrage and pandas + scikit-learn on the same work and data.

Creates (once) a virtual environment in target/sklearn-venv with scikit-learn and pandas, then
measures, on this machine:
  1. the whole process: `typfrage cluster data/survey.csv` (50 restarts) against a pandas +
     scikit-learn script doing the same (read, listwise deletion, KMeans n_init=50);
  2. the bootstrap: `typfrage stability --resamples 1000 --n-init 10` against a scikit-learn loop;
  3. k-means alone on synthetic data (100,000 and 1,000,000 rows x 12 columns, k = 4,
     n_init = 10): typfrage's fast path and linfa against scikit-learn (lloyd), each
     scikit-learn setting run with OMP_NUM_THREADS=1 and =2 (OMP_WAIT_POLICY=passive) and the
     faster taken; sum of squares and peak memory beside the times.
The synthetic data are made identically in Rust (typfrage::cluster::synthetic) and here.

Run from the repository root after `cargo build --release --examples`:
    python3 benches/compare_sklearn.py [--quick]
"""
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "target", "sklearn-venv")
PY = os.path.join(VENV, "bin", "python")
BIN = os.path.join(ROOT, "target", "release", "typfrage")
TIMING = os.path.join(ROOT, "target", "release", "examples", "kmeans_timing")


def ensure_venv():
    if not os.path.exists(PY):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([PY, "-m", "pip", "install", "-q", "scikit-learn", "pandas", "threadpoolctl"])
    if os.path.realpath(sys.executable) != os.path.realpath(PY):
        os.execv(PY, [PY] + sys.argv)


SKLEARN_CLUSTER = """
import pandas as pd
from sklearn.cluster import KMeans
d = pd.read_csv("data/survey.csv", comment="#")
goals = [c for c in d.columns if c.startswith("ziel_")]
x = d[goals].replace(-9, float("nan")).dropna().to_numpy(dtype=float)
km = KMeans(4, n_init=50, random_state=2020).fit(x)
print(km.inertia_)
"""

SKLEARN_STABILITY = """
import numpy as np, pandas as pd, sys
from sklearn.cluster import KMeans
d = pd.read_csv("data/survey.csv", comment="#")
goals = [c for c in d.columns if c.startswith("ziel_")]
x = d[goals].dropna().to_numpy(dtype=float)
base = KMeans(4, n_init=10, random_state=1).fit_predict(x)
rng = np.random.default_rng(1)
for b in range(int(sys.argv[1])):
    idx = rng.integers(0, len(x), len(x))
    KMeans(4, n_init=10, random_state=b).fit(x[idx])
"""

SKLEARN_KMEANS = """
import json, resource, sys, time
import numpy as np
from sklearn.cluster import KMeans
n = int(sys.argv[1])
d, seed = 12, 42
G = np.uint64(0x9E3779B97F4A7C15)
def uniform(idx):
    z = np.uint64(seed) + G * (idx + np.uint64(1))
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (1.0 / float(1 << 53))
i = np.arange(n, dtype=np.uint64)[:, None]
j = np.arange(d, dtype=np.uint64)[None, :]
base = np.uint64(3) * (i * np.uint64(d) + j)
with np.errstate(over="ignore"):
    noise = uniform(base) + uniform(base + np.uint64(1)) + uniform(base + np.uint64(2)) - 1.5
centre = np.where((j % np.uint64(4)) == (i % np.uint64(4)), 3.0, 0.0)
x = np.ascontiguousarray(centre + noise)
del noise, centre, base
start = time.perf_counter()
km = KMeans(4, n_init=10, algorithm="lloyd", random_state=1).fit(x)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
print(json.dumps({"seconds": seconds, "wss": float(km.inertia_), "peak_mb": peak}))
"""


def best_of(cmd, repeats, env=None):
    times = []
    out = ""
    for _ in range(repeats):
        start = time.perf_counter()
        out = subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
        times.append(time.perf_counter() - start)
    return min(times), out


def sklearn_env(threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
    if threads > 1:
        env["OMP_WAIT_POLICY"] = "passive"
    return env


def main():
    quick = "--quick" in sys.argv
    rows = []
    # 1. whole process
    t_sk, _ = best_of([PY, "-c", SKLEARN_CLUSTER], 3)
    t_tf, _ = best_of([BIN, "cluster", "data/survey.csv", "--out", "target/bench-out"], 10)
    rows.append(("cluster data/survey.csv, 50 restarts (whole process)", t_sk, t_tf, ""))
    # 2. bootstrap
    resamples = 100 if quick else 1000
    t_sk1, _ = best_of([PY, "-c", SKLEARN_STABILITY, str(resamples)], 1, sklearn_env(1))
    t_sk2, _ = best_of([PY, "-c", SKLEARN_STABILITY, str(resamples)], 1, sklearn_env(2))
    t_tf, _ = best_of(
        [BIN, "stability", "data/survey.csv", "--resamples", str(resamples), "--n-init", "10", "--out", "target/bench-out"], 3
    )
    rows.append((f"stability, {resamples} resamples x 10 restarts", min(t_sk1, t_sk2), t_tf, ""))
    # 3. k-means alone
    for n in [100_000] if quick else [100_000, 1_000_000]:
        sk = [json.loads(best_of([PY, "-c", SKLEARN_KMEANS, str(n)], 1, sklearn_env(t))[1]) for t in (1, 2)]
        best = min(sk, key=lambda r: r["seconds"])
        for engine in ["fast", "linfa"]:
            _, out = best_of([TIMING, str(n), engine, "10"], 1)
            r = json.loads(out)
            note = f"wss {r['wss']:.1f} vs {best['wss']:.1f}; peak {r['peak_mb']:.0f} MB vs {best['peak_mb']:.0f} MB"
            rows.append((f"k-means {n:,} x 12, n_init 10 ({engine})", best["seconds"], r["seconds"], note))
    print("| work | scikit-learn (best of 1 and 2 threads) | typfrage | ratio | note |")
    print("|---|---|---|---|---|")
    for work, sk, tf, note in rows:
        print(f"| {work} | {sk:.3f} s | {tf:.3f} s | {sk / tf:.1f}x | {note} |")


if __name__ == "__main__":
    ensure_venv()
    main()
