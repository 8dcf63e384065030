#!/usr/bin/env bash
# Writes the profile report of the shipped data and opens it in headless Chromium: every picture
# must load and decode, the page must log no error, ids must be unique and every in-page link must
# have its target; printed on A4 nothing may be wider than the page, and the PDF Chromium prints
# may have at most MAX_PAGES pages (the shipped data give 43 in German with one cross-tab chart,
# 41 in English; see docs/guide.md), no chart's smallest text may print under 8 pt, and, where pdftoppm is installed, no page but the last may be near
# empty (filled less than a quarter). Installs Debian's chromium and poppler-utils and
# playwright-core (into target/browser-check) if they are missing. The screenshots, PDFs and (with pdftoppm) pictures of
# the PDFs' first pages stay in target/browser-check/reports to be looked at. Then a municipality's
# sheets (position, feedback) printed: one A4 page each, chart across the page, no text under 8 pt.
# Usage: scripts/check-report-in-browser.sh [TYPFRAGE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/typfrage}

if ! command -v chromium >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
fi
# pdftoppm (Debian's poppler-utils) draws the PDFs' pages for the near-empty-page check
if ! command -v pdftoppm >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q poppler-utils >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q poppler-utils >/dev/null; } || echo "poppler-utils could not be installed: the near-empty-page check is skipped"
fi
tools=target/browser-check
if [ ! -d "$tools/node_modules/playwright-core" ]; then
  mkdir -p "$tools"
  (cd "$tools" && npm install --silent --no-audit --no-fund playwright-core@1 >/dev/null)
fi

# the reports and the browser's screenshots stay in target/browser-check/reports for a look
out=$tools/reports
rm -rf "$out"
"$bin" profile data/survey.csv --out "$out/de" --lang de --crosstab strategie_status >/dev/null
"$bin" profile data/survey.csv --out "$out/en" --lang en --n-init 10 >/dev/null
# run beside node_modules so that the import of playwright-core resolves
cp scripts/check-report-in-browser.mjs "$tools/check.mjs"
node "$tools/check.mjs" --max-pages "${MAX_PAGES:-45}" "$out/de/report.html" "$out/en/report.html"
if command -v pdftoppm >/dev/null; then
  for lang in de en; do pdftoppm -png -r 60 -f 1 -l 3 "$out/$lang/report.pdf" "$out/$lang/report-page"; done
  # no page but the last near empty (scripts/check-pdf-fill.mjs)
  node scripts/check-pdf-fill.mjs "$out/de/report.pdf" "$out/en/report.pdf"
fi

# a municipality's sheets as it receives them: `position` (from the survey, and from ratings given
# on the command line, the issue 28 example) and every sheet `feedback` writes, in German and
# English: each prints on one A4 page, its chart across the page, no text under 8 pt
# (scripts/check-sheets-in-browser.mjs); the first sheet of each is drawn as a PNG to look at
cp scripts/check-sheets-in-browser.mjs "$tools/check-sheets.mjs"
sheets=()
for lang in de en; do
  model="$out/$lang/model.json"
  mkdir -p "$out/sheets-$lang"
  first=$(grep -v '^#' data/survey.csv | sed -n 2p | cut -d, -f1)
  "$bin" position "$model" --from data/survey.csv --id "$first" --survey data/survey.csv --lang "$lang" --out "$out/sheets-$lang/position.html" >/dev/null
  ratings=$(python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["variables"]; print(" ".join(f"--rating {n}={r}" for n, r in zip(v, [5,4,5,3,2,2,3,3,4,3,2])))' "$model")
  # shellcheck disable=SC2086
  "$bin" position "$model" --id Musterstadt $ratings --survey data/survey.csv --lang "$lang" --out "$out/sheets-$lang/ratings.html" >/dev/null
  "$bin" feedback "$model" data/survey.csv --lang "$lang" --out "$out/feedback-$lang" >/dev/null
  sheets+=("$out/sheets-$lang/position.html" "$out/sheets-$lang/ratings.html" "$out/feedback-$lang")
done
node "$tools/check-sheets.mjs" "${sheets[@]}"
if command -v pdftoppm >/dev/null; then
  for lang in de en; do
    for sheet in position ratings; do pdftoppm -png -r 70 "$out/sheets-$lang/$sheet.pdf" "$out/sheets-$lang/$sheet-print"; done
  done
fi

# the self-check page against classify: every municipality of the shipped survey by its address, a
# sample by filling the form, vectors exactly on a tie and with an unanswered goal; no network;
# prints (scripts/check-selfcheck-in-browser.mjs)
cp scripts/check-selfcheck-in-browser.mjs "$tools/check-selfcheck.mjs"
node "$tools/check-selfcheck.mjs" "$(realpath "$bin")" data/survey.csv "$(realpath "$out")/selfcheck"
