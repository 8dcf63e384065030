#!/usr/bin/env bash
# Everything a municipality receives, in German and in English, as it looks: the position sheet
# and a feedback sheet on screen and printed on A4 (each printed page drawn as a PNG), the
# feedback index and the self-check page on screen, and the console text of `classify` and
# `position`. Made from the shipped stand-in data with headless Chromium and pdftoppm (Debian's
# chromium and poppler-utils), for a person to look at; nothing is compared.
# Usage: scripts/screenshot-municipality-pages.sh [TYPFRAGE_BINARY] [OUT_FOLDER]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-target/debug/typfrage}")
out=${2:-target/screenshots}
rm -rf "$out"
mkdir -p "$out"
out=$(realpath "$out")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" cluster data/survey.csv --certainty --out "$work/model" >/dev/null 2>&1
model=$work/model/model.json
id=SYN-0001

browser() {
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$work/profile" \
    --hide-scrollbars "$@" >/dev/null 2>&1
}

# shot PAGE NAME: the page on screen (1200 px wide) and, with PRINT, printed on A4 and each page drawn
shot() {
  browser --window-size=1200,1700 --screenshot="$out/$2.png" "file://$1"
  if [ "${3:-}" = print ]; then
    browser --no-pdf-header-footer --print-to-pdf="$out/$2-print.pdf" "file://$1"
    pdftoppm -png -r 70 "$out/$2-print.pdf" "$out/$2-print-page"
    echo "$2: printed on $(pdfinfo "$out/$2-print.pdf" | awk '/^Pages:/ {print $2}') A4 page(s)"
  fi
}

for lang in de en; do
  "$bin" --lang "$lang" position "$model" --from data/survey.csv --id "$id" \
    --out "$work/position-$lang.html" >"$out/position-$lang-console.txt" 2>&1
  shot "$work/position-$lang.html" "position-$lang" print
  "$bin" --lang "$lang" classify "$model" data/survey.csv --out "$work/classify-$lang.csv" \
    >"$out/classify-$lang-console.txt" 2>&1
  "$bin" --lang "$lang" feedback "$model" data/survey.csv --out "$work/feedback-$lang" >/dev/null 2>&1
  sheet=$(find "$work/feedback-$lang" -name "*$id*.html" | head -1)
  shot "$sheet" "feedback-$lang-$id" print
  shot "$work/feedback-$lang/index.html" "feedback-$lang-index"
  "$bin" --lang "$lang" selfcheck "$model" --out "$work/selfcheck-$lang.html" >/dev/null 2>&1
  shot "$work/selfcheck-$lang.html" "selfcheck-$lang"
done
ls "$out"
