#!/usr/bin/env bash
# Constitutional Hash: cdd01ef066bc6cf2
#
# check-local-mesh-docs.sh — runs every `curl` command of the "Try it" section of docs/local-mesh.md against
# a fresh `./acgs up`, so the documented commands and answers cannot drift from what the mesh does.
#
# Usage: check-local-mesh-docs.sh [--port-offset N] [--no-build]   (default offset 3000)
#
# The mesh runs from a temporary directory that links to this repository's binaries and deploy/local
# (so its embedded store, logs and ports are its own and a running `./acgs up` is not disturbed) with every
# port shifted by N. Each command (lines starting with `curl` inside the section's ``` blocks, `\` continuations
# joined) gets the offset added to every 127.0.0.1:PORT, runs in bash with ADMIN_TOKEN and READ_TOKEN set
# from the run's output, and must answer the status named at the end of its comment (any 3-digit number there),
# else 2xx; a pipeline (e.g. `| jq -e ...`) must succeed. A 5xx, a failed connection or a failing pipeline is
# retried for up to 15 s (routes, agent directories and ACKs propagate). Everything started is stopped.
# Exit 0 when every command answered as documented, 1 otherwise, 2 on a usage error. Bounded: ~2 minutes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DOC="$ROOT/docs/local-mesh.md"
offset=3000
build_flag=(--no-build)
while [ $# -gt 0 ]; do
  case "$1" in
    --port-offset) [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || { echo "check-local-mesh-docs: --port-offset needs a number" >&2; exit 2; }; offset="$2"; shift ;;
    --no-build) build_flag=(--no-build) ;;
    --build) build_flag=() ;;
    -h|--help) sed -n '4,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check-local-mesh-docs: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
for tool in curl jq perl setsid; do
  command -v "$tool" >/dev/null 2>&1 || { echo "check-local-mesh-docs: $tool is missing" >&2; exit 1; }
done

log() { printf '[docs-check] %s\n' "$*"; }
started=$SECONDS
budget=105 # seconds for start-up and the commands; stopping adds at most ~12 s

