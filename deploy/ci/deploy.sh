#!/usr/bin/env bash
# Constitutional Hash: cdd01ef066bc6cf2
#
# The pipeline's deploy job: applies the kustomize manifests (deploy/k8s), points the control plane and the injected
# sidecars at this pipeline's images, waits for the control plane's rollout, then (when ACGS_ROLLOUT_SERVICE and
# ACGS_ROLLOUT_GREEN are set) drives a blue-green switch through the control plane's rollout API
# (deploy/ci/blue-green.sh) and fails when it ends rolled back, which starts the rollback job.
# Environment: IMAGE_PREFIX (e.g. $CI_REGISTRY_IMAGE), IMAGE_TAG; KUBE_NAMESPACE (default acgs-system);
# for the switch: ACGS_CONTROL_PLANE_URL, ACGS_ADMIN_TOKEN, ACGS_ROLLOUT_SERVICE, ACGS_ROLLOUT_GREEN.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${IMAGE_PREFIX:?IMAGE_PREFIX (the registry path of the images) is not set}" "${IMAGE_TAG:?IMAGE_TAG is not set}"
ns="${KUBE_NAMESPACE:-acgs-system}"
kubectl apply -k deploy/k8s
# the previous image, for the rollback job (an artifact of this job)
kubectl -n "$ns" get deployment acgs-control-plane -o jsonpath='{.spec.template.spec.containers[0].image}' >previous-image.txt 2>/dev/null || true
kubectl -n "$ns" set image deployment/acgs-control-plane "control-plane=$IMAGE_PREFIX/control-plane:$IMAGE_TAG"
kubectl -n "$ns" set env deployment/acgs-control-plane "ACGS_INJECT_IMAGE=$IMAGE_PREFIX/sidecar:$IMAGE_TAG"
kubectl -n "$ns" rollout status deployment/acgs-control-plane --timeout=5m
if [ -n "${ACGS_ROLLOUT_SERVICE:-}" ] && [ -n "${ACGS_ROLLOUT_GREEN:-}" ]; then
  bash deploy/ci/blue-green.sh "$ACGS_ROLLOUT_SERVICE" "$ACGS_ROLLOUT_GREEN"
else
  echo "no ACGS_ROLLOUT_SERVICE / ACGS_ROLLOUT_GREEN: no blue-green switch of a workload"
fi
