#!/usr/bin/env bash
# Shared by the scripts that build tools from their Go modules (sourced, not run): the cache
# location, one Go environment for every build, a scratch module directory removed on exit, and
# `quiet` to run a step silently unless it fails (then again, loudly, so its error is seen).

GROUNDWORK_CACHE="${GROUNDWORK_CACHE:-$HOME/.cache/k8s-groundwork}"

log() { printf '==> %s\n' "$*" >&2; }

# go_build_setup WHAT: fail without Go; export the build environment; WORK is a fresh scratch directory
go_build_setup() {
  command -v go >/dev/null 2>&1 || { echo "error: Go is required to build $1" >&2; exit 1; }
  export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
}

# go_module DIR NAME: a new module NAME in $WORK/DIR, which becomes the current directory
go_module() {
  mkdir -p "$WORK/$1"
  cd "$WORK/$1" || exit 1
  go mod init "$2" >/dev/null 2>&1
}

# quiet CMD...: run CMD without output; if it fails, run it again with output (and fail)
quiet() {
  "$@" >/dev/null 2>&1 || "$@"
}
