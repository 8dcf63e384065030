#!/usr/bin/env bash
# Runs every command on the shipped data, in German and in English, into one folder, so that two
# builds can be compared byte for byte: a change that should not alter any output is checked by
#
#   bash scripts/outputs-on-shipped-data.sh OLD_BINARY /tmp/before
#   bash scripts/outputs-on-shipped-data.sh NEW_BINARY /tmp/after
#   diff -r /tmp/before /tmp/after
#
# Each command's console text (stdout and stderr) and exit status are kept beside its files
# (console/NAME.txt). Paths are relative to the output folder, so two folders compare cleanly.
set -uo pipefail

bin=$(realpath "${1:?usage: outputs-on-shipped-data.sh TYPFRAGE_BINARY OUT_DIR}")
out=${2:?usage: outputs-on-shipped-data.sh TYPFRAGE_BINARY OUT_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)

rm -rf "$out"
mkdir -p "$out/console"
out=$(realpath "$out")
cp "$root/data/survey.csv" "$out/survey.csv"
cp "$root/tests/fixtures/formats/survey-pspp.sav" "$out/survey-pspp.sav"
cd "$out" || exit 1
export RAYON_NUM_THREADS=2

run() {
    local name=$1
    shift
    { "$bin" "$@"; echo "exit $?"; } >"console/$name.txt" 2>&1
}

for lang in de en; do
    run "validate-$lang" validate survey.csv
    run "cluster-$lang" cluster survey.csv --report --lang "$lang" --out "cluster-$lang"
    run "cluster-excel-$lang" cluster survey.csv --lang "$lang" --csv excel-de --svg --out "cluster-excel-$lang" --report
    run "cluster-ward-$lang" cluster survey.csv --start ward --lang "$lang" --out "cluster-ward-$lang"
    run "cluster-weighted-$lang" cluster survey.csv --weight gewicht --report --lang "$lang" --out "cluster-weighted-$lang"
    run "profile-$lang" profile survey.csv --lang "$lang" --out "profile-$lang"
    run "figures-$lang" figures survey.csv --lang "$lang" --out "figures-$lang"
    run "figures-md-$lang" figures survey.csv --lang "$lang" --format md --out "figures-md-$lang"
    run "figures-json-$lang" figures survey.csv --lang "$lang" --format json --out "figures-json-$lang"
    run "choose-k-$lang" choose-k survey.csv --lang "$lang" --out "choose-k-$lang"
    run "stability-$lang" stability survey.csv --resamples 50 --lang "$lang" --out "stability-$lang"
    run "hierarchy-$lang" hierarchy survey.csv --lang "$lang" --out "hierarchy-$lang"
    run "mixture-$lang" mixture survey.csv --lang "$lang" --out "mixture-$lang"
    run "response-style-$lang" response-style survey.csv --lang "$lang" --out "response-style-$lang"
    run "classify-$lang" classify "cluster-$lang/model.json" survey.csv --previous "cluster-$lang/assignments.csv" --lang "$lang" --out "classified-$lang.csv"
    run "feedback-$lang" feedback "cluster-$lang/model.json" survey.csv --lang "$lang" --out "feedback-$lang"
    run "position-$lang" position "cluster-$lang/model.json" --from survey.csv --id "$(grep -v '^#' survey.csv | sed -n 2p | cut -d, -f1)" --survey survey.csv --lang "$lang" --out "position-$lang.html"
    ratings=$(python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["variables"]; print(" ".join(f"--rating {n}={r}" for n, r in zip(v, [5,4,5,3,2,2,3,3,4,3,2])))' "cluster-$lang/model.json")
    # shellcheck disable=SC2086
    run "position-md-$lang" position "cluster-$lang/model.json" $ratings --lang "$lang" --out "position-$lang.md"
    run "selfcheck-$lang" selfcheck "cluster-$lang/model.json" --lang "$lang" --out "selfcheck-$lang.html"
    run "chart-$lang" chart "cluster-$lang/charts/type-sizes.json" --out "chart-redrawn-$lang.svg"
    run "verify-$lang" verify "cluster-$lang/manifest.json"
done
run codebook codebook survey-pspp.sav --out codebook-draft.toml
run export export survey.csv --out survey.parquet
run save-into cluster survey.csv --out cluster-save --save-into survey-with-types.csv
run synth synth --rows 412 --seed 2019 --out synth.csv --types-out synth-types.csv
exit 0
