#!/usr/bin/env bash
# Smoke check of a running stack: the Gateway answers for the storefront (HTTPS; HTTP redirects), every
# certificate is issued, and the HPA reads metrics. On kind the Gateway is on 127.0.0.1:80/443.
# Usage: scripts/smoke.sh <stack> [gateway-address]    (default address: 127.0.0.1)
# UNVERIFIED ON A REAL CLUSTER (see scripts/lib.sh).
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
need kubectl curl
load_stack "${1:?usage: scripts/smoke.sh <stack> [gateway-address]}"
ADDR="${2:-127.0.0.1}"
HOST="shop.$DOMAIN"

log "certificates issued"
"${KUBECTL[@]}" wait certificate --all --all-namespaces --for=condition=Ready --timeout=5m

# redirected HOST ADDR: plain HTTP is answered with a permanent redirect to the same URL over HTTPS
redirected() {
  local got
  got="$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' --resolve "$1:80:$2" "http://$1/")"
  [[ "$got" == "301 https://$1/" ]]
}
# answers HOST ADDR TEXT: HTTPS returns the demo's fixed text (the local CA is self-signed: -k on
# kind; a Let's Encrypt certificate verifies anywhere else)
answers() {
  local body
  body="$(curl -fsSk --resolve "$1:443:$2" "https://$1/")"
  [[ "$body" == *"$3"* ]]
}
# hpa_reads NS HPA: the HPA has read a utilization from the metrics API
hpa_reads() {
  [[ -n "$("${KUBECTL[@]}" -n "$1" get "$2" -o jsonpath='{.status.currentMetrics[0].resource.current.averageUtilization}')" ]]
}

log "the Gateway answers for $HOST"
retry 30 5 redirected "$HOST" "$ADDR"
retry 30 5 answers "$HOST" "$ADDR" 'groundwork demo storefront'

log "the HPA reads metrics"
for ns in $APP_NAMESPACES; do
  for hpa in $("${KUBECTL[@]}" -n "$ns" get hpa -o name); do
    retry 30 10 hpa_reads "$ns" "$hpa"
  done
done
log "smoke check of $STACK passed"
