#!/usr/bin/env bash
# Builds the real kube-apiserver, kube-controller-manager and etcd from their Go modules (never a prebuilt binary) into a
# cache outside the repository, keyed by version: a second run finds them and does nothing.
#   stacks/apiserver/build-binaries.sh            # prints the directory holding the binaries
# Needs Go (>= the version k8s.io/kubernetes's go.mod names) and the Go module proxy.
# Environment: GROUNDWORK_CACHE (default ~/.cache/k8s-groundwork), KUBE_VERSION, ETCD_VERSION.
set -euo pipefail

# shellcheck source=stacks/go-build.sh
source "$(dirname "$0")/../go-build.sh"
KUBE_VERSION="${KUBE_VERSION:-1.35.4}"
ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
OUT="$GROUNDWORK_CACHE/bin/kube-$KUBE_VERSION-etcd-$ETCD_VERSION"

if [[ -x "$OUT/kube-apiserver" && -x "$OUT/kube-controller-manager" && -x "$OUT/etcd" ]]; then
  echo "$OUT"
  exit 0
fi
go_build_setup "kube-apiserver, kube-controller-manager and etcd"
mkdir -p "$OUT"

# k8s.io/kubernetes requires its staging modules at v0.0.0 (they live in its own tree): our module
# pins each to the release of the same minor and patch, v0.<minor>.<patch>
log "kube-apiserver and kube-controller-manager v$KUBE_VERSION"
go_module kube groundwork.local/kube-apiserver
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
printf 'package main\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager"\n)\n' >tools.go
quiet go mod tidy
for cmd in kube-apiserver kube-controller-manager; do
  [[ -x "$OUT/$cmd" ]] && continue
  go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$KUBE_VERSION" -o "$OUT/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd"
  mv "$OUT/$cmd.tmp" "$OUT/$cmd"
done

# etcd: the server module's etcdmain is the etcd binary's main
log "etcd v$ETCD_VERSION"
if [[ ! -x "$OUT/etcd" ]]; then
  go_module etcd groundwork.local/etcd
  cat >main.go <<'EOF'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
  quiet go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
  quiet go mod tidy
  go build -trimpath -ldflags "-s -w" -o "$OUT/etcd.tmp" .
  mv "$OUT/etcd.tmp" "$OUT/etcd"
fi
echo "$OUT"
