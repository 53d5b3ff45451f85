#!/usr/bin/env bash
# Shared helpers of the scripts in this folder (sourced, not run).
# UNVERIFIED ON A REAL CLUSTER: these scripts were written and statically checked (bash -n and
# the ShellCheck linter) where no cluster, Docker or Helm repository is reachable. Run them, and report.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${OUT:-$ROOT/dist}"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# need CMD...: fail early when a tool is missing
need() {
  local c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || die "'$c' is required but not installed"; done
}

# retry N SECONDS CMD...: run CMD until it succeeds, at most N times, SECONDS apart
retry() {
  local tries="$1" pause="$2" i
  shift 2
  for ((i = 1; i <= tries; i++)); do
    if "$@"; then return 0; fi
    log "attempt $i/$tries failed: $*"
    sleep "$pause"
  done
  return 1
}

# load_stack STACK: read the bootstrap inputs `npm run synth -- STACK` wrote
load_stack() {
  STACK="$1"
  STACK_DIR="$OUT/$STACK"
  [[ -f "$STACK_DIR/bootstrap/engine.env" ]] || die "$STACK_DIR/bootstrap/engine.env not found: run 'npm run synth -- $STACK' first"
  # shellcheck source=/dev/null
  source "$STACK_DIR/bootstrap/engine.env"
  KUBECTL=(kubectl)
  if [[ -n "${KUBE_CONTEXT:-}" ]]; then KUBECTL+=(--context "$KUBE_CONTEXT"); fi
  HELM=(helm)
  if [[ -n "${KUBE_CONTEXT:-}" ]]; then HELM+=(--kube-context "$KUBE_CONTEXT"); fi
}

# version_at_least HAVE WANT: true when dotted version HAVE >= WANT
version_at_least() {
  [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]
}
