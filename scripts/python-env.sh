#!/usr/bin/env bash
# The one Python environment of every check (CI's independent figures and Parquet checks,
# scripts/check-tables.sh, scripts/check-save-into.sh): a virtual environment in
# $TYPFRAGE_CI_VENV (default ~/.cache/typfrage-ci-venv, so that it outlives a clone) holding
# pandas, scipy, pyarrow, pyreadstat and openpyxl, made or completed if anything is missing.
# Prints the environment's python on stdout; pip's chatter goes to stderr.
# Usage: python=$(bash scripts/python-env.sh)
set -euo pipefail
venv="${TYPFRAGE_CI_VENV:-$HOME/.cache/typfrage-ci-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
if ! "$venv/bin/python" -c 'import pandas, scipy, pyarrow, pyreadstat, openpyxl' 2>/dev/null; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check pandas scipy pyarrow pyreadstat openpyxl >&2
fi
echo "$venv/bin/python"
