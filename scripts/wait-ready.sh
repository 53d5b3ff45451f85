#!/usr/bin/env bash
# Waits until the stack's apps are rolled out: every Deployment Available, every StatefulSet rolled out.
# Usage: scripts/wait-ready.sh <stack>
# UNVERIFIED ON A REAL CLUSTER (see scripts/lib.sh).
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
need kubectl
load_stack "${1:?usage: scripts/wait-ready.sh <stack>}"

for ns in $APP_NAMESPACES; do
  log "waiting for the workloads in $ns"
  # a namespace may run only CronJobs: `kubectl wait --all` fails when nothing matches
  if [[ -n "$("${KUBECTL[@]}" -n "$ns" get deployments -o name)" ]]; then
    "${KUBECTL[@]}" -n "$ns" wait deployment --all --for=condition=Available --timeout=10m
  fi
  for sts in $("${KUBECTL[@]}" -n "$ns" get statefulsets -o name); do
    "${KUBECTL[@]}" -n "$ns" rollout status "$sts" --timeout=10m
  done
done
