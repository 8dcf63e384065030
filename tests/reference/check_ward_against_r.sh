#!/usr/bin/env bash
# Checks that typfrage's Ward clustering is R's: runs `typfrage hierarchy` and
# `typfrage cluster --start ward` on a survey file and compares every merge, height and cut with
# R's hclust(dist(x), "ward.D2") on the same rows in the order of the file
# (tests/reference/ward_against_r.R). Skips (exit 0, saying so) when Rscript is not installed
# (apt-get install r-base-core). Usage, from the repository root:
#
#   bash tests/reference/check_ward_against_r.sh [TYPFRAGE_BINARY] [SURVEY ...]
#
# Defaults: target/debug/typfrage; data/survey.csv, and the same rows permuted and with every row
# doubled (ties of every kind, patterns with several rows).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(realpath "${1:-$root/target/debug/typfrage}")
shift || true
if ! command -v Rscript >/dev/null; then
    echo "check_ward_against_r.sh: Rscript not found (apt-get install r-base-core); skipped"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ $# -eq 0 ]; then
    src="$root/data/survey.csv"
    grep '^#' "$src" >"$work/preamble"
    grep -v '^#' "$src" >"$work/body"
    header=$(head -1 "$work/body")
    # the shipped rows in a seeded shuffled order, and every row twice (interleaved copies)
    { cat "$work/preamble"; echo "$header"; tail -n +2 "$work/body" | shuf --random-source=<(yes 2019); } >"$work/shuffled.csv"
    { cat "$work/preamble"; echo "$header"; tail -n +2 "$work/body" | awk -F, -v OFS=, '{ print; $1 = $1 "-copy"; print }'; } >"$work/doubled.csv"
    set -- "$src" "$work/shuffled.csv" "$work/doubled.csv"
fi
for survey in "$@"; do
    name=$(basename "$survey" .csv)
    "$bin" --lang en hierarchy "$survey" --out "$work/$name-h" >/dev/null
    "$bin" --lang en cluster "$survey" --start ward --out "$work/$name-c" >/dev/null
    Rscript "$root/tests/reference/ward_against_r.R" "$survey" "$work/$name-h" "$work/$name-c/ward-start.csv"
done
