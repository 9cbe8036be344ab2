#!/usr/bin/env bash
# Constitutional Hash: cdd01ef066bc6cf2
#
# Every Grafana dashboard panel's query returns data against a live local mesh: starts ./acgs up (ports offset by
# --port-offset, default 2500, so it does not meet a running ./acgs up), Debian's Prometheus scraping it every second
# with every rule file of deploy/observability/rules, sends traffic (requests through every sidecar with and without
# the constitutional hash, calls across the mesh, bus messages, a policy activation), then runs each panel's PromQL
# ($service = every service) against Prometheus: ok when at least one series with a number comes back.
# Usage: check-dashboards.sh [--port-offset N] [--no-build]   exit 0 all panels have data, 1 otherwise, 2 bad usage.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
offset=2500 build=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port-offset) [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || { echo "--port-offset needs a number" >&2; exit 2; }; offset="$2"; shift ;;
    --no-build) build=(--no-build) ;;
    *) echo "unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
for tool in prometheus curl jq; do command -v "$tool" >/dev/null || { echo "$tool is missing (./acgs test installs it)" >&2; exit 2; }; done
log() { printf '[dashboards] %s\n' "$*" >&2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/acgs-dashboards.XXXXXX")"
up_pid="" prom_pid=""
cleanup() {
  [ -z "$prom_pid" ] || { kill -TERM "$prom_pid" 2>/dev/null || true; wait "$prom_pid" 2>/dev/null || true; }
  [ -z "$up_pid" ] || { kill -TERM "$up_pid" 2>/dev/null || true; wait "$up_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mapfile -t services < <(awk -v o="$offset" '!/^[[:space:]]*(#|$)/ && NF >= 7 { print $1, $2 + o, $3 + o, $5 + o }' "$ROOT/deploy/local/mesh.conf")
log "starting ./acgs up --port-offset $offset (log: $work/up.log)"
"$ROOT/acgs" up --fresh --port-offset "$offset" "${build[@]}" >"$work/up.log" 2>&1 &
up_pid=$!
# the build (unless --no-build) has no time limit; the start has 300 s
limit=""
until grep -q 'running; Ctrl-C stops everything' "$work/up.log"; do
  kill -0 "$up_pid" 2>/dev/null || { tail -n 30 "$work/up.log" >&2; log "FAIL ./acgs up exited"; exit 1; }
  [ -n "$limit" ] || ! grep -q 'starting the control plane' "$work/up.log" || limit=$((SECONDS + 300))
  [ -z "$limit" ] || [ $SECONDS -lt "$limit" ] || { tail -n 30 "$work/up.log" >&2; log "FAIL the mesh was not up within 300 s"; exit 1; }
  sleep 1
done
cp_url="http://127.0.0.1:$((8000 + offset))"
admin_token="$(cat "$ROOT/.acgs/up-$offset/admin-token" 2>/dev/null || cat "$ROOT/.acgs/up/admin-token")"

prom_port=$((9090 + offset))
{
  printf 'global: { scrape_interval: 1s, evaluation_interval: 1s }\nrule_files: ["%s/deploy/observability/rules/*.yml"]\nscrape_configs:\n' "$ROOT"
  printf '  - job_name: acgs-control-plane\n    static_configs: [{ targets: ["127.0.0.1:%s"] }]\n  - job_name: acgs-sidecar\n    static_configs:\n' "$((8000 + offset))"
  for line in "${services[@]}"; do
    read -r svc _ _ admin <<<"$line"
    printf '      - { targets: ["127.0.0.1:%s"], labels: { service: %s } }\n' "$admin" "$svc"
  done
} >"$work/prometheus.yml"
log "starting Prometheus $(prometheus --version 2>&1 | head -n 1 | awk '{ print $3 }') on 127.0.0.1:$prom_port"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
prom_pid=$!
query() { curl -fsS --get --data-urlencode "query=$1" "http://127.0.0.1:$prom_port/api/v1/query"; }
limit=$((SECONDS + 60))
until [ "$(query 'sum(up)' 2>/dev/null | jq -r '.data.result[0].value[1] // 0')" = "$((${#services[@]} + 1))" ]; do
  [ $SECONDS -lt $limit ] || { tail -n 20 "$work/prometheus.log" >&2; log "FAIL Prometheus does not scrape all $((${#services[@]} + 1)) targets"; exit 1; }
  sleep 1
done
log "Prometheus scrapes the control plane and ${#services[@]} sidecars"

traffic() {
  local i line svc app inbound next
  for ((i = 0; i < ${#services[@]}; i++)); do
    read -r svc app inbound _ <<<"${services[$i]}"
    next="$(awk '{ print $1 }' <<<"${services[$(((i + 1) % ${#services[@]}))]}")"
    curl -sS -o /dev/null -H 'X-Constitutional-Hash: cdd01ef066bc6cf2' "http://127.0.0.1:$inbound/" || true
    curl -sS -o /dev/null "http://127.0.0.1:$inbound/" || true # 403: no hash
    curl -sS -o /dev/null "http://127.0.0.1:$app/call/$next/" || true
    curl -sS -o /dev/null -X POST "http://127.0.0.1:$app/agent/send/$next-agent" || true
  done
}
log "traffic: requests through every sidecar (with and without the hash), calls across the mesh, bus messages"
for _ in 1 2 3 4 5 6 7 8 9 10; do traffic; sleep 0.5; done
log "a policy activation (mesh-breaker, fail_max 11) for the convergence panels"
api() { curl -fsS -X "$1" -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' ${3:+--data "$3"} "$cp_url$2" >/dev/null; }
api POST /api/v1/policies/mesh-breaker/versions '{"version":"1.9.0-dashboards","content":{"kind":"CircuitBreaker","name":"mesh-breaker","target":"mesh","constitutional_hash":"cdd01ef066bc6cf2","spec":{"fail_max":11,"reset_timeout_seconds":30,"failure_statuses":[502,503,504]}}}' || log "(version exists already)"
api PUT '/api/v1/policies/mesh-breaker/activate?version=1.9.0-dashboards'
for _ in 1 2 3 4 5 6 7 8 9 10; do traffic; sleep 0.5; done
sleep 16 # recording rules run every 15 s

ok=0 failed=0
for dashboard in "$ROOT"/deploy/observability/grafana/dashboards/*.json; do
  title="$(jq -r .title "$dashboard")"
  while IFS=$'\t' read -r panel ref expr; do
    expr="${expr//\$service/.+}"
    result="$(query "$expr" 2>&1)" || { log "  FAIL $title / $panel [$ref]: $result"; failed=$((failed + 1)); continue; }
    series="$(jq '[.data.result[] | select(.value[1] != "NaN")] | length' <<<"$result")"
    if [ "$series" -gt 0 ]; then log "  ok   $title / $panel [$ref]: $series series"; ok=$((ok + 1))
    else log "  FAIL $title / $panel [$ref]: no data for $expr"; failed=$((failed + 1)); fi
  done < <(jq -r '.panels[] | .title as $t | .targets[] | [$t, .refId, .expr] | @tsv' "$dashboard")
done
log "dashboards: $ok of $((ok + failed)) panel queries returned data"
[ "$failed" -eq 0 ]
