#!/usr/bin/env bash
# Opens typfrage's tables where analysts open them: writes `cluster --report` and `figures` on the
# shipped data in both CSV styles, reads every German-Excel CSV with pandas (sep=';', decimal=',')
# and compares it with the default CSV, then converts both workbooks (types.xlsx, figures.xlsx)
# with headless LibreOffice Calc and compares every sheet that mirrors a CSV with that CSV, numbers
# as numbers. Installs Debian's libreoffice-calc-nogui if soffice is missing; pandas comes from the
# checks' Python environment (scripts/python-env.sh). In English: a German workbook names its sheets
# and columns in German (tests/it/tables.rs checks that one).
# Usage: scripts/check-tables.sh [TYPFRAGE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/typfrage}

work=target/tables-check
out=$work/out
rm -rf "$out"
mkdir -p "$out"
for style in rfc4180 excel-de; do
  "$bin" --lang en cluster data/survey.csv --report --csv "$style" --out "$out/$style" >/dev/null
  "$bin" --lang en figures data/survey.csv --csv "$style" --out "$out/$style/figures" >/dev/null
done

python=$(bash scripts/python-env.sh)
"$python" scripts/check_tables.py pandas "$out/rfc4180" "$out/excel-de"

if ! command -v soffice >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends libreoffice-calc-nogui >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends libreoffice-calc-nogui >/dev/null; }
fi
# every sheet as its own CSV (the last field, -1), UTF-8 (76), text quoted and numbers not (true),
# the stored values rather than as shown (false)
filter='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true,false,false,false,-1'
for book in "$out/rfc4180/types.xlsx" "$out/rfc4180/figures/figures.xlsx"; do
  converted=$out/calc/$(basename "$book" .xlsx)
  mkdir -p "$converted"
  soffice --headless --convert-to "$filter" --outdir "$converted" "$book" >/dev/null 2>&1
  python3 scripts/check_tables.py calc "$(dirname "$book")" "$book" "$converted"
done
