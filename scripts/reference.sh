#!/usr/bin/env bash
# The reference run: every measurement README quotes, from one commit, then README's answers.
#   1. builds the release binaries (a clean tree is required: the results must name a commit);
#   2. harness compare                      → results/<stamp>/            (≈14 min on 2 cores)
#   3. harness compare --units-from (2)     → results/<stamp>/            (the replication run)
#      harness replicate (2) (3)            → (3)/replication.md, docs/results.md's replicate section
#   4. harness capacity                     → results/capacity/<stamp>/   (≈5 min)
#   5. harness memory                       → results/memory/<stamp>/     (≈9 min)
#   6. harness primitives                   → results/primitives/<stamp>/ (≈15 s), docs/primitives.md
#   7. harness answers (2)–(5)              → README.md's answers section
# Run it with nothing else on the machine (no builds, no other benchmarks). Arguments are passed
# to both compares (e.g. --runs 9). SECRETARY_REFERENCE_ALLOW_DIRTY=1 runs on a dirty tree (the
# answers then say the runs are not one reference).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && [ "${SECRETARY_REFERENCE_ALLOW_DIRTY:-0}" != 1 ]; then
  echo "error: the work tree has uncommitted changes: commit them first (the reference run must come from one commit)" >&2
  exit 2
fi
started=$(date +%s)
cargo build --release --workspace --bins --quiet
harness="$(scripts/target-dir.sh)/release/harness"
# The folder a command just wrote: its base's `latest` link.
newest() { echo "$1/$(readlink "$1/latest")"; }
step() { echo; echo "== $* ($(( $(date +%s) - started )) s)"; }
# Runs one harness command: exit 1 (a failed row, a contradicted claim) is reported and the
# reference goes on, so the failure is in its folder; bad input (2) or Ctrl-C (130) stops it.
failed=()
run() {
  local rc=0
  "$harness" "$@" || rc=$?
  case $rc in
    0) ;;
    1) failed+=("harness $1"); echo "note: harness $1 exited 1 (see its folder)" ;;
    *) exit "$rc" ;;
  esac
}

step "compare"
run compare --out results --readme docs/results.md "$@"
first=$(newest results)
step "compare --units-from $first (the replication run)"
run compare --out results --units-from "$first" "$@"
second=$(newest results)
step "replicate $first $second"
run replicate "$first" "$second" --out "$second/replication.md" --readme docs/results.md >/dev/null
step "capacity"
run capacity --out results/capacity
capacity=$(newest results/capacity)
step "memory"
run memory --out results/memory
memory=$(newest results/memory)
step "primitives"
run primitives --out results/primitives --readme docs/primitives.md
step "answers"
run answers --compare "$first" --second "$second" --capacity "$capacity" --memory "$memory" \
  --readme README.md >/dev/null
echo
echo "reference run done in $(( ($(date +%s) - started) / 60 )) min: $first, $second, $capacity, $memory"
if [ ${#failed[@]} -gt 0 ]; then
  echo "exited 1: ${failed[*]}" >&2
  exit 1
fi