# The commands: the fenced blocks of the "## Try it" section, curl lines only, continuations joined.
mapfile -t commands < <(awk '
  /^## / { in_section = ($0 == "## Try it") }
  in_section && /^```/ { fenced = !fenced; next }
  in_section && fenced {
    line = $0
    if (pending != "") { line = pending " " line; pending = "" }
    if (line ~ /\\$/) { sub(/[[:space:]]*\\$/, "", line); pending = line; next }
    sub(/^[[:space:]]+/, "", line)
    if (line ~ /^curl /) print line
  }' "$DOC")
[ ${#commands[@]} -gt 0 ] || { log "no curl commands found in the Try it section of $DOC"; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/acgs-docs-check.XXXXXX")"
up_pid=""
stop_mesh() {
  trap - EXIT INT TERM
  if [ -n "$up_pid" ] && kill -0 "$up_pid" 2>/dev/null; then
    log "stopping the mesh"
    kill -TERM "$up_pid" 2>/dev/null || true
    local deadline=$((SECONDS + 15))
    while kill -0 "$up_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    # ./acgs up stops its children on SIGTERM; anything left of its process group is killed.
    kill -KILL -- "-$up_pid" 2>/dev/null || true
    wait "$up_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop_mesh EXIT
trap 'exit 130' INT TERM

# A private root: the entry script and the binaries through links, .acgs/up (store, logs) of its own.
ln -s "$ROOT/acgs" "$work/acgs"
for entry in controlplane dataplane deploy shared global.json Directory.Build.props Directory.Packages.props; do
  ln -s "$ROOT/$entry" "$work/$entry"
done
up_log="$work/up.log"
log "starting ./acgs up ${build_flag[*]} --port-offset $offset (${#commands[@]} documented commands to run)"
env -u REDIS_URL -u ACGS_UP_PORT_OFFSET -u CONSTITUTIONAL_HASH setsid bash "$work/acgs" up "${build_flag[@]}" --port-offset "$offset" >"$up_log" 2>&1 &
up_pid=$!

until grep -q '^  read token ' "$up_log" 2>/dev/null && grep -q '^  export ADMIN_TOKEN=' "$up_log"; do
  if ! kill -0 "$up_pid" 2>/dev/null; then
    log "./acgs up exited before the mesh was ready:"; tail -n 30 "$up_log"; exit 1
  fi
  if [ $((SECONDS - started)) -ge 80 ]; then
    log "the mesh was not ready within 80 s:"; tail -n 30 "$up_log"; exit 1
  fi
  sleep 0.5
done
tokens="$(grep -m1 '^  export ADMIN_TOKEN=' "$up_log")"
ADMIN_TOKEN="$(sed -n 's/.*ADMIN_TOKEN=\([0-9a-f]*\).*/\1/p' <<<"$tokens")"
READ_TOKEN="$(sed -n 's/.*READ_TOKEN=\([0-9a-f]*\).*/\1/p' <<<"$tokens")"
export ADMIN_TOKEN READ_TOKEN
[[ "$ADMIN_TOKEN" =~ ^[0-9a-f]{48}$ && "$READ_TOKEN" =~ ^[0-9a-f]{48}$ ]] || { log "no tokens in the output of ./acgs up"; tail -n 30 "$up_log"; exit 1; }
log "mesh ready after $((SECONDS - started)) s"

# curl as the documented commands call it, plus: the status recorded, a time limit, the body on stdout.
cat >"$work/curl-wrapper.sh" <<'WRAP'
curl() {
  local body status rc=0 limit=10 arg
  for arg in "$@"; do [[ "$arg" =~ ^-[a-zA-Z]*N[a-zA-Z]*$ ]] && limit=3; done
  body="$(mktemp)"
  status="$(command curl "$@" -sS -o "$body" -w '%{http_code}' --max-time "$limit")" || rc=$?
  # A stream (-N) ends by the time limit (exit 28) with its answer received; anything else must exit 0.
  if [ "$rc" -ne 0 ] && ! { [ "$limit" = 3 ] && [ "$rc" = 28 ] && [ -s "$body" ]; }; then status="curl-exit-$rc"; fi
  printf '%s\n' "$status" >>"$CHECK_STATUS_FILE"
  cat "$body" 2>/dev/null || true
  rm -f "$body"
}
WRAP

failures=0
index=0
for command in "${commands[@]}"; do
  index=$((index + 1))
  shifted="$(OFFSET="$offset" perl -pe 's/127\.0\.0\.1:(\d+)/"127.0.0.1:" . ($1 + $ENV{OFFSET})/ge' <<<"$command")"
  comment="${command##*  # }"; [ "$comment" = "$command" ] && comment=""
  expected="$(grep -oE '(^|[^0-9.])[1-5][0-9]{2}([^0-9.]|$)' <<<"$comment" | head -n1 | tr -cd '0-9' || true)"
  deadline=$((SECONDS + 15))
  while :; do
    status_file="$work/status.$index"; : >"$status_file"
    rc=0
    output="$(CHECK_STATUS_FILE="$status_file" bash -o pipefail -c "source '$work/curl-wrapper.sh'; $shifted" 2>&1)" || rc=$?
    verdict=ok retry=0
    [ -s "$status_file" ] || { verdict="no curl ran"; }
    while read -r status; do
      if [ -n "$expected" ]; then
        [ "$status" = "$expected" ] || { verdict="answered $status, documented $expected"; [[ "$status" =~ ^(5|000|curl) ]] && retry=1; }
      else
        [[ "$status" =~ ^2[0-9][0-9]$ ]] || { verdict="answered $status, documented 2xx"; [[ "$status" =~ ^(5|000|curl) ]] && retry=1; }
      fi
    done <"$status_file"
    if [ "$verdict" = ok ] && [ "$rc" -ne 0 ]; then verdict="the pipeline failed (exit $rc)"; retry=1; fi
    if [ "$verdict" = ok ] || [ "$retry" = 0 ] || [ $SECONDS -ge $deadline ] || [ $((SECONDS - started)) -ge $budget ]; then break; fi
    sleep 0.5
  done
  if [ "$verdict" = ok ]; then
    log "ok   ${expected:-2xx}  ${command:0:110}"
  else
    log "FAIL $verdict: $shifted"
    printf '%s\n' "$output" | head -c 600 | sed 's/^/       /'; echo
    failures=$((failures + 1))
  fi
  if [ $((SECONDS - started)) -ge $budget ]; then log "time budget of $budget s used up"; failures=$((failures + 1)); break; fi
done

stop_mesh
cp_port=$((8000 + offset))
if (exec 3<>"/dev/tcp/127.0.0.1/$cp_port") 2>/dev/null; then
  log "FAIL port $cp_port still accepts connections after the mesh stopped"; failures=$((failures + 1))
fi
if [ "$failures" -eq 0 ]; then
  log "docs check passed: ${#commands[@]} commands of docs/local-mesh.md answered as documented ($((SECONDS - started)) s)"
  exit 0
fi
log "docs check FAILED: $failures problem(s)"
exit 1
