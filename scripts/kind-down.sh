#!/usr/bin/env bash
# Deletes the kind cluster of the `kind` stack.
# UNVERIFIED ON A REAL CLUSTER (see scripts/lib.sh).
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
need kind
NAME="$(sed -nE 's/^name: *([a-z0-9-]+).*/\1/p' "$ROOT/environments/kind/cluster.yaml")"
kind delete cluster --name "$NAME"
