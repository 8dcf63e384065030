"""Checks typfrage's tables where analysts open them (run by scripts/check-tables.sh).

  check_tables.py pandas RFC_DIR DE_DIR
      every CSV below DE_DIR (written with --csv excel-de) read by pandas with sep=';',
      decimal=',' (and the BOM as encoding utf-8-sig) is the same table as the CSV of the same
      name below RFC_DIR (the default style) read by pandas with its defaults.

  check_tables.py calc DIR WORKBOOK.xlsx CONVERTED_DIR
      the sheets of WORKBOOK as LibreOffice Calc exported them into CONVERTED_DIR (one CSV per
      sheet, text quoted, numbers not) hold the cells of the CSV files below DIR that the
      workbook's first sheet names: text equal, numbers equal (and unquoted: numbers as numbers;
      a percent cell is compared in points).
"""

import csv
import math
import sys
from pathlib import Path


def csv_files(root):
    return sorted(p.relative_to(root) for p in Path(root).rglob("*.csv"))


def check_pandas(rfc_dir, de_dir):
    import pandas as pd

    files = csv_files(rfc_dir)
    assert files == csv_files(de_dir), "the two runs wrote different CSV files"
    for rel in files:
        a = pd.read_csv(Path(rfc_dir) / rel)
        b = pd.read_csv(Path(de_dir) / rel, sep=";", decimal=",", encoding="utf-8-sig")
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=str(rel))
    print(f"pandas: {len(files)} German-Excel CSV files read as the same tables as the default CSVs")


def calc_rows(path):
    """Rows of a CSV exported by Calc: each field as (text, quoted)."""
    text = Path(path).read_text(encoding="utf-8")
    rows, row, field, quoted, i = [], [], [], False, 0
    in_quotes = False
    while i < len(text):
        ch = text[i]
        if in_quotes:
            if ch == '"' and text[i + 1 : i + 2] == '"':
                field.append('"')
                i += 1
            elif ch == '"':
                in_quotes = False
            else:
                field.append(ch)
        elif ch == '"':
            in_quotes, quoted = True, True
        elif ch == ",":
            row.append(("".join(field), quoted))
            field, quoted = [], False
        elif ch == "\n" or (ch == "\r" and text[i + 1 : i + 2] == "\n"):
            if ch == "\r":
                i += 1
            row.append(("".join(field), quoted))
            rows.append(row)
            row, field, quoted = [], [], False
        else:
            field.append(ch)
        i += 1
    if field or row:
        row.append(("".join(field), quoted))
        rows.append(row)
    return rows


def check_calc(out_dir, workbook, converted):
    stem = Path(workbook).stem
    about = calc_rows(Path(converted) / f"{stem}-about.csv")
    mirrored = [(r[0][0].split(": ", 1)[1], r[2][0]) for r in about[1:] if len(r) > 2 and r[2][0]]
    assert mirrored, "the first sheet names the CSV files"
    cells = numbers = 0
    for sheet, rel in mirrored:
        got = calc_rows(Path(converted) / f"{stem}-{sheet}.csv")
        with open(Path(out_dir) / rel, newline="", encoding="utf-8") as f:
            want = list(csv.reader(f))
        assert len(got) == len(want), f"{sheet}: {len(got)} rows vs {len(want)} in {rel}"
        header = want[0]
        for r, (g, w) in enumerate(zip(got, want)):
            g = g + [("", False)] * (len(w) - len(g))
            for c, ((text, quoted), expected) in enumerate(zip(g, w)):
                at = f"{stem}.xlsx sheet {sheet}, row {r + 1}, column {header[c]}"
                cells += 1
                if quoted or text == "":
                    assert text == expected, f"{at}: '{text}' vs '{expected}' in {rel}"
                    continue
                numbers += 1
                value = float(text[:-1]) if text.endswith("%") else float(text)
                expected = float(expected)
                assert math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-9), (
                    f"{at}: {text} vs {expected} in {rel}"
                )
    assert numbers > 0
    print(f"LibreOffice Calc: {stem}.xlsx, {len(mirrored)} sheets, {cells} cells equal to the CSVs ({numbers} numbers)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["pandas"] and len(sys.argv) == 4:
        check_pandas(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["calc"] and len(sys.argv) == 5:
        check_calc(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
