#!/usr/bin/env bash
# Constitutional Hash: cdd01ef066bc6cf2
#
# The pipeline's rollback job (automatic when the deploy job fails, among others when its rollout ended rolled back;
# also manual): aborts the rollout the deploy job started when it is still active (100 % blue in one push), then
# returns the control plane's deployment to its previous revision (kubectl rollout undo) and waits for it.
# Environment: KUBE_NAMESPACE (default acgs-system); ACGS_CONTROL_PLANE_URL and ACGS_ADMIN_TOKEN for the abort.
set -euo pipefail
ns="${KUBE_NAMESPACE:-acgs-system}"
if [ -s rollout-id.txt ] && [ -n "${ACGS_CONTROL_PLANE_URL:-}" ] && [ -n "${ACGS_ADMIN_TOKEN:-}" ]; then
  id="$(cat rollout-id.txt)"
  curl -sS -X POST -H "Authorization: Bearer $ACGS_ADMIN_TOKEN" -H 'Content-Type: application/json' \
    --data '{"reason":"pipeline rollback"}' "$ACGS_CONTROL_PLANE_URL/api/v1/rollouts/$id/abort" -o /dev/null -w "abort rollout $id: %{http_code}\n" || true
fi
kubectl -n "$ns" rollout undo deployment/acgs-control-plane
kubectl -n "$ns" rollout status deployment/acgs-control-plane --timeout=5m
