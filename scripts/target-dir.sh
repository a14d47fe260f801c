#!/usr/bin/env bash
# Prints the folder cargo builds into for this workspace (CARGO_TARGET_DIR, build.target-dir
# and the default all respected), as `cargo metadata` reports it. Sourced by the other scripts.
set -euo pipefail
cargo metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'
