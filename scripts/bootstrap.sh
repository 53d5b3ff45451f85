#!/usr/bin/env bash
# Bootstraps a synthesized stack onto its cluster, in the order that works on a fresh cluster:
#   1. install the GitOps engine's chart (pinned version and values from the rendering)
#   2. with groundwork:gitCredentials, create the Secret the engine reads the repository with from
#      local files (GIT_SSH_KEY_FILE, and GIT_KNOWN_HOSTS_FILE for Flux, or GIT_TOKEN_FILE and GIT_USERNAME),
#      and on a local store (kind) the store entry its ExternalSecret reads; nothing is printed
#   3. create the secrets a local (Kubernetes-backend) secret store must hold, with random values
#   4. add-ons: with groundwork:gitRepoUrl, apply addons-bootstrap.yaml (the engine takes it from
#      there: add-on waves, then the apps); without, apply each add-on wave file and wait for it
#   5. apps: `kubectl apply -k <stack dir>` once every add-on wave is ready (no-Git mode)
# Usage: scripts/bootstrap.sh <stack>   (after `npm run synth -- <stack>`; OUT=dir to read another output)
# UNVERIFIED ON A REAL CLUSTER (see scripts/lib.sh).
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
need kubectl helm openssl
load_stack "${1:?usage: scripts/bootstrap.sh <stack>}"
# written to engine.env only with groundwork:gitCredentials; the local files are named by the user
GIT_CREDENTIALS_KIND="${GIT_CREDENTIALS_KIND:-}"
GIT_CREDENTIALS_SECRET="${GIT_CREDENTIALS_SECRET:-}"
GIT_CREDENTIALS_ENTRY="${GIT_CREDENTIALS_ENTRY:-}"
GIT_CREDENTIALS_STORE_NAMESPACE="${GIT_CREDENTIALS_STORE_NAMESPACE:-}"
GIT_REPO_URL="${GIT_REPO_URL:-}"
GIT_SSH_KEY_FILE="${GIT_SSH_KEY_FILE:-}"
GIT_KNOWN_HOSTS_FILE="${GIT_KNOWN_HOSTS_FILE:-}"
GIT_TOKEN_FILE="${GIT_TOKEN_FILE:-}"
GIT_USERNAME="${GIT_USERNAME:-git}"
GIT_TOKEN_COPY=""

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

# git_credential_args FORMAT: fill GIT_ARGS with the kubectl --from-* arguments of the repository's
# credentials, read by kubectl from local files (never printed), keyed for FORMAT: argo-cd or flux
# (the engine's Secret) or store (the secret-store entry: sshPrivateKey, and knownHosts for Flux / username, password)
git_credential_args() {
  local key hosts token
  if [[ "$GIT_CREDENTIALS_KIND" == ssh ]]; then
    key="$GIT_SSH_KEY_FILE"
    [[ -n "$key" && -r "$key" ]] || die "groundwork:gitCredentials is ssh:$GIT_CREDENTIALS_ENTRY: set GIT_SSH_KEY_FILE to the file of the deploy key (its private key)"
    if [[ "$ENGINE" != flux ]]; then
      # Argo CD reads known hosts from argocd-ssh-known-hosts-cm, not from the repository Secret
      GIT_ARGS=(--from-file=sshPrivateKey="$key")
      return
    fi
    hosts="$GIT_KNOWN_HOSTS_FILE"
    if [[ -z "$hosts" ]]; then hosts=~/.ssh/known_hosts; fi
    [[ -r "$hosts" ]] || die "GIT_KNOWN_HOSTS_FILE ($hosts) is not readable: name a known_hosts file holding the Git host's keys"
    if [[ "$1" == flux ]]; then
      GIT_ARGS=(--from-file=identity="$key" --from-file=known_hosts="$hosts")
    else
      GIT_ARGS=(--from-file=sshPrivateKey="$key" --from-file=knownHosts="$hosts")
    fi
    return
  fi
  token="$GIT_TOKEN_FILE"
  [[ -n "$token" && -r "$token" ]] || die "groundwork:gitCredentials is token:$GIT_CREDENTIALS_ENTRY: set GIT_TOKEN_FILE to a file holding the token (and GIT_USERNAME, default git)"
  # the token without its line end, in a file only this user reads (not in the arguments: ps shows those)
  GIT_TOKEN_COPY="$(mktemp)"
  chmod 600 "$GIT_TOKEN_COPY"
  tr -d '\r\n' <"$token" >"$GIT_TOKEN_COPY"
  GIT_ARGS=(--from-literal=username="$GIT_USERNAME" --from-file=password="$GIT_TOKEN_COPY")
}

# create_git_secret NAMESPACE NAME FORMAT [ARGS...]: create Secret NAME from the local credential files unless it exists
create_git_secret() {
  local ns="$1" name="$2" format="$3"
  shift 3
  if "${KUBECTL[@]}" -n "$ns" get secret "$name" >/dev/null 2>&1; then
    log "secret $ns/$name exists; kept"
    return
  fi
  "${KUBECTL[@]}" get namespace "$ns" >/dev/null 2>&1 || "${KUBECTL[@]}" create namespace "$ns"
  git_credential_args "$format"
  log "creating secret $ns/$name ($GIT_CREDENTIALS_KIND credentials of $GIT_REPO_URL) from local files"
  "${KUBECTL[@]}" -n "$ns" create secret generic "$name" "${GIT_ARGS[@]}" "$@" >/dev/null
  if [[ -n "$GIT_TOKEN_COPY" ]]; then rm -f "$GIT_TOKEN_COPY"; fi
}

# With groundwork:gitCredentials: the engine cannot read the repository, which holds the External
# Secrets add-on, before it has credentials. The bootstrap creates its Secret once; the ExternalSecret
# of the add-on waves takes it over (creationPolicy Owner) once the secret store is there.
create_git_credentials() {
  [[ -n "$GIT_CREDENTIALS_KIND" ]] || return 0
  trap 'rm -f "$GIT_TOKEN_COPY"' EXIT
  if [[ -n "$GIT_CREDENTIALS_STORE_NAMESPACE" ]]; then
    create_git_secret "$GIT_CREDENTIALS_STORE_NAMESPACE" "$GIT_CREDENTIALS_ENTRY" store
  fi
  if [[ "$ENGINE" == argo-cd ]]; then
    # argoproj/argo-cd v3.4.4 docs/operator-manual/declarative-setup.md "Repositories"
    create_git_secret "$ENGINE_NAMESPACE" "$GIT_CREDENTIALS_SECRET" argo-cd --from-literal=type=git --from-literal=url="$GIT_REPO_URL"
    "${KUBECTL[@]}" -n "$ENGINE_NAMESPACE" label --overwrite secret "$GIT_CREDENTIALS_SECRET" argocd.argoproj.io/secret-type=repository >/dev/null
  else
    create_git_secret "$ENGINE_NAMESPACE" "$GIT_CREDENTIALS_SECRET" flux
  fi
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
create_git_credentials
create_local_secrets
apply_addons
apply_apps
log "bootstrap of $STACK done; next: scripts/wait-ready.sh $STACK"
