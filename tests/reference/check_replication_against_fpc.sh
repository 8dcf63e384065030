#!/usr/bin/env bash
# Checks that typfrage's prediction strength is fpc's: runs `typfrage replicate` on the shipped data
# and compares every k's mean prediction strength with R's
# fpc::prediction.strength(x, Gmin = 2, Gmax = 8, M, clustermethod = kmeansCBI) on the same rows,
# within the sampling spread of both (3 standard errors), and the k the rule "largest k with
# prediction strength above 0.8" picks (tests/reference/replication_against_fpc.R). Skips (exit 0,
# saying so) when Rscript or fpc is not installed (apt-get install r-cran-fpc). Usage, from the
# repository root:
#
#   bash tests/reference/check_replication_against_fpc.sh [TYPFRAGE_BINARY] [SURVEY]
#
# Defaults: target/debug/typfrage, data/survey.csv. Splits: 40 each (about 30 s for both on two
# cores with the debug binary); set SPLITS to change.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(realpath "${1:-$root/target/debug/typfrage}")
survey=${2:-$root/data/survey.csv}
splits=${SPLITS:-40}
if ! command -v Rscript >/dev/null || ! Rscript -e 'library(fpc)' >/dev/null 2>&1; then
    echo "check_replication_against_fpc.sh: Rscript or R's fpc not found (apt-get install r-cran-fpc); skipped"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" --lang en replicate "$survey" --splits "$splits" --n-init 10 --out "$work/rep" >/dev/null
Rscript "$root/tests/reference/replication_against_fpc.R" "$survey" "$work/rep/validation.csv" "$splits" "$splits"
