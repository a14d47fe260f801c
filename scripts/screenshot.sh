#!/usr/bin/env bash
# Renders a results folder's report page (index.html) with headless Chromium into a PNG: the
# picture of the report in README is made this way, never by hand.
#   scripts/screenshot.sh [RESULTS_FOLDER] [OUT.png]   (default: results/quick/latest, docs/report.png)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-results/quick/latest}
out=${2:-docs/report.png}
if ! command -v chromium >/dev/null; then
  echo "needs chromium (Debian: apt-get install chromium)" >&2
  exit 1
fi
[[ -f $dir/index.html ]] || { echo "no $dir/index.html (run scripts/compare.sh --quick first)" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
tmp="$out.tmp.png"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$profile" \
  --window-size=1280,2600 --force-device-scale-factor=0.6 --screenshot="$tmp" "file://$(realpath "$dir")/index.html" >/dev/null 2>&1
mv "$tmp" "$out"
echo "$out: $(wc -c <"$out") bytes, from $(realpath "$dir")/index.html"
