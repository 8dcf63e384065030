#!/usr/bin/env bash
# Reads back what `cluster --save-into` writes with tools that are not typfrage: the SPSS copies
# (from the PSPP and the ReadStat fixtures) with ReadStat (pyreadstat) and, when installed, PSPP;
# the workbook copy with openpyxl. Checks that every original variable and value is unchanged and
# that typ (with value labels naming the types), typ_abstand and typ_marge match assignments.csv.
# pyreadstat, pandas and openpyxl come from the checks' Python environment (scripts/python-env.sh).
# Usage: scripts/check-save-into.sh [TYPFRAGE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/typfrage}

work=target/save-into-check
out=$work/out
rm -rf "$out"
mkdir -p "$out"
fixtures=tests/fixtures/formats
for f in survey-pspp.sav survey-readstat.sav survey-pspp.zsav survey-openpyxl.xlsx; do
  stem=${f%.*}-$(echo "${f##*.}")
  ext=sav
  [ "${f##*.}" = xlsx ] && ext=xlsx
  "$bin" cluster "$fixtures/$f" --lang de --out "$out/$stem" --save-into "$out/$stem-copy.$ext" >/dev/null
done

python=$(bash scripts/python-env.sh)
"$python" - "$out" "$fixtures" <<'PY'
import math, sys
import pandas as pd, pyreadstat
out, fixtures = sys.argv[1], sys.argv[2]
def check(original, copy, assignments, labels_of):
    new = ["typ", "typ_abstand", "typ_marge"]
    assert list(copy.columns[: len(original.columns)]) == list(original.columns), "columns changed"
    assert list(copy.columns[len(original.columns):])[:1] == ["typ"], list(copy.columns)
    pd.testing.assert_frame_equal(copy[original.columns], original, check_dtype=False)
    a = pd.read_csv(assignments)
    names = labels_of()
    for i, row in a.iterrows():
        if pd.isna(row["type"]):
            assert pd.isna(copy["typ"][i]), i
            continue
        own = row[f"distance_{row['type']}"]
        assert names[copy["typ"][i]] == row["type_name"], (i, names, row["type_name"])
        assert math.isclose(copy["typ_abstand"][i], own, abs_tol=1e-6), (i, own)
        assert math.isclose(copy["typ_marge"][i], row["margin"], abs_tol=1e-6), i
for f in ["survey-pspp.sav", "survey-readstat.sav", "survey-pspp.zsav"]:
    stem = f.replace(".", "-")
    original, _ = pyreadstat.read_sav(f"{fixtures}/{f}", user_missing=True)
    copy, meta = pyreadstat.read_sav(f"{out}/{stem}-copy.sav", user_missing=True)
    check(original, copy, f"{out}/{stem}/assignments.csv", lambda: meta.variable_value_labels["typ"])
    assert meta.column_names_to_labels["typ_abstand"].startswith("Abstand"), meta.column_names_to_labels
    print("ReadStat reads", f"{stem}-copy.sav", "with typ, typ_abstand, typ_marge and the type labels")
original = pd.read_excel(f"{fixtures}/survey-openpyxl.xlsx", header=3)
copy = pd.read_excel(f"{out}/survey-openpyxl-xlsx-copy.xlsx", header=3)
check(original, copy.drop(columns=["typ_name"]), f"{out}/survey-openpyxl-xlsx/assignments.csv",
      lambda: dict(zip(copy["typ"], copy["typ_name"])))
print("openpyxl reads survey-openpyxl-xlsx-copy.xlsx with the three columns")
PY
if command -v pspp-convert >/dev/null; then
  pspp-convert "$out/survey-pspp-sav-copy.sav" "$out/pspp-back.csv"
  head -1 "$out/pspp-back.csv" | grep -q ',typ,typ_abstand,typ_marge$'
  echo "PSPP reads survey-pspp-sav-copy.sav with the new variables"
fi
