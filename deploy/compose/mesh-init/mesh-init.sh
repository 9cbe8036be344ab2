#!/usr/bin/env bash
# Constitutional Hash: cdd01ef066bc6cf2
#
# The compose mesh's one-shot initialiser (what ./acgs up does before it starts the sidecars): waits for the control
# plane, seeds the sample mesh-wide CircuitBreaker policy unless one is active, and mints one join token per service
# (docs/identity.md) into $ACGS_TOKEN_DIR/<service>, owner-only; each sidecar (same uid) reads its own and retries
# until it is there. Tokens are never printed.
set -euo pipefail
cp="${ACGS_CONTROL_PLANE_URL:-http://control-plane:8000}"
dir="${ACGS_TOKEN_DIR:-/run/acgs-tokens}"
hash="${CONSTITUTIONAL_HASH:-cdd01ef066bc6cf2}"; hash="${hash%%,*}"
: "${ACGS_ADMIN_TOKEN:?ACGS_ADMIN_TOKEN is not set}" "${ACGS_SERVICES:?ACGS_SERVICES (the service names) is not set}"
log() { printf '[mesh-init] %s\n' "$*" >&2; }

# api METHOD PATH [JSON]: an admin call; prints the body, fails on HTTP >= 400 except 409 (exists already).
api() {
  local out code
  # retries: a loaded machine's DNS or control plane can miss one call
  out="$(curl -sS --retry 5 --retry-all-errors --retry-delay 1 -X "$1" -H "Authorization: Bearer $ACGS_ADMIN_TOKEN" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} -w '\n%{http_code}' "$cp$2")" || return 1
  code="${out##*$'\n'}"; out="${out%$'\n'*}"
  printf '%s' "$out"
  [ "$code" -lt 400 ] || [ "$code" -eq 409 ] || { log "$1 $2 -> $code: $out"; return 1; }
}

tries=0
until curl -fsS "$cp/health/ready" >/dev/null 2>&1; do
  tries=$((tries + 1)); [ "$tries" -lt 180 ] || { log "the control plane ($cp) is not ready after 180 s"; exit 1; }
  sleep 1
done
log "control plane ready at $cp"

api POST /api/v1/policies '{"id":"mesh-breaker","description":"sample: mesh-wide circuit breaker (compose)"}' >/dev/null
if [ -z "$(api GET /api/v1/policies/mesh-breaker | jq -r '.active_version // empty')" ]; then
  api POST /api/v1/policies/mesh-breaker/versions "$(jq -cn --arg h "$hash" '{version: "1.0.0", content: {kind: "CircuitBreaker",
    name: "mesh-breaker", target: "mesh", constitutional_hash: $h, spec: {fail_max: 5, reset_timeout_seconds: 30, failure_statuses: [502, 503, 504]}}}')" >/dev/null
  api PUT "/api/v1/policies/mesh-breaker/activate?version=1.0.0" >/dev/null
  log "sample policy mesh-breaker 1.0.0 active"
fi

umask 077
for svc in $ACGS_SERVICES; do
  # a few uses: a sidecar restarted without its certificate joins again with the same file
  api POST /api/v1/identity/join-tokens "$(jq -cn --arg s "$svc" --arg h "$hash" '{service: $s, constitutional_hash: $h, ttl_seconds: 86400, max_uses: 10}')" \
    | jq -er .token >"$dir/.$svc.tmp"
  mv -f "$dir/.$svc.tmp" "$dir/$svc"
  log "join token for $svc written"
done
log "done"
