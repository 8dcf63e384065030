#!/usr/bin/env python3
"""Independent recomputation of every published figure and finding, compared with `typfrage figures`.

Written from the published list (data/published-figures.toml), the codebook (data/codebook.toml)
and the rules the documentation states (docs/figures.md; "Bases and missing values" in docs/guide.md),
not from the Rust code: pandas for the shares and scipy for the tests. For each survey file it
runs `typfrage figures FILE --format json`, recomputes every value, base, p-value and verdict, and
compares them; it exits 1 when anything disagrees (and 2 on a usage or setup error).

    python3 scripts/independent_figures.py [--typfrage target/debug/typfrage] [--perturb] FILE...

`--perturb` also checks perturbed copies of the first file, made with a fixed seed: 80 random
municipalities lose their answer to one leadership question, the municipalities developing a
strategy lose their training answers, 30 developing municipalities become "not a topic", and 3 %
of all answered cells of the non-routing questions are blanked at random.

Needs pandas and scipy (e.g. `python3 -m venv .venv && .venv/bin/pip install pandas scipy`).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, stats

ROOT = Path(__file__).resolve().parent.parent
ALPHA = 0.05  # one-sided tests of the directional findings
V_BOUND = 0.2  # "no association" must be shown below this Cramér's V
RARE = 10.0  # "state solutions are rare": under this share of components in use

CODEBOOK = tomllib.loads((ROOT / "data/codebook.toml").read_text(encoding="utf-8"))
PUBLISHED = tomllib.loads((ROOT / "data/published-figures.toml").read_text(encoding="utf-8"))
MISSING = [CODEBOOK["missing"]["non_response"]["code"], CODEBOOK["missing"]["not_applicable"]["code"]]


def scale_of(name: str) -> dict:
    var = next(v for v in CODEBOOK["variable"] if v["name"] == name)
    return CODEBOOK["scale"][var["scale"]]


def positive(name: str) -> list[int]:
    var = next(v for v in CODEBOOK["variable"] if v["name"] == name)
    return var.get("positive", scale_of(name).get("positive", []))


def names(prefix: str) -> list[str]:
    return [v["name"] for v in CODEBOOK["variable"] if v["name"].startswith(prefix)]


BASE_COMPONENTS = names("basis_")
OFFERINGS = names("gemeinschaft_")
FIBRE = names("glasfaser_")
TRAINING = names("fortbildung_")
TRANSFORMATION = ["fortbildung_trends", "fortbildung_arbeitsorganisation", "fortbildung_fuehrung"]
LEAD = {area: names(f"leitung_{area}_") for area in ("verwaltung", "gemeinschaft")}
CHEF = ["buergermeister", "cdo", "cio"]


def load(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        if col == "id":
            out[col] = df[col]
            continue
        values = pd.to_numeric(df[col].str.replace(",", ".", regex=False).replace("", np.nan))
        out[col] = values.where(~values.isin(MISSING))
    return out


# ------------------------------------------------------------------ indicators (docs/guide.md: bases)


def count(df: pd.DataFrame, cols: list[str], hit) -> pd.Series:
    """Items of a battery that satisfy `hit`; missing unless every item is answered."""
    block = df[cols]
    n = block.apply(lambda c: c.map(lambda v: float(hit(v)) if not pd.isna(v) else np.nan)).sum(
        axis=1, min_count=len(cols)
    )
    return n.where(block.notna().all(axis=1))


class Ind:
    def __init__(self, df: pd.DataFrame):
        self.df = df
        in_use = set(positive("basis_formularserver"))
        supported = set(positive("gemeinschaft_wirtschaft"))
        self.comps = count(df, BASE_COMPONENTS, lambda v: v in in_use)
        self.offers = count(df, OFFERINGS, lambda v: v in supported)
        self.good = (self.comps >= 3).where(self.comps.notna())
        self.engaged = (self.offers >= 2).where(self.offers.notna())
        self.status = df["strategie_status"]
        self.has = self.status == 1
        self.strat = self.status.isin([1, 2])
        self.dev = self.status == 2
        self.without = self.status.isin([3, 4])
        area = {}
        for a, cols in LEAD.items():
            chef_cols = [f"leitung_{a}_{r}" for r in CHEF]
            answered = df[cols].notna().all(axis=1)
            area[a] = (df[chef_cols] == 1).any(axis=1).where(answered)
        both = area["verwaltung"].notna() & area["gemeinschaft"].notna()
        self.chefsache = (area["verwaltung"].fillna(False).astype(bool) | area["gemeinschaft"].fillna(False).astype(bool)).where(both)
        instruments = count(df, ["daten_bestandsaufnahme", "daten_offenlegung", "daten_bereitstellung"], lambda v: v >= 2)
        uses = count(df, ["nutzung_kennzahlen_personal", "nutzung_kennzahlen_optimierung", "nutzung_automatisierung"], lambda v: v == 1)
        self.breadth = instruments + uses
        fibre = count(df, FIBRE, lambda v: v == 1)
        self.fibre = (fibre > 0).where(fibre.notna())
        self.topics = count(df, TRAINING, lambda v: v == 1)
        self.grade = df["breitband_note"]


def share(base: pd.Series, hit: pd.Series, label: str = "") -> dict:
    sel = base.fillna(False).astype(bool) & hit.notna()
    n = int(sel.sum())
    x = float(hit[sel].astype(float).sum())
    return {"label": label, "value": 100.0 * x / n if n else math.nan, "n": n}


def item(df, name, codes, base):
    return share(base, df[name].isin(codes).where(df[name].notna()), name)


def figures(df: pd.DataFrame) -> dict[str, list[dict]]:
    i = Ind(df)
    every = pd.Series(True, index=df.index)
    fim = ["fim_leistungen", "fim_datenfelder", "fim_prozesse"]
    planned = count(df, TRANSFORMATION, lambda v: v == 2)
    out = {
        "strategy_has": [share(every, i.has.where(i.status.notna()))],
        "strategy_developing": [share(every, i.dev.where(i.status.notna()))],
        "strategy_has_or_developing": [share(every, i.strat.where(i.status.notna()))],
        "basecomp_none": [share(every, (i.comps == 0).where(i.comps.notna()))],
        "basecomp_one_or_two": [share(every, i.comps.between(1, 2).where(i.comps.notna()))],
        "basecomp_at_most_two": [share(every, (i.comps <= 2).where(i.comps.notna()))],
        "basecomp_mean": [{"value": float(i.comps.mean()), "n": int(i.comps.notna().sum())}],
        "community_none": [share(every, (i.offers == 0).where(i.offers.notna()))],
        "community_exactly_one": [share(every, (i.offers == 1).where(i.offers.notna()))],
        "egov_good_with_strategy": [share(i.good == True, i.has.where(i.status.notna()))],  # noqa: E712
        "community_engaged_with_strategy": [share(i.engaged == True, i.has.where(i.status.notna()))],  # noqa: E712
        "egov_good_also_community_engaged": [share(i.good == True, i.engaged)],  # noqa: E712
        "fim_known": [item(df, "fim_bekannt", [1], every)],
        # "cannot judge" (5) stays in the base: the base is who knows FIM and answered the item
        "fim_helpful_among_known": [item(df, f, positive(f), df["fim_bekannt"] == 1) for f in fim],
        "data_inventory_intensive": [item(df, "daten_bestandsaufnahme", [4, 5], every)],
        "data_kpi_staffing": [item(df, "nutzung_kennzahlen_personal", [1], every)],
        "data_kpi_optimisation": [item(df, "nutzung_kennzahlen_optimierung", [1], every)],
        "data_fully_automated": [item(df, "nutzung_automatisierung", [1], every)],
        "field_administration": [item(df, "feld_verwaltung", [1], i.strat)],
        "field_infrastructure": [item(df, "feld_infrastruktur", [1], i.strat)],
        "field_education_culture_science": [item(df, "feld_bildung_kultur", [1], i.strat)],
        "field_mobility": [item(df, "feld_mobilitaet", [1], i.strat)],
        "field_economy": [item(df, "feld_wirtschaft", [1], i.strat)],
        "goal_attractiveness": [item(df, "top3_attraktivitaet", [1], i.strat)],
        "goal_public_services": [item(df, "top3_daseinsvorsorge", [1], i.strat)],
        "link_urban_development_concept": [item(df, "anknuepfung_entwicklungskonzept", [1], i.strat)],
        "link_none": [item(df, "anknuepfung_keine", [1], i.strat)],
        "chefsache_any": [share(every, i.chefsache)],
        "admin_lead_mayor": [item(df, "leitung_verwaltung_buergermeister", [1], every)],
        "admin_lead_cdo": [item(df, "leitung_verwaltung_cdo", [1], every)],
        "admin_lead_cio": [item(df, "leitung_verwaltung_cio", [1], every)],
        "admin_lead_cio_with_strategy": [item(df, "leitung_verwaltung_cio", [1], i.has)],
        "admin_lead_cdo_with_strategy": [item(df, "leitung_verwaltung_cdo", [1], i.has)],
        "community_lead_mayor": [item(df, "leitung_gemeinschaft_buergermeister", [1], every)],
        "community_lead_cdo": [item(df, "leitung_gemeinschaft_cdo", [1], every)],
        "community_lead_cio": [item(df, "leitung_gemeinschaft_cio", [1], every)],
        "community_lead_cdo_with_strategy": [item(df, "leitung_gemeinschaft_cdo", [1], i.has)],
        "community_lead_cdo_among_engaged": [item(df, "leitung_gemeinschaft_cdo", [1], i.engaged == True)],  # noqa: E712
        "training_trends_among_developing": [item(df, "fortbildung_trends", [1], i.dev)],
        "training_planned_among_developing": [share(i.dev, (planned > 0).where(planned.notna()))],
        "fibre_engaged": [share(every, i.fibre)],
        "broadband_good_or_very_good": [item(df, "breitband_note", [1, 2], every)],
        "broadband_satisfactory": [item(df, "breitband_note", [3], every)],
    }
    return out


def figure_holds(fig: dict, value: float) -> bool:
    rel, v = fig["relation"], fig["value"]
    if rel in ("exact", "approx"):
        tol = 2.5 if rel == "approx" and "unit" not in fig else 0.5
        return abs(value - v) <= tol
    if rel == "gt":
        return value > v
    if rel == "lt":
        return value < v
    if rel == "between":
        return fig["low"] <= value <= fig["high"]
    raise ValueError(f"unknown relation {rel}")


# ------------------------------------------------------------------ findings (docs/figures.md: table)


def claim(groups, p, holds):
    return {"groups": groups, "p": p, "holds": holds}


def directional(groups, p):
    return claim(groups, p, p is not None and not math.isnan(p) and p < ALPHA)


def cochran_armitage(hit: pd.Series, df: pd.DataFrame):
    """Share of `hit` per KGSt size class; one-sided test that it rises with size (class 7 -> 1)."""
    groups, rows = [], []
    for cls in range(1, 8):
        s = share(df["groessenklasse"] == cls, hit)
        if s["n"] > 0:
            x = round(s["value"] * s["n"] / 100.0)
            groups.append(s)
            rows.append((x, s["n"], -cls))  # any increasing-with-size score gives the same z
    x = np.array([r[0] for r in rows], float)
    n = np.array([r[1] for r in rows], float)
    sc = np.array([r[2] for r in rows], float)
    p = x.sum() / n.sum()
    t = (sc * (x - n * p)).sum()
    var = p * (1 - p) * ((n * sc**2).sum() - (n * sc).sum() ** 2 / n.sum())
    return directional(groups, float(stats.norm.sf(t / math.sqrt(var))) if var > 0 else None)


def two_shares(hit, in1, in2):
    a, b = share(in1, hit), share(in2, hit)
    x1, x2 = round(a["value"] * a["n"] / 100), round(b["value"] * b["n"] / 100)
    pooled = (x1 + x2) / (a["n"] + b["n"])
    se = math.sqrt(pooled * (1 - pooled) * (1 / a["n"] + 1 / b["n"]))
    z = (x1 / a["n"] - x2 / b["n"]) / se
    return directional([a, b], float(stats.norm.sf(z)))


def two_means(values: pd.Series, in1, in2):
    a = values[in1.fillna(False).astype(bool) & values.notna()]
    b = values[in2.fillna(False).astype(bool) & values.notna()]
    t = stats.ttest_ind(a, b, equal_var=False, alternative="greater")
    groups = [{"value": float(a.mean()), "n": len(a)}, {"value": float(b.mean()), "n": len(b)}]
    return directional(groups, float(t.pvalue))


def no_association(a: pd.Series, b: pd.Series):
    """Chi-square without continuity correction on the table of the two classifications (empty
    rows and columns dropped); holds when V is shown below V_BOUND: equivalence p < ALPHA."""
    sel = a.notna() & b.notna()
    table = pd.crosstab(a[sel], b[sel]).to_numpy()
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    chi2, _, dof, _ = stats.chi2_contingency(table, correction=False)
    n = table.sum()
    q = min(table.shape) - 1
    p = float(stats.ncx2.cdf(chi2, dof, n * q * V_BOUND**2))
    # groups: the first classification's rows, "yes" (0) before "no" (1)
    groups = [{"n": int(v)} for v in pd.crosstab(a[sel], b[sel]).sum(axis=1)]
    c = claim(groups, p, p < ALPHA)
    c["v"] = math.sqrt(chi2 / (n * q))
    f = lambda lam: stats.ncx2.cdf(chi2, dof, lam) - ALPHA if lam > 0 else stats.chi2.cdf(chi2, dof) - ALPHA
    c["v_upper"] = 0.0 if f(0) <= 0 else math.sqrt(optimize.brentq(f, 0, 10 * (chi2 + dof + 50), xtol=1e-12) / (n * q))
    return c


def ranking(df, i, leaders, others):
    groups = [item(df, name, [1], i.strat) for name in leaders + others]
    values = [g["value"] for g in groups]
    gaps = [values[k] - values[k + 1] for k in range(len(leaders) - 1)]
    gaps.append(values[len(leaders) - 1] - max(values[len(leaders):]))
    return claim(sorted(groups, key=lambda g: -g["value"]), None, min(gaps) > 0)


def in_house(df, i):
    in_use = set(positive("basis_formularserver"))
    ops = df[BASE_COMPONENTS]
    used = ops.isin(in_use).sum(axis=1)
    own = ops.isin([1, 2]).sum(axis=1)
    known = i.good.notna() & (used > 0)
    share_ = 100.0 * own / used.where(used > 0)
    good = share_[known & (i.good == True)]  # noqa: E712
    other = share_[known & (i.good == False)]  # noqa: E712
    t = stats.ttest_ind(good, other, equal_var=False, alternative="greater")
    first = directional(
        [{"value": float(good.mean()), "n": len(good)}, {"value": float(other.mean()), "n": len(other)}],
        float(t.pvalue),
    )
    rows = i.good.notna()
    n_used = int(used[rows].sum())
    state = 100.0 * int((ops[rows] == 3).sum().sum()) / n_used
    return [first, claim([{"value": state, "n": n_used}], None, state < RARE)]


def findings(df: pd.DataFrame) -> dict[str, list[dict]]:
    i = Ind(df)
    yes_no = lambda s: s.map({True: 0, False: 1})  # noqa: E731
    breadth_class = i.breadth.clip(upper=4)
    goals = [n for n in names("top3_")]
    lead3 = ["top3_effizienz", "top3_buergernaehe", "top3_leistungsangebot"]
    links = ["anknuepfung_it_strategie", "anknuepfung_gesamtstrategie"]
    not_topic = cochran_armitage((i.status != 4).where(i.status.notna()), df)
    for g in not_topic["groups"]:
        g["value"] = 100.0 - g["value"]
    return {
        "size_strategy": [cochran_armitage(i.has.where(i.status.notna()), df), not_topic],
        "size_egov": [cochran_armitage(i.good, df)],
        "size_community": [cochran_armitage(i.engaged, df)],
        "goal_ranking_top3": [ranking(df, i, lead3, [g for g in goals if g not in lead3])],
        "strategy_links_ranking": [
            ranking(df, i, links, ["anknuepfung_entwicklungskonzept", "anknuepfung_bund_land", "anknuepfung_keine"])
        ],
        "strategy_data_use": [two_means(i.breadth, i.has, i.without)],
        "egov_community_no_data_effect": [
            no_association(yes_no(i.good), breadth_class),
            no_association(yes_no(i.engaged), breadth_class),
        ],
        "strategy_training": [two_means(i.topics, i.has, i.without)],
        "chefsache_strategy": [two_shares(i.chefsache, i.has, i.without)],
        "fibre_independent_of_grade": [no_association(yes_no(i.fibre), i.grade)],
        "egov_independent_of_infrastructure": [
            no_association(yes_no(i.good), i.grade),
            no_association(yes_no(i.good), yes_no(i.fibre)),
        ],
        "community_better_infrastructure": [
            two_shares((i.grade <= 2).where(i.grade.notna()), i.engaged == True, i.engaged == False)  # noqa: E712
        ],
        "egov_operated_in_house": in_house(df, i),
    }


# ------------------------------------------------------------------ comparison


def same(a, b, rel=1e-6, abs_=1e-9) -> bool:
    nan = lambda v: v is None or (isinstance(v, float) and math.isnan(v))  # noqa: E731
    if nan(a) or nan(b):
        return nan(a) and nan(b)
    return abs(a - b) <= max(abs_, rel * abs(b))


def compare(path: Path, typfrage: str) -> list[str]:
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run(
            [typfrage, "figures", str(path), "--format", "json", "--out", out],
            capture_output=True,
            text=True,
        )
    if run.returncode not in (0, 3):
        return [f"typfrage figures exited {run.returncode}: {run.stderr.strip()}"]
    doc = json.loads(run.stdout)
    df = load(path)
    problems = []
    mine = figures(df)
    published = {f["id"]: f for f in PUBLISHED["figure"]}
    theirs = {f["id"]: f for f in doc["figures"]}
    for fid, fig in published.items():
        t = theirs.get(fid)
        if t is None or t["computed"] is None:
            problems.append(f"{fid}: typfrage computed nothing")
            continue
        parts = mine[fid]
        if len(parts) != len(t["computed"]):
            problems.append(f"{fid}: {len(parts)} parts here, {len(t['computed'])} in typfrage")
            continue
        for m, c in zip(parts, t["computed"]):
            if not same(m["value"], c["value"], rel=1e-12, abs_=1e-9) or m["n"] != c["base_n"]:
                problems.append(f"{fid}: {m['value']:.6f} on n = {m['n']} here, {c['value']} on n = {c['base_n']} in typfrage")
        if any(p["n"] == 0 for p in parts):
            want = "NOT computed"
        else:
            want = "reproduced" if all(figure_holds(fig, p["value"]) for p in parts) else "NOT reproduced"
        if t["verdict"] != want:
            problems.append(f"{fid}: verdict '{want}' here, '{t['verdict']}' in typfrage")
    mine_f = findings(df)
    theirs_f = {f["id"]: f for f in doc["findings"]}
    for fid in (f["id"] for f in PUBLISHED["finding"]):
        t, m = theirs_f[fid], mine_f[fid]
        if len(t["claims"]) != len(m):
            problems.append(f"{fid}: {len(m)} claims here, {len(t['claims'])} in typfrage")
            continue
        for k, (mc, tc) in enumerate(zip(m, t["claims"])):
            where = f"{fid} claim {k + 1}"
            if len(mc["groups"]) != len(tc["groups"]):
                problems.append(f"{where}: {len(mc['groups'])} groups here, {len(tc['groups'])} in typfrage")
                continue
            for mg, tg in zip(mc["groups"], tc["groups"]):
                if mg["n"] != tg["n"] or ("value" in mg and not same(mg["value"], tg["value"], rel=1e-12)):
                    problems.append(f"{where}: group {mg} here, {tg} in typfrage")
            if not same(mc["p"], tc["p_value"], rel=1e-6, abs_=1e-10):
                problems.append(f"{where}: p = {mc['p']} here, {tc['p_value']} in typfrage")
            if "v" in mc and not (same(mc["v"], tc["cramers_v"]) and same(mc["v_upper"], tc["cramers_v_upper"], rel=1e-6)):
                problems.append(f"{where}: V {mc['v']}, upper {mc['v_upper']} here, {tc['cramers_v']}, {tc['cramers_v_upper']} in typfrage")
            if mc["holds"] != tc["holds"]:
                problems.append(f"{where}: holds {mc['holds']} here, {tc['holds']} in typfrage")
        want = "reproduced" if all(c["holds"] for c in m) else "NOT reproduced"
        if t["verdict"] != want:
            problems.append(f"{fid}: verdict '{want}' here, '{t['verdict']}' in typfrage")
    return problems


# ------------------------------------------------------------------ perturbed copies


def perturbed(path: Path, folder: Path) -> list[Path]:
    rng = np.random.default_rng(2019)
    lines = path.read_text(encoding="utf-8").splitlines()
    head = [ln for ln in lines if ln.startswith("#")]
    raw = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
    out = []

    def write(name: str, frame: pd.DataFrame):
        p = folder / name
        p.write_text("\n".join(head + [frame.to_csv(index=False, lineterminator="\n").rstrip("\n")]) + "\n", encoding="utf-8")
        out.append(p)

    # 80 random municipalities leave one of the two leadership questions unanswered
    f = raw.copy()
    for row in rng.choice(len(f), 80, replace=False):
        area = ["verwaltung", "gemeinschaft"][rng.integers(2)]
        f.loc[row, LEAD[area]] = "-9"
    write("blank-leadership.csv", f)
    # municipalities developing a strategy leave the training question unanswered
    f = raw.copy()
    f.loc[f["strategie_status"] == "2", TRAINING] = "-9"
    write("blank-training-developing.csv", f)
    # 30 developing municipalities become "not a topic"; their follow-ups are routed past
    f = raw.copy()
    routed = [c for c in f.columns if c.startswith(("feld_", "anknuepfung_", "top3_"))]
    dev = f.index[f["strategie_status"] == "2"]
    for row in rng.choice(dev, 30, replace=False):
        f.loc[row, "strategie_status"] = "4"
        f.loc[row, routed] = "-8"
    write("developing-to-not-a-topic.csv", f)
    # 3 % of the answered cells of questions that route no other question are blanked
    f = raw.copy()
    routing = {v["asked_if"]["variable"] for v in CODEBOOK["variable"] if "asked_if" in v}
    skip = {"id", "bundesland", "gebietskoerperschaft", "einwohner", "groessenklasse", "gewicht"} | routing
    cols = [c for c in f.columns if c not in skip]
    cells = [(r, c) for c in cols for r in f.index[~f[c].isin(["", "-8", "-9"])]]
    for k in rng.choice(len(cells), int(0.03 * len(cells)), replace=False):
        r, c = cells[k]
        f.loc[r, c] = "-9"
    write("blank-3-percent.csv", f)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--typfrage", default=str(ROOT / "target/debug/typfrage"))
    ap.add_argument("--perturb", action="store_true", help="also check perturbed copies of the first file")
    a = ap.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        files = list(a.files) + (perturbed(a.files[0], Path(tmp)) if a.perturb else [])
        for path in files:
            problems = compare(path, a.typfrage)
            n_fig, n_find = len(PUBLISHED["figure"]), len(PUBLISHED["finding"])
            if problems:
                failed = True
                print(f"{path.name}: {len(problems)} disagreements with typfrage figures")
                for p in problems:
                    print(f"  {p}")
            else:
                print(f"{path.name}: all {n_fig} figures and {n_find} findings agree (values, bases, p-values, verdicts)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
