#!/usr/bin/env bash
# Constitutional Hash: cdd01ef066bc6cf2
#
# gen-webhook-cert.sh — a self-signed CA and a server certificate for the control plane's injection webhook
# (acgs-control-plane.acgs-system.svc), stored as the TLS secret the Deployment mounts (acgs-webhook-tls),
# and the CA put into the MutatingWebhookConfiguration's caBundle (when it exists: run this after
# `kubectl apply -k deploy/k8s`, and again to rotate). Needs openssl and kubectl.
# Usage: gen-webhook-cert.sh [--namespace acgs-system] [--days 365] [--out DIR]
# With cert-manager, skip this script: see docs/kubernetes.md.
set -euo pipefail

namespace=acgs-system
days=365
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --namespace) namespace="$2"; shift 2 ;;
    --days) days="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '4,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gen-webhook-cert: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

service=acgs-control-plane
dir="${out:-$(mktemp -d)}"
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" -subj "/CN=acgs-webhook-ca" \
  -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=$service.$namespace.svc" \
  -keyout "$dir/tls.key" -out "$dir/tls.csr" 2>/dev/null
printf 'subjectAltName=DNS:%s,DNS:%s.%s,DNS:%s.%s.svc,DNS:%s.%s.svc.cluster.local\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' \
  "$service" "$service" "$namespace" "$service" "$namespace" "$service" "$namespace" > "$dir/ext.cnf"
openssl x509 -req -in "$dir/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days "$days" -sha256 \
  -extfile "$dir/ext.cnf" -out "$dir/tls.crt" 2>/dev/null

kubectl -n "$namespace" create secret tls acgs-webhook-tls --cert="$dir/tls.crt" --key="$dir/tls.key" \
  --dry-run=client -o yaml | kubectl apply -f -

if kubectl get mutatingwebhookconfiguration acgs-sidecar-injector >/dev/null 2>&1; then
  ca="$(base64 < "$dir/ca.crt" | tr -d '\n')"
  kubectl patch mutatingwebhookconfiguration acgs-sidecar-injector --type=json -p "[
    {\"op\":\"add\",\"path\":\"/webhooks/0/clientConfig/caBundle\",\"value\":\"$ca\"},
    {\"op\":\"add\",\"path\":\"/webhooks/1/clientConfig/caBundle\",\"value\":\"$ca\"}]"
else
  echo "gen-webhook-cert: acgs-sidecar-injector not found; apply deploy/k8s, then run this again to set the caBundle" >&2
fi
[ -n "$out" ] || rm -rf "$dir"
echo "gen-webhook-cert: secret $namespace/acgs-webhook-tls written" >&2
