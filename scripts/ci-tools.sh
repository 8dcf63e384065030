#!/usr/bin/env bash
# Installs what CI's checks need beside Rust, each only if missing: Debian's chromium and
# poppler-utils (scripts/check-report-in-browser.sh), libreoffice-calc-nogui
# (scripts/check-tables.sh) and R (r-base-core: the Ward check against hclust,
# tests/reference/check_ward_against_r.sh; r-cran-factominer: the catdes check,
# tests/reference/check_catdes_against_r.sh; r-cran-fpc: the prediction-strength check,
# tests/reference/check_replication_against_fpc.sh) in one apt-get install; the checks' Python environment
# (scripts/python-env.sh); playwright-core for the browser checks (into target/browser-check).
# PSPP is not installed: scripts/check-save-into.sh reads the copies with PSPP only where it is.
# Usage: scripts/ci-tools.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
command -v chromium >/dev/null || packages+=(chromium fonts-liberation)
command -v pdftoppm >/dev/null || packages+=(poppler-utils)
command -v soffice >/dev/null || packages+=(libreoffice-calc-nogui)
command -v Rscript >/dev/null || packages+=(r-base-core)
# FactoMineR for the catdes check (tests/reference/check_catdes_against_r.sh)
Rscript -e 'library(FactoMineR)' >/dev/null 2>&1 || packages+=(r-cran-factominer)
# fpc: the prediction-strength check (tests/reference/check_replication_against_fpc.sh)
{ command -v Rscript >/dev/null && Rscript -e 'library(fpc)' >/dev/null 2>&1; } || packages+=(r-cran-fpc)
if [ ${#packages[@]} -gt 0 ]; then
  echo "apt-get install ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${packages[@]}" >/dev/null
fi

echo "Python environment: $(bash scripts/python-env.sh)"

tools=target/browser-check
if [ ! -d "$tools/node_modules/playwright-core" ]; then
  mkdir -p "$tools"
  (cd "$tools" && npm install --silent --no-audit --no-fund playwright-core@1 >/dev/null)
fi
echo "playwright-core in $tools"
