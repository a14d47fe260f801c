#!/usr/bin/env bash
# Copies the release binaries (harness + every strategy-*) into one folder (default bin-carry/,
# git-ignored) so a machine without a Rust toolchain can run `bin-carry/harness compare ...`:
# the harness finds the strategies next to itself. The copies are stripped of debug lines
# where `strip` exists (a lent machine takes 64 MiB at most: ~130 MB unstripped, ~16 MB stripped).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-bin-carry}
cargo build --release --workspace --bins --quiet
target=$(scripts/target-dir.sh)
mkdir -p "$dest"
find "$target/release" -maxdepth 1 -type f -perm -u+x \( -name harness -o -name caller -o -name 'strategy-*' \) ! -name '*.d' \
  -exec cp {} "$dest/" \;
if command -v strip >/dev/null; then
  strip "$dest"/harness "$dest"/caller "$dest"/strategy-*
fi
ls -l "$dest"
