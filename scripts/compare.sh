#!/usr/bin/env bash
# Builds every strategy and the harness in release mode, then runs `harness compare` with the
# arguments given (see `target/release/harness compare --help`). A full run (no --quick, no
# --out) also refreshes the results section of docs/results.md from the new results folder.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --workspace --bins --quiet
# Where cargo put them: honours CARGO_TARGET_DIR and build.target-dir.
target=$(scripts/target-dir.sh)
extra=()
case " $* " in
  *" --quick "*|*" --out"*|*" -h "*|*" --help "*) ;;
  *) extra=(--readme docs/results.md) ;;
esac
exec "$target/release/harness" compare "${extra[@]}" "$@"
