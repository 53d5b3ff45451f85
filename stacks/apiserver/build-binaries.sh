#!/usr/bin/env bash
# Builds the real kube-apiserver and etcd from their Go modules (never a prebuilt binary) into a
# cache outside the repository, keyed by version: a second run finds them and does nothing.
#   stacks/apiserver/build-binaries.sh            # prints the directory holding both binaries
# Needs Go (>= the version k8s.io/kubernetes's go.mod names) and the Go module proxy.
# Environment: GROUNDWORK_CACHE (default ~/.cache/k8s-groundwork), KUBE_VERSION, ETCD_VERSION.
set -euo pipefail

KUBE_VERSION="${KUBE_VERSION:-1.35.4}"
ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
CACHE="${GROUNDWORK_CACHE:-$HOME/.cache/k8s-groundwork}"
OUT="$CACHE/bin/kube-$KUBE_VERSION-etcd-$ETCD_VERSION"

log() { printf '==> %s\n' "$*" >&2; }

if [[ -x "$OUT/kube-apiserver" && -x "$OUT/etcd" ]]; then
  echo "$OUT"
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "error: Go is required to build kube-apiserver and etcd" >&2; exit 1; }
mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0

# k8s.io/kubernetes requires its staging modules at v0.0.0 (they live in its own tree): our module
# pins each to the release of the same minor and patch, v0.<minor>.<patch>
log "kube-apiserver v$KUBE_VERSION"
mkdir -p "$WORK/kube"
cd "$WORK/kube"
go mod init groundwork.local/kube-apiserver >/dev/null 2>&1
KMOD="$(go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')"
[[ -f "$KMOD" ]] || { echo "error: could not download k8s.io/kubernetes@v$KUBE_VERSION" >&2; exit 1; }
STAGING_VERSION="v0.${KUBE_VERSION#1.}"
{
  echo "require k8s.io/kubernetes v$KUBE_VERSION"
  echo "replace ("
  # the staging modules are the k8s.io/* requirements at exactly v0.0.0
  awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" { print "\t" $1 " => " $1 " '"$STAGING_VERSION"'" }' "$KMOD"
  echo ")"
} >>go.mod
printf 'package main\n\nimport _ "k8s.io/kubernetes/cmd/kube-apiserver"\n' >tools.go
go mod tidy >/dev/null 2>&1 || go mod tidy
go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$KUBE_VERSION" -o "$OUT/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver
mv "$OUT/kube-apiserver.tmp" "$OUT/kube-apiserver"

# etcd: the server module's etcdmain is the etcd binary's main
log "etcd v$ETCD_VERSION"
mkdir -p "$WORK/etcd"
cd "$WORK/etcd"
go mod init groundwork.local/etcd >/dev/null 2>&1
cat >main.go <<'EOF'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" >/dev/null 2>&1 || go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
go mod tidy >/dev/null 2>&1 || go mod tidy
go build -trimpath -ldflags "-s -w" -o "$OUT/etcd.tmp" .
mv "$OUT/etcd.tmp" "$OUT/etcd"
echo "$OUT"
