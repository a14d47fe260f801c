#!/usr/bin/env bash
# Copies the release binaries (harness + every strategy-*) into one folder (default bin-carry/,
# git-ignored) so a machine without a Rust toolchain can run `bin-carry/harness compare ...`:
# the harness finds the strategies next to itself.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-bin-carry}
cargo build --release --workspace --bins --quiet
target=$(scripts/target-dir.sh)
mkdir -p "$dest"
find "$target/release" -maxdepth 1 -type f -perm -u+x \( -name harness -o -name 'strategy-*' \) ! -name '*.d' \
  -exec cp {} "$dest/" \;
ls -l "$dest"
