#!/usr/bin/env bash
# Checks `typfrage cluster --mixture`'s posterior column against R's mclust on the shipped survey
# (tests/reference/posterior_against_mclust.R: the same best model with as many components as
# types, each municipality's posterior of its type's component to 1e-4). Skips (exit 0, saying so)
# when Rscript or mclust is not installed (apt-get install r-base-core r-cran-mclust). Usage, from
# the repository root:
#
#   bash tests/reference/check_posterior_against_mclust.sh [TYPFRAGE_BINARY] [SURVEY]
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(realpath "${1:-$root/target/debug/typfrage}")
survey=$(realpath "${2:-$root/data/survey.csv}")
if ! command -v Rscript >/dev/null || ! Rscript -e 'library(mclust)' >/dev/null 2>&1; then
    echo "check_posterior_against_mclust.sh: Rscript or mclust not found (apt-get install r-base-core r-cran-mclust); skipped"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" --lang en cluster "$survey" --mixture --out "$work/c" >/dev/null 2>&1
Rscript "$root/tests/reference/posterior_against_mclust.R" "$survey" "$work/c/assignments.csv"
