#!/usr/bin/env bash
# Builds helm from its Go module (helm.sh/helm/v4, never a prebuilt binary) into a cache outside the
# repository keyed by version; a second run finds it and does nothing. Prints the binary's path.
# Environment: GROUNDWORK_CACHE (default ~/.cache/k8s-groundwork), HELM_VERSION.
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-4.3.2}"
CACHE="${GROUNDWORK_CACHE:-$HOME/.cache/k8s-groundwork}"
OUT="$CACHE/bin/helm-$HELM_VERSION"

if [[ -x "$OUT/helm" ]]; then
  echo "$OUT/helm"
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "error: Go is required to build helm" >&2; exit 1; }
mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0
cd "$WORK"
go mod init groundwork.local/helm >/dev/null 2>&1
go get "helm.sh/helm/v4@v$HELM_VERSION" >/dev/null 2>&1 || go get "helm.sh/helm/v4@v$HELM_VERSION"
go build -trimpath -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=v$HELM_VERSION" -o "$OUT/helm.tmp" helm.sh/helm/v4/cmd/helm
mv "$OUT/helm.tmp" "$OUT/helm"
echo "$OUT/helm"
