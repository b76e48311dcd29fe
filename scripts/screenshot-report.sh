#!/usr/bin/env bash
# Test tooling: writes the stewards' page (`padu report html`) and screenshots it in headless
# Chromium, to look at the layout (the lineage graph above all) without a desktop.
#
#   scripts/screenshot-report.sh [HOME] [OUT.png]
#
# HOME: a Padu home folder with a warehouse (default: a fresh one loaded with the ScenarioTests
# pipelines). OUT.png: where the screenshot goes (default: report.png in the work folder).
# WINDOW=1400,3000 makes a taller screenshot (default 1400,1800).
# Installs Debian's chromium with apt-get when it is missing. Prints where the page and the PNG are.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$PATH:/opt/swift/usr/bin"

if ! command -v chromium >/dev/null 2>&1; then
  echo "screenshot-report: installing chromium (apt-get)" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium >/dev/null
fi

swift build --product padu >&2
padu="$(swift build --show-bin-path)/padu"

work="$(mktemp -d "${TMPDIR:-/tmp}/padu-report.XXXXXX")"
if [ $# -ge 1 ] && [ -n "$1" ]; then
  home="$(cd "$1" && pwd)"
else
  home="$work/home"
  echo "screenshot-report: loading the scenario into $home" >&2
  "$padu" run --all --pipelines "$root/Tests/ScenarioTests/Fixtures/scenario/pipelines" --home "$home" >&2
fi
png="${2:-$work/report.png}"
case "$png" in /*) ;; *) png="$PWD/$png" ;; esac

"$padu" report html --out "$work/html" --home "$home" >&2

# --no-sandbox: Chromium refuses to run as root otherwise; the page is our own file.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot="$png" \
  --window-size="${WINDOW:-1400,1800}" "file://$work/html/index.html" >"$work/chromium.log" 2>&1 || true
if [ ! -s "$png" ]; then
  echo "screenshot-report: chromium wrote no screenshot; its output:" >&2
  cat "$work/chromium.log" >&2
  exit 1
fi
echo "page: $work/html/index.html"
echo "screenshot: $png"
