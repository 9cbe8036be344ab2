#!/usr/bin/env bash
# Constitutional Hash: cdd01ef066bc6cf2
#
# blue-green.sh SERVICE GREEN_CLUSTER: a blue-green rollout through the control plane's API (docs/rollouts.md):
# POST /api/v1/rollouts (strategy blue_green, analysis on the services' health scores), then polls it until its
# verdict. Exit 0 succeeded, 3 rolled back (the analysis failed or someone aborted it), 1 error or timeout.
# Environment: ACGS_CONTROL_PLANE_URL, ACGS_ADMIN_TOKEN (never printed); ACGS_ROLLOUT_TIMEOUT_SECONDS (default 1800),
# ACGS_ROLLOUT_PRE_PROMOTION_SECONDS (default 60), ACGS_ROLLOUT_POST_PROMOTION_SECONDS (default 120).
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: blue-green.sh SERVICE GREEN_CLUSTER" >&2; exit 2; }
: "${ACGS_CONTROL_PLANE_URL:?not set}" "${ACGS_ADMIN_TOKEN:?not set}"
auth=(-H "Authorization: Bearer $ACGS_ADMIN_TOKEN" -H 'Content-Type: application/json')
body="$(jq -cn --arg s "$1" --arg g "$2" --argjson pre "${ACGS_ROLLOUT_PRE_PROMOTION_SECONDS:-60}" --argjson post "${ACGS_ROLLOUT_POST_PROMOTION_SECONDS:-120}" \
  '{service: $s, green_cluster: $g, strategy: "blue_green", pre_promotion_seconds: $pre, post_promotion_seconds: $post,
    analysis: {interval_seconds: 10, min_health_score: 0.8, failure_limit: 2}}')"
rollout="$(curl -fsS -X POST "${auth[@]}" --data "$body" "$ACGS_CONTROL_PLANE_URL/api/v1/rollouts")"
id="$(jq -r .id <<<"$rollout")"
echo "rollout $id: $1 -> $2 (blue_green)"
echo "$id" >rollout-id.txt
deadline=$((SECONDS + ${ACGS_ROLLOUT_TIMEOUT_SECONDS:-1800})) last=""
while [ $SECONDS -lt $deadline ]; do
  phase="$(curl -fsS "${auth[@]}" "$ACGS_CONTROL_PLANE_URL/api/v1/rollouts/$id" | jq -r .phase)"
  [ "$phase" = "$last" ] || { echo "  phase: $phase"; last="$phase"; }
  case "$phase" in
    succeeded) exit 0 ;;
    rolled_back) echo "rollout $id rolled back" >&2; exit 3 ;;
  esac
  sleep 10
done
echo "rollout $id has no verdict after ${ACGS_ROLLOUT_TIMEOUT_SECONDS:-1800} s" >&2
exit 1
