#!/usr/bin/env bash
# Builds the Pulumi CLI and the Kubernetes provider from their Go modules (never a prebuilt binary)
# into a cache outside the repository, keyed by version; a second run finds them and does nothing.
#   stacks/pulumi/build-pulumi.sh        # prints the directory holding pulumi and pulumi-resource-kubernetes
# The CLI is built at the version of the installed @pulumi/pulumi (package.json). The provider is
# built at the one revision of github.com/pulumi/pulumi-kubernetes/provider/v4 the Go module proxy
# serves, v4.0.0-20260115033456-f47bc2d6f199, which is the commit tagged v4.25.0 upstream; the
# binary says so (its version is 4.25.0).
# Environment: GROUNDWORK_CACHE (default ~/.cache/k8s-groundwork), PULUMI_VERSION.
set -euo pipefail

# shellcheck source=stacks/go-build.sh
source "$(dirname "$0")/../go-build.sh"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PULUMI_VERSION="${PULUMI_VERSION:-$(node -p "require('$ROOT/node_modules/@pulumi/pulumi/package.json').version")}"
PROVIDER_MODULE_VERSION="v4.0.0-20260115033456-f47bc2d6f199"
PROVIDER_VERSION="4.25.0"
OUT="$GROUNDWORK_CACHE/bin/pulumi-$PULUMI_VERSION-kubernetes-$PROVIDER_VERSION"

if [[ -x "$OUT/pulumi" && -x "$OUT/pulumi-resource-kubernetes" ]]; then
  echo "$OUT"
  exit 0
fi
go_build_setup "the Pulumi CLI and the Kubernetes provider"
mkdir -p "$OUT"

# the CLI: pkg/v3's own go.mod replaces atotto/clipboard (a fork); replaces are not inherited, so ours repeats it
log "pulumi v$PULUMI_VERSION"
go_module pulumi groundwork.local/pulumi
PMOD="$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')"
[[ -f "$PMOD" ]] || { echo "error: could not download github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" >&2; exit 1; }
{
  echo "require github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION"
  echo "require github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION"
  grep '^replace github.com/atotto/clipboard' "$PMOD"
} >>go.mod
printf 'package main\n\nimport _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"\n' >tools.go
quiet go mod tidy
go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" -o "$OUT/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
mv "$OUT/pulumi.tmp" "$OUT/pulumi"

# the provider: its main package embeds schema-embed.json, which its go:generate step (generate.go)
# writes from schema.json; the module holds the inputs, so we run that step on a copy of the package
log "pulumi-resource-kubernetes $PROVIDER_VERSION ($PROVIDER_MODULE_VERSION)"
go_module provider groundwork.local/pulumi-resource-kubernetes
quiet go get "github.com/pulumi/pulumi-kubernetes/provider/v4@$PROVIDER_MODULE_VERSION"
KDIR="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi-kubernetes/provider/v4)"
cp "$KDIR"/cmd/pulumi-resource-kubernetes/{main.go,generate.go,schema.json,terraform-mapping.json} .
chmod u+w ./*
quiet go mod tidy
VERSION="$PROVIDER_VERSION" go run ./generate.go
rm generate.go
go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$PROVIDER_VERSION" -o "$OUT/pulumi-resource-kubernetes.tmp" .
mv "$OUT/pulumi-resource-kubernetes.tmp" "$OUT/pulumi-resource-kubernetes"
echo "$OUT"
