#!/usr/bin/env bash
# Checks that typfrage's description of the types is FactoMineR's catdes: runs
# `typfrage cluster --report` on a survey file and compares every row of characteristics.csv and
# eta2.csv with catdes(..., proba = 1) on the same partition, variable by variable on the
# municipalities that answered it (tests/reference/catdes_against_r.R). Skips (exit 0, saying so)
# when Rscript or FactoMineR is not installed (apt-get install r-cran-factominer). Usage, from
# the repository root:
#
#   bash tests/reference/check_catdes_against_r.sh [TYPFRAGE_BINARY] [SURVEY ...]
#
# Defaults: target/debug/typfrage; data/survey.csv, and the same rows in a seeded shuffled order.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(realpath "${1:-$root/target/debug/typfrage}")
shift || true
if ! command -v Rscript >/dev/null || ! Rscript -e 'library(FactoMineR)' >/dev/null 2>&1; then
    echo "check_catdes_against_r.sh: Rscript with FactoMineR not found (apt-get install r-cran-factominer); skipped"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ $# -eq 0 ]; then
    src="$root/data/survey.csv"
    grep '^#' "$src" >"$work/preamble"
    grep -v '^#' "$src" >"$work/body"
    header=$(head -1 "$work/body")
    { cat "$work/preamble"; echo "$header"; tail -n +2 "$work/body" | shuf --random-source=<(yes 2019); } >"$work/shuffled.csv"
    set -- "$src" "$work/shuffled.csv"
fi
for survey in "$@"; do
    name=$(basename "$survey" .csv)
    "$bin" --lang en cluster "$survey" --report --out "$work/$name" >/dev/null
    Rscript "$root/tests/reference/catdes_against_r.R" "$survey" "$work/$name"
done
