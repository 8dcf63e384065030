#!/usr/bin/env python3
"""Reads `typfrage export --format parquet` of the shipped survey with pyarrow and pandas, and
compares it with the CSV read by pandas and with the codebook (independently of typfrage):

  - one row per municipality, the identifiers as in the CSV;
  - every coded, count and whole-number variable an integer column whose values are the CSV's,
    with the missing codes (-8 not applicable, -9 no answer) and empty cells as null;
  - codes of five-point scales stored in one byte (int8), the inhabitants in int32;
  - beside each coded variable a `<name>_label` column that pandas reads as a categorical, whose
    categories are the codebook's German labels in code order and whose value in each row is the
    label of that row's code.

Usage: python3 scripts/check_parquet.py [TYPFRAGE_BINARY]   (needs pandas and pyarrow)
"""
import os
import subprocess
import sys
import tempfile
import tomllib

import pandas as pd
import pyarrow.parquet as pq

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "debug", "typfrage")


def main():
    with open(os.path.join(ROOT, "data", "codebook.toml"), "rb") as f:
        book = tomllib.load(f)
    csv = pd.read_csv(os.path.join(ROOT, "data", "survey.csv"), comment="#")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "survey.parquet")
        subprocess.run([BIN, "export", os.path.join(ROOT, "data", "survey.csv"), "--format", "parquet",
                        "--out", out], check=True, capture_output=True)
        table = pq.read_table(out)
        frame = table.to_pandas()
    problems = []
    if len(frame) != len(csv):
        problems.append(f"{len(frame)} rows, the CSV has {len(csv)}")
    if list(frame["id"]) != list(csv["id"]):
        problems.append("the identifiers differ from the CSV's")
    coded_kinds = {"categorical", "ordinal", "binary"}
    for var in book["variable"]:
        name, kind = var["name"], var["kind"]
        if kind in ("identifier", "decimal"):
            continue
        expected = csv[name].where(~csv[name].isin([-8, -9]))
        got = frame[name]
        if not (got.isna() == expected.isna()).all() or not (got[got.notna()].astype("int64") == expected[expected.notna()].astype("int64")).all():
            problems.append(f"{name}: values differ from the CSV")
        if kind not in coded_kinds:
            continue
        labels = frame[f"{name}_label"]
        if not isinstance(labels.dtype, pd.CategoricalDtype):
            problems.append(f"{name}_label: {labels.dtype}, expected a categorical")
            continue
        order = []
        codes = book["scale"][var["scale"]]["codes"]
        for code in codes:
            if code["de"] not in order:
                order.append(code["de"])
        if list(labels.cat.categories) != order:
            problems.append(f"{name}_label: categories {list(labels.cat.categories)}, expected {order}")
        label_of = {c["code"]: c["de"] for c in codes}
        want = expected.map(lambda c: label_of.get(int(c)) if pd.notna(c) else None)
        if [None if pd.isna(x) else x for x in labels] != [None if pd.isna(x) else x for x in want]:
            problems.append(f"{name}_label: labels do not match the codes")
    types = {f.name: str(f.type) for f in table.schema}
    for name, want in [("ziel_effizienz", "int8"), ("einwohner", "int32"), ("gewicht", "double")]:
        if types.get(name) != want:
            problems.append(f"{name}: stored as {types.get(name)}, expected {want}")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"parquet: {len(frame)} rows, {table.num_columns} columns read by pyarrow {__import__('pyarrow').__version__} "
          f"and pandas {pd.__version__}: codes, nulls, widths and labels as in the CSV and the codebook")


if __name__ == "__main__":
    main()
