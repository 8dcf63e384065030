#!/usr/bin/env bash
# Measures what the crafted hostile survey files (tests/survey_limits.rs) cost: for each file and
# each of `validate`, `codebook` (SPSS files) and `cluster`, the peak memory (maximum resident set),
# the wall time and the exit status, as /usr/bin/time -v reports them. Each run is held to 4 GiB of
# address space and 120 s of CPU time, so that a reader that asks for more is stopped, not the
# machine:
#
#   bash scripts/measure-hostile.sh TYPFRAGE_BINARY [FOLDER]
#
# The files are written by the ignored test `write_the_hostile_files` into FOLDER (a temporary
# one when not given).
set -uo pipefail

bin=$(realpath "${1:?usage: measure-hostile.sh TYPFRAGE_BINARY [FOLDER]}")
dir=${2:-$(mktemp -d)}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir"
dir=$(realpath "$dir")
if [ -z "$(ls "$dir" 2>/dev/null)" ]; then
    (cd "$root" && TYPFRAGE_HOSTILE_DIR="$dir" cargo test --quiet --test it -- --ignored survey_limits::write_the_hostile_files >/dev/null)
fi
cd "$dir" || exit 1
export RAYON_NUM_THREADS=2
printf '%-28s %-9s %8s %8s %6s\n' file command "MB" "seconds" exit
for f in *; do
    case $f in *.out|*.toml|*.log) continue ;; esac
    commands="validate cluster"
    case $f in *.sav|*.zsav) commands="validate codebook cluster" ;; esac
    for c in $commands; do
        case $c in
            validate) args=(validate "$f") ;;
            codebook) args=(codebook "$f" --out "$f.toml") ;;
            cluster) args=(cluster "$f" --out "$f.out") ;;
        esac
        rm -rf "$f.out" "$f.toml"
        (ulimit -v $((4 << 20)); ulimit -t 120; /usr/bin/time -v "$bin" "${args[@]}" >"$f.$c.log" 2>&1)
        kb=$(grep 'Maximum resident' "$f.$c.log" | awk '{print $NF}')
        wall=$(grep 'Elapsed (wall' "$f.$c.log" | awk '{print $NF}')
        status=$(grep 'Exit status' "$f.$c.log" | awk '{print $NF}')
        signal=$(grep -o 'Command terminated by signal [0-9]*' "$f.$c.log" | awk '{print "sig" $NF}')
        printf '%-28s %-9s %8d %8s %6s\n' "$f" "$c" $((${kb:-0} / 1024)) "$wall" "${signal:-$status}"
    done
done
