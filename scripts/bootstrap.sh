#!/usr/bin/env bash
# Bootstraps a synthesized stack onto its cluster, in the order that works on a fresh cluster:
#   1. install the GitOps engine's chart (pinned version and values from the rendering)
#   2. create the secrets a local (Kubernetes-backend) secret store must hold, with random values
#   3. add-ons: with groundwork:gitRepoUrl, apply addons-bootstrap.yaml (the engine takes it from
#      there: add-on waves, then the apps); without, apply each add-on wave file and wait for it
#   4. apps: `kubectl apply -k <stack dir>` once every add-on wave is ready (no-Git mode)
# Usage: scripts/bootstrap.sh <stack>   (after `npm run synth -- <stack>`; OUT=dir to read another output)
# UNVERIFIED ON A REAL CLUSTER (see scripts/lib.sh).
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
need kubectl helm openssl
load_stack "${1:?usage: scripts/bootstrap.sh <stack>}"

install_engine() {
  log "installing $ENGINE ($ENGINE_CHART $ENGINE_CHART_VERSION) into $ENGINE_NAMESPACE"
  local chart=(--repo "$ENGINE_CHART_REPO" "$ENGINE_CHART")
  if [[ "$ENGINE_CHART_REPO" == oci://* ]]; then chart=("$ENGINE_CHART_REPO/$ENGINE_CHART"); fi
  "${HELM[@]}" upgrade --install "$ENGINE_RELEASE" "${chart[@]}" --version "$ENGINE_CHART_VERSION" \
    --namespace "$ENGINE_NAMESPACE" --create-namespace \
    --values "$STACK_DIR/bootstrap/engine-values.yaml" --wait --timeout 10m
}

create_local_secrets() {
  local ns name keys key args
  while IFS=$'\t' read -r ns name keys; do
    [[ -n "$ns" ]] || continue
    "${KUBECTL[@]}" get namespace "$ns" >/dev/null 2>&1 || "${KUBECTL[@]}" create namespace "$ns"
    if "${KUBECTL[@]}" -n "$ns" get secret "$name" >/dev/null 2>&1; then
      log "secret $ns/$name exists; kept"
      continue
    fi
    args=()
    IFS=',' read -ra fields <<<"$keys"
    for key in "${fields[@]}"; do
      if [[ "$key" == username ]]; then args+=(--from-literal="$key=${name%%-*}"); else args+=(--from-literal="$key=$(openssl rand -hex 16)"); fi
    done
    log "creating secret $ns/$name (${keys}) with random values"
    "${KUBECTL[@]}" -n "$ns" create secret generic "$name" "${args[@]}"
  done <"$STACK_DIR/bootstrap/local-secrets.tsv"
}

# wait_for_engine_objects NAMES...: wait until each Argo CD Application is Healthy / Flux HelmRelease is Ready
wait_for_engine_objects() {
  local obj
  for obj in "$@"; do
    case "$obj" in
      application.argoproj.io/*)
        "${KUBECTL[@]}" -n "$ENGINE_NAMESPACE" wait "$obj" --for=jsonpath='{.status.health.status}'=Healthy --timeout=15m ;;
      helmrelease.helm.toolkit.fluxcd.io/*)
        "${KUBECTL[@]}" -n "$ENGINE_NAMESPACE" wait "$obj" --for=condition=Ready --timeout=15m ;;
    esac
  done
}

apply_wave() {
  local file="$STACK_DIR/$1" applied
  log "applying $1"
  # webhooks of a chart from the previous wave may need a moment after their Pods are ready
  applied="$(retry 10 15 "${KUBECTL[@]}" apply --server-side --force-conflicts -f "$file" -o name)" || die "applying $1 failed"
  # shellcheck disable=SC2086 # one object name per word
  wait_for_engine_objects $applied
}

apply_addons() {
  local f
  if [[ -n "${GIT_BOOTSTRAP:-}" ]]; then
    log "pointing $ENGINE at Git ($GIT_BOOTSTRAP): it applies the add-on waves, then the apps"
    retry 10 15 "${KUBECTL[@]}" apply -f "$STACK_DIR/$GIT_BOOTSTRAP"
    return
  fi
  for f in $ADDON_FILES; do apply_wave "$f"; done
}

apply_apps() {
  if [[ -n "${GIT_BOOTSTRAP:-}" ]]; then return; fi
  log "applying the apps (kubectl apply -k $STACK_DIR)"
  retry 5 15 "${KUBECTL[@]}" apply -k "$STACK_DIR"
}

install_engine
create_local_secrets
apply_addons
apply_apps
log "bootstrap of $STACK done; next: scripts/wait-ready.sh $STACK"
