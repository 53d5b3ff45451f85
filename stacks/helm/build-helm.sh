#!/usr/bin/env bash
# Builds helm from its Go module (helm.sh/helm/v4, never a prebuilt binary) into a cache outside the
# repository keyed by version; a second run finds it and does nothing. Prints the binary's path.
# Environment: GROUNDWORK_CACHE (default ~/.cache/k8s-groundwork), HELM_VERSION.
set -euo pipefail

# shellcheck source=stacks/go-build.sh
source "$(dirname "$0")/../go-build.sh"
HELM_VERSION="${HELM_VERSION:-4.3.2}"
OUT="$GROUNDWORK_CACHE/bin/helm-$HELM_VERSION"

if [[ -x "$OUT/helm" ]]; then
  echo "$OUT/helm"
  exit 0
fi
go_build_setup helm
mkdir -p "$OUT"
go_module helm groundwork.local/helm
quiet go get "helm.sh/helm/v4@v$HELM_VERSION"
go build -trimpath -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=v$HELM_VERSION" -o "$OUT/helm.tmp" helm.sh/helm/v4/cmd/helm
mv "$OUT/helm.tmp" "$OUT/helm"
echo "$OUT/helm"
