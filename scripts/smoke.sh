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

log "the Gateway answers for $HOST"
# plain HTTP is answered with a permanent redirect to HTTPS
retry 30 5 bash -c "[[ \"\$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' --resolve '$HOST:80:$ADDR' 'http://$HOST/hostname')\" == '301 https://$HOST/hostname' ]]"
# the local CA is self-signed: -k on kind; a Let's Encrypt certificate verifies anywhere else
retry 30 5 curl -fsSk --resolve "$HOST:443:$ADDR" "https://$HOST/hostname" -o /dev/null

log "the HPA reads metrics"
for ns in $APP_NAMESPACES; do
  for hpa in $("${KUBECTL[@]}" -n "$ns" get hpa -o name); do
    retry 30 10 bash -c "[[ -n \"\$(${KUBECTL[*]} -n $ns get $hpa -o jsonpath='{.status.currentMetrics[0].resource.current.averageUtilization}')\" ]]"
  done
done
log "smoke check of $STACK passed"
