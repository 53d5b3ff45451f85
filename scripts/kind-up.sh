#!/usr/bin/env bash
# Creates the kind cluster of the `kind` stack from environments/kind/cluster.yaml
# (1 control plane + 2 workers in two zones; host ports 80/443 reach the Gateway).
# UNVERIFIED ON A REAL CLUSTER (see scripts/lib.sh).
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
need docker kind kubectl

# kindnetd enforces NetworkPolicies from kind v0.24.0 on (kube-network-policies in images/kindnetd);
# older versions would silently ignore every policy this platform renders
KIND_VERSION="$(kind version | sed -E 's/^kind v([0-9.]+).*/\1/')"
version_at_least "$KIND_VERSION" 0.24.0 || die "kind $KIND_VERSION does not enforce NetworkPolicies: install kind >= v0.24.0"

NAME="$(sed -nE 's/^name: *([a-z0-9-]+).*/\1/p' "$ROOT/environments/kind/cluster.yaml")"
if kind get clusters 2>/dev/null | grep -qx "$NAME"; then
  log "kind cluster '$NAME' exists (context kind-$NAME)"
else
  log "creating kind cluster '$NAME'"
  kind create cluster --config "$ROOT/environments/kind/cluster.yaml" --wait 120s
fi
kubectl --context "kind-$NAME" wait --for=condition=Ready nodes --all --timeout=180s
