#!/usr/bin/env bash
# The whole local path, in the order the README's kind walkthrough gives:
# create the cluster, synthesize, bootstrap, wait for readiness, smoke-check; `--down` tears it down after.
# UNVERIFIED ON A REAL CLUSTER (see scripts/lib.sh).
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
need npm
"$ROOT/scripts/kind-up.sh"
(cd "$ROOT" && npm run --silent synth -- kind --out "$OUT")
"$ROOT/scripts/bootstrap.sh" kind
"$ROOT/scripts/wait-ready.sh" kind
"$ROOT/scripts/smoke.sh" kind
if [[ "${1:-}" == --down ]]; then "$ROOT/scripts/kind-down.sh"; fi
